package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedCommand;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedMessage;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SMTP smuggling (SEC Consult, 2023): bodies with bare LF, bare CR, {@code \n.\r\n}, {@code \r.\r} and
 * lines that start with a dot. A strict server, which drops the connection on any bare LF or CR, accepts
 * every message, receives exactly one end of data per message (no command hides in a body), and after
 * un-stuffing has exactly the content that was sent.
 */
@Timeout(60)
class SmtpSmugglingTest {
  static final List<String> BODIES = List.of("bare\nLF", "bare\rCR",
      "smuggle\n.\r\nMAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nforged\r\n.\r\n",
      "smuggle\r.\rMAIL FROM:<evil@example.com>\r", "smuggle\n.\nRSET\n", "smuggle\r\n.\nQUIT\r\n",
      ".", "..", ".\r\n", "\r\n.\r\n", ".leading\n..double\n...\r.\r\n.end", "end with dot\r\n.",
      "\n\n\r\r\r\n\n\r", "x".repeat(2000) + "\n." + "y".repeat(2000));

  @ParameterizedTest(name = "pipelining {0}")
  @ValueSource(booleans = {false, true})
  void aStrictServerAcceptsEveryMessageUnchanged(boolean pipelining) throws Exception {
    ScriptedSmtpServer.Builder b = ScriptedSmtpServer.builder().strictLineEndings();
    if (pipelining) {
      b.extensions("PIPELINING", "SMTPUTF8", "8BITMIME");
    }
    try (ScriptedSmtpServer server = b.start()) {
      try (Mailer mailer = Mailer.open(settings(server).build(), MailerOptions.builder().maxAttempts(1).build())) {
        for (String body : BODIES) {
          mailer.send(Email.builder().to("customer@example.com").subject("smuggling").text(body).html(body)
              .attach(Attachment.ofBytes("smuggle.txt", "text/plain", body.getBytes(StandardCharsets.UTF_8)))
              .build());
        }
      }
      // no command was smuggled in a body: exactly one MAIL, RCPT and DATA per message, then QUIT
      List<String> verbs = server.commands().stream().map(ReceivedCommand::verb).toList();
      assertThat(verbs).containsOnly("EHLO", "MAIL", "RCPT", "DATA", "QUIT").endsWith("QUIT");
      for (String v : List.of("MAIL", "RCPT", "DATA")) {
        assertThat(verbs.stream().filter(v::equals).count()).as(v).isEqualTo(BODIES.size());
      }
      assertThat(server.sessions()).as("one connection: never dropped by the strict server").hasSize(1);
      assertThat(server.messages()).hasSize(BODIES.size()).allMatch(ReceivedMessage::acknowledged);
      for (int i = 0; i < BODIES.size(); i++) {
        String body = BODIES.get(i);
        byte[] raw = server.messages().get(i).content();
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContainPattern("[^\r]\n").doesNotContainPattern("\r[^\n]");
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        MimeMultipart mixed = (MimeMultipart) m.getContent();
        MimeMultipart alt = (MimeMultipart) mixed.getBodyPart(0).getContent();
        String normalized = body.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
        assertThat(alt.getBodyPart(0).getContent()).as(body).isEqualTo(normalized);
        assertThat(alt.getBodyPart(1).getContent()).as(body).isEqualTo(normalized);
        assertThat(mixed.getBodyPart(1).getInputStream().readAllBytes()).as(body)
            .isEqualTo(body.getBytes(StandardCharsets.UTF_8));
      }
    }
  }
}
