package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.InvalidSettingsException;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedCommand;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedMessage;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Header injection anywhere a header is built: every way to smuggle a line break into a header is refused
 * before a connection is made; characters that a careless charset conversion would turn into CR or LF are
 * sent encoded and arrive unchanged.
 */
@Timeout(60)
class SmtpHeaderInjectionTest {
  /** Line breaks, raw and as a charset conversion or a decoder would produce them. */
  static final List<String> BREAKS = List.of("\r\n", "\n", "\r", "\u0085", "\u2028", "\u2029", "\u000b",
      "\u0000", "\u001b", "\u007f");
  /** Encoded words that decode to a line break (or cannot be checked). */
  static final List<String> ENCODED = List.of("=?UTF-8?Q?x=0D=0ABcc:_evil@example.com?=",
      "=?utf-8?b?eA0KQmNjOiBldmlsQGV4YW1wbGUuY29t?=", "=?ISO-8859-1?Q?x=85Bcc:_evil@example.com?=",
      "=?UTF-16BE?B?AA0ACgBC?=", "=?UTF-7?Q?+AA0ACg-Bcc:_evil@example.com?=", "=?IBM037?Q?%?=",
      "x=?UTF-8?Q?=0A?=y");

  private static Map<String, Consumer<String>> sinks() {
    Map<String, Consumer<String>> m = new LinkedHashMap<>();
    m.put("subject", v -> Email.builder().subject("Invoice " + v + "Bcc: evil@example.com"));
    m.put("to display name", v -> Email.builder().to("Acme " + v + " Ltd <a@example.com>"));
    m.put("to display name (Address.of)", v -> Address.of("a@example.com", "Acme " + v + "Bcc: x@y.example"));
    m.put("quoted display name", v -> Address.parse("\"Acme " + v + "Ltd\" <a@example.com>"));
    m.put("cc address", v -> Email.builder().cc("a@example.com" + v + "Bcc: evil@example.com"));
    m.put("reply-to address", v -> Email.builder().replyTo("r@example.com" + v + "x"));
    m.put("from address", v -> Email.builder().from("Acme <billing@acme.example" + v + ">"));
    m.put("custom header value", v -> Email.builder().header("X-Invoice", "42" + v + "Bcc: evil@example.com"));
    m.put("custom header name", v -> Email.builder().header("X-Invoice" + v + "Bcc", "42"));
    m.put("filename", v -> Attachment.ofBytes("invoice" + v + ".pdf", "application/pdf", new byte[0]));
    m.put("content type", v -> Attachment.ofBytes("invoice.pdf", "application/pdf" + v + "x", new byte[0]));
    m.put("message id", v -> Email.builder().messageId("inv-1@acme.example" + v + "Bcc: x"));
    m.put("idempotency key", v -> Email.builder().idempotencyKey("inv-1" + v + "x"));
    m.put("settings sender name", v -> settings(1).senderName("Acme " + v + "Bcc: x@y.example").build());
    m.put("settings email address", v -> settings(1).emailAddress("billing@acme.example" + v + "x").build());
    m.put("settings copy-to", v -> settings(1).copyTo("archive@acme.example" + v + "x").build());
    m.put("settings reply-to", v -> settings(1).replyTo("reply@acme.example" + v + "x").build());
    return m;
  }

  @Test
  void everyLineBreakIsRefusedBeforeAnythingConnects() throws Exception {
    List<String> accepted = new ArrayList<>();
    try (ScriptedSmtpServer server = ScriptedSmtpServer.start();
        Mailer mailer = Mailer.open(settings(server).build(), MailerOptions.builder().maxAttempts(1).build())) {
      for (Map.Entry<String, Consumer<String>> sink : sinks().entrySet()) {
        for (String v : BREAKS) {
          try {
            sink.getValue().accept(v);
            accepted.add(sink.getKey() + " with U+" + Integer.toHexString(v.charAt(0)));
          } catch (IllegalArgumentException | IllegalStateException e) {
            assertThat(e.getMessage()).as(sink.getKey()).isNotBlank();
          }
        }
      }
      assertThat(accepted).isEmpty();
      assertThat(server.sessions()).as("no connection was made").isEmpty();
    }
  }

