package dev.mailroom.snippets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the Java code blocks of a Markdown file and compares each with the snippet source file its marker names.
 *
 * <p>The convention (stated for users in {@link ReadmeSnippetsTest} and in a comment at the top of README.md):
 * every fenced block whose info string starts with {@code java} is preceded, on the closest non-blank line above
 * its opening fence, by the marker {@code <!-- snippet: com/acme/billing/Name.java -->}, a path relative to
 * {@code testkit/snippets/src/test/java}; the block's lines are identical to that file's lines (line endings,
 * trailing white space and blank lines at either end aside). Not thread-safe; one instance per check.
 */
final class ReadmeSnippets {
  /** The marker line that names a block's source file. */
  static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*snippet:\\s*(\\S+)\\s*-->\\s*$");
  private static final Pattern FENCE = Pattern.compile("^( *)(`{3,}|~{3,})\\s*([^`\\s]*)?.*$");

  /** One fenced Java block of the README. */
  record Block(int openLine, int closeLine, int indent, String marker, List<String> lines) {}

  private final List<String> readme;
  private final Path snippetRoot;
  private final List<Block> blocks = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  ReadmeSnippets(String readmeText, Path snippetRoot) {
    this.readme = List.of(readmeText.split("\\R", -1));
    this.snippetRoot = snippetRoot;
    parse();
  }

  /** The Java blocks found, in README order. */
  List<Block> blocks() {
    return List.copyOf(blocks);
  }

  /**
   * Every disagreement between the README and the snippet files, each with its README line and what to do; empty
   * when every Java block is marked and identical to its file.
   */
  List<String> problems() {
    List<String> all = new ArrayList<>(problems);
    for (Block block : blocks) {
      String where = "README.md line " + (block.openLine() + 1) + ": ";
      if (block.marker() == null) {
        all.add(where + "this ```java block has no snippet marker. Put the code, as a complete file, in "
            + "testkit/snippets/src/test/java/com/acme/.../Name.java and write <!-- snippet: com/acme/.../Name.java -->"
            + " on the line above the fence");
        continue;
      }
      Path file = resolve(block.marker());
      if (file == null) {
        all.add(where + "the snippet marker names '" + block.marker() + "', which is not a .java path inside "
            + "testkit/snippets/src/test/java");
        continue;
      }
      if (!Files.isRegularFile(file)) {
        all.add(where + "the snippet file testkit/snippets/src/test/java/" + block.marker() + " does not exist: "
            + "create it with this block's code (a complete file that compiles)");
        continue;
      }
      List<String> expected = normalise(read(file));
      List<String> actual = normalise(block.lines());
      if (!expected.equals(actual)) {
        all.add(where + "this ```java block differs from testkit/snippets/src/test/java/" + block.marker() + " "
            + firstDifference(expected, actual) + "; copy the file into the block (or run the check with "
            + "-Dmailroom.snippets.write=true)");
      }
    }
    return all;
  }

  /**
   * The snippet files under {@code packageRoot} (a folder inside the snippet root) that no block names.
   */
  List<String> unusedFiles(Path packageRoot) {
    Set<String> named = blocks.stream().map(Block::marker).filter(m -> m != null)
        .collect(Collectors.toCollection(LinkedHashSet::new));
    if (!Files.isDirectory(packageRoot)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(packageRoot)) {
      return files.filter(f -> f.toString().endsWith(".java"))
          .map(f -> snippetRoot.relativize(f).toString().replace('\\', '/'))
          .filter(f -> !named.contains(f))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The README with every marked block replaced by its file's text (blocks whose file is missing stay). */
  String rewritten() {
    List<String> out = new ArrayList<>();
    int next = 0;
    for (Block block : blocks) {
      out.addAll(readme.subList(next, block.openLine() + 1));
      Path file = block.marker() == null ? null : resolve(block.marker());
      if (file != null && Files.isRegularFile(file)) {
        String pad = " ".repeat(block.indent());
        for (String line : normalise(read(file))) {
          out.add(line.isEmpty() ? "" : pad + line);
        }
      } else {
        out.addAll(readme.subList(block.openLine() + 1, block.closeLine()));
      }
      next = block.closeLine();
    }
    out.addAll(readme.subList(next, readme.size()));
    return String.join("\n", out);
  }

  private void parse() {
    String marker = null;
    for (int i = 0; i < readme.size(); i++) {
      String line = readme.get(i);
      Matcher m = MARKER.matcher(line);
      if (m.matches()) {
        marker = m.group(1);
        continue;
      }
      Matcher fence = FENCE.matcher(line);
      if (!fence.matches()) {
        if (!line.isBlank()) {
          marker = null;
        }
        continue;
      }
      int indent = fence.group(1).length();
      String fenceChars = fence.group(2);
      String info = fence.group(3) == null ? "" : fence.group(3).toLowerCase(Locale.ROOT);
      int close = closingFence(i, fenceChars);
      if (close < 0) {
        problems.add("README.md line " + (i + 1) + ": this code block is never closed; end it with " + fenceChars);
        return;
      }
      if (info.equals("java")) {
        List<String> body = new ArrayList<>();
        for (String content : readme.subList(i + 1, close)) {
          body.add(stripIndent(content, indent));
        }
        blocks.add(new Block(i, close, indent, marker, body));
      } else if (marker != null) {
        problems.add("README.md line " + (i + 1) + ": the snippet marker above this block names '" + marker
            + "' but the block is not ```java; snippet markers belong above Java blocks only");
      }
      marker = null;
      i = close;
    }
    if (marker != null) {
      problems.add("README.md: the last snippet marker ('" + marker + "') is followed by no ```java block");
    }
  }

  private int closingFence(int open, String fenceChars) {
    char c = fenceChars.charAt(0);
    for (int j = open + 1; j < readme.size(); j++) {
      String stripped = readme.get(j).strip();
      if (stripped.length() >= fenceChars.length() && stripped.chars().allMatch(ch -> ch == c)) {
        return j;
      }
    }
    return -1;
  }

  private Path resolve(String marker) {
    if (!marker.endsWith(".java") || marker.startsWith("/") || marker.contains("\\")) {
      return null;
    }
    Path file = snippetRoot.resolve(marker).normalize();
    return file.startsWith(snippetRoot.normalize()) ? file : null;
  }

  private static List<String> read(Path file) {
    try {
      return List.of(Files.readString(file, StandardCharsets.UTF_8).split("\\R", -1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String stripIndent(String line, int indent) {
    int n = 0;
    while (n < indent && n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return line.substring(n);
  }

  /** Trailing white space off every line; blank lines off both ends. */
  static List<String> normalise(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.add(line.stripTrailing());
    }
    while (!out.isEmpty() && out.get(0).isEmpty()) {
      out.remove(0);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  private static String firstDifference(List<String> expected, List<String> actual) {
    int n = Math.min(expected.size(), actual.size());
    for (int i = 0; i < n; i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        return "at its line " + (i + 1) + ": the file has \"" + expected.get(i) + "\", the README \""
            + actual.get(i) + "\"";
      }
    }
    return expected.size() > actual.size()
        ? "after its line " + n + ": the file goes on with \"" + expected.get(n) + "\""
        : "after its line " + n + ": the README goes on with \"" + actual.get(n) + "\"";
  }
}
