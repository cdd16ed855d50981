package dev.mailroom.smtp;

import static dev.mailroom.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
      TlsMode tls) {}

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
          EmailSettings.Builder s = settings(server).tlsMode(sc.tls()).verifyTlsCertificate(false).username(USER);
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
