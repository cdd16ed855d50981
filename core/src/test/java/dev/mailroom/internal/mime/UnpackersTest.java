package dev.mailroom.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mailroom.Email;
import dev.mailroom.testing.SystemTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * munpack (mpack) and ripmime, which read only the plain {@code name} parameter, save every attachment of
 * the file-name corpus, with the ASCII stand-in name and its extension, and the exact bytes: no attachment
 * is lost (a raw encoded word used to make munpack fail with "File name too long"). Installed by the test's
 * set-up with apt-get when missing; skipped with the reason when that is not possible.
 */
class UnpackersTest {
  private static String missing;
  private static boolean checked;

  private static synchronized void assumeTools() {
    if (!checked) {
      checked = true;
      if (!Files.isExecutable(Path.of("/usr/bin/munpack")) || !Files.isExecutable(Path.of("/usr/bin/ripmime"))) {
        SystemTools.aptInstall("mpack", "ripmime");
      }
      if (!Files.isExecutable(Path.of("/usr/bin/munpack")) || !Files.isExecutable(Path.of("/usr/bin/ripmime"))) {
        missing = "munpack/ripmime not installed and apt-get install mpack ripmime failed";
      }
    }
    assumeTrue(missing == null, () -> "unpackers not available, not checked: " + missing);
  }

  private static int run(List<String> cmd, Path dir, int seconds) {
    return SystemTools.run(cmd, dir, seconds);
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> !f.getFileName().toString().startsWith("textfile")
          && !f.getFileName().toString().endsWith(".desc")).collect(Collectors.toList());
    }
  }

  @Test
  void munpackAndRipmimeSaveEveryAttachment(@TempDir Path dir) throws Exception {
    assumeTools();
    for (int i = 0; i < FileNamesTest.NAMES.size(); i++) {
      String name = FileNamesTest.NAMES.get(i);
      Email e = FileNamesTest.withAttachment(name);
      Path eml = Files.write(dir.resolve(i + ".eml"), FileNamesTest.write(e));
      byte[] content = name.getBytes(StandardCharsets.UTF_8);
      String ext = name.substring(name.lastIndexOf('.'));

      Path m = Files.createDirectory(dir.resolve("munpack" + i));
      run(List.of("munpack", "-q", eml.toString()), m, 30);
      assertThat(files(m)).as("munpack, %s", name).hasSize(1);
      assertThat(files(m).get(0).getFileName().toString()).as(name).endsWith(ext);
      assertThat(Files.readAllBytes(files(m).get(0))).isEqualTo(content);

      Path r = Files.createDirectory(dir.resolve("ripmime" + i));
      assertThat(run(List.of("ripmime", "-i", eml.toString(), "-d", r.toString()), null, 30)).isZero();
      assertThat(files(r)).as("ripmime, %s", name).hasSize(1);
      String plain = name.strip();
      String expected = Headers.contentType("application/pdf", plain).endsWith("name=\"" + plain + "\"") ? plain
          : Headers.asciiFallback(plain);
      assertThat(files(r).get(0).getFileName().toString()).as(name).isEqualTo(expected).endsWith(ext);
      assertThat(Files.readAllBytes(files(r).get(0))).isEqualTo(content);
    }
  }
}
