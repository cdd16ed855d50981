package dev.mailroom.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.DestinationPolicy;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, item 1, HTTP sender: the destination policy is asked before every send, about every address of
 * the server; a refusal is CONFIGURATION, never retried, and nothing reaches the server. Redirects are never
 * followed. Only loopback is listened on; the other refused addresses are refused before any connection.
 */
class HttpDestinationPolicyTest extends HttpTestSupport {
  private static final DestinationPolicy PUBLIC = DestinationPolicy.publicInternetOnly();

  private static Email email() {
    return Email.builder().to("jane@customer.example").subject("x").text("y").build();
  }

  private static SendException fail(EmailSettings s, DestinationPolicy policy) {
    try (Mailer m = Mailer.open(s, MailerOptions.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(1))
        .destinationPolicy(policy).build())) {
      SendException e = catchThrowableOfType(SendException.class, () -> m.send(email()));
      assertThat(e).as("the send must fail").isNotNull();
      return e;
    }
  }

  @Test
  void publicInternetOnlyRefusesALoopbackServerWithoutARequest() {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    SendException e = fail(settings("/send").build(), PUBLIC);
    assertThat(e.failure().category()).isEqualTo(FailureCategory.CONFIGURATION);
    assertThat(e.failure().isTransient()).isFalse();
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(e.getMessage()).isEqualTo("Connecting to 127.0.0.1:" + wm.port() + " is not allowed by the"
        + " application's destination policy: 127.0.0.1 is a loopback address");
    assertThat(e.failure().hint(Locale.ENGLISH)).contains("127.0.0.1").contains("does not allow");
    assertThat(e.failure().hint(Locale.forLanguageTag("bn"))).contains("অনুমতি");
    assertThat(e.failure().hint(Locale.forLanguageTag("sw"))).contains("hairuhusu");
    assertThat(requests()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://169.254.169.254/latest/meta-data", "https://10.0.0.1/send",
      "https://192.168.0.10/send", "https://100.64.0.1/send", "https://0.0.0.0/send", "https://[::1]/send",
      "https://[::ffff:127.0.0.1]/send", "https://[::ffff:7f00:1]/send", "https://[fd00::1]/send",
      "https://[64:ff9b::a9fe:a9fe]/send", "https://metadata.google.internal/computeMetadata/v1",
      "https://foo.localhost/send", "http://localhost:9/send"})
  void publicInternetOnlyRefusesPrivateTargetsBeforeConnecting(String url) {
    EmailSettings s = EmailSettings.builder().protocol(Protocol.HTTP).httpServer(url).replyTo("b@acme.example")
        .connectTimeout(Duration.ofSeconds(30)).build();
    long start = System.nanoTime();
    SendException e = fail(s, PUBLIC);
    assertThat(e.failure().category()).isEqualTo(FailureCategory.CONFIGURATION);
    assertThat(e.getMessage()).contains("is not allowed by the application's destination policy");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void anAllowListedServerWorks() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    try (Mailer m = Mailer.open(settings("/send").build(), MailerOptions.builder().maxAttempts(1)
        .destinationPolicy(PUBLIC.allowing("127.0.0.1")).build())) {
      m.send(email());
    }
    assertThat(requests()).hasSize(1);
  }

  @Test
  void aRedirectIsNeverFollowedEvenToAnAllowedAddress() {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(307)
        .withHeader("Location", "http://127.0.0.1:" + wm.port() + "/elsewhere")));
    wm.stubFor(post(urlEqualTo("/elsewhere")).willReturn(aResponse().withStatus(200)));
    SendException e = fail(settings("/send").build(), PUBLIC.allowing("127.0.0.1"));
    assertThat(e.failure().category()).isNotEqualTo(FailureCategory.OUTCOME_UNKNOWN);
    assertThat(requests()).hasSize(1);
    assertThat(requests().get(0).getUrl()).isEqualTo("/send");
  }
}
