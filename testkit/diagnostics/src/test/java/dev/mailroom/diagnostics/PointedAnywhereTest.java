package dev.mailroom.diagnostics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.Protocol;
import dev.mailroom.TlsMode;
import dev.mailroom.internal.Sanitizer;
import dev.mailroom.testkit.ScriptedSmtpServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The button is safe to point at anything: non-mail services, echoing servers, hostile text and URLs. */
class PointedAnywhereTest {
  private static final String KEY = "re_live_9f8e7d6c5b4a39281706";
  private static final DiagnosticOptions OPTIONS = DiagnosticOptions.builder().mxLookup(false).transcript(true)
      .build();
  private static WireMockServer server;

  @BeforeAll
  static void start() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
  }

  private static EmailSettings.Builder http(String dialect, String url) {
    return EmailSettings.builder().protocol(Protocol.HTTP).httpServer(url).httpDialect(dialect).apiKey(KEY)
        .emailAddress("billing@acme.test").replyTo("office@acme.test")
        .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(10));
  }

  private static String all(DiagnosticReport r) {
    Failure f = r.failure().orElseThrow();
    return r.toText() + r.toJson() + String.join("\n", r.transcript()) + f.message() + f.serverReply().orElse("")
        + f.hint(java.util.Locale.ENGLISH);
  }

  @Test
  void aServiceThatIsNotAMailServerIsDescribedWithoutItsBanner() {
    try (ScriptedSmtpServer ssh = ScriptedSmtpServer.builder().greeting("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3")
        .start()) {
      DiagnosticReport r = ConnectionDiagnostics.run(EmailSettings.builder().protocol(Protocol.SMTP)
          .host("127.0.0.1").port(ssh.port()).tlsMode(TlsMode.NONE).emailAddress("billing@acme.test")
          .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(10)).build(), OPTIONS);

      Failure f = r.failure().orElseThrow();
      assertThat(f.category()).isEqualTo(FailureCategory.PROTOCOL);
      assertThat(f.hintKey()).isEqualTo("hint.protocol.not-mail-server");
      assertThat(f.hint(java.util.Locale.ENGLISH)).contains("does not answer like a mail server");
      assertThat(all(r)).doesNotContain("SSH-2.0", "OpenSSH", "Debian");
    }
  }

  @Test
  void theBodyOfAServiceThatIsNotAMailApiIsNotQuoted() {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404).withHeader("Server", "internal-db-admin/1.2")
        .withHeader("Set-Cookie", "session=internal-session-cookie")
        .withBody("{\"db_password\":\"hunter2-internal\",\"rows\":[1,2,3]}")));

    DiagnosticReport r = ConnectionDiagnostics.run(http("sendgrid", server.baseUrl()).build(), OPTIONS);

    assertThat(r.failure().orElseThrow().category()).isEqualTo(FailureCategory.CONFIGURATION);
    assertThat(all(r)).doesNotContain("db_password", "hunter2", "internal-db-admin", "internal-session-cookie");
  }

  @Test
  void anAnswerThatIsNotHttpIsNotQuoted() {
    try (ScriptedSmtpServer notHttp = ScriptedSmtpServer.builder().greeting("220 internal-redis PASSWORD=topsecret")
        .start()) {
      DiagnosticReport r = ConnectionDiagnostics.run(http("sendgrid", "http://127.0.0.1:" + notHttp.port()).build(),
          OPTIONS);
      Failure f = r.failure().orElseThrow();
      assertThat(f.hintKey()).isEqualTo("hint.http.not-mail-service");
      assertThat(all(r)).doesNotContain("topsecret", "internal-redis");
    }
  }

  @Test
  void aUrlPathCannotAddHeaderLinesToTheKeyCheck() {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{}")));

    ConnectionDiagnostics.run(http("mailgun", server.baseUrl()
        + "/v3/acme.test%0D%0AX-Injected:%20yes%0D%0A/messages").build(), OPTIONS);

    List<LoggedRequest> requests = server.findAll(anyRequestedFor(anyUrl()));
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).getHeader("X-Injected")).isNull();
    assertThat(requests.get(0).getUrl()).startsWith("/v3/domains/acme.test%250D%250AX-Injected");
  }

  @Test
  void theKeyCheckNeverFollowsARedirect() {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(302).withHeader("Location",
        server.baseUrl() + "/elsewhere")));

    DiagnosticReport r = ConnectionDiagnostics.run(http("resend", server.baseUrl()).build(), OPTIONS);

    assertThat(server.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
    assertThat(r.failure().orElseThrow().hintKey()).isEqualTo("hint.http.redirect");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sendgrid", "mailgun", "postmark", "resend", "brevo"})
  void anEchoedKeyNeverReachesTheReport(String dialect) {
    String basic = Base64.getEncoder().encodeToString(("api:" + KEY).getBytes(StandardCharsets.UTF_8));
    String echo = "{\"message\":\"bad credentials: Authorization: Bearer " + KEY + " / Basic " + basic
        + " / url " + KEY.replace("_", "%5f") + " / json " + KEY.replace("_", "\\u005f") + " / html "
        + KEY.replace("_", "&#95;") + "\",\"Message\":\"Bearer " + KEY + "\",\"errors\":[{\"message\":\"" + KEY
        + "\"}]}";
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401).withHeader("Content-Type",
        "application/json").withBody(echo)));

    DiagnosticReport r = ConnectionDiagnostics.run(http(dialect, server.baseUrl()).build(), OPTIONS);

    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).isEqualTo(FailureCategory.AUTHENTICATION);
    assertThat(all(r)).doesNotContain(KEY, basic, "9f8e7d6c5b4a");
  }

  @Test
  void escapeSequencesInAProvidersMessageAreShownEscaped() {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(400).withHeader("Content-Type",
        "application/json").withBody("{\"statusCode\":400,\"message\":\"bad\\u001b]0;owned\\u0007\\u001b[2J"
            + "\\u009b31m\\u2028\\u202eexe.pdf\",\"name\":\"validation_error\"}")));

    DiagnosticReport r = ConnectionDiagnostics.run(http("resend", server.baseUrl()).build(), OPTIONS);

    String text = all(r);
    assertThat(Sanitizer.firstUnsafe(text.replace("\n", " "))).isEqualTo(-1);
    assertThat(r.failure().orElseThrow().serverReply().orElseThrow()).contains("bad\\u001b]0;owned\\u0007");
  }
}
