package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.fail;
import static dev.mailroom.testkit.smtp.Faults.settings;
import static dev.mailroom.testkit.smtp.Faults.timingOut;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.FailureCategory;
import dev.mailroom.SendException;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.Action;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import dev.mailroom.testkit.TestCertificates;
import dev.mailroom.testkit.TestCertificates.Authority;
import dev.mailroom.testkit.UnansweredPort;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Failures while connecting, greeting and setting up TLS, each with its category and hint. */
@Timeout(30)
class SmtpConnectFailureTest {
  private static SSLContext jvmDefault;
  private static Authority ca;

  @BeforeAll
  static void trustTestAuthority() throws Exception {
    jvmDefault = SSLContext.getDefault();
    ca = TestCertificates.authority("Mailroom Test CA");
  }

  @AfterAll
  static void restoreTrust() {
    SSLContext.setDefault(jvmDefault);
  }

  @Test
  void unknownHost() {
    SendException e = fail(settings(25).host("mailroom-does-not-exist.invalid").build());
    assertThat(e.category()).isEqualTo(FailureCategory.CONNECTION);
    assertThat(e.failure().hintKey()).isEqualTo("hint.connection.unknown-host");
    assertThat(e.isTransient()).isFalse();
    assertThat(e.getMessage()).contains("mailroom-does-not-exist.invalid");
  }

