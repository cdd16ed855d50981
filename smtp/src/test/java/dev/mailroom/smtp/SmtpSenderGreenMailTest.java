package dev.mailroom.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.TlsMode;
import dev.mailroom.testing.LogCapture;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Happy paths against GreenMail on loopback. */
class SmtpSenderGreenMailTest {
  private GreenMail greenMail;
  private final List<String> transcript = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    ServerSetup smtp = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
    ServerSetup smtps = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS);
    // GreenMail's default of 2 s to start (SMTPS makes a key) is too short on a busy shared machine
    smtp.setServerStartupTimeout(20_000);
    smtps.setServerStartupTimeout(20_000);
    greenMail = new GreenMail(new ServerSetup[] {smtp, smtps});
    greenMail.start();
  }

  @AfterEach
  void stop() {
    greenMail.stop();
  }

  private EmailSettings.Builder plain() {
    return EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1")
        .port(greenMail.getSmtp().getPort()).tlsMode(TlsMode.NONE)
        .emailAddress("billing@acme.example").senderName("Acme Ltd")
        .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(10));
  }

  private MailerOptions options() {
    return MailerOptions.builder().maxAttempts(1).transcript(transcript::add).build();
  }

  private static Email.Builder invoice() {
    return Email.builder().to("customer@example.com").subject("Invoice 42").text("Please find your invoice.");
  }

  private static String raw(MimeMessage m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void sendsPlainTextWithSenderNameAndStableMessageId() throws Exception {
    Email email = invoice().idempotencyKey("inv-42").build();
    SendReceipt receipt;
    try (Mailer mailer = Mailer.open(plain().build(), options())) {
      receipt = mailer.send(email);
    }
    assertThat(receipt.messageId()).isEqualTo("inv-42@acme.example");
    assertThat(receipt.acceptedRecipients()).containsExactly("customer@example.com");
    assertThat(receipt.serverReply()).hasValueSatisfying(r -> assertThat(r).startsWith("250"));
    MimeMessage[] got = greenMail.getReceivedMessages();
    assertThat(got).hasSize(1);
    MimeMessage m = got[0];
    assertThat(m.getSubject()).isEqualTo("Invoice 42");
    assertThat(m.getHeader("Message-ID")[0]).isEqualTo("<inv-42@acme.example>");
    assertThat(m.getHeader("From")[0]).isEqualTo("Acme Ltd <billing@acme.example>");
    assertThat(((String) m.getContent()).strip()).isEqualTo("Please find your invoice.");
    assertThat(m.getContentType()).isEqualTo("text/plain; charset=UTF-8");
    assertThat(m.getHeader("Bcc")).isNull();
    assertThat(transcript).first().isEqualTo("=== Connected to 127.0.0.1:" + greenMail.getSmtp().getPort());
    assertThat(transcript).anyMatch(l -> l.startsWith("<- 220 "));
    assertThat(transcript).anyMatch(l -> l.startsWith("-> EHLO ["));
    assertThat(transcript).contains("-> DATA");
    assertThat(transcript).anyMatch(l -> l.matches("-> <message content, \\d+ octets>"));
    assertThat(transcript).contains("-> .", "-> QUIT");
    assertThat(String.join("\n", transcript)).doesNotContain("Please find your invoice");
  }

  @Test
  void signsInWithPasswordAndRedactsTheTranscript() throws Exception {
    greenMail.setUser("billing@acme.example", "billing@acme.example", "s3cret-Pass");
    EmailSettings s = plain().username("billing@acme.example").password("s3cret-Pass").build();
    try (Mailer mailer = Mailer.open(s, options())) {
      mailer.send(invoice().build());
    }
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
    assertThat(transcript).anyMatch(l -> l.equals("-> AUTH PLAIN ******"));
    assertThat(transcript).anyMatch(l -> l.startsWith("<- 235"));
    String all = String.join("\n", transcript);
    assertThat(all).doesNotContain("s3cret-Pass");
    assertThat(all).doesNotContain(java.util.Base64.getEncoder().encodeToString(
        "\0billing@acme.example\0s3cret-Pass".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void wrongPasswordIsAnAuthenticationFailure() {
    greenMail.setUser("billing@acme.example", "billing@acme.example", "right");
    EmailSettings s = plain().username("billing@acme.example").password("wrong").build();
    try (Mailer mailer = Mailer.open(s, options())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(invoice().build()));
      assertThat(e.category()).isEqualTo(FailureCategory.AUTHENTICATION);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.failure().code()).hasValue(535);
      assertThat(e.failure().hintKey()).isEqualTo("hint.auth.bad-credentials");
      assertThat(e.getMessage()).doesNotContain("wrong");
    }
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void implicitTlsWithSelfSignedCertificateFailsByDefault() {
    EmailSettings s = plain().port(greenMail.getSmtps().getPort()).tlsMode(TlsMode.IMPLICIT).build();
    try (Mailer mailer = Mailer.open(s, options())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(invoice().build()));
      assertThat(e.category()).isEqualTo(FailureCategory.TLS);
      assertThat(e.failure().hintKey()).isEqualTo("hint.tls.untrusted");
      assertThat(e.isTransient()).isFalse();
      assertThat(e.hint(Locale.ENGLISH)).contains("antivirus").contains("Do not verify TLS certificate");
    }
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void implicitTlsWithSelfSignedCertificateWorksWhenVerificationIsOffAndWarnsOnce() throws Exception {
    EmailSettings s = plain().port(greenMail.getSmtps().getPort()).tlsMode(TlsMode.IMPLICIT)
        .verifyTlsCertificate(false).build();
    try (LogCapture logs = LogCapture.start(); Mailer mailer = Mailer.open(s, options())) {
      mailer.send(invoice().build());
      mailer.send(invoice().build());
      List<String> warnings = logs.lines().stream().filter(l -> l.startsWith("WARN")).toList();
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).contains("127.0.0.1").contains("verification is turned off");
    }
    assertThat(greenMail.getReceivedMessages()).hasSize(2);
    assertThat(transcript).anyMatch(l -> l.startsWith("=== TLS started with cipher TLSv1."));
    assertThat(transcript).anyMatch(l -> l.startsWith("~> EHLO"));
    assertThat(transcript).noneMatch(l -> l.startsWith("-> "));
  }

  @Test
  void attachmentsArriveByteForByteWithUtf8FileNames(@TempDir Path dir) throws Exception {
    byte[] pdf = new byte[100 * 1024];
    new Random(7).nextBytes(pdf);
    Path file = dir.resolve("invoice.pdf");
    Files.write(file, pdf);
    byte[] csv = "a,b\r\n1,2\n3,4\r.\r\n".getBytes(StandardCharsets.UTF_8);
    String longName = "Rechnung für März € 2026 – Übersicht der Positionen und Zahlungsbedingungen 請求書.csv";
    Email email = invoice()
        .attach(Attachment.ofFile(file))
        .attach(Attachment.ofBytes(longName, "text/csv", csv))
        .attach(Attachment.ofBytes("Faktura č. 7.txt", "text/plain", "x".getBytes(StandardCharsets.UTF_8)))
        .build();
    try (Mailer mailer = Mailer.open(plain().build(), options())) {
      mailer.send(email);
    }
    MimeMessage m = greenMail.getReceivedMessages()[0];
    Multipart mp = (Multipart) m.getContent();
    assertThat(mp.getCount()).isEqualTo(4);
    assertThat(mp.getBodyPart(0).isMimeType("text/plain")).isTrue();
    Part a1 = mp.getBodyPart(1);
    assertThat(a1.getFileName()).isEqualTo("invoice.pdf");
    assertThat(a1.isMimeType("application/pdf")).isTrue();
    assertThat(bytes(a1)).isEqualTo(pdf);
    Part a2 = mp.getBodyPart(2);
    assertThat(a2.getFileName()).isEqualTo(longName);
    assertThat(bytes(a2)).isEqualTo(csv);
    assertThat(mp.getBodyPart(3).getFileName()).isEqualTo("Faktura č. 7.txt");
    String raw = raw(m);
    assertThat(raw).contains("filename*0*=UTF-8''Rechnung%20f%C3%BCr%20M%C3%A4rz");
    // no encoded word in a parameter (RFC 2047 5): an ASCII stand-in for readers of name= only
    assertThat(raw).doesNotContain("name=\"=?").contains("name=\"Faktura c. 7.txt\"");
    assertThat(raw).contains("filename*=UTF-8''Faktura%20%C4%8D.%207.txt");
    for (String line : raw.split("\r\n")) {
      assertThat(line.length()).as(line).isLessThanOrEqualTo(998);
    }
  }

  private static byte[] bytes(Part p) throws Exception {
    try (InputStream in = p.getInputStream()) {
      return in.readAllBytes();
    }
  }

  @Test
  void copyToIsAnEnvelopeRecipientOnlyAndReplyToComesFromTheSettings() throws Exception {
    EmailSettings s = plain().copyTo("archive@acme.example").replyTo("office@acme.example").build();
    SendReceipt r;
    try (Mailer mailer = Mailer.open(s, options())) {
      r = mailer.send(invoice().bcc("auditor@example.org").build());
    }
    assertThat(r.acceptedRecipients())
        .containsExactlyInAnyOrder("customer@example.com", "auditor@example.org", "archive@acme.example");
    // GreenMail stores one copy per envelope recipient
    assertThat(greenMail.getReceivedMessages()).hasSize(3);
    MimeMessage m = greenMail.getReceivedMessages()[0];
    String raw = raw(m);
    assertThat(raw).doesNotContain("archive@acme.example").doesNotContain("auditor@example.org")
        .doesNotContainIgnoringCase("Bcc:");
    assertThat(m.getHeader("Reply-To")[0]).isEqualTo("office@acme.example");
    assertThat(transcript).contains("-> RCPT TO:<archive@acme.example>");
  }

  @Test
  void utf8SubjectBodyAndNamesSurviveTheTrip() throws Exception {
    String subject = "Rechnung Nr. 7 für März — চালান ১২ · ankara ya bei 💶";
    String body = "Grüße aus Köln\nLine two\r\n.\n..dots\rend € ✓";
    Email email = Email.builder().to("Jürgen Groß <customer@example.com>").subject(subject).text(body)
        .header("X-Invoice-Note", "Zahlbar bis Übermorgen").build();
    try (Mailer mailer = Mailer.open(plain().senderName("Ärzte & Söhne, \"GmbH\"").build(), options())) {
      mailer.send(email);
    }
    MimeMessage m = greenMail.getReceivedMessages()[0];
    assertThat(m.getSubject()).isEqualTo(subject);
    assertThat((String) m.getContent()).isEqualTo(body.replace("\r\n", "\n").replace('\r', '\n')
        .replace("\n", "\r\n"));
    assertThat(((jakarta.mail.internet.InternetAddress) m.getFrom()[0]).getPersonal())
        .isEqualTo("Ärzte & Söhne, \"GmbH\"");
    assertThat(((jakarta.mail.internet.InternetAddress) m.getRecipients(jakarta.mail.Message.RecipientType.TO)[0])
        .getPersonal()).isEqualTo("Jürgen Groß");
    assertThat(jakarta.mail.internet.MimeUtility.decodeText(m.getHeader("X-Invoice-Note")[0]))
        .isEqualTo("Zahlbar bis Übermorgen");
    String raw = raw(m);
    for (int i = 0; i < raw.length(); i++) {
      assertThat(raw.charAt(i)).as("raw message is ASCII at %d", i).isLessThan((char) 128);
    }
  }

  @Test
  void textAndHtmlBecomeMultipartAlternative() throws Exception {
    Email email = invoice().html("<p>Please find your <b>invoice</b>.</p>").build();
    try (Mailer mailer = Mailer.open(plain().build(), options())) {
      mailer.send(email);
    }
    MimeMessage m = greenMail.getReceivedMessages()[0];
    assertThat(m.isMimeType("multipart/alternative")).isTrue();
    MimeMultipart mp = (MimeMultipart) m.getContent();
    assertThat(mp.getBodyPart(0).isMimeType("text/plain")).isTrue();
    assertThat(mp.getBodyPart(1).isMimeType("text/html")).isTrue();
    assertThat((String) mp.getBodyPart(1).getContent()).contains("<b>invoice</b>");
  }

  @Test
  void fiftySendsShareOneConnection() throws Exception {
    try (Mailer mailer = Mailer.open(plain().build(), options())) {
      for (int i = 0; i < 50; i++) {
        mailer.send(invoice().subject("Invoice " + i).build());
      }
    }
    assertThat(greenMail.getReceivedMessages()).hasSize(50);
    assertThat(transcript.stream().filter(l -> l.startsWith("=== Connected"))).hasSize(1);
    assertThat(transcript.stream().filter(l -> l.startsWith("-> EHLO"))).hasSize(1);
    assertThat(transcript.stream().filter(l -> l.equals("-> QUIT"))).hasSize(1);
  }

  @Test
  void maxMessagesPerConnectionReplacesTheConnection() throws Exception {
    MailerOptions o = MailerOptions.builder().maxAttempts(1).maxMessagesPerConnection(4)
        .transcript(transcript::add).build();
    try (Mailer mailer = Mailer.open(plain().build(), o)) {
      for (int i = 0; i < 10; i++) {
        mailer.send(invoice().build());
      }
    }
    assertThat(greenMail.getReceivedMessages()).hasSize(10);
    assertThat(transcript.stream().filter(l -> l.startsWith("=== Connected"))).hasSize(3);
    assertThat(transcript.stream().filter(l -> l.equals("-> QUIT"))).hasSize(3);
  }

  @Test
  void internationalizedAddressesUseSmtpUtf8WhenNeededAndALabelsOtherwise() throws Exception {
    try (Mailer mailer = Mailer.open(plain().build(), options())) {
      mailer.send(Email.builder().to("kunde@bücher.example").subject("IDN").text("x").build());
      assertThat(transcript).contains("-> RCPT TO:<kunde@xn--bcher-kva.example>");
      assertThat(transcript).noneMatch(l -> l.contains("SMTPUTF8") && l.startsWith("-> MAIL"));
      mailer.send(Email.builder().to("jürgen@bücher.example").subject("EAI").text("x").build());
    }
    assertThat(transcript).anyMatch(l -> l.startsWith("-> MAIL FROM:<billing@acme.example>") && l.endsWith("SMTPUTF8"));
    assertThat(transcript).contains("-> RCPT TO:<jürgen@bücher.example>");
    assertThat(greenMail.getReceivedMessages()).hasSize(2);
  }

  @Test
  void noThreadIsLeftAfterClose() throws Exception {
    try (Mailer mailer = Mailer.open(plain().build(), options())) {
      mailer.send(invoice().build());
      assertThat(mailroomThreads()).isNotEmpty();
    }
    assertThat(mailroomThreads()).isEmpty();
  }

  static List<String> mailroomThreads() {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith("mailroom-")) {
        names.add(t.getName());
      }
    }
    return names;
  }

  @Test
  void bodyLineEndsAreNormalizedAndDotsSurvive() throws Exception {
    String body = "first\nsecond\r.\n.\r\n..\nlast";
    try (Mailer mailer = Mailer.open(plain().build(), options())) {
      mailer.send(invoice().text(body).build());
    }
    MimeMessage m = greenMail.getReceivedMessages()[0];
    assertThat((String) m.getContent()).isEqualTo("first\r\nsecond\r\n.\r\n.\r\n..\r\nlast");
    assertThat(Arrays.asList(m.getHeader("Content-Transfer-Encoding"))).containsExactly("7bit");
  }
}
