package dev.mailroom.testkit.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.TlsMode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Soak: 16 threads send 20,000 messages through one {@link Mailer} (8 connections) to a local sink that
 * drops 1% of connections and of transactions and answers 1% of transactions with 451. Counted at the
 * receiver by Message-ID: every message is delivered exactly once or reported failed (OUTCOME_UNKNOWN at
 * most once), nothing twice, nothing silently lost; used heap after GC (sampled every 500 ms) stays flat.
 *
 * <p>Not part of the normal build (tag {@code soak}). Run with {@code bash smtp/bench/soak.sh}, i.e.
 * {@code mvn -pl testkit -am verify -Dsurefire.excludedGroups=bench -Dtest=SmtpSoakTest
 * -Dsurefire.failIfNoSpecifiedTests=false}; figures go to {@code testkit/target/soak-results.txt}.
 */
@Tag("soak")
class SmtpSoakTest {
  static final int THREADS = Integer.getInteger("soak.threads", 16);
  static final int MESSAGES = Integer.getInteger("soak.messages", 20_000);
  static final int CONNECTIONS = Integer.getInteger("soak.connections", 8);
  static final Duration MAX_TIME = Duration.ofMinutes(Integer.getInteger("soak.minutes", 15));

  /** Status per message: not sent yet, sent, or failed with {@code FAILED + category ordinal}. */
  private static final byte NOT_SENT = 0;
  private static final byte SENT = 1;
  private static final byte FAILED = 2;

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void everyMessageIsDeliveredOnceOrReportedFailed() throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    // allocated up front, written by one thread per index, read after join: the heap measured is the client's
    byte[] status = new byte[MESSAGES];
    byte[] attempts = new byte[MESSAGES];
    List<Long> heap = new ArrayList<>();
    long deadline = System.nanoTime() + MAX_TIME.toNanos();
    long start;
    long elapsed;
    try (SoakSink sink = new SoakSink(MESSAGES, 0.01, 0.01)) {
      EmailSettings settings = EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1").port(sink.port())
          .tlsMode(TlsMode.NONE).emailAddress("billing@acme.example").connectTimeout(Duration.ofSeconds(10))
          .readTimeout(Duration.ofSeconds(10)).build();
      MailerOptions options = MailerOptions.builder().maxConnections(CONNECTIONS).maxAttempts(3)
          .initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(200)).build();
      heap.add(usedAfterGc(memory));
      try (Mailer mailer = Mailer.open(settings, options)) {
        // warm-up outside the count: class loading and JIT, so that the heap baseline is fair
        for (int i = 0; i < 200; i++) {
          try {
            mailer.send(email("warmup-" + i));
          } catch (SendException ignored) {
            // faults are injected here too
          }
        }
        heap.clear();
        heap.add(usedAfterGc(memory));
        start = System.nanoTime();
        CountDownLatch done = new CountDownLatch(THREADS);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int first = t;
          Thread th = new Thread(() -> {
            try {
              for (int n = first; n < MESSAGES && System.nanoTime() < deadline; n += THREADS) {
                try {
                  attempts[n] = (byte) mailer.send(email("soak-" + n)).attempts();
                  status[n] = SENT;
                } catch (SendException e) {
                  attempts[n] = (byte) e.attempts();
                  status[n] = (byte) (FAILED + e.category().ordinal());
                }
              }
            } finally {
              done.countDown();
            }
          }, "soak-sender-" + t);
          senders.add(th);
          th.start();
        }
        // sample the heap after GC every half second while sending (bounded by the deadline)
        while (!done.await(500, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
          heap.add(usedAfterGc(memory));
        }
        for (Thread th : senders) {
          th.join(TimeUnit.NANOSECONDS.toMillis(Math.max(1, deadline - System.nanoTime())) + 60_000);
        }
        elapsed = System.nanoTime() - start;
      }
      heap.add(usedAfterGc(memory));

      // count at the receiver
      int sent = 0;
      int ok = 0;
      int duplicates = 0;
      int lost = 0;
      int failedButDelivered = 0;
      int unknownDelivered = 0;
      int retried = 0;
      Map<FailureCategory, Integer> failed = new EnumMap<>(FailureCategory.class);
      List<String> problems = new ArrayList<>();
      for (int n = 0; n < MESSAGES; n++) {
        if (status[n] == NOT_SENT) {
          continue;
        }
        sent++;
        String id = "<soak-" + n + "@acme.example>";
        int d = sink.delivered(n);
        if (d > 1) {
          duplicates++;
          problems.add(id + " delivered " + d + " times");
        }
        if (attempts[n] > 1) {
          retried++;
        }
        if (status[n] == SENT) {
          ok++;
          if (d == 0) {
            lost++;
            problems.add(id + " reported sent but not delivered");
          }
        } else {
          FailureCategory category = FailureCategory.values()[status[n] - FAILED];
          failed.merge(category, 1, Integer::sum);
          if (category == FailureCategory.OUTCOME_UNKNOWN) {
            unknownDelivered += d;
          } else if (d > 0) {
            failedButDelivered++;
            problems.add(id + " reported " + category + " but delivered");
          }
        }
      }
      long max = heap.stream().mapToLong(Long::longValue).max().orElse(0);
      double seconds = elapsed / 1e9;
      String report = String.format(Locale.ROOT, "Soak: %d threads, %d connections, %d messages%n"
          + "duration %.1f s, %.0f msg/s%n"
          + "sent %d, delivered %d, retried %d, failed %d by category %s%n"
          + "duplicates %d, lost %d, failed-but-delivered %d, outcome-unknown delivered %d%n"
          + "sink: %d connections (%d dropped at connect), %d transactions, %d dropped, %d answered 451,"
          + " %d unacknowledged complete messages%n"
          + "heap used after GC: start %.1f MB, end %.1f MB, max %.1f MB (%d samples)%n",
          THREADS, CONNECTIONS, MESSAGES, seconds, sent / seconds, sent, ok, retried, sent - ok, failed,
          duplicates, lost, failedButDelivered, unknownDelivered, sink.connections.get(),
          sink.droppedConnections.get(), sink.transactions.get(), sink.droppedTransactions.get(),
          sink.tempFailures.get(), sink.unacknowledgedTotal.get(), mb(heap.get(0)), mb(heap.get(heap.size() - 1)),
          mb(max), heap.size());
      System.out.print(report);
      write(report + (problems.isEmpty() ? "" : "problems:\n" + String.join("\n", problems.subList(0,
          Math.min(50, problems.size()))) + "\n"));

      assertThat(sent).as("every message was tried within the time limit").isEqualTo(MESSAGES);
      assertThat(duplicates).as("duplicates").isZero();
      assertThat(lost).as("lost").isZero();
      assertThat(failedButDelivered).as("failed but delivered").isZero();
      assertThat(problems).isEmpty();
      // flat: the end is within 8 MB of the start
      assertThat(heap.get(heap.size() - 1) - heap.get(0)).as("heap growth").isLessThan(8L << 20);
    }
  }

  private static Email email(String key) {
    return Email.builder().to("customer@example.com").subject("Invoice " + key).idempotencyKey(key)
        .text("Dear customer,\n\nplease find the invoice " + key + " attached.\n\n" + "x".repeat(800) + "\n")
        .build();
  }

  private static long usedAfterGc(MemoryMXBean memory) {
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  private static void write(String report) throws IOException {
    Path out = Path.of("target", "soak-results.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report, StandardCharsets.UTF_8);
  }
}
