package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendException;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedCommand;
import java.io.ByteArrayInputStream;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 11, item 5: RFC 1870 SIZE on MAIL FROM, and a message over the announced limit refused before DATA. */
@Timeout(60)
class SmtpSizeTest {
  private static final MailerOptions ONE = MailerOptions.builder().maxAttempts(3).build();

  private static ScriptedSmtpServer server(boolean pipelining, String size) {
    return pipelining
        ? ScriptedSmtpServer.builder().extensions("PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES", size).start()
        : ScriptedSmtpServer.builder().extensions("8BITMIME", "ENHANCEDSTATUSCODES", size).start();
  }

  private static Email withAttachment(int bytes) {
    byte[] content = new byte[bytes];
    new java.util.Random(7).nextBytes(content);
    return Email.builder().to("customer@example.com").subject("Invoice 42").text("Please pay.")
        .attach(Attachment.ofBytes("INV-42.pdf", "application/pdf", content)).build();
  }

  private static Optional<String> mailFrom(ScriptedSmtpServer server) {
    return server.commands().stream().map(ReceivedCommand::line)
        .filter(l -> l.toUpperCase(Locale.ROOT).startsWith("MAIL FROM:")).findFirst();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void mailFromCarriesTheMessageSize(boolean pipelining) throws Exception {
    try (ScriptedSmtpServer server = server(pipelining, "SIZE 10485760");
        Mailer mailer = Mailer.open(settings(server).build(), ONE)) {
      mailer.send(withAttachment(300_000));
      String mail = mailFrom(server).orElseThrow();
      assertThat(mail).matches("MAIL FROM:<billing@acme\\.example> SIZE=\\d+");
      long declared = Long.parseLong(mail.substring(mail.indexOf("SIZE=") + 5));
      long actual = server.messages().get(0).content().length;
      // RFC 1870 allows an estimate; the attachment's base64 is counted exactly, the rest closely
      assertThat(declared).isBetween(actual - 1024, actual + 2048);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aMessageOverTheAnnouncedLimitIsRefusedBeforeMailFrom(boolean pipelining) throws Exception {
    try (ScriptedSmtpServer server = server(pipelining, "SIZE 1048576");
        Mailer mailer = Mailer.open(settings(server).build(), ONE)) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(withAttachment(2_000_000)));
      assertThat(e).isNotNull();
      assertThat(e.failure().category()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
      assertThat(e.failure().isTransient()).isFalse();
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.failure().hintKey()).isEqualTo("hint.message.size-limit");
      assertThat(e.failure().hint(Locale.ENGLISH)).isEqualTo("The message is larger than the 1.0 MB (1048576"
          + " bytes) that the server 127.0.0.1 accepts, so it was not sent. Make the attachments smaller or send"
          + " them in several messages.");
      assertThat(e.failure().hint(Locale.forLanguageTag("bn"))).contains("1048576");
      assertThat(e.failure().hint(Locale.forLanguageTag("sw"))).contains("1048576");
      assertThat(e.getMessage()).startsWith("The message (about 2.6 MB) is larger than the 1.0 MB (1048576 bytes)"
          + " that 127.0.0.1:" + server.port() + " accepts (SIZE)");
      assertThat(mailFrom(server)).as("nothing of the message was sent").isEmpty();
      assertThat(server.messages()).isEmpty();
      // the connection stays usable for a message that fits
      mailer.send(withAttachment(100_000));
      assertThat(server.messages()).hasSize(1);
    }
  }

  @Test
  void noSizeParameterWhenTheServerDoesNotAnnounceSize() throws Exception {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().extensions("8BITMIME").start();
        Mailer mailer = Mailer.open(settings(server).build(), ONE)) {
      mailer.send(withAttachment(1000));
      assertThat(mailFrom(server)).hasValue("MAIL FROM:<billing@acme.example>");
    }
  }

  @Test
  void noSizeParameterWhenAnAttachmentsSizeIsUnknown() throws Exception {
    try (ScriptedSmtpServer server = server(false, "SIZE 10485760");
        Mailer mailer = Mailer.open(settings(server).build(), ONE)) {
      mailer.send(Email.builder().to("customer@example.com").subject("s").text("t")
          .attach(Attachment.ofStream("r.pdf", "application/pdf", () -> new ByteArrayInputStream(new byte[10])))
          .build());
      assertThat(mailFrom(server)).hasValue("MAIL FROM:<billing@acme.example>");
    }
  }

  @Test
  void sizeZeroMeansNoLimit() throws Exception {
    try (ScriptedSmtpServer server = server(false, "SIZE 0");
        Mailer mailer = Mailer.open(settings(server).build(), ONE)) {
      mailer.send(withAttachment(2_000_000));
      assertThat(mailFrom(server).orElseThrow()).contains(" SIZE=");
      assertThat(server.messages()).hasSize(1);
    }
  }
}
