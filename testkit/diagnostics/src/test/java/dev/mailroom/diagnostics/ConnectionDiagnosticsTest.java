package dev.mailroom.diagnostics;

import dev.mailroom.testkit.MailAssertions;
import dev.mailroom.testkit.ReceivedEmail;
import dev.mailroom.testkit.MailroomSmtpServer;

import static dev.mailroom.diagnostics.DiagnosticStep.Status.FAILED;
import static dev.mailroom.diagnostics.DiagnosticStep.Status.OK;
import static dev.mailroom.diagnostics.DiagnosticStep.Status.SKIPPED;
import static dev.mailroom.diagnostics.DiagnosticStep.Status.WARNING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.Presets;
import dev.mailroom.Protocol;
import dev.mailroom.Secret;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.junit.StartStop;
import java.io.InputStream;
import java.net.ServerSocket;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConnectionDiagnosticsTest {
  @StartStop
  static MailroomSmtpServer smtp = MailroomSmtpServer.create();

  @StartStop
  static MailroomSmtpServer smtps = MailroomSmtpServer.builder().tls(true).build();

  static final DiagnosticOptions OPTIONS = DiagnosticOptions.builder().mxLookup(false).transcript(true).build();

  /** Generous timeouts: a loaded CI machine must not turn a slow reply into a failure. */
  static EmailSettings.Builder fast(EmailSettings.Builder b) {
    return b.connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(10));
  }

  /** Short timeouts, only for tests that exercise a timeout. */
  static EmailSettings.Builder timingOut(EmailSettings.Builder b) {
    return b.connectTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(1));
  }

  static List<String> statuses(DiagnosticReport r) {
    return r.steps().stream().map(s -> s.name() + " " + s.status()).collect(Collectors.toList());
  }

  @Test
  void passesEveryStepAndSendsNothingWithoutTestRecipient() {
    DiagnosticReport r = ConnectionDiagnostics.run(smtp.settings(), OPTIONS);

    assertThat(r.ok()).isTrue();
    assertThat(r.failure()).isEmpty();
    assertThat(statuses(r)).containsExactly("resolve OK", "connect OK", "tls SKIPPED", "greeting OK", "ehlo OK",
        "starttls SKIPPED", "ehlo-tls SKIPPED", "auth OK", "send SKIPPED", "quit OK");
    assertThat(r.step(DiagnosticStep.AUTH).orElseThrow().detail())
        .isEqualTo("Signed in as sender@mailroom.test (PLAIN)");
    assertThat(r.step(DiagnosticStep.SEND).orElseThrow().detail())
        .isEqualTo("Nothing sent: no test recipient was given");
    assertThat(r.testEmailSent()).isFalse();
    assertThat(r.troubleshooting(Locale.ENGLISH)).isEmpty();
    assertThat(r.toText(Locale.ENGLISH))
        .contains("All checks passed. No test email was sent (no test recipient).");
    smtp.assertNoneReceived();
  }

  @Test
  void sendsTheTestEmailOnlyToTheTestRecipient() {
    DiagnosticReport r = ConnectionDiagnostics.run(smtp.settings(),
        OPTIONS.toBuilder().testRecipient("me@acme.test").build());

    assertThat(r.ok()).isTrue();
    assertThat(r.testEmailSent()).isTrue();
    assertThat(r.step(DiagnosticStep.SEND).orElseThrow().detail()).startsWith("Test email to me@acme.test accepted: 250");
    ReceivedEmail got = smtp.awaitOne(Duration.ofSeconds(10));
    MailAssertions.assertThat(got)
        .hasSubject("Mailroom test email")
        .isFrom("sender@mailroom.test")
        .sentTo("me@acme.test")
        .hasNoHiddenRecipients()
        .hasTextContaining("Your email settings work: the server 127.0.0.1 on port " + smtp.port());
    assertThat(got.envelopeRecipients()).containsExactly("me@acme.test");
  }

  @Test
  void wrongPasswordFailsAtAuthWithTheServerReplyQuoted() {
    EmailSettings settings = smtp.settingsBuilder().password(Secret.of("wrong-password")).build();

    DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS);

    assertThat(r.ok()).isFalse();
    assertThat(statuses(r)).containsExactly("resolve OK", "connect OK", "tls SKIPPED", "greeting OK", "ehlo OK",
        "starttls SKIPPED", "ehlo-tls SKIPPED", "auth FAILED", "send SKIPPED", "quit SKIPPED");
    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).isEqualTo(FailureCategory.AUTHENTICATION);
    assertThat(f.isTransient()).isFalse();
    assertThat(f.code()).hasValue(535);
    assertThat(f.host()).hasValue("127.0.0.1");
    assertThat(f.port()).hasValue(smtp.port());
    assertThat(f.hintKey()).isEqualTo("hint.auth.bad-credentials");
    assertThat(r.failedStep().orElseThrow().name()).isEqualTo(DiagnosticStep.AUTH);
    assertThat(r.step(DiagnosticStep.QUIT).orElseThrow().detail())
        .isEqualTo("Not run because an earlier step failed");
    String text = r.toText(Locale.ENGLISH);
    assertThat(text).contains("The test failed at: Sign in (AUTH)\n"
        + "The server rejected the login\n"
        + "The server 127.0.0.1 rejected the username or password. Check both; some providers require an"
        + " app-specific password instead of your normal password.\n"
        + "The server responded: 535 5.7.8 Authentication credentials invalid\n");
    assertThat(text).contains("If it still does not work:\n"
        + "  1. Double-check your SMTP server address, port number, and authentication settings.\n"
        + "  2. Verify that your username and password are correct (some providers require app-specific"
        + " passwords).\n"
        + "  3. Ensure your firewall or antivirus isn't blocking SMTP connections.\n"
        + "  4. Try the same settings in another email client such as Mozilla Thunderbird to isolate the"
        + " problem.\n");
    assertThat(r.transcript()).contains("-> AUTH PLAIN ******");
  }

  @Test
  void showsTheSelfSignedCertificateWhenVerificationFails() throws Exception {
    EmailSettings settings = smtps.settingsBuilder().verifyTlsCertificate(true).build();

    DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS);

    assertThat(statuses(r)).startsWith("resolve OK", "connect OK", "tls FAILED", "greeting SKIPPED");
    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).isEqualTo(FailureCategory.TLS);
    assertThat(f.hintKey()).isEqualTo("hint.tls.self-signed");
    String subject = "CN=GreenMail selfsigned Test Certificate,OU=GreenMail,O=Icegreen Technologies,C=US";
    assertThat(f.message()).isEqualTo("The certificate of 127.0.0.1:" + smtps.port() + " is self-signed ("
        + subject + ")");
    CertificateSummary c = r.certificate().orElseThrow();
    assertThat(c.subject()).isEqualTo(subject);
    assertThat(c.issuer()).isEqualTo(subject);
    assertThat(c.selfSigned()).isTrue();
    assertThat(c.verified()).isFalse();
    assertThat(c.chainLength()).isEqualTo(1);
    assertThat(c.subjectAlternativeNames()).isEmpty();
    assertThat(c.interceptedBy()).isEmpty();
    X509Certificate greenMailCert = greenMailCertificate();
    assertThat(c.sha256Fingerprint()).isEqualTo(HexFormat.ofDelimiter(":").withUpperCase()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(greenMailCert.getEncoded())));
    assertThat(c.notAfter()).isEqualTo(greenMailCert.getNotAfter().toInstant());
    assertThat(r.toText(Locale.ENGLISH)).contains("Server certificate:\n"
        + "  Subject: " + subject + "\n"
        + "  Valid for: GreenMail selfsigned Test Certificate".replace("GreenMail selfsigned Test Certificate", "-")
        + "\n  Issued by: " + subject + " (self-signed)\n");
    assertThat(r.toJson()).contains("\"selfSigned\" : true", "\"sha256Fingerprint\" : \"" + c.sha256Fingerprint());
  }

  static X509Certificate greenMailCertificate() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = com.icegreen.greenmail.util.GreenMail.class.getResourceAsStream("/greenmail.p12")) {
      ks.load(in, "changeit".toCharArray());
    }
    return (X509Certificate) ks.getCertificate(ks.aliases().nextElement());
  }

  @Test
  void withVerificationOffTheSelfSignedServerPassesAndTheCertificateIsShown() {
    DiagnosticReport r = ConnectionDiagnostics.run(smtps.settings(), OPTIONS);

    assertThat(r.ok()).isTrue();
    assertThat(statuses(r)).startsWith("resolve OK", "connect OK", "tls OK", "greeting OK", "ehlo OK",
        "starttls SKIPPED", "ehlo-tls SKIPPED", "auth OK");
    assertThat(r.step(DiagnosticStep.TLS).orElseThrow().detail()).matches("TLSv1\\.[23], TLS_.*; certificate for"
        + " GreenMail selfsigned Test Certificate");
    assertThat(r.certificate().orElseThrow().verified()).isFalse();
    assertThat(r.warnings()).isEmpty(); // a self-signed certificate would not pass verification: no advice to turn it on
    assertThat(r.transcript()).anyMatch(l -> l.startsWith("<~ 220 "));
    assertThat(r.transcript()).contains("~> AUTH PLAIN ******");
  }

  @Test
  void aPlainClientOnAnSslPortGetsNoGreetingAndTheProbeSuggestsSslTls() {
    EmailSettings settings = timingOut(smtps.settingsBuilder().tlsMode(TlsMode.NONE)).build();

    DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS);

    assertThat(statuses(r)).startsWith("resolve OK", "connect OK", "tls SKIPPED", "greeting FAILED",
        "probe OK", "ehlo SKIPPED");
    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).isEqualTo(FailureCategory.TIMEOUT);
    assertThat(f.hintKey()).isEqualTo("hint.timeout.greeting");
    assertThat(f.message()).isEqualTo("127.0.0.1:" + smtps.port()
        + " accepted the connection but sent no greeting within the read timeout");
    assertThat(r.step(DiagnosticStep.PROBE).orElseThrow().detail())
        .isEqualTo("Port " + smtps.port() + " speaks SSL/TLS from the first byte");
    assertThat(r.suggestion(Locale.ENGLISH)).hasValue("Choose SSL/TLS (encryption from the start) for port "
        + smtps.port() + " on 127.0.0.1.");
    assertThat(r.suggestedSettings().orElseThrow().tlsMode()).isEqualTo(TlsMode.IMPLICIT);
    assertThat(ConnectionDiagnostics.run(r.suggestedSettings().get(), OPTIONS).ok()).isTrue();
  }

  @Test
  void anSslClientOnAPlainPortFailsTheHandshakeAndTheProbeFindsPlainSmtp() {
    EmailSettings settings = fast(smtp.settingsBuilder().tlsMode(TlsMode.IMPLICIT)).build();

    DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS);

    assertThat(statuses(r)).startsWith("resolve OK", "connect OK", "tls FAILED", "probe WARNING",
        "greeting SKIPPED");
    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).isEqualTo(FailureCategory.TLS);
    assertThat(f.hintKey()).isEqualTo("hint.tls.tls-on-plain-port");
    assertThat(r.step(DiagnosticStep.PROBE).orElseThrow().detail())
        .isEqualTo("Port " + smtp.port() + " speaks plain SMTP without any encryption");
    assertThat(r.suggestion(Locale.ENGLISH)).hasValue("The server 127.0.0.1 offers no encryption on port "
        + smtp.port() + ". Use port 465 (SSL/TLS) or 587 (STARTTLS) if your provider offers them.");
    assertThat(r.suggestedSettings()).isEmpty();
  }

  @Test
  void theProbeCanBeTurnedOff() {
    EmailSettings settings = fast(smtp.settingsBuilder().tlsMode(TlsMode.IMPLICIT)).build();

    DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS.toBuilder().probe(false).build());

    assertThat(r.step(DiagnosticStep.PROBE)).isEmpty();
    assertThat(r.suggestion(Locale.ENGLISH)).isEmpty();
  }

  @Test
  void aClosedPortIsRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    EmailSettings settings = fast(EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1").port(port)
        .tlsMode(TlsMode.NONE).emailAddress("billing@acme.test")).build();

    DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS);

    assertThat(statuses(r)).startsWith("resolve OK", "connect FAILED", "tls SKIPPED");
    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).isEqualTo(FailureCategory.CONNECTION);
    assertThat(f.hintKey()).isEqualTo("hint.connection.refused");
    assertThat(f.message()).isEqualTo("127.0.0.1:" + port + " refused the connection");
    assertThat(f.hint(Locale.ENGLISH)).isEqualTo("127.0.0.1 refuses connections on port " + port
        + ". Check the port: most providers use 587 with STARTTLS or 465 with SSL/TLS.");
    assertThat(r.troubleshooting(Locale.ENGLISH)).hasSize(4);
  }

  @Test
  void anUnknownHostFailsAtTheFirstStep() {
    EmailSettings settings = fast(EmailSettings.builder().protocol(Protocol.SMTP).host("no-such-host.invalid")
        .port(587).emailAddress("billing@acme.test")).build();

    DiagnosticReport r = ConnectionDiagnostics.run(settings,
        OPTIONS.toBuilder().dnsTimeout(Duration.ofSeconds(1)).build());

    assertThat(statuses(r)).startsWith("resolve FAILED", "connect SKIPPED");
    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).isEqualTo(FailureCategory.CONNECTION);
    assertThat(f.hintKey()).isEqualTo("hint.connection.unknown-host");
    assertThat(f.message()).isEqualTo("Cannot find server no-such-host.invalid: the name does not resolve");
    assertThat(f.hint(Locale.ENGLISH)).isEqualTo("Can't find the server no-such-host.invalid. Check the spelling"
        + " of the server name in your email settings.");
  }

  @Test
  void aServerThatNeverGreetsFailsWithinTheReadTimeout() throws Exception {
    try (SilentServer silent = new SilentServer()) {
      EmailSettings settings = timingOut(EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1")
          .port(silent.port()).tlsMode(TlsMode.STARTTLS).emailAddress("billing@acme.test")).build();

      DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS);

      assertThat(statuses(r)).startsWith("resolve OK", "connect OK", "tls SKIPPED", "greeting FAILED",
          "probe WARNING");
      assertThat(r.failure().orElseThrow().category()).isEqualTo(FailureCategory.TIMEOUT);
      assertThat(r.failure().get().hintKey()).isEqualTo("hint.timeout.greeting");
      assertThat(r.suggestion(Locale.ENGLISH)).isEmpty();
      // bounded: the read timeout for the greeting plus at most one more for the probe, far below 10 s
      assertThat(r.duration()).isLessThan(Duration.ofSeconds(10));
    }
  }

  /** Accepts connections and never says anything. */
  static final class SilentServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
    private final List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();

    SilentServer() throws java.io.IOException {
      Thread t = new Thread(() -> {
        while (!socket.isClosed()) {
          try {
            accepted.add(socket.accept());
          } catch (java.io.IOException e) {
            return;
          }
        }
      }, "silent-server");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws java.io.IOException {
      socket.close();
      for (java.net.Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void warnsAboutPort25WithoutEncryption() {
    EmailSettings settings = fast(EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1").port(25)
        .tlsMode(TlsMode.NONE).emailAddress("billing@acme.test")).build();

    DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS.toBuilder().probe(false).build());

    assertThat(r.warnings()).extracting(DiagnosticWarning::code).contains(DiagnosticWarning.UNENCRYPTED_PORT_25);
    assertThat(r.warnings().get(0).message()).isEqualTo("Port 25 without encryption: your password and mail"
        + " travel in plain text, and many internet providers block port 25. Use port 587 (STARTTLS) or 465"
        + " (SSL/TLS).");
  }

  @Test
  void warnsWhenCertificateChecksAreOffForAWellKnownProviderAndTheSenderDomainDiffers() {
    try (MailroomSmtpServer gmailLike = MailroomSmtpServer.builder().tls(true)
        .user("billing@gmail.com", "app-password").build().start()) {
      EmailSettings settings = EmailSettings.builder()
          .preset(Presets.GMAIL)
          .host("127.0.0.1").port(gmailLike.port()).tlsMode(TlsMode.IMPLICIT)
          .verifyTlsCertificate(false)
          .username("billing@gmail.com").password("app-password")
          .emailAddress("billing@acme-corp.com")
          .build();

      DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS);

      assertThat(r.ok()).isTrue();
      assertThat(r.provider()).contains(Presets.GMAIL);
      assertThat(r.warnings()).extracting(DiagnosticWarning::code).containsExactly(
          DiagnosticWarning.VERIFY_OFF_WELL_KNOWN, DiagnosticWarning.SENDER_DOMAIN_MISMATCH);
      assertThat(r.warnings().get(0).message()).isEqualTo("\"Do not verify TLS certificate\" is ticked for Gmail."
          + " Never do this for Gmail, Yahoo, Office 365 or other well-known providers: their certificates are"
          + " valid, and without the check anyone on the network could read your password. Untick it.");
      assertThat(r.warnings().get(1).message()).isEqualTo("The sender address billing@acme-corp.com is on another"
          + " domain than the login billing@gmail.com. Gmail refuses or rewrites such mail unless the address is"
          + " set up for this account (an alias or \"Send As\" permission).");
      assertThat(r.toText(Locale.ENGLISH)).contains("Provider: Gmail (the chosen preset)\n", "Warnings:\n  - ");
    }
  }

  @Test
  void recognizesTheProviderFromTheMxRecordsOfTheSenderDomain() throws Exception {
    try (FakeDns dns = new FakeDns().mx("acme-corp.com", "aspmx.l.google.com", "alt1.aspmx.l.google.com");
        MailroomSmtpServer server = MailroomSmtpServer.builder().user("billing@acme-corp.com", "right").build()
            .start()) {
      DiagnosticOptions options = OPTIONS.toBuilder().mxLookup(true).dnsServers(dns.address())
          .dnsTimeout(Duration.ofSeconds(2)).build();
      EmailSettings settings = server.settingsBuilder().password(Secret.of("wrong")).build();

      DiagnosticReport r = ConnectionDiagnostics.run(settings, options);

      assertThat(r.provider()).contains(Presets.GMAIL);
      assertThat(r.toText(Locale.ENGLISH)).contains("Provider: Gmail (from the MX records of acme-corp.com)");
      assertThat(r.toJson()).contains("\"source\" : \"mx\"");
      assertThat(r.failure().orElseThrow().hintKey()).isEqualTo("hint.auth.gmail-bad-credentials");
      assertThat(r.failure().get().provider()).hasValue("gmail");
      assertThat(r.transcript()).contains("=== MX acme-corp.com: aspmx.l.google.com, alt1.aspmx.l.google.com");
    }
  }

  @Test
  void neverLooksUpReservedDomains() throws Exception {
    try (FakeDns dns = new FakeDns().mx("acme.test", "aspmx.l.google.com")) {
      DiagnosticReport r = ConnectionDiagnostics.run(smtp.settingsBuilder().emailAddress("billing@acme.test")
          .username("sender@mailroom.test").build(), OPTIONS.toBuilder().mxLookup(true).dnsServers(dns.address())
          .build());

      assertThat(r.provider()).isEmpty();
      assertThat(r.transcript()).noneMatch(l -> l.startsWith("=== MX"));
    }
  }

  @Test
  void reportsInBengaliAndSwahili() {
    EmailSettings settings = smtp.settingsBuilder().password(Secret.of("wrong-password")).build();
    DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS);

    Locale bn = Locale.forLanguageTag("bn");
    Locale sw = Locale.forLanguageTag("sw");
    assertThat(r.step(DiagnosticStep.AUTH).orElseThrow().title(bn)).isEqualTo("সাইন ইন (AUTH)");
    assertThat(r.step(DiagnosticStep.AUTH).orElseThrow().title(sw)).isEqualTo("Kuingia (AUTH)");
    String bengali = r.toText(bn);
    assertThat(bengali).contains("ব্যর্থ", "সার্ভার লগইন প্রত্যাখ্যান করেছে",
        "নিশ্চিত করুন আপনার ফায়ারওয়াল বা অ্যান্টিভাইরাস SMTP সংযোগ ব্লক করছে না");
    String swahili = r.toText(sw);
    assertThat(swahili).contains("Imeshindwa", Failure.troubleshooting(sw).get(0));
    assertThat(r.toJson(sw)).contains("\"title\" : \"Kuingia (AUTH)\"");
    assertThat(r.toText(Locale.GERMAN)).contains("Sign in (AUTH)"); // no German: English
  }
}
