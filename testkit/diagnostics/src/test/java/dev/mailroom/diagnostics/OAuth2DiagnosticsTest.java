package dev.mailroom.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.OAuth2;
import dev.mailroom.Secret;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.junit.StartStop;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** "Test email settings" with OAuth2: the step "get an access token" and the key checks of graph, gmail and ses. */
class OAuth2DiagnosticsTest {
  @StartStop
  static MailroomHttpServer graph = MailroomHttpServer.builder().dialect("graph").build();
  @StartStop
  static MailroomHttpServer gmail = MailroomHttpServer.builder().dialect("gmail").build();
  @StartStop
  static MailroomHttpServer ses = MailroomHttpServer.builder().dialect("ses").build();

  static final DiagnosticOptions OPTIONS = DiagnosticOptions.builder().mxLookup(false).transcript(true).build();

  static String statuses(DiagnosticReport r) {
    return r.steps().stream().map(s -> s.name() + " " + s.status()).collect(Collectors.joining(", "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"graph", "gmail"})
  void getsATokenThenChecksTheKeyWithoutSending(String dialect) {
    MailroomHttpServer api = dialect.equals("graph") ? graph : gmail;
    DiagnosticReport r = ConnectionDiagnostics.run(api.settings(), OPTIONS);

    assertThat(r.ok()).as(r.toText()).isTrue();
    assertThat(statuses(r)).isEqualTo("resolve OK, connect OK, tls SKIPPED, access-token OK, request OK, send SKIPPED");
    assertThat(r.step(DiagnosticStep.REQUEST).orElseThrow().detail())
        .startsWith(dialect.equals("graph") ? "GET /v1.0/users/" + MailroomHttpServer.SENDER : "GET /gmail/v1/users/me/profile")
        .endsWith("200 OK");
    assertThat(r.transcript()).contains("-> Authorization: Bearer ******");
    api.assertNoneReceived();
  }

  @Test
  void sesSignsItsAccountCheck() {
    DiagnosticReport r = ConnectionDiagnostics.run(ses.settings(), OPTIONS);
    assertThat(r.ok()).as(r.toText()).isTrue();
    assertThat(statuses(r)).isEqualTo("resolve OK, connect OK, tls SKIPPED, request OK, send SKIPPED");
    assertThat(r.step(DiagnosticStep.REQUEST).orElseThrow().detail()).isEqualTo("GET /v2/email/account: 200 OK");
    String secret = ses.apiKey().orElseThrow().reveal().split(":")[1];
    assertThat(r.toText() + r.toJson() + r.transcript()).doesNotContain(secret);
  }

  @Test
  void wrongSesCredentialsFailTheCheck() {
    String id = ses.apiKey().orElseThrow().reveal().split(":")[0];
    DiagnosticReport r = ConnectionDiagnostics.run(ses.settingsBuilder().apiKey(id + ":wrong-secret").build(), OPTIONS);
    assertThat(r.ok()).isFalse();
    assertThat(r.failure().orElseThrow().category()).isEqualTo(FailureCategory.AUTHENTICATION);
    assertThat(r.toText() + r.transcript()).doesNotContain("wrong-secret");
  }

  @Test
  void theTokenEndpointsRefusalIsExplainedAtItsOwnStep() {
    EmailSettings settings = graph.settingsBuilder().oauth2(OAuth2.refreshToken(
        graph.tokenEndpoint(OAuth2.GRAPH_SCOPE, OAuth2.OFFLINE_ACCESS), graph.clientId(), graph.clientSecret(),
        Secret.of("expired-refresh-token-canary"))).build();
    DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS);

    assertThat(r.ok()).isFalse();
    assertThat(statuses(r)).startsWith("resolve OK, connect OK, tls SKIPPED, access-token FAILED");
    assertThat(r.failure().orElseThrow().hintKey()).isEqualTo("hint.oauth.refresh-token-expired");
    assertThat(r.failure().orElseThrow().hint(Locale.forLanguageTag("sw"))).contains("Ingia tena");
    assertThat(r.toText() + r.toJson() + r.transcript()).doesNotContain("expired-refresh-token-canary")
        .doesNotContain(graph.clientSecret().reveal());
  }

  @Test
  void smtpGetsTheTokenBeforeSigningIn() throws Exception {
    AccessTokenSupplierHolder h = new AccessTokenSupplierHolder(graph);
    String token = h.supplier.accessToken().reveal();
    try (ScriptedSmtpServer smtp = ScriptedSmtpServer.builder().accessToken("billing@contoso.test", token).start()) {
      EmailSettings settings = EmailSettings.builder().protocol(dev.mailroom.Protocol.SMTP).host("127.0.0.1")
          .port(smtp.port())
          .tlsMode(dev.mailroom.TlsMode.NONE).username("billing@contoso.test").oauth2(h.supplier)
          .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(10)).build();
      DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS);
      assertThat(statuses(r)).contains("access-token OK, auth OK");
      assertThat(r.transcript()).doesNotContain(token);
    }
  }

  /** A renewing client-credentials supplier from the fake's token endpoint. */
  private static final class AccessTokenSupplierHolder {
    final dev.mailroom.AccessTokenSupplier supplier;

    AccessTokenSupplierHolder(MailroomHttpServer server) {
      supplier = OAuth2.clientCredentials(server.tokenEndpoint(OAuth2.MICROSOFT_SMTP_APP_SCOPE), server.clientId(),
          server.clientSecret());
    }
  }
}