  @Test
  void encodedWordsThatDecodeToLineBreaksAreRefusedBeforeAnythingConnects() throws Exception {
    List<String> accepted = new ArrayList<>();
    try (ScriptedSmtpServer server = ScriptedSmtpServer.start();
        Mailer mailer = Mailer.open(settings(server).build(), MailerOptions.builder().maxAttempts(1).build())) {
      for (String sink : List.of("subject", "to display name (Address.of)", "quoted display name",
          "custom header value", "filename", "settings sender name")) {
        for (String v : ENCODED) {
          try {
            sinks().get(sink).accept(" " + v + " ");
            accepted.add(sink + " with " + v);
          } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).as(sink).containsAnyOf("encoded word", "line break");
          }
        }
      }
      assertThat(accepted).isEmpty();
      assertThat(server.sessions()).as("no connection was made").isEmpty();
    }
  }

  @Test
  void lettersWhoseLowByteIsALineBreakAreSentEncodedAndArriveUnchanged() throws Exception {
    // U+560A, U+010A, U+0D0A, U+0A0D: a conversion that keeps only the low byte would make LF or CR
    String tricky = "\u560a\u560d \u010a\u010d \u0d0a \u0a0d";
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().strictLineEndings().start()) {
      try (Mailer mailer = Mailer.open(settings(server).senderName("Acme " + tricky).build(),
          MailerOptions.builder().maxAttempts(1).build())) {
          Email email = Email.builder().to(List.of(Address.of("customer@example.com", "Kunde " + tricky)))
            .subject("Rechnung " + tricky).header("X-Note", tricky).text("Body " + tricky)
            .attach(Attachment.ofBytes(tricky + ".pdf", "application/pdf", new byte[] {1})).build();
        mailer.send(email);
      }
      assertThat(server.messages()).hasSize(1);
      ReceivedMessage got = server.messages().get(0);
      assertThat(got.acknowledged()).isTrue();
      byte[] raw = got.content();
      String head = new String(raw, StandardCharsets.ISO_8859_1);
      head = head.substring(0, head.indexOf("\r\n\r\n"));
      assertThat(head.chars()).as("headers are ASCII").allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f)
          || c == '\r' || c == '\n');
      assertThat(head).doesNotContainPattern("[^\r]\n").doesNotContainPattern("\r[^\n]");
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
      assertThat(m.getSubject()).isEqualTo("Rechnung " + tricky);
      assertThat(((InternetAddress) m.getFrom()[0]).getPersonal()).isEqualTo("Acme " + tricky);
      assertThat(((InternetAddress) m.getRecipients(MimeMessage.RecipientType.TO)[0]).getPersonal())
          .isEqualTo("Kunde " + tricky);
      assertThat(jakarta.mail.internet.MimeUtility.decodeText(jakarta.mail.internet.MimeUtility.unfold(
          m.getHeader("X-Note")[0]))).isEqualTo(tricky);
      MimeMultipart mixed = (MimeMultipart) m.getContent();
      assertThat(mixed.getBodyPart(0).getContent()).isEqualTo("Body " + tricky);
      assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo(tricky + ".pdf");
      assertThat(server.commands()).extracting(ReceivedCommand::verb)
          .containsExactly("EHLO", "MAIL", "RCPT", "DATA", "QUIT");
    }
  }

  @Test
  void aLocalPartWithSuchLettersGoesOutAsUtf8WithoutALineBreak() throws Exception {
    String local = "\u010a\u560a";
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().strictLineEndings().start();
        Mailer mailer = Mailer.open(settings(server).build(), MailerOptions.builder().maxAttempts(1).build())) {
      mailer.send(Email.builder().to(local + "@example.com").subject("x").text("y").build());
      assertThat(server.messages()).hasSize(1);
      assertThat(server.messages().get(0).recipients()).containsExactly(local + "@example.com");
      String plain = new String(server.sessions().get(0).plaintext(), StandardCharsets.UTF_8);
      assertThat(plain).contains("RCPT TO:<" + local + "@example.com>\r\n");
      assertThat(server.commands()).extracting(ReceivedCommand::verb)
          .containsExactly("EHLO", "MAIL", "RCPT", "DATA", "QUIT");
    }
  }

  @Test
  void rejectionsNameTheField() {
    assertThatThrownBy(() -> Email.builder().subject("Invoice\r\nBcc: evil@example.com"))
        .hasMessage("subject must not contain line breaks or control characters (found U+000D at index 7):"
            + " \"Invoice\\r\\nBcc: evil@example.com\"");
    assertThatThrownBy(() -> Email.builder().header("X-Invoice", "42\nBcc: x"))
        .hasMessageStartingWith("header X-Invoice must not contain line breaks or control characters");
    assertThatThrownBy(() -> Attachment.ofBytes("a\u2028.pdf", "application/pdf", new byte[0]))
        .hasMessageStartingWith("attachment filename must not contain line breaks or control characters");
    assertThatThrownBy(() -> settings(1).senderName("Acme\r\nBcc: x").build())
        .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("senderName");
  }
}
