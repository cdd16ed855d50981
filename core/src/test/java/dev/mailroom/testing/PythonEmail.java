package dev.mailroom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code email} package (policy {@code default}) as an independent MIME parser for tests: parses
 * messages and reports attachments, defects, decoded headers and text bodies. A test that needs it is
 * skipped, with the reason in the report, when no {@code python3} is on the PATH.
 */
public final class PythonEmail {
  /** One attachment or inline part as Python sees it. */
  public record Part(String filename, String contentType, String contentId, long size, String disposition) {}

  /** What Python found in one message. */
  public record Parsed(List<Part> parts, List<String> defects, List<String> longLines, List<String[]> headers,
      List<String[]> bodies) {
    /** The decoded value of the first header with this name (any case), or null. */
    public String header(String name) {
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          return h[1];
        }
      }
      return null;
    }
  }

  private PythonEmail() {}

  /** Skips the calling test (visibly) when python3 cannot run. */
  public static void assumeAvailable() {
    assumeTrue(available(), "python3 is not on the PATH: Python's email parser cannot judge this message"
        + " (install python3 to run this check)");
  }

  /** True if python3 runs. */
  public static boolean available() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import email.policy").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Parses each message with Python's email package. */
  public static List<Parsed> parse(List<byte[]> messages) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("mailroom-eml");
    try {
      Path script = dir.resolve("parse_eml.py");
      try (InputStream in = PythonEmail.class.getResourceAsStream("parse_eml.py")) {
        Files.write(script, in.readAllBytes());
      }
      List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
      for (int i = 0; i < messages.size(); i++) {
        Path f = dir.resolve(i + ".eml");
        Files.write(f, messages.get(i));
        cmd.add(f.toString());
      }
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("python3 finished").isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      List<Parsed> result = new ArrayList<>();
      List<Part> parts = null;
      List<String> defects = null;
      List<String> longLines = null;
      List<String[]> headers = null;
      List<String[]> bodies = null;
      for (String line : out.split("\n")) {
        String[] f = line.split(" ");
        switch (f[0]) {
          case "FILE" -> {
            parts = new ArrayList<>();
            defects = new ArrayList<>();
            longLines = new ArrayList<>();
            headers = new ArrayList<>();
            bodies = new ArrayList<>();
            result.add(new Parsed(parts, defects, longLines, headers, bodies));
          }
          case "ATTACHMENT" -> parts.add(new Part(text(f[1]), text(f[2]), text(f[3]), Long.parseLong(f[4]), f[5]));
          case "DEFECT" -> defects.add(text(f[1]));
          case "LONGLINE" -> longLines.add(text(f[1]));
          case "HEADER" -> headers.add(new String[] {text(f[1]), text(f[2])});
          case "BODY" -> bodies.add(new String[] {text(f[1]), text(f[2])});
          default -> {
            if (!line.isBlank()) {
              throw new AssertionError("unexpected output of parse_eml.py: " + out);
            }
          }
        }
      }
      assertThat(result).as(out).hasSize(messages.size());
      return result;
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static String text(String hex) {
    return hex.equals("-") ? null : new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
  }
}
