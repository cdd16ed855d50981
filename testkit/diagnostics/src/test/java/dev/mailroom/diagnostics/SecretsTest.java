package dev.mailroom.diagnostics;

import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.TestCertificates;
import dev.mailroom.testkit.MailroomSmtpServer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.EmailSettings;
import dev.mailroom.Secret;
import dev.mailroom.TlsMode;
import dev.mailroom.testing.Canary;
import dev.mailroom.testing.LogCapture;
import dev.mailroom.testkit.ScriptedSmtpServer.Action;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import dev.mailroom.testkit.junit.StartStop;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** No password, token or API key in reports, transcripts, JSON, failures or logs of the diagnostics. */
class SecretsTest {
  @StartStop
  static MailroomSmtpServer smtp = MailroomSmtpServer.builder().user("billing@acme.test", Canary.PASSWORD).build();

  @StartStop
  static MailroomHttpServer api = MailroomHttpServer.builder().dialect("postmark").apiKey(Canary.API_KEY).build();

  static final DiagnosticOptions OPTIONS = DiagnosticOptions.builder().mxLookup(false).transcript(true)
      .testRecipient("me@acme.test").build();

  static String everything(DiagnosticReport r) {
    StringBuilder b = new StringBuilder(r.toString()).append(r.toText(Locale.ENGLISH))
        .append(r.toText(Locale.forLanguageTag("bn"))).append(r.toJson()).append(r.transcript());
    r.failure().ifPresent(f -> b.append(f).append(f.message()).append(f.hint(Locale.ENGLISH))
        .append(f.serverReply().orElse("")));
    r.steps().forEach(s -> b.append(s).append(s.detail()));
    r.warnings().forEach(w -> b.append(w));
    return b.toString();
  }

  @Test
  void passwordsNeverAppearWhenTheLoginWorksOrFails() {
    try (LogCapture logs = LogCapture.start()) {
      DiagnosticReport ok = ConnectionDiagnostics.run(smtp.settings(), OPTIONS);
      assertThat(ok.ok()).as(ok.toText()).isTrue();
      assertThat(ok.transcript()).contains("-> AUTH PLAIN ******");

      EmailSettings wrongUser = smtp.settingsBuilder().username("nobody@acme.test").build();
      DiagnosticReport failed = ConnectionDiagnostics.run(wrongUser, OPTIONS);
      assertThat(failed.ok()).isFalse();

      Canary.assertNoCanary(everything(ok) + everything(failed) + logs.text());
    }
  }

