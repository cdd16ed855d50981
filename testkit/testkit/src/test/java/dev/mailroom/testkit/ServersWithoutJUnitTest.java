package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The servers are plain {@code AutoCloseable} objects usable without JUnit: a JVM whose class path holds the
 * test kit and its runtime dependencies but no JUnit jar starts {@link MailroomSmtpServer}, sends one email
 * through the SMTP sender and reads it back ({@link WithoutJUnitMain}).
 */
class ServersWithoutJUnitTest {
  @Test
  void aServerRunsInAJvmWithoutJUnit(@TempDir Path dir) throws Exception {
    List<String> all = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    List<String> withoutJUnit = all.stream().filter(e -> !isJUnit(e)).collect(Collectors.toList());
    assertThat(all).anyMatch(ServersWithoutJUnitTest::isJUnit); // the filter removes something
    assertThat(withoutJUnit).anyMatch(e -> e.contains("greenmail")).noneMatch(ServersWithoutJUnitTest::isJUnit);

    Path out = dir.resolve("out.txt");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-Djava.net.preferIPv4Stack=true", "-cp", String.join(File.pathSeparator, withoutJUnit),
        WithoutJUnitMain.class.getName()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    boolean ended = p.waitFor(120, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(ended).as("the JVM without JUnit ended in time; output:%n%s", output).isTrue();
    assertThat(p.exitValue()).as("exit code; output:%n%s", output).isZero();
    assertThat(output).contains("sent and received without JUnit").doesNotContain("NoClassDefFoundError");
  }

  private static boolean isJUnit(String entry) {
    String name = Path.of(entry).getFileName().toString();
    return name.startsWith("junit-") || name.startsWith("opentest4j") || name.startsWith("apiguardian");
  }
}
