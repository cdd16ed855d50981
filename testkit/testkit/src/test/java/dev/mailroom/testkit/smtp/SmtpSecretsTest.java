package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import dev.mailroom.Secret;
import dev.mailroom.TlsMode;
import dev.mailroom.testing.Canary;
import dev.mailroom.testing.LogCapture;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.Action;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import dev.mailroom.testkit.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every failure path with a canary password or token, under full log capture (SLF4J and
 * java.util.logging at every level, Angus's protocol trace included) and with a transcript: the secret
 * appears nowhere, in plain, base64 or URL-encoded form, not even when the server echoes it back.
 */
@Timeout(120)
class SmtpSecretsTest {
  private static final String USER = "billing@acme.example";

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private record Scenario(String name, Consumer<ScriptedSmtpServer.Builder> server, boolean token,
      TlsMode tls, boolean verify) {
    Scenario(String name, Consumer<ScriptedSmtpServer.Builder> server, boolean token, TlsMode tls) {
      this(name, server, token, tls, false);
    }
  }

  private static List<Scenario> scenarios() {
    String plainPayload = b64("\0" + USER + "\0" + Canary.PASSWORD);
    String xoauth = b64("user=" + USER + "\u0001auth=Bearer " + Canary.TOKEN + "\u0001\u0001");
    List<Scenario> all = new ArrayList<>();
    all.add(new Scenario("bad password", b -> b.credentials(USER, "other"), false, TlsMode.NONE));
    all.add(new Scenario("server echoes the password", b -> b.on(Step.AUTH, Action.reply(
        "535-5.7.8 Bad credentials " + plainPayload, "535 5.7.8 password " + Canary.PASSWORD + " is "
            + b64(Canary.PASSWORD))), false, TlsMode.NONE));
    all.add(new Scenario("LOGIN rejected", b -> b.extensions("AUTH LOGIN").credentials(USER, "other"), false,
        TlsMode.NONE));
    all.add(new Scenario("stall at AUTH", b -> b.on(Step.AUTH, Action.stall()), false, TlsMode.NONE));
    all.add(new Scenario("drop at AUTH", b -> b.on(Step.AUTH, Action.drop()), false, TlsMode.NONE));
    all.add(new Scenario("STARTTLS missing", b -> { }, false, TlsMode.STARTTLS));
    all.add(new Scenario("STARTTLS then auth fails", b -> b.starttls(TestCertificates.selfSigned())
        .credentials(USER, "other"), false, TlsMode.STARTTLS));
    all.add(new Scenario("recipient rejected", b -> b.on(Step.RCPT, Action.reply("550 5.1.1 unknown")), false,
        TlsMode.NONE));
    all.add(new Scenario("drop after the message", b -> b.on(Step.MESSAGE, Action.drop()), false, TlsMode.NONE));
    all.add(new Scenario("unsafe reply after AUTH", b -> b.on(Step.MAIL, Action.raw("250 o\0k\r\n")), false,
        TlsMode.NONE));
    all.add(new Scenario("token rejected", b -> b.accessToken(USER, "another-token"), true, TlsMode.NONE));
    all.add(new Scenario("server echoes the token", b -> b.on(Step.AUTH, Action.reply(
        "535 5.7.8 bad token " + Canary.TOKEN + " in " + xoauth)), true, TlsMode.NONE));
    all.add(new Scenario("token then sender refused", b -> b.on(Step.MAIL, Action.reply("550 5.7.60 SMTP;"
        + " Client does not have permissions to send as this sender")), true, TlsMode.NONE));
    // every other way a send can fail, each with the secret in play
    String urlEncoded = java.net.URLEncoder.encode(Canary.PASSWORD, StandardCharsets.UTF_8);
    all.add(new Scenario("garbage echoing the password", b -> b.on(Step.AUTH, Action.raw("xx " + Canary.PASSWORD
        + " " + plainPayload + " " + urlEncoded + "\r\n")), false, TlsMode.NONE));
    all.add(new Scenario("NUL in a greeting that echoes", b -> b.on(Step.GREETING, Action.raw("220 "
        + Canary.PASSWORD + "\0\r\n")), false, TlsMode.NONE));
    all.add(new Scenario("greeting 421 echoing", b -> b.on(Step.GREETING, Action.reply("421 4.7.0 "
        + urlEncoded).then(Action.drop())), false, TlsMode.NONE));
    all.add(new Scenario("greeting 554", b -> b.on(Step.GREETING, Action.reply("554 5.7.1 no")), false,
        TlsMode.NONE));
    all.add(new Scenario("recipient refused echoing the AUTH payload", b -> b.on(Step.RCPT,
        Action.reply("550 5.1.1 you said " + plainPayload)), false, TlsMode.NONE));
    all.add(new Scenario("pipelined recipient refused echoing", b -> b.extensions("PIPELINING", "AUTH PLAIN")
        .on(Step.RCPT, Action.reply("550 5.1.1 " + Canary.PASSWORD)), false, TlsMode.NONE));
    all.add(new Scenario("451 after the message echoing", b -> b.on(Step.MESSAGE, Action.reply("451 4.3.0 "
        + b64(Canary.PASSWORD))), false, TlsMode.NONE));
    all.add(new Scenario("dropped after RCPT", b -> b.on(Step.RCPT, Action.reply("250 2.1.5 Ok")
        .then(Action.drop())), false, TlsMode.NONE));
    all.add(new Scenario("no reply after the final dot", b -> b.on(Step.MESSAGE, Action.stall()), false,
        TlsMode.NONE));
    all.add(new Scenario("STARTTLS reply with injected bytes", b -> b.starttls(TestCertificates.selfSigned())
        .on(Step.STARTTLS, Action.raw("220 2.0.0 Go\r\n535 " + Canary.PASSWORD + "\r\n"))
        .credentials(USER, "other"), false, TlsMode.STARTTLS));
    all.add(new Scenario("stall at AUTH inside TLS", b -> b.starttls(TestCertificates.selfSigned())
        .on(Step.AUTH, Action.stall()), true, TlsMode.STARTTLS));
    all.add(new Scenario("untrusted certificate", b -> b.implicitTls(TestCertificates.selfSigned()), false,
        TlsMode.IMPLICIT, true));
    all.add(new Scenario("reset during the TLS handshake", b -> b.starttls(TestCertificates.selfSigned())
        .on(Step.STARTTLS, Action.reply("220 go").then(Action.reset())), true, TlsMode.STARTTLS));
    all.add(new Scenario("token echoed URL-encoded", b -> b.on(Step.AUTH, Action.reply("535 5.7.8 "
        + java.net.URLEncoder.encode(Canary.TOKEN, StandardCharsets.UTF_8))), true, TlsMode.NONE));
    return all;
  }

  @Test
  void noSecretInLogsExceptionsOrTranscripts() throws Exception {
    Faults.Transcript transcript = new Faults.Transcript();
    List<String> texts = new ArrayList<>();
    try (LogCapture logs = LogCapture.start()) {
      for (Scenario sc : scenarios()) {
        ScriptedSmtpServer.Builder b = ScriptedSmtpServer.builder();
        sc.server().accept(b);
        try (ScriptedSmtpServer server = b.start()) {
          EmailSettings.Builder s = settings(server).tlsMode(sc.tls()).verifyTlsCertificate(sc.verify())
              .username(USER);
          if (sc.name().contains("stall") || sc.name().contains("no reply")) {
            // these scenarios exercise the read timeout
            Faults.timingOut(s);
          }
          if (sc.token()) {
            s.oauth2(() -> Secret.of(Canary.TOKEN));
          } else {
            s.password(Canary.PASSWORD);
          }
          try (Mailer mailer = Mailer.open(s.build(), transcript.options(2))) {
            SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(Faults.email()));
            assertThat(e).as(sc.name()).isNotNull();
            Failure f = e.failure();
            texts.add(sc.name() + ": " + Canary.describe(e) + "\n" + f + "\n" + f.serverReply().orElse("")
                + "\n" + e.hint(Locale.ENGLISH) + "\n" + e.hint(Locale.forLanguageTag("bn")) + "\n"
                + f.title(Locale.ENGLISH));
          }
        }
      }
      texts.add(logs.text());
    }
    texts.add(transcript.text());
    String all = String.join("\n", texts);
    assertThat(all).contains("AUTH PLAIN ******").contains("AUTH XOAUTH2 ******");
    Canary.assertAbsent(all, Canary.PASSWORD);
    Canary.assertAbsent(all, Canary.TOKEN);
  }

  @Test
  void messageContentAndServerRepliesNeverReachTheLogsEvenAtFinest() throws Exception {
    // Angus traces the protocol at FINEST (java.util.logging), message content and echoed replies included
    String body = "Body-Canary-8d1f: the invoice text itself";
    try (LogCapture logs = LogCapture.start(); ScriptedSmtpServer server = ScriptedSmtpServer.builder()
        .extensions("PIPELINING", "AUTH PLAIN").on(Step.RCPT, Action.reply("250 2.1.5 " + Canary.PASSWORD))
        .start();
        Mailer mailer = Mailer.open(settings(server).username(USER).password(Canary.PASSWORD).build(),
            new Faults.Transcript().options(1))) {
      mailer.send(Email.builder().to("customer@example.com").subject("Subject-Canary-77e2").text(body).build());
      assertThat(server.messages()).hasSize(1);
      assertThat(logs.text()).doesNotContain("Body-Canary-8d1f").doesNotContain("Subject-Canary-77e2");
      Canary.assertAbsent(logs.text(), Canary.PASSWORD);
    }
  }

  @Test
  void toStringsNeverShowTheSecrets() throws Exception {
    EmailSettings withPassword = settings(1).username(USER).password(Canary.PASSWORD).build();
    EmailSettings withToken = settings(1).username(USER).oauth2(() -> Secret.of(Canary.TOKEN)).build();
    try (Mailer a = Mailer.open(withPassword); Mailer b = Mailer.open(withToken)) {
      Canary.assertAbsent(withPassword + " " + withToken + " " + a + " " + b + " " + withPassword.password()
          + " " + withToken.oauth2().get().accessToken(), Canary.PASSWORD);
      Canary.assertAbsent(withToken + " " + b + " " + withToken.oauth2().get().accessToken(), Canary.TOKEN);
    }
  }

  @Test
  void tokenSupplierFailureDoesNotQuoteTheSupplier() throws Exception {
    try (LogCapture logs = LogCapture.start(); ScriptedSmtpServer server = ScriptedSmtpServer.start();
        Mailer mailer = Mailer.open(settings(server).username(USER).oauth2(() -> {
          throw new IOException("refresh failed for " + Canary.TOKEN);
        }).build())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(Faults.email()));
      assertThat(e.failure().hintKey()).isEqualTo("hint.auth.token");
      Canary.assertAbsent(Canary.describe(e) + logs.text(), Canary.TOKEN);
      assertThat(server.sessions()).isEmpty();
    }
  }
}
