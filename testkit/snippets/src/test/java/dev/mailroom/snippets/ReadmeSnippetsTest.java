package dev.mailroom.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java code is real code: every {@code ```java} block of {@code README.md} is a complete source file
 * under {@code testkit/snippets/src/test/java}, compiled and run by {@code mvn verify}, and this check fails when a
 * block is not identical to its file.
 *
 * <p><b>The convention</b> (also stated in a comment at the top of README.md):
 * <ol>
 *   <li>A Java block in the README is a whole file: {@code package com.acme.billing;} (or a sub-package), every
 *       import, no name it does not define or import from Mailroom, the JDK or JUnit/AssertJ, no {@code ...}
 *       bodies. It lives under {@code testkit/snippets/src/test/java/com/acme/}, where {@code test-compile}
 *       compiles it. A block that is a test class ({@code *Test}) runs as a test; any other block gets a test in
 *       {@code dev.mailroom.snippets} that runs its code against the test kit's local servers.</li>
 *   <li>The closest non-blank line above the block's opening fence is the marker
 *       {@code <!-- snippet: com/acme/billing/Name.java -->} (an HTML comment, invisible on GitHub), the file's
 *       path relative to {@code testkit/snippets/src/test/java}.</li>
 *   <li>The block's text is identical to the file's (line endings, trailing white space and blank lines at either
 *       end aside). A block without a marker, a marker naming a missing file, a marker above a block that is not
 *       Java, and any difference fail the build with the README line and what to do.</li>
 *   <li>Every file under {@code com/acme/} is shown in the README (helpers that are not shown go in
 *       {@code dev.mailroom.snippets}).</li>
 * </ol>
 *
 * <p>To change a snippet: edit the file, run
 * {@code mvn -o -q -pl testkit/snippets -am verify -Dtest='ReadmeSnippetsTest,*Snippet*Test'
 * -Dsurefire.failIfNoSpecifiedTests=false}, and copy the file into the README block, or add
 * {@code -Dmailroom.snippets.write=true} once: the check then rewrites every marked block of README.md from its
 * file (and nothing else) before checking.
 */
class ReadmeSnippetsTest {
  private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  private static final Path SNIPPETS = MODULE.resolve("src/test/java");
  private static final Path README = MODULE.resolve("../../README.md").normalize();

  @Test
  void everyJavaBlockOfTheReadmeIsIdenticalToACompilingSnippetFile() throws IOException {
    String text = Files.readString(README, StandardCharsets.UTF_8);
    if (Boolean.getBoolean("mailroom.snippets.write")) {
      String rewritten = new ReadmeSnippets(text, SNIPPETS).rewritten();
      if (!rewritten.equals(text)) {
        Files.writeString(README, rewritten, StandardCharsets.UTF_8);
        text = rewritten;
      }
    }
    ReadmeSnippets readme = new ReadmeSnippets(text, SNIPPETS);

    assertThat(readme.blocks()).as("Java blocks in %s", README).isNotEmpty();
    assertThat(readme.problems()).as("README.md Java blocks against testkit/snippets/src/test/java").isEmpty();
    assertThat(readme.unusedFiles(SNIPPETS.resolve("com/acme")))
        .as("snippet files that the README does not show (show them, or move helpers to dev.mailroom.snippets)")
        .isEmpty();
  }

  @Test
  void theReadmeStatesTheConvention() throws IOException {
    assertThat(Files.readString(README, StandardCharsets.UTF_8))
        .contains("<!-- snippet: ").contains("testkit/snippets/src/test/java").contains("ReadmeSnippetsTest");
  }

  @Test
  void aBlockIdenticalToItsFilePasses(@TempDir Path root) throws IOException {
    write(root, "com/acme/A.java", "package com.acme;\n\nclass A {}\n");

    ReadmeSnippets r = new ReadmeSnippets("text\n<!-- snippet: com/acme/A.java -->\n```java\npackage com.acme;\n\n"
        + "class A {}   \n```\n", root);

    assertThat(r.blocks()).hasSize(1);
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void aBlockWithoutAMarkerFailsWithItsLine(@TempDir Path root) {
    ReadmeSnippets r = new ReadmeSnippets("# Title\n\n```java\nclass A {}\n```\n", root);

    assertThat(r.problems()).singleElement().asString()
        .startsWith("README.md line 3: this ```java block has no snippet marker");
  }

  @Test
  void aMarkerSeparatedByProseDoesNotCount(@TempDir Path root) throws IOException {
    write(root, "com/acme/A.java", "class A {}\n");

    ReadmeSnippets r = new ReadmeSnippets("<!-- snippet: com/acme/A.java -->\nSome prose.\n```java\nclass A {}\n```\n",
        root);

    assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("line 3: this ```java block has no snippet"));
  }

  @Test
  void aChangedLineFailsAndSaysWhere(@TempDir Path root) throws IOException {
    write(root, "com/acme/A.java", "package com.acme;\nclass A { int x = 1; }\n");

    ReadmeSnippets r = new ReadmeSnippets("<!-- snippet: com/acme/A.java -->\n```java\npackage com.acme;\n"
        + "class A { int x = 2; }\n```\n", root);

    assertThat(r.problems()).singleElement().asString()
        .contains("README.md line 2: this ```java block differs from testkit/snippets/src/test/java/com/acme/A.java")
        .contains("at its line 2: the file has \"class A { int x = 1; }\", the README \"class A { int x = 2; }\"");
  }

  @Test
  void aBlockThatIsOnlyPartOfItsFileFails(@TempDir Path root) throws IOException {
    write(root, "com/acme/A.java", "package com.acme;\nimport java.util.List;\nclass A {}\n");

    ReadmeSnippets r = new ReadmeSnippets("<!-- snippet: com/acme/A.java -->\n```java\nclass A {}\n```\n", root);

    assertThat(r.problems()).singleElement().asString().contains("differs");
  }

  @Test
  void aMissingFileOrAPathOutsideTheSnippetsFails(@TempDir Path root) {
    ReadmeSnippets r = new ReadmeSnippets("<!-- snippet: com/acme/Gone.java -->\n```java\nclass Gone {}\n```\n"
        + "<!-- snippet: ../../../etc/A.java -->\n```java\nclass A {}\n```\n", root);

    assertThat(r.problems()).hasSize(2);
    assertThat(r.problems().get(0)).contains("com/acme/Gone.java does not exist");
    assertThat(r.problems().get(1)).contains("which is not a .java path inside testkit/snippets/src/test/java");
  }

  @Test
  void otherLanguagesAreNotCheckedButAMarkerAboveThemIsAMistake(@TempDir Path root) {
    ReadmeSnippets r = new ReadmeSnippets("```sh\nmvn verify\n```\n<!-- snippet: com/acme/A.java -->\n```xml\n<a/>\n```\n"
        + "````\n```java\nnot a block\n```\n````\n", root);

    assertThat(r.blocks()).isEmpty();
    assertThat(r.problems()).singleElement().asString().contains("line 5").contains("not ```java");
  }

  @Test
  void anUnclosedBlockFails(@TempDir Path root) {
    ReadmeSnippets r = new ReadmeSnippets("<!-- snippet: com/acme/A.java -->\n```java\nclass A {}\n", root);

    assertThat(r.problems()).singleElement().asString().contains("line 2: this code block is never closed");
  }

  @Test
  void indentedBlocksInListsCompareWithoutTheirIndentAndRewriteKeepsIt(@TempDir Path root) throws IOException {
    write(root, "com/acme/A.java", "class A {\n  int x;\n}\n");
    String readme = "- item\n\n  <!-- snippet: com/acme/A.java -->\n  ```java\n  class A {\n  }\n  ```\nend\n";

    ReadmeSnippets r = new ReadmeSnippets(readme, root);
    assertThat(r.problems()).singleElement().asString().contains("differs");

    String fixed = r.rewritten();
    assertThat(fixed).isEqualTo("- item\n\n  <!-- snippet: com/acme/A.java -->\n  ```java\n  class A {\n    int x;\n  }\n"
        + "  ```\nend\n");
    assertThat(new ReadmeSnippets(fixed, root).problems()).isEmpty();
  }

  @Test
  void filesTheReadmeDoesNotShowAreListed(@TempDir Path root) throws IOException {
    write(root, "com/acme/A.java", "class A {}\n");
    write(root, "com/acme/b/B.java", "class B {}\n");

    ReadmeSnippets r = new ReadmeSnippets("<!-- snippet: com/acme/A.java -->\n```java\nclass A {}\n```\n", root);

    assertThat(r.unusedFiles(root.resolve("com/acme"))).containsExactly("com/acme/b/B.java");
  }

  private static void write(Path root, String relative, String content) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
