package dev.mailroom.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.TlsMode;
import dev.mailroom.internal.mime.PreparedMime;
import dev.mailroom.spi.SendRequest;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PreparedMessageTest {
  private static final SmtpConfig CFG = new SmtpConfig(EmailSettings.builder().protocol(Protocol.SMTP)
      .host("127.0.0.1").port(2525).tlsMode(TlsMode.NONE).emailAddress("billing@acme.example").build(),
      MailerOptions.ofDefaults().senderContext());

  private static SendRequest request(Email email) {
    Email e = email.toBuilder().from(Address.of("billing@acme.example", "Acme Ltd")).build();
    return new SendRequest(e, Address.of("billing@acme.example"), e.recipients(), Optional.empty(), 1);
  }

  private static byte[] render(PreparedMessage p) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.message(CFG.session(p.utf8)).writeTo(out);
    return out.toByteArray();
  }

  private static MimeMessage parse(byte[] raw) throws Exception {
    return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
  }

  @Test
  void rendersAMixedMessageThatAngusParsesBack() throws Exception {
    byte[] pdf = new byte[3000];
    for (int i = 0; i < pdf.length; i++) {
      pdf[i] = (byte) i;
    }
    Email email = Email.builder().to("customer@example.com").cc("Zoë <zoe@example.com>").subject("Invoice 7 – März")
        .text("Hello\nWorld").html("<p>Hello</p>").idempotencyKey("inv-7")
        .attach(Attachment.ofBytes("Rechnung März.pdf", "application/pdf", pdf)).build();
    PreparedMessage p = PreparedMessage.of(CFG, request(email));
    byte[] raw = render(p);
    String text = new String(raw, StandardCharsets.US_ASCII);
    for (String line : text.split("\r\n", -1)) {
      assertThat(line.length()).as(line).isLessThanOrEqualTo(78);
    }
    assertThat(text).doesNotContain("\n\n").doesNotContain("\r\r");
    MimeMessage m = parse(raw);
    assertThat(m.getMessageID()).isEqualTo("<inv-7@acme.example>");
    assertThat(m.getSubject()).isEqualTo("Invoice 7 – März");
    assertThat(m.getSentDate()).isNotNull();
    assertThat(m.getHeader("MIME-Version")[0]).isEqualTo("1.0");
    MimeMultipart mixed = (MimeMultipart) m.getContent();
    assertThat(mixed.getContentType()).startsWith("multipart/mixed");
    assertThat(mixed.getCount()).isEqualTo(2);
    MimeMultipart alt = (MimeMultipart) mixed.getBodyPart(0).getContent();
    assertThat(alt.getCount()).isEqualTo(2);
    assertThat(alt.getBodyPart(0).getContent()).isEqualTo("Hello\r\nWorld");
    assertThat(alt.getBodyPart(1).getContent()).isEqualTo("<p>Hello</p>");
    assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("Rechnung März.pdf");
    assertThat(mixed.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(pdf);
    assertThat(p.envelope()).extracting(a -> a.getAddress()).containsExactly("customer@example.com", "zoe@example.com");
    assertThat(((OutgoingMessage) p.message(CFG.session(p.utf8))).headerLines()).noneMatch(h -> h.startsWith("Bcc"));
  }

  @Test
  void encodingFollowsTheText() {
    assertThat(PreparedMime.encoding("plain ascii\r\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("7bit");
    assertThat(PreparedMime.encoding("Grüße aus Köln".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("quoted-printable");
    assertThat(PreparedMime.encoding("চালান নম্বর".getBytes(StandardCharsets.UTF_8))).isEqualTo("base64");
    assertThat(PreparedMime.encoding("x".repeat(1200).getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("quoted-printable");
  }

  @Test
  void lineEndsBecomeCrlf() {
    assertThat(PreparedMime.crlf("a\nb\rc\r\nd\n\re")).isEqualTo("a\r\nb\r\nc\r\nd\r\n\r\ne");
    assertThat(PreparedMime.crlf("no breaks")).isEqualTo("no breaks");
  }

  @Test
  void longTextLinesAndEmptyBodiesRender() throws Exception {
    Email email = Email.builder().to("customer@example.com").subject("").text("x".repeat(5000)).build();
    MimeMessage m = parse(render(PreparedMessage.of(CFG, request(email))));
    // the writer ends the message with a line end, as SMTP sends it
    assertThat(m.getContent()).isEqualTo("x".repeat(5000) + "\r\n");
    Email onlyAttachment = Email.builder().to("customer@example.com").subject("")
        .attach(Attachment.ofBytes("a.txt", "text/plain", new byte[0])).build();
    MimeMessage m2 = parse(render(PreparedMessage.of(CFG, request(onlyAttachment))));
    assertThat(((MimeMultipart) m2.getContent()).getCount()).isEqualTo(1);
    assertThat(List.of(m2.getHeader("Subject"))).containsExactly("");
  }
}
