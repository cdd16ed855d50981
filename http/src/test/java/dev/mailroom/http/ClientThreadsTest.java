package dev.mailroom.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendReceipt;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Which threads do the HTTP client's work: the client's own selector thread while every body in flight is in
 * memory (no hand-over per request), a pool while a streamed body is in flight, so that a body whose source
 * blocks never holds up the other sends of the same mailer.
 */
class ClientThreadsTest extends HttpTestSupport {
  private static Email small(int i) {
    return Email.builder().to("jane" + i + "@customer.example").subject("Invoice " + i).text("Please pay.").build();
  }

  @Test
  void aStreamedAttachmentThatBlocksDoesNotHoldUpOtherSends() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Set<String> readers = ConcurrentHashMap.newKeySet();
    // of unknown size, so that it is streamed; blocks after its first 10 KB until released
    Attachment slow = Attachment.ofStream("slow.bin", "application/octet-stream", () -> new InputStream() {
      long sent;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0];
      }

      @Override
      public int read(byte[] b, int off, int len) {
        readers.add(Thread.currentThread().getName());
        if (sent >= 20_000) {
          return -1;
        }
        if (sent >= 10_000) {
          reading.countDown();
          try {
            if (!release.await(30, TimeUnit.SECONDS)) {
              return -1;
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
          }
        }
        int n = (int) Math.min(len, 1000);
        Arrays.fill(b, off, off + n, (byte) 'x');
        sent += n;
        return n;
      }
    });
    try (Mailer m = Mailer.open(settings("/send").build(),
        MailerOptions.builder().maxAttempts(1).maxConnections(2).build())) {
      CompletableFuture<SendReceipt> blocked = m.sendAsync(Email.builder().to("jane@customer.example")
          .subject("Big").text("See the attachment.").attach(slow).build());
      assertThat(reading.await(30, TimeUnit.SECONDS)).as("the attachment is being read").isTrue();
      for (int i = 0; i < 3; i++) {
        assertThat(m.send(small(i)).acceptedRecipients()).containsExactly("jane" + i + "@customer.example");
      }
      assertThat(blocked).isNotDone();
      release.countDown();
      assertThat(blocked.get(30, TimeUnit.SECONDS).acceptedRecipients()).containsExactly("jane@customer.example");
    } finally {
      release.countDown();
    }
    assertThat(readers).noneMatch(n -> n.contains("SelectorManager"));
    assertThat(requests()).hasSize(4);
  }

  @Test
  void smallBodiesAreSentWithoutHandingWorkToOtherThreads() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    Set<String> before = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .collect(Collectors.toSet());
    try (Mailer m = oneAttempt(settings("/send").build())) {
      for (int i = 0; i < 5; i++) {
        m.send(small(i));
      }
      Set<String> started = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
          .filter(n -> n.startsWith("mailroom-http-") && !before.contains(n)).collect(Collectors.toSet());
      // the watchdog only
      assertThat(started).allMatch(n -> n.contains("-watchdog-"));
    }
    assertThat(requests()).hasSize(5);
  }

  @Test
  void withRevocationChecksTheWorkOfAnHttpsClientAlwaysGoesToThePool() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    Set<String> before = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .collect(Collectors.toSet());
    String old = System.setProperty("com.sun.net.ssl.checkRevocation", "true");
    try (Mailer m = oneAttempt(settings("/send").httpServer("https://127.0.0.1:" + wm.httpsPort() + "/send")
        .verifyTlsCertificate(false).build())) {
      for (int i = 0; i < 3; i++) {
        m.send(small(i));
      }
      // a handshake may then fetch revocation lists: never on the client's selector thread
      assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
          .filter(n -> n.startsWith("mailroom-http-") && !before.contains(n))).anyMatch(n -> n.contains("-client-"));
    } finally {
      if (old == null) {
        System.clearProperty("com.sun.net.ssl.checkRevocation");
      } else {
        System.setProperty("com.sun.net.ssl.checkRevocation", old);
      }
    }
    assertThat(requests()).hasSize(3);
  }
}
