package dev.mailroom.testkit.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.github.mizosoft.methanol.MultipartBodyPublisher;
import dev.mailroom.Mailer;
import dev.mailroom.bigsend.GraphBigSendMain;
import dev.mailroom.http.HttpSenderProvider;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.ReceivedAttachment;
import dev.mailroom.testkit.ReceivedEmail;
import java.io.File;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A Microsoft 365 tenant with SMTP AUTH off sends an invoice with a 50 MB PDF through Microsoft Graph (draft,
 * upload session in 3.2 MB chunks, send) to the test kit's fake, from a JVM of its own under {@code -Xmx64m}.
 */
class GraphLargeAttachmentTest {
  static final long SIZE = 50L * 1024 * 1024;

  static Path location(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Timeout(600)
  void fiftyMegabytePdfThroughGraphUnder64MegabytesOfHeap(@TempDir Path dir) throws Exception {
    Path pdf = dir.resolve("INV-50.pdf");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (OutputStream out = Files.newOutputStream(pdf)) {
      byte[] head = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
      out.write(head);
      sha.update(head);
      Random random = new Random(50);
      byte[] chunk = new byte[1 << 20];
      for (long left = SIZE - head.length; left > 0; left -= chunk.length) {
        random.nextBytes(chunk);
        int n = (int) Math.min(chunk.length, left);
        out.write(chunk, 0, n);
        sha.update(chunk, 0, n);
      }
    }
    byte[] expected = sha.digest();
    try (MailroomHttpServer graph = MailroomHttpServer.builder().dialect("graph").build().start()) {
      String modulePath = Stream.of(Mailer.class, HttpSenderProvider.class, MultipartBodyPublisher.class,
              JsonFactory.class, LoggerFactory.class)
          .map(GraphLargeAttachmentTest::location).map(Path::toString).distinct()
          .collect(Collectors.joining(File.pathSeparator));
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx64m", "-Djava.net.preferIPv4Stack=true",
          "--module-path", modulePath, "--add-modules", "ALL-MODULE-PATH",
          "-cp", location(GraphBigSendMain.class).toString(),
          GraphBigSendMain.class.getName(),
          graph.settings().httpServer().orElseThrow().toString(),
          graph.tokenEndpoint().uri().toString(), graph.clientId(), pdf.toString()));
      Path log = Files.createTempFile(dir, "out", ".txt");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("MAILROOM_CLIENT_SECRET", graph.clientSecret().reveal());
      Process p = pb.start();
      boolean done = p.waitFor(540, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      System.out.println(out);
      assertThat(done).as("finished within 540 s").isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("OK ").contains("modulePath=true").doesNotContain(graph.clientSecret().reveal());
      Matcher peak = Pattern.compile("peakHeap=(\\d+)").matcher(out);
      assertThat(peak.find()).isTrue();
      assertThat(Long.parseLong(peak.group(1))).isLessThan(64L * 1024 * 1024);

      ReceivedEmail got = graph.awaitOne(Duration.ofSeconds(10));
      ReceivedAttachment a = got.attachment("INV-50.pdf").orElseThrow();
      assertThat(a.size()).isEqualTo((int) SIZE);
      assertThat(a.contentType()).isEqualTo("application/pdf");
      assertThat(MessageDigest.getInstance("SHA-256").digest(a.bytes())).isEqualTo(expected);
    }
  }
}