  @Test
  void oauthTokensNeverAppear() {
    try (LogCapture logs = LogCapture.start()) {
      EmailSettings settings = smtp.settingsBuilder().password((Secret) null).oauth2(() -> Secret.of(Canary.TOKEN))
          .build();
      DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS);

      assertThat(r.transcript()).contains("-> AUTH XOAUTH2 ******");
      Canary.assertNoCanary(everything(r) + logs.text());
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A scripted server and whether the settings sign in with the canary token instead of the password. */
  private record Scenario(String name, Consumer<ScriptedSmtpServer.Builder> server, boolean token, TlsMode tls) {}

  private static List<Scenario> failurePaths() {
    String user = "billing@acme.test";
    String plain = b64("\0" + user + "\0" + Canary.PASSWORD);
    String xoauth = b64("user=" + user + "\u0001auth=Bearer " + Canary.TOKEN + "\u0001\u0001");
    String urlEncoded = URLEncoder.encode(Canary.PASSWORD, StandardCharsets.UTF_8);
    List<Scenario> all = new ArrayList<>();
    all.add(new Scenario("bad password", b -> b.credentials(user, "other"), false, TlsMode.NONE));
    all.add(new Scenario("server echoes the password", b -> b.on(Step.AUTH, Action.reply("535-5.7.8 Bad " + plain,
        "535 5.7.8 password " + Canary.PASSWORD + " is " + b64(Canary.PASSWORD) + " or " + urlEncoded)), false,
        TlsMode.NONE));
    all.add(new Scenario("LOGIN echoed", b -> b.extensions("AUTH LOGIN").on(Step.AUTH,
        Action.reply("535 5.7.8 " + b64(Canary.PASSWORD))), false, TlsMode.NONE));
    all.add(new Scenario("garbage echoing the password", b -> b.on(Step.AUTH, Action.raw("xx " + Canary.PASSWORD
        + " " + plain + "\r\n")), false, TlsMode.NONE));
    all.add(new Scenario("NUL after AUTH", b -> b.on(Step.AUTH, Action.raw("235 " + plain + "\0\r\n")), false,
        TlsMode.NONE));
    all.add(new Scenario("recipient refused echoing", b -> b.on(Step.RCPT, Action.reply("550 5.1.1 you said "
        + plain)), false, TlsMode.NONE));
    all.add(new Scenario("stall at AUTH", b -> b.on(Step.AUTH, Action.stall()), false, TlsMode.NONE));
    all.add(new Scenario("drop at AUTH", b -> b.on(Step.AUTH, Action.drop()), false, TlsMode.NONE));
    all.add(new Scenario("drop after the message", b -> b.on(Step.MESSAGE, Action.drop()), false, TlsMode.NONE));
    all.add(new Scenario("STARTTLS missing", b -> { }, false, TlsMode.STARTTLS));
    all.add(new Scenario("STARTTLS, then the password echoed", b -> b.starttls(TestCertificates.selfSigned())
        .on(Step.AUTH, Action.reply("535 5.7.8 " + Canary.PASSWORD)), false, TlsMode.STARTTLS));
    all.add(new Scenario("token echoed", b -> b.on(Step.AUTH, Action.reply("535 5.7.8 bad token " + Canary.TOKEN
        + " in " + xoauth)), true, TlsMode.NONE));
    all.add(new Scenario("token rejected", b -> b.accessToken(user, "another-token"), true, TlsMode.NONE));
    return all;
  }

  @Test
  void noFailurePathOfTheSmtpCheckShowsThePasswordOrTokenEvenWhenTheServerEchoesIt() {
    List<String> texts = new ArrayList<>();
    try (LogCapture logs = LogCapture.start()) {
      for (Scenario sc : failurePaths()) {
        ScriptedSmtpServer.Builder b = ScriptedSmtpServer.builder().sessionTimeout(Duration.ofSeconds(5));
        sc.server().accept(b);
        try (ScriptedSmtpServer server = b.start()) {
          EmailSettings.Builder s = SmtpFailureDiagnosticsTest.settings(server, sc.tls()).verifyTlsCertificate(false);
          if (sc.name().contains("stall")) {
            SmtpFailureDiagnosticsTest.timingOut(s);
          }
          if (sc.token()) {
            s.password((Secret) null).oauth2(() -> Secret.of(Canary.TOKEN));
          } else {
            s.password(Canary.PASSWORD);
          }
          DiagnosticReport r = ConnectionDiagnostics.run(s.build(), OPTIONS);
          assertThat(r.ok()).as(sc.name()).isFalse();
          texts.add(sc.name() + ": " + everything(r) + r.toJson(Locale.forLanguageTag("sw")));
        }
      }
      texts.add(logs.text());
    }
    String all = String.join("\n", texts);
    assertThat(all).contains("AUTH PLAIN ******", "AUTH XOAUTH2 ******", "******");
    Canary.assertNoCanary(all);
  }

  @Test
  void aTokenSupplierThatFailsIsNotQuoted() {
    try (LogCapture logs = LogCapture.start(); ScriptedSmtpServer server = ScriptedSmtpServer.start()) {
      EmailSettings.Builder s = SmtpFailureDiagnosticsTest.settings(server, TlsMode.NONE).password((Secret) null);
      DiagnosticReport thrown = ConnectionDiagnostics.run(s.oauth2(() -> {
        throw new java.io.IOException("refresh failed for " + Canary.TOKEN);
      }).build(), OPTIONS);
      DiagnosticReport none = ConnectionDiagnostics.run(s.oauth2(() -> null).build(), OPTIONS);
      assertThat(thrown.failure().orElseThrow().hintKey()).isEqualTo("hint.auth.token");
      assertThat(thrown.failure().get().message()).isEqualTo("No OAuth2 access token could be obtained (the token"
          + " supplier threw IOException)");
      assertThat(none.failure().orElseThrow().message()).isEqualTo("No OAuth2 access token could be obtained (the"
          + " token supplier returned no token)");
      assertThat(server.commands()).extracting(ScriptedSmtpServer.ReceivedCommand::verb).doesNotContain("AUTH");
      Canary.assertNoCanary(everything(thrown) + everything(none) + logs.text());
    }
  }

  @Test
  void apiKeysNeverAppear() {
    try (LogCapture logs = LogCapture.start()) {
      DiagnosticReport ok = ConnectionDiagnostics.run(api.settings(), OPTIONS);
      assertThat(ok.ok()).as(ok.toText()).isTrue();
      assertThat(ok.transcript()).contains("-> X-Postmark-Server-Token: ******");

      DiagnosticReport failed = ConnectionDiagnostics.run(api.settingsBuilder()
          .apiKey(Canary.API_KEY + "-revoked").build(), OPTIONS);
      assertThat(failed.ok()).isFalse();

      Canary.assertNoCanary(everything(ok) + everything(failed) + logs.text());
    }
  }
}
