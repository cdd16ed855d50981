package dev.mailroom.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** WireMock's HTTPS port has a self-signed certificate. */
class TlsTest extends HttpTestSupport {
  private static EmailSettings.Builder https() {
    return EmailSettings.builder().protocol(Protocol.HTTP)
        .httpServer("https://127.0.0.1:" + wm.httpsPort() + "/send")
        .replyTo("billing@acme.example")
        .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(10));
  }

  private static Email email() {
    return Email.builder().to("jane@customer.example").subject("x").text("y").build();
  }

  @Test
  void aSelfSignedCertificateFailsByDefault() {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    try (Mailer m = oneAttempt(https().build())) {
      assertThatThrownBy(() -> m.send(email())).isInstanceOfSatisfying(SendException.class, e -> {
        assertThat(e.category()).isEqualTo(FailureCategory.TLS);
        assertThat(e.isTransient()).isFalse();
        assertThat(e.failure().hintKey()).isEqualTo("hint.tls.untrusted");
        assertThat(e.getMessage()).isEqualTo("The certificate of 127.0.0.1:" + wm.httpsPort() + " is not trusted"
            + " (self-signed, an unknown issuer, or an antivirus or proxy intercepting TLS)");
      });
    }
    assertThat(requests()).isEmpty();
  }

  @Test
  void theFlagTrustsTheCertificateForThisMailerOnlyWithOneWarning() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    try (LogCapture logs = LogCapture.start()) {
      try (Mailer m = oneAttempt(https().verifyTlsCertificate(false).build())) {
        m.send(email());
        m.send(email());
      }
      List<String> warnings = logs.lines().stream().filter(l -> l.startsWith("WARN dev.mailroom"))
          .collect(Collectors.toList());
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).startsWith("WARN dev.mailroom.http.internal.HttpSender TLS certificate"
          + " verification is OFF for 127.0.0.1: ");
    }
    assertThat(requests()).hasSize(2);
    // not JVM-wide: another mailer still verifies
    try (Mailer m = oneAttempt(https().build())) {
      assertThatThrownBy(() -> m.send(email())).isInstanceOfSatisfying(SendException.class,
          e -> assertThat(e.category()).isEqualTo(FailureCategory.TLS));
    }
  }

  @Test
  void plainHttpToAServerThatSpeaksTlsIsNotAccepted() {
    // http:// to the HTTPS port: the server answers with a TLS alert or closes, never a success
    EmailSettings s = EmailSettings.builder().protocol(Protocol.HTTP)
        .httpServer("http://127.0.0.1:" + wm.httpsPort() + "/send").replyTo("billing@acme.example")
        .readTimeout(Duration.ofSeconds(2)).build();
    try (Mailer m = oneAttempt(s)) {
      assertThatThrownBy(() -> m.send(email())).isInstanceOfSatisfying(SendException.class, e -> {
        assertThat(e.category()).isEqualTo(FailureCategory.PROTOCOL);
        assertThat(e.getMessage()).isEqualTo("The server 127.0.0.1:" + wm.httpsPort() + " answered with TLS, not"
            + " plain HTTP: use https:// in the server URL");
      });
    }
  }
}
