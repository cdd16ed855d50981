package dev.mailroom.testkit.smtp;

import dev.mailroom.BatchOptions;
import dev.mailroom.Email;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendResult;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.MailroomSmtpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Month-end batches of 2,000 emails, measured (never asserted): through GreenMail
 * ({@link MailroomSmtpServer}) without faults, and through the fault-injecting server with 1 % faults,
 * checked by Message-ID at the receiver (every email delivered exactly once or reported failed).
 *
 * <p>Not part of the normal build (tag {@code bench}): {@code mvn -o -pl testkit/testkit -am verify
 * -Dsurefire.excludedGroups=soak -Dtest=SmtpBatchBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Pbench} also runs the smtp module's own benchmark); figures go to stdout and
 * {@code testkit/testkit/target/batch-results.txt}.
 */
@Tag("bench")
class SmtpBatchBenchmark {
  static final int EMAILS = Integer.getInteger("batch.emails", 2_000);

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void monthEndBatches() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int connections : new int[] {1, 4}) {
      try (MailroomSmtpServer greenMail = MailroomSmtpServer.create().start()) {
        List<Email> batch = new ArrayList<>();
        for (int i = 0; i < EMAILS; i++) {
          batch.add(BatchRun.invoice(i));
        }
        long start = System.nanoTime();
        List<SendResult> results;
        try (Mailer mailer = Mailer.open(greenMail.settings(),
            MailerOptions.builder().maxConnections(connections).build())) {
          results = mailer.sendAll(batch, BatchOptions.ofDefaults());
        }
        long wall = System.nanoTime() - start;
        long failed = results.stream().filter(r -> !r.sent()).count();
        int received = greenMail.awaitReceived(EMAILS - (int) failed, Duration.ofSeconds(30)).size();
        lines.add(String.format(Locale.ROOT, "GreenMail: %d emails, %d connection(s): %.2f s wall, %.0f emails/s,"
            + " %d failed, %d received", EMAILS, connections, wall / 1e9, EMAILS / (wall / 1e9), failed, received));
      }
      try (FaultySmtpServer faulty = FaultySmtpServer.create().start()) {
        lines.add("Fault-injecting server, 1 % faults: " + new BatchRun(EMAILS, connections, 100).run(faulty)
            .figures());
      }
    }
    lines.forEach(System.out::println);
    Path out = Path.of("target", "batch-results.txt");
    Files.createDirectories(out.getParent());
    Files.write(out, lines, StandardCharsets.UTF_8);
  }
}
