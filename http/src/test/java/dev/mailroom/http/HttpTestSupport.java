package dev.mailroom.http;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A WireMock server on 127.0.0.1 (HTTP and HTTPS, dynamic ports) for one test class. */
abstract class HttpTestSupport {
  static WireMockServer wm;

  @BeforeAll
  static void startWireMock() {
    wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort()
        .containerThreads(20).asynchronousResponseEnabled(false));
    wm.start();
  }

  @AfterAll
  static void stopWireMock() {
    wm.stop();
  }

  @BeforeEach
  void resetWireMock() {
    wm.resetAll();
  }

  /**
   * HTTP settings for the local server: generous timeouts (CI machines may be loaded; tests of timeouts set
   * their own), sender "Acme Ltd", reply-to billing@acme.example.
   */
  static EmailSettings.Builder settings(String path) {
    return EmailSettings.builder()
        .protocol(Protocol.HTTP)
        .httpServer("http://127.0.0.1:" + wm.port() + path)
        .replyTo("billing@acme.example")
        .senderName("Acme Ltd")
        .connectTimeout(Duration.ofSeconds(10))
        .readTimeout(Duration.ofSeconds(10));
  }

  /** A mailer that makes one attempt per send. */
  static Mailer oneAttempt(EmailSettings settings) {
    return Mailer.open(settings, MailerOptions.builder().maxAttempts(1).build());
  }

  /** A mailer that retries quickly. */
  static Mailer retrying(EmailSettings settings, int attempts) {
    return Mailer.open(settings, MailerOptions.builder().maxAttempts(attempts)
        .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofSeconds(5)).build());
  }

  static List<LoggedRequest> requests() {
    return wm.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
        com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
  }
}
