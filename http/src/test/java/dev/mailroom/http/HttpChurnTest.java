package dev.mailroom.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Email;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, item 4: no leaks under churn. Mailers opened, used and closed leave no thread and no socket
 * behind within 5 s, without a GC; mailers never closed do not each keep an HTTP client (selector thread and
 * sockets). Counts are this JVM's own threads and file descriptors; the figures are printed.
 */
@Timeout(120)
class HttpChurnTest extends HttpTestSupport {
  private static Email email(int i) {
    return Email.builder().to("jane" + i + "@customer.example").subject("Invoice " + i).text("Please pay.").build();
  }

  private static long httpThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .filter(t -> t.getName().startsWith("HttpClient-") || t.getName().startsWith("mailroom-http-")).count();
  }

  private static long selectorThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .filter(t -> t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager")).count();
  }

  private static int fds() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  private static void cycle(int i) throws Exception {
    try (Mailer m = Mailer.open(settings("/send").build(), MailerOptions.builder().maxAttempts(1).build())) {
      m.send(email(i));
    }
  }

  @Test
  void thirtyOpenSendCloseCyclesReturnToTheBaselineWithoutAGc() throws Exception {
    Assumptions.assumeTrue(fds() > 0, "needs /proc/self/fd to count file descriptors");
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    cycle(0);
    long threads0 = httpThreads();
    int fds0 = fds();
    long start = System.nanoTime();
    for (int i = 1; i <= 30; i++) {
      cycle(i);
    }
    long threadsAfter = httpThreads();
    int fdsAfter = fds();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline && (httpThreads() > threads0 || fds() > fds0 + 2)) {
      Thread.sleep(50);
    }
    System.out.printf("HttpChurnTest: 30 cycles in %d ms; HTTP threads %d -> %d right after -> %d; fds %d -> %d"
        + " right after -> %d%n", (System.nanoTime() - start) / 1_000_000, threads0, threadsAfter, httpThreads(),
        fds0, fdsAfter, fds());
    assertThat(httpThreads()).as("HTTP threads after 30 cycles and 5 s").isLessThanOrEqualTo(threads0);
    assertThat(fds()).as("file descriptors after 30 cycles and 5 s").isLessThanOrEqualTo(fds0 + 2);
  }

  @Test
  void mailersNeverClosedDoNotEachKeepAClient() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    long selectors0 = selectorThreads();
    int fds0 = fds();
    List<Mailer> open = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Mailer m = Mailer.open(settings("/send").build(), MailerOptions.builder().maxAttempts(1).build());
      m.send(email(i));
      open.add(m);
    }
    System.out.printf("HttpChurnTest: 50 mailers never closed: selector threads %d -> %d, fds %d -> %d%n",
        selectors0, selectorThreads(), fds0, fds());
    assertThat(selectorThreads() - selectors0).as("selector threads for 50 open mailers").isLessThanOrEqualTo(1);
    open.clear();
  }
}
