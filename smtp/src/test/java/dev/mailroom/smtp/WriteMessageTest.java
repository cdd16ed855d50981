package dev.mailroom.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailroom.Attachment;
import dev.mailroom.Dkim;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.Secret;
import dev.mailroom.SendException;
import dev.mailroom.TlsMode;
import dev.mailroom.testing.DkimPy;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Mailer#writeMessage} writes exactly what the SMTP sender sends (GreenMail on loopback receives the
 * same bytes but for the Date), and a DKIM signature made for the wire verifies after the trip through
 * SMTP (dot-stuffing and all) with dkimpy.
 */
class WriteMessageTest {
  private GreenMail greenMail;

  @BeforeEach
  void start() {
    greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    greenMail.start();
  }

  @AfterEach
  void stop() {
    greenMail.stop();
  }

  private EmailSettings.Builder settings() {
    return EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1").port(greenMail.getSmtp().getPort())
        .tlsMode(TlsMode.NONE).emailAddress("billing@acme.example").senderName("Acme Ltd")
        .replyTo("office@acme.example").copyTo("archive@acme.example")
        .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(10));
  }

  private static Email invoice() {
    return Email.builder().to("customer@example.com").bcc("auditor@example.com").subject("Rechnung 42 — März")
        .text("Hello,\n.\n..starts with dots\nthe invoice is attached.").html("<p><img src=\"cid:logo\"> Hello</p>")
        .inline("logo", Attachment.ofBytes("logo.png", "image/png", new byte[] {1, 2, 3}))
        .attach(Attachment.ofBytes("চালান-০০৪২.pdf", "application/pdf", new byte[3000]))
        .idempotencyKey("inv-42").build();
  }

  private static String received(MimeMessage m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    String raw = out.toString(StandardCharsets.UTF_8);
    // GreenMail's own trace headers come first
    while (raw.startsWith("Return-Path:") || raw.startsWith("Received:")) {
      raw = raw.substring(raw.indexOf("\r\n") + 2);
    }
    // GreenMail keeps the CRLF before the final dot as part of the end-of-data mark, not of the message
    return raw.endsWith("\r\n") ? raw : raw + "\r\n";
  }

  private static String withoutDate(String message) {
    return message.replaceFirst("(?m)^Date: [^\r\n]*\r\n", "");
  }

  @Test
  void theEmlIsWhatTheSmtpSenderSends() throws Exception {
    ByteArrayOutputStream eml = new ByteArrayOutputStream();
    try (Mailer mailer = Mailer.open(settings().build(), MailerOptions.builder().maxAttempts(1).build())) {
      mailer.writeMessage(invoice(), eml);
      mailer.send(invoice());
    }
    String written = eml.toString(StandardCharsets.UTF_8);
    assertThat(written).contains("Message-ID: <inv-42@acme.example>\r\n").contains("Reply-To: office@acme.example")
        .doesNotContain("auditor").doesNotContain("archive").endsWith("--\r\n");
    MimeMessage[] got = greenMail.getReceivedMessages();
    assertThat(got).hasSize(3); // to, bcc and the copy address
    assertThat(withoutDate(received(got[0]))).isEqualTo(withoutDate(written));
  }

  @Test
  void aTextOnlyEmlEndsWithALineEndLikeTheWire() throws Exception {
    ByteArrayOutputStream eml = new ByteArrayOutputStream();
    Email e = Email.builder().to("customer@example.com").subject("Hi").text("no line end").build();
    try (Mailer mailer = Mailer.open(settings().copyTo(null).build(), MailerOptions.builder().maxAttempts(1).build())) {
      mailer.writeMessage(e, eml);
      mailer.send(e);
    }
    assertThat(eml.toString(StandardCharsets.UTF_8)).endsWith("\r\n\r\nno line end\r\n");
    assertThat(withoutDate(received(greenMail.getReceivedMessages()[0])))
        .isEqualTo(withoutDate(eml.toString(StandardCharsets.UTF_8)));
  }

  @Test
  void aDkimSignedMessageVerifiesAfterTheTripThroughSmtp() throws Exception {
    DkimPy.assumeAvailable();
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair pair = g.generateKeyPair();
    Dkim dkim = Dkim.of("acme.example", "mail2026", Secret.of(DkimPy.pem(pair)));
    ByteArrayOutputStream eml = new ByteArrayOutputStream();
    try (Mailer mailer = Mailer.open(settings().dkim(dkim).build(), MailerOptions.builder().maxAttempts(1).build())) {
      mailer.send(invoice());
      mailer.writeMessage(invoice(), eml);
    }
    String record = DkimPy.txtRecord(pair.getPublic());
    String wire = received(greenMail.getReceivedMessages()[0]);
    assertThat(wire).startsWith("DKIM-Signature: v=1; a=rsa-sha256;");
    assertThat(DkimPy.verify(wire.getBytes(StandardCharsets.UTF_8), dkim.dnsName(), record)).isEqualTo("pass");
    assertThat(DkimPy.verify(eml.toByteArray(), dkim.dnsName(), record)).isEqualTo("pass");
  }

  @Test
  void tagsNeedAProviderHeaderOverSmtp() throws Exception {
    Email tagged = Email.builder().to("customer@example.com").subject("Hi").text("x").tag("invoice")
        .metadata("invoice", "INV-42").build();
    try (Mailer mailer = Mailer.open(settings().build(), MailerOptions.builder().maxAttempts(1).build())) {
      SendException e = org.assertj.core.api.Assertions.catchThrowableOfType(() -> mailer.send(tagged),
          SendException.class);
      assertThat(e.failure().category()).isEqualTo(FailureCategory.CONFIGURATION);
      assertThat(e.failure().message()).contains("tags and metadata").contains("127.0.0.1");
      assertThatThrownBy(() -> mailer.writeMessage(tagged, new ByteArrayOutputStream()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tags and metadata");
    }
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }
}
