package dev.mailroom.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Maven Central's conventions, checked on the build's own files: full POM metadata in the parent (inherited
 * unchanged by every module), one version everywhere, and a BOM that manages exactly the published artifacts without
 * a new top-level folder.
 */
class PublishingConventionsTest {
  static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize()
      .resolve("../..").normalize();
  /** The published modules: every jar module but this one. */
  static final List<String> PUBLISHED = List.of("core", "core/micrometer", "core/bucket4j", "smtp", "http",
      "testkit/testkit", "testkit/diagnostics", "testkit/cli");

  static Document pom(String module) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(ROOT.resolve(module).resolve("pom.xml").toFile());
  }

  static String text(Element parent, String child) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(child)) {
        return e.getTextContent().strip();
      }
    }
    return null;
  }

  static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  static String version(Document pom) {
    Element project = pom.getDocumentElement();
    String own = text(project, "version");
    return own != null ? own : text(child(project, "parent"), "version");
  }

  @Test
  void theTopLevelHoldsOnlyTheAgreedEntries() throws IOException {
    try (Stream<Path> entries = Files.list(ROOT)) {
      List<String> names = entries.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals(".git") && !n.equals(".gitignore") && !n.equals("target"))
          .sorted().collect(Collectors.toList());
      assertThat(names).containsExactlyInAnyOrder("pom.xml", "core", "smtp", "http", "testkit", "README.md",
          "LICENSE", ".ci");
    }
  }

  @Test
  void theParentCarriesWhatMavenCentralAsksForAndModulesInheritItUnchanged() throws Exception {
    Element project = pom(".").getDocumentElement();
    for (String field : List.of("name", "description", "url")) {
      assertThat(text(project, field)).as(field).isNotBlank();
    }
    assertThat(text(child(child(project, "licenses"), "license"), "name")).isEqualTo("Apache-2.0");
    assertThat(text(child(child(project, "developers"), "developer"), "name")).isNotBlank();
    Element scm = child(project, "scm");
    assertThat(text(scm, "connection")).startsWith("scm:git:");
    assertThat(text(scm, "url")).isEqualTo(text(project, "url"));
    assertThat(text(child(project, "issueManagement"), "url")).startsWith(text(project, "url"));
    assertThat(project.getAttribute("child.project.url.inherit.append.path")).isEqualTo("false");
    assertThat(scm.getAttribute("child.scm.url.inherit.append.path")).isEqualTo("false");
    for (String module : PUBLISHED) {
      Element m = pom(module).getDocumentElement();
      assertThat(text(m, "name")).as(module).isNotBlank();
      assertThat(text(m, "description")).as(module).isNotBlank();
      assertThat(child(m, "url")).as(module + " keeps the parent's url").isNull();
      assertThat(child(m, "scm")).as(module + " keeps the parent's scm").isNull();
    }
  }

  @Test
  void oneVersionForAllModulesAndTheBomManagesExactlyThePublishedArtifacts() throws Exception {
    String version = version(pom("."));
    List<String> published = new ArrayList<>();
    for (String module : PUBLISHED) {
      Document pom = pom(module);
      assertThat(version(pom)).as(module).isEqualTo(version);
      published.add(text(pom.getDocumentElement(), "artifactId"));
    }
    Document bom = pom("core/bom");
    Element project = bom.getDocumentElement();
    assertThat(text(project, "artifactId")).isEqualTo("mailroom-bom");
    assertThat(text(project, "version")).isEqualTo(version);
    assertThat(child(project, "parent")).as("the BOM must not import the parent's third-party versions").isNull();
    NodeList deps = child(child(project, "dependencyManagement"), "dependencies").getElementsByTagName("dependency");
    List<String> managed = new ArrayList<>();
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      assertThat(text(d, "version")).isEqualTo("${project.version}");
      managed.add(text(d, "artifactId"));
    }
    assertThat(managed).containsExactlyInAnyOrderElementsOf(published);
    for (String field : List.of("name", "description", "url")) {
      assertThat(text(project, field)).as("bom " + field).isNotBlank();
    }
    assertThat(child(project, "scm")).isNotNull();
    assertThat(child(project, "developers")).isNotNull();
    assertThat(child(project, "licenses")).isNotNull();
    assertThat(child(project, "issueManagement")).isNotNull();
  }

  /**
   * Every published module leaves a sources jar and a Javadoc jar next to its jar. The build makes them before
   * this module's tests run (the reactor builds this module last); run alone, with no jar built, there is nothing
   * to check.
   */
  @Test
  void everyPublishedJarHasItsSourcesAndJavadocJars() throws Exception {
    String version = version(pom("."));
    int checked = 0;
    for (String module : PUBLISHED) {
      String artifact = text(pom(module).getDocumentElement(), "artifactId");
      Path target = ROOT.resolve(module).resolve("target");
      if (!Files.isRegularFile(target.resolve(artifact + "-" + version + ".jar"))) {
        continue;
      }
      checked++;
      Path sources = target.resolve(artifact + "-" + version + "-sources.jar");
      Path javadoc = target.resolve(artifact + "-" + version + "-javadoc.jar");
      assertThat(sources).as(module + " sources jar").isRegularFile();
      assertThat(javadoc).as(module + " javadoc jar").isRegularFile();
      try (java.util.jar.JarFile jar = new java.util.jar.JarFile(sources.toFile())) {
        assertThat(jar.stream().map(java.util.jar.JarEntry::getName)).as(module + " sources")
            .contains("module-info.java").anyMatch(n -> n.endsWith(".java") && !n.equals("module-info.java"));
      }
      try (java.util.jar.JarFile jar = new java.util.jar.JarFile(javadoc.toFile())) {
        assertThat(jar.getEntry("index.html")).as(module + " javadoc index").isNotNull();
      }
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(checked > 0,
        "no module jar built in this run (module built alone): nothing to check");
    // the jars come from one verify or install run: when one module has them, every published module does
    assertThat(checked).isEqualTo(PUBLISHED.size());
  }
}
