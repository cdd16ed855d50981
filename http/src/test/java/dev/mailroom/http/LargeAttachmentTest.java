package dev.mailroom.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.github.mizosoft.methanol.MultipartBodyPublisher;
import dev.mailroom.Mailer;
import dev.mailroom.bench.LargeAttachmentMain;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A 50 MB attachment is sent under {@code -Xmx64m}, by the form dialect (multipart, from a file) and by a
 * JSON dialect (base64 streamed, from a stream), in a JVM of its own that runs Mailroom on the module path.
 */
class LargeAttachmentTest {
  static final long SIZE = 50L * 1024 * 1024;

  static Path location(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@link LargeAttachmentMain} with Mailroom, Methanol, jackson-core and slf4j on the module path. */
  static String run(Path dir, String heap, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.add(dir.toString());
    return runMain(dir, heap, LargeAttachmentMain.class, all.toArray(new String[0]));
  }

  /** Runs a main class of the test sources with Mailroom and its dependencies on the module path. */
  static String runMain(Path dir, String heap, Class<?> main, String... args) throws Exception {
    String modulePath = Stream.of(Mailer.class, HttpSenderProvider.class, MultipartBodyPublisher.class,
            JsonFactory.class, LoggerFactory.class)
        .map(LargeAttachmentTest::location).map(Path::toString).distinct()
        .collect(Collectors.joining(File.pathSeparator));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-Djava.net.preferIPv4Stack=true",
        "--module-path", modulePath, "--add-modules", "ALL-MODULE-PATH",
        "-cp", location(main).toString(),
        main.getName()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "out", ".txt");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .directory(dir.toFile()).start();
    boolean done = p.waitFor(600, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(out);
    assertThat(done).as("finished within 600 s").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static long figure(String out, String name) {
    Matcher m = Pattern.compile(name + "=(\\d+)").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void formSendsFiftyMegabytesFromAFileUnder64MegabytesOfHeap(@TempDir Path dir) throws Exception {
    String out = run(dir, "64m", "form", Long.toString(SIZE), "file");
    assertThat(out).contains("OK dialect=form").contains("modulePath=true httpModule=dev.mailroom.http");
    assertThat(figure(out, "received")).isBetween(SIZE, SIZE + 10_000);
    assertThat(figure(out, "peakHeap")).isLessThan(64L * 1024 * 1024);
  }

  @Test
  void aJsonDialectStreamsFiftyMegabytesAsBase64Under64MegabytesOfHeap(@TempDir Path dir) throws Exception {
    String out = run(dir, "64m", "sendgrid", Long.toString(SIZE), "stream");
    assertThat(out).contains("OK dialect=sendgrid").contains("messageId=big-1").contains("modulePath=true");
    // base64 makes 4 characters of every 3 bytes
    assertThat(figure(out, "received")).isBetween(SIZE * 4 / 3, SIZE * 4 / 3 + 10_000);
    assertThat(figure(out, "peakHeap")).isLessThan(64L * 1024 * 1024);
  }
}