  @Test
  void connectionRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    SendException e = fail(settings(port).build());
    assertThat(e.category()).isEqualTo(FailureCategory.CONNECTION);
    assertThat(e.failure().hintKey()).isEqualTo("hint.connection.refused");
    assertThat(e.hint(Locale.ENGLISH)).contains("587").contains("465");
  }

  @Test
  void connectTimeout() throws Exception {
    try (UnansweredPort p = UnansweredPort.open()) {
      SendException e = fail(timingOut(settings(p.port())).build());
      assertThat(e.category()).isEqualTo(FailureCategory.CONNECTION);
      assertThat(e.failure().hintKey()).isEqualTo("hint.connection.connect-timeout");
      assertThat(e.hint(Locale.ENGLISH)).contains("firewall");
    }
  }

  @Test
  void serverThatNeverGreetsFailsWithinTheReadTimeout() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().on(Step.GREETING, Action.stall()).start()) {
      long start = System.nanoTime();
      SendException e = fail(timingOut(settings(server)).build());
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(e.category()).isEqualTo(FailureCategory.TIMEOUT);
      assertThat(e.failure().hintKey()).isEqualTo("hint.timeout.greeting");
      assertThat(e.isTransient()).isTrue();
      assertThat(e.hint(Locale.ENGLISH)).contains("SSL/TLS");
      // bounded: the one-second timeout, not a hang (generous margin, no timing assertion beyond that)
      assertThat(ms).isLessThan(20_000);
    }
  }

  @Test
  void greeting421IsRateLimitedAndTransient() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
        .on(Step.GREETING, Action.reply("421 4.7.0 Too many connections, try again later").then(Action.drop()))
        .start()) {
      SendException e = fail(settings(server).build());
      assertThat(e.category()).isEqualTo(FailureCategory.RATE_LIMITED);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.failure().code()).hasValue(421);
      assertThat(e.failure().enhancedStatus()).hasValue("4.7.0");
    }
  }

  @Test
  void greeting554IsAPermanentRefusal() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
        .on(Step.GREETING, Action.reply("554 5.7.1 Your IP is on a block list")).start()) {
      SendException e = fail(settings(server).build());
      assertThat(e.category()).isEqualTo(FailureCategory.CONNECTION);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.failure().hintKey()).isEqualTo("hint.connection.closed-by-server");
      assertThat(e.hint(Locale.ENGLISH)).contains("block list");
    }
  }

  @Test
  void connectionClosedBeforeTheGreetingIsTransient() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().on(Step.GREETING, Action.drop()).start()) {
      SendException e = fail(settings(server).build());
      assertThat(e.category()).isEqualTo(FailureCategory.CONNECTION);
      assertThat(e.isTransient()).isTrue();
    }
  }

  @Test
  void plainClientOnAnImplicitTlsPortSuggestsSslTls() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
        .implicitTls(TestCertificates.selfSigned()).start()) {
      SendException e = fail(timingOut(settings(server)).tlsMode(TlsMode.STARTTLS).build());
      assertThat(e.category()).isEqualTo(FailureCategory.TIMEOUT);
      assertThat(e.failure().hintKey()).isEqualTo("hint.timeout.greeting");
      assertThat(e.hint(Locale.ENGLISH)).contains("choose SSL/TLS");
      assertThat(server.commands()).isEmpty();
    }
  }

  @Test
  void tlsClientOnAPlainPortSuggestsStartTls() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.start()) {
      SendException e = fail(settings(server).tlsMode(TlsMode.IMPLICIT).build());
      assertThat(e.category()).isEqualTo(FailureCategory.TLS);
      assertThat(e.failure().hintKey()).isEqualTo("hint.tls.tls-on-plain-port");
      assertThat(e.hint(Locale.ENGLISH)).contains("Choose STARTTLS");
      // the server saw only the TLS ClientHello, no SMTP command
      assertThat(server.commands()).allMatch(c -> c.step() == null);
    }
  }

  @Test
  void selfSignedCertificateIsUntrustedAndMentionsAntivirus() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
        .implicitTls(TestCertificates.selfSigned()).start()) {
      SendException e = fail(settings(server).tlsMode(TlsMode.IMPLICIT).build());
      assertThat(e.category()).isEqualTo(FailureCategory.TLS);
      assertThat(e.failure().hintKey()).isEqualTo("hint.tls.untrusted");
      assertThat(e.isTransient()).isFalse();
      assertThat(e.hint(Locale.ENGLISH)).contains("antivirus").contains("your own server");
      assertThat(server.commands()).isEmpty();
    }
  }

  @Test
  void certificateFromAnUnknownAuthorityIsUntrusted() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
        .implicitTls(ca.issue("localhost", "127.0.0.1")).start()) {
      SendException e = fail(settings(server).tlsMode(TlsMode.IMPLICIT).build());
      assertThat(e.failure().hintKey()).isEqualTo("hint.tls.untrusted");
    }
  }

  @Test
  void trustedCertificateForAnotherHostIsAMismatch() {
    SSLContext.setDefault(ca.clientContext());
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
        .implicitTls(ca.issue("wrong.example")).start()) {
      SendException e = fail(settings(server).host("localhost").tlsMode(TlsMode.IMPLICIT).build());
      assertThat(e.category()).isEqualTo(FailureCategory.TLS);
      assertThat(e.failure().hintKey()).isEqualTo("hint.tls.hostname-mismatch");
      assertThat(server.commands()).isEmpty();
    } finally {
      SSLContext.setDefault(jvmDefault);
    }
  }

  @Test
  void trustedButExpiredCertificate() {
    SSLContext.setDefault(ca.clientContext());
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
        .implicitTls(ca.issueExpired("localhost", "127.0.0.1")).start()) {
      SendException e = fail(settings(server).host("localhost").tlsMode(TlsMode.IMPLICIT).build());
      assertThat(e.category()).isEqualTo(FailureCategory.TLS);
      assertThat(e.failure().hintKey()).isEqualTo("hint.tls.expired");
    } finally {
      SSLContext.setDefault(jvmDefault);
    }
  }

  @Test
  void trustedCertificateForTheRightHostWorks() throws Exception {
    SSLContext.setDefault(ca.clientContext());
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
        .implicitTls(ca.issue("localhost", "127.0.0.1")).start();
        dev.mailroom.Mailer mailer = dev.mailroom.Mailer.open(settings(server).host("localhost")
            .tlsMode(TlsMode.IMPLICIT).username("billing@acme.example").password("pw").build())) {
      mailer.send(Faults.email());
      assertThat(server.messages()).hasSize(1);
      assertThat(server.messages().get(0).tls()).isTrue();
      assertThat(server.receivedInPlaintext("EHLO")).isFalse();
    } finally {
      SSLContext.setDefault(jvmDefault);
    }
  }

  @Test
  void certificatesThatCannotBeTrustedFailAfterStartTlsTooAndNothingIsSentInside() {
    Authority unknown = TestCertificates.authority("Unknown Test CA");
    record Case(TestCertificates.ServerCertificate cert, String host, String hint) {}
    List<Case> cases = List.of(new Case(TestCertificates.selfSigned(), "127.0.0.1", "hint.tls.untrusted"),
        new Case(TestCertificates.expiredSelfSigned(), "127.0.0.1", "hint.tls.untrusted"),
        new Case(unknown.issue("localhost", "127.0.0.1"), "127.0.0.1", "hint.tls.untrusted"),
        new Case(ca.issue("wrong.example"), "localhost", "hint.tls.hostname-mismatch"),
        new Case(ca.issueExpired("localhost", "127.0.0.1"), "localhost", "hint.tls.expired"));
    SSLContext.setDefault(ca.clientContext());
    try {
      for (Case c : cases) {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().starttls(c.cert()).start()) {
          SendException e = fail(settings(server).host(c.host()).tlsMode(TlsMode.STARTTLS)
              .username("billing@acme.example").password("pw").build());
          assertThat(e.category()).as(c.toString()).isEqualTo(FailureCategory.TLS);
          assertThat(e.failure().hintKey()).as(c.toString()).isEqualTo(c.hint());
          assertThat(e.isTransient()).isFalse();
          assertThat(server.commands()).extracting(c2 -> c2.verb()).containsExactly("EHLO", "STARTTLS");
        }
      }
    } finally {
      SSLContext.setDefault(jvmDefault);
    }
  }

  @Test
  void resetDuringTheTlsHandshakeIsATransientConnectionFailure() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
        .on(Step.STARTTLS, Action.reply("220 2.0.0 Go ahead").then(Action.reset())).start()) {
      SendException e = fail(settings(server).tlsMode(TlsMode.STARTTLS).verifyTlsCertificate(false).build());
      assertThat(e.category()).isEqualTo(FailureCategory.CONNECTION);
      assertThat(e.isTransient()).isTrue();
    }
  }
}
