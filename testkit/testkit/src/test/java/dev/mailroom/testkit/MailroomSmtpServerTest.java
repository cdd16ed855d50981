package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.EmailSettings;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.junit.StartStop;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The GreenMail-based extension: lifecycle (static, instance, nested), settings, envelope versus headers,
 * awaiting without sleeps. Mail is sent here with Angus directly, so these tests do not depend on the SMTP
 * sender module.
 */
class MailroomSmtpServerTest {
  @StartStop
  static MailroomSmtpServer smtp = MailroomSmtpServer.create();

  static int outerPort;

  /** Sends with plain Angus, to test the server independently of Mailroom's SMTP sender. */
  static void send(MailroomSmtpServer server, String from, String[] to, String[] cc, String[] envelope,
      String subject, byte[] pdf) throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.host", MailroomSmtpServer.HOST);
    p.put("mail.smtp.port", String.valueOf(server.port()));
    p.put("mail.smtp.auth", "true");
    p.put("mail.smtp.timeout", "5000");
    p.put("mail.smtp.connectiontimeout", "5000");
    Session session = Session.getInstance(p);
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(from, "Acme Ltd", "UTF-8"));
    for (String t : to) {
      m.addRecipient(Message.RecipientType.TO, new InternetAddress(t));
    }
    for (String c : cc) {
      m.addRecipient(Message.RecipientType.CC, new InternetAddress(c));
    }
    m.setSubject(subject, "UTF-8");
    MimeMultipart mp = new MimeMultipart();
    MimeBodyPart text = new MimeBodyPart();
    text.setText("Dear customer, please find the invoice attached.", "UTF-8");
    mp.addBodyPart(text);
    if (pdf != null) {
      MimeBodyPart att = new MimeBodyPart();
      att.setContent(pdf, "application/pdf");
      att.setFileName("Rechnung-Ä1.pdf");
      att.setDisposition(MimeBodyPart.ATTACHMENT);
      mp.addBodyPart(att);
    }
    m.setContent(mp);
    m.saveChanges();
    InternetAddress[] rcpts = new InternetAddress[envelope.length];
    for (int i = 0; i < envelope.length; i++) {
      rcpts[i] = new InternetAddress(envelope[i]);
    }
    try (Transport t = session.getTransport("smtp")) {
      t.connect(MailroomSmtpServer.DEFAULT_USER, server.password().reveal());
      t.sendMessage(m, rcpts);
    }
  }

  @Test
  void handsOutSettingsPointingAtItself() {
    EmailSettings s = smtp.settings();
    assertThat(s.host()).hasValue("127.0.0.1");
    assertThat(s.port()).isEqualTo(smtp.port()).isPositive();
    assertThat(s.tlsMode()).isEqualTo(TlsMode.NONE);
    assertThat(s.username()).hasValue(MailroomSmtpServer.DEFAULT_USER);
    assertThat(s.password()).contains(smtp.password());
    assertThat(s.fromAddress()).isEqualTo(MailroomSmtpServer.DEFAULT_USER);
    assertThat(smtp.settingsBuilder().copyTo("archive@acme.test").build().copyTo()).hasValue("archive@acme.test");
    outerPort = smtp.port();
  }

  @Test
  void keepsEnvelopeRecipientsApartFromHeaders() throws Exception {
    byte[] pdf = "%PDF-1.4 test".getBytes(StandardCharsets.US_ASCII);
    send(smtp, "billing@acme.test", new String[] {"jane@customer.test"}, new String[] {"boss@customer.test"},
        new String[] {"jane@customer.test", "boss@customer.test", "archive@acme.test"}, "Invoice INV-1 – März",
        pdf);

    ReceivedEmail got = smtp.awaitOne(Duration.ofSeconds(10));

    assertThat(got.via()).isEqualTo("smtp");
    assertThat(got.envelopeFrom()).hasValue("billing@acme.test");
    assertThat(got.envelopeRecipients())
        .containsExactlyInAnyOrder("jane@customer.test", "boss@customer.test", "archive@acme.test");
    assertThat(got.to()).containsExactly("jane@customer.test");
    assertThat(got.cc()).containsExactly("boss@customer.test");
    assertThat(got.hiddenRecipients()).containsExactly("archive@acme.test");
    assertThat(got.fromName()).hasValue("Acme Ltd");
    assertThat(got.raw()).isPresent();
    assertThat(got.messageId()).isPresent();
    MailAssertions.assertThat(got)
        .hasSubject("Invoice INV-1 – März")
        .isFrom("billing@acme.test")
        .sentTo("jane@customer.test", "boss@customer.test")
        .hasTo("jane@customer.test")
        .hasCc("boss@customer.test")
        .copiedTo("archive@acme.test")
        .hasTextContaining("please find the invoice")
        .hasAttachmentCount(1)
        .hasAttachment("Rechnung-Ä1.pdf", "application/pdf")
        .hasAttachment("Rechnung-Ä1.pdf", pdf);
  }

  @Test
  void assertionsSayWhatWasExpectedAndWhatArrived() throws Exception {
    send(smtp, "billing@acme.test", new String[] {"jane@customer.test"}, new String[0],
        new String[] {"jane@customer.test"}, "Invoice INV-2", null);
    ReceivedEmail got = smtp.awaitOne(Duration.ofSeconds(10));

    assertThatThrownBy(() -> MailAssertions.assertThat(got).hasAttachment("INV-2.pdf"))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageStartingWith("expected the email to have the attachment \"INV-2.pdf\" but was []");
    assertThatThrownBy(() -> MailAssertions.assertThat(got).copiedTo("archive@acme.test"))
        .hasMessageStartingWith("expected the email to send a hidden copy to archive@acme.test but was hidden"
            + " recipients []");
    assertThatThrownBy(() -> MailAssertions.assertThat(got).hasSubject("Invoice INV-3"))
        .hasMessageStartingWith("expected the email to have the subject \"Invoice INV-3\" but was \"Invoice INV-2\"");
  }

  @Test
  void forgetsMailBetweenTests() {
    smtp.assertNoneReceived();
  }

  @Test
  void awaitFailsWithWhatDidArrive() throws Exception {
    send(smtp, "billing@acme.test", new String[] {"jane@customer.test"}, new String[0],
        new String[] {"jane@customer.test"}, "Only one", null);
    smtp.awaitReceived(1, Duration.ofSeconds(10));

    assertThatThrownBy(() -> smtp.awaitReceived(2, Duration.ofMillis(200)))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("expected 2 email(s) at the SMTP server 127.0.0.1:" + smtp.port()
            + " within 200 ms, but 1 arrived")
        .hasMessageContaining("subject=\"Only one\"");
    assertThatThrownBy(smtp::assertNoneReceived).hasMessageContaining("expected no email at the SMTP server");
  }

  @Test
  void awaitWakesUpWhenMailArrivesFromAnotherThread() throws Exception {
    CompletableFuture<Void> later = CompletableFuture.runAsync(() -> {
      try {
        send(smtp, "billing@acme.test", new String[] {"a@customer.test"}, new String[0],
            new String[] {"a@customer.test"}, "First", null);
        send(smtp, "billing@acme.test", new String[] {"b@customer.test"}, new String[0],
            new String[] {"b@customer.test"}, "Second", null);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(smtp.awaitReceived(2, Duration.ofSeconds(10))).extracting(ReceivedEmail::subject)
        .containsExactly("First", "Second");
    later.join();
  }

  @Nested
  class NestedTests {
    @Test
    void sharesTheOuterServer() {
      assertThat(smtp.isRunning()).isTrue();
      smtp.assertNoneReceived();
    }
  }

  @Nested
  class PerTestServer {
    @StartStop
    MailroomSmtpServer own = MailroomSmtpServer.builder().tls(true).build();

    @Test
    void anInstanceFieldGetsItsOwnServer() throws Exception {
      assertThat(own.isRunning()).isTrue();
      assertThat(own.port()).isNotEqualTo(smtp.port());
      assertThat(own.settings().tlsMode()).isEqualTo(TlsMode.IMPLICIT);
      assertThat(own.settings().verifyTlsCertificate()).isFalse();
      sendOne(own.settings(), "me@acme.test");
      MailAssertions.assertThat(own.awaitOne(Duration.ofSeconds(10))).sentTo("me@acme.test");
      smtp.assertNoneReceived();
    }
  }

  @Test
  void withoutJUnitItStartsAndStops() {
    MailroomSmtpServer server = MailroomSmtpServer.create();
    assertThat(server.isRunning()).isFalse();
    assertThatThrownBy(server::settings).isInstanceOf(IllegalStateException.class)
        .hasMessage("the SMTP server is not running: call start(), or in a JUnit 5 test annotate its field"
            + " with @StartStop (dev.mailroom.testkit.junit)");
    try (MailroomSmtpServer s = server.start()) {
      assertThat(s.isRunning()).isTrue();
      sendOne(s.settings(), "me@acme.test");
      assertThat(s.awaitOne(Duration.ofSeconds(10)).envelopeRecipients()).containsExactly("me@acme.test");
    }
    assertThat(server.isRunning()).isFalse();
  }

  @Test
  void anyLoginAcceptsEveryPassword() {
    try (MailroomSmtpServer s = MailroomSmtpServer.builder().anyLogin(true).build().start()) {
      EmailSettings settings = s.settingsBuilder().username("whoever@acme.test").password("anything").build();
      sendOne(settings, "me@acme.test");
      assertThat(s.awaitOne(Duration.ofSeconds(10)).envelopeRecipients()).containsExactly("me@acme.test");
    }
  }

  /** Sends one short email through the real SMTP sender: the server takes a login and a message. */
  private static void sendOne(EmailSettings settings, String to) {
    try (dev.mailroom.Mailer mailer = dev.mailroom.Mailer.open(settings)) {
      mailer.send(dev.mailroom.Email.builder().to(to).subject("Hello").text("Hello").build());
    } catch (dev.mailroom.SendException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  @Test
  void serversStartedInParallelGetTheirOwnPortsAndMail() throws Exception {
    List<MailroomSmtpServer> servers = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      servers.add(MailroomSmtpServer.create());
    }
    try {
      java.util.concurrent.CompletableFuture.allOf(servers.stream()
          .map(s -> java.util.concurrent.CompletableFuture.runAsync(s::start))
          .toArray(java.util.concurrent.CompletableFuture[]::new)).get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(servers.stream().map(MailroomSmtpServer::port).distinct().count()).isEqualTo(6);
      java.util.concurrent.CompletableFuture.allOf(servers.stream()
          .map(s -> java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
              send(s, "billing@acme.test", new String[] {"port" + s.port() + "@customer.test"}, new String[0],
                  new String[] {"port" + s.port() + "@customer.test"}, "For " + s.port(), null);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          })).toArray(java.util.concurrent.CompletableFuture[]::new)).get(30, java.util.concurrent.TimeUnit.SECONDS);
      for (MailroomSmtpServer s : servers) {
        assertThat(s.awaitReceived(1, Duration.ofSeconds(10))).singleElement()
            .satisfies(e -> assertThat(e.subject()).isEqualTo("For " + s.port()));
      }
    } finally {
      servers.forEach(MailroomSmtpServer::close);
    }
  }
}
