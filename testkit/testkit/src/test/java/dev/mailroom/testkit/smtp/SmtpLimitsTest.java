package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.Address;
import dev.mailroom.Email;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendReceipt;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedMessage;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Limits: the longest local part and domain, 998-octet lines, thousands of recipients and lone surrogates
 * give a clear error before anything connects, or are encoded correctly; never an OOM or a hang.
 */
@Timeout(120)
class SmtpLimitsTest {
  static final String LOCAL_64 = "l".repeat(64);
  static final String LABEL = "d".repeat(63);
  static final String DOMAIN_253 = String.join(".", LABEL, LABEL, LABEL, "e".repeat(57) + ".com");

  private static void assertLinesAtMost998(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    for (String line : text.split("\r\n", -1)) {
      assertThat(line.length()).isLessThanOrEqualTo(998);
    }
    assertThat(text).doesNotContainPattern("[^\r]\n").doesNotContainPattern("\r[^\n]");
  }

  @Test
  void theLongestAddressesGoIntoTheEnvelopeUnchanged() throws Exception {
    String longest = LOCAL_64 + "@" + DOMAIN_253;
    assertThat(DOMAIN_253).hasSize(253);
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().strictLineEndings().start();
        Mailer mailer = Mailer.open(settings(server).emailAddress(longest).build(),
            MailerOptions.builder().maxAttempts(1).build())) {
      mailer.send(Email.builder().to(longest).subject("limits").text("x").build());
      ReceivedMessage m = server.messages().get(0);
      assertThat(m.envelopeFrom()).isEqualTo(longest);
      assertThat(m.recipients()).containsExactly(longest);
      assertLinesAtMost998(m.content());
    }
  }

  @Test
  void overlongAddressesAreRefusedClearly() {
    assertThatThrownBy(() -> Address.of("l".repeat(65) + "@example.com"))
        .hasMessage("not a valid email address (the part before '@' is longer than 64 octets): \""
            + "l".repeat(65) + "@example.com\"");
    // 64 octets, but 32 two-byte letters and one more: counted in octets, not characters
    assertThatThrownBy(() -> Address.of("ü".repeat(33) + "@example.com"))
        .hasMessageContaining("the part before '@' is longer than 64 octets");
    String domain255 = DOMAIN_253 + "ab";
    assertThatThrownBy(() -> Address.of("a@" + domain255)).hasMessageContaining("longer than 253 characters");
    assertThatThrownBy(() -> Address.of("a@" + "d".repeat(64) + ".example"))
        .hasMessageContaining("a label is longer than 63 characters");
  }

  @Test
  void linesOf998OctetsAndMoreInBodiesAndHeadersArriveEncodedAndUnchanged() throws Exception {
    String l998 = "x".repeat(998);
    String l999 = "y".repeat(999);
    String body = l998 + "\n" + l999 + "\n." + "z".repeat(5000) + "\n" + "ü".repeat(2000);
    String subject = "s".repeat(1900);
    String header = "h".repeat(3990);
    String name = "N".repeat(200);
    String toName = "Customer ".repeat(120).strip();
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().strictLineEndings().start();
        Mailer mailer = Mailer.open(settings(server).senderName(name).build(),
            MailerOptions.builder().maxAttempts(1).build())) {
      mailer.send(Email.builder().to(List.of(Address.of("customer@example.com", toName))).subject(subject)
          .header("X-Long", header).text(body).build());
      byte[] raw = server.messages().get(0).content();
      assertLinesAtMost998(raw);
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
      assertThat(m.getSubject()).isEqualTo(subject);
      assertThat(((InternetAddress) m.getFrom()[0]).getPersonal()).isEqualTo(name);
      assertThat(((InternetAddress) m.getRecipients(MimeMessage.RecipientType.TO)[0]).getPersonal())
          .isEqualTo(toName);
      assertThat(jakarta.mail.internet.MimeUtility.decodeText(jakarta.mail.internet.MimeUtility.unfold(
          m.getHeader("X-Long")[0]))).isEqualTo(header);
      // SMTP ends the data with a line end: a single text part may gain it
      assertThat(m.getContent()).isIn(body.replace("\n", "\r\n"), body.replace("\n", "\r\n") + "\r\n");
    }
  }

  @Test
  void tenThousandRecipientsAreAClearErrorAndAThousandGoOut() throws Exception {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      many.add("r" + i + "@example.com");
    }
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().extensions("PIPELINING").start();
        Mailer mailer = Mailer.open(settings(server).build(), MailerOptions.builder().maxAttempts(1).build())) {
      assertThatThrownBy(() -> Email.builder().to(many.toArray(new String[0])).subject("x").text("y").build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("an email may have at most 1000 recipients (to, cc and bcc together), not 10000: split it"
              + " into several emails");
      assertThat(server.sessions()).isEmpty();
      SendReceipt r = mailer.send(Email.builder().bcc(many.subList(0, 1000).toArray(new String[0]))
          .subject("x").text("y").build());
      assertThat(r.acceptedRecipients()).hasSize(1000);
      assertThat(server.messages().get(0).recipients()).hasSize(1000);
      assertThat(server.messages().get(0).header("Bcc")).isEmpty();
    }
  }

  @Test
  void loneSurrogatesAreAClearErrorBeforeAnythingConnects() throws Exception {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.start();
        Mailer mailer = Mailer.open(settings(server).build(), MailerOptions.builder().maxAttempts(1).build())) {
      assertThatThrownBy(() -> Email.builder().subject("Rechnung \ud800"))
          .hasMessage("subject must not contain line breaks or control characters (found U+D800 at index 9):"
              + " \"Rechnung \\ud800\"");
      assertThatThrownBy(() -> Email.builder().text("a\udc00b")).hasMessage("text contains an unpaired surrogate"
          + " at index 1");
      assertThatThrownBy(() -> Email.builder().to("Name \ud83d <a@example.com>"))
          .hasMessageContaining("contains a line break or control character");
      assertThatThrownBy(() -> settings(server).senderName("Acme \udbff").build())
          .hasMessageContaining("senderName must not contain line breaks or control characters");
      assertThat(server.sessions()).isEmpty();
    }
  }

  @Test
  void aHugeSingleLineBodyIsSentWithoutTroubleInBoundedMemory() throws Exception {
    String body = "q".repeat(8 << 20);
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().strictLineEndings()
        .maxStoredMessageBytes(1 << 16).start();
        Mailer mailer = Mailer.open(settings(server).build(), MailerOptions.builder().maxAttempts(1).build())) {
      mailer.send(Email.builder().to("customer@example.com").subject("huge").text(body).build());
      assertThat(server.messages()).hasSize(1);
      assertThat(server.messages().get(0).acknowledged()).isTrue();
      assertThat(server.messages().get(0).size()).isGreaterThan(8 << 20);
      assertLinesAtMost998(server.messages().get(0).content());
    }
  }
}
