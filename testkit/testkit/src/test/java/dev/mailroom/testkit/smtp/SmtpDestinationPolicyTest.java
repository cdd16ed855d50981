package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.email;
import static dev.mailroom.testkit.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.DestinationPolicy;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, item 1, SMTP sender: the destination policy is asked before anything connects, about every
 * address, and a refusal is a CONFIGURATION failure, never retried. Only loopback is ever listened on; the
 * refused non-loopback addresses are refused before any connection, so nothing but loopback is reached.
 */
@Timeout(60)
class SmtpDestinationPolicyTest {
  private static final MailerOptions PUBLIC_ONLY = MailerOptions.builder().maxAttempts(3)
      .initialBackoff(Duration.ofMillis(1)).destinationPolicy(DestinationPolicy.publicInternetOnly()).build();

  /** A loopback listener that never accepts; afterwards, whether a connection reached it. */
  private static final class Listener implements AutoCloseable {
    final ServerSocket socket;

    Listener() throws IOException {
      socket = new ServerSocket();
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
    }

    int port() {
      return socket.getLocalPort();
    }

    boolean wasConnected() throws IOException {
      socket.setSoTimeout(300);
      try {
        socket.accept().close();
        return true;
      } catch (SocketTimeoutException e) {
        return false;
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static SendException send(EmailSettings settings, MailerOptions options) {
    try (Mailer mailer = Mailer.open(settings, options)) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(email()));
      assertThat(e).as("the send must fail").isNotNull();
      return e;
    }
  }

  @ParameterizedTest
  @EnumSource(TlsMode.class)
  void publicInternetOnlyRefusesLoopbackBeforeConnecting(TlsMode mode) throws Exception {
    try (Listener l = new Listener()) {
      EmailSettings s = EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1").port(l.port())
          .tlsMode(mode).emailAddress("billing@acme.example").build();
      SendException e = send(s, PUBLIC_ONLY);
      assertThat(e.failure().category()).isEqualTo(FailureCategory.CONFIGURATION);
      assertThat(e.failure().isTransient()).isFalse();
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.getMessage()).isEqualTo("Connecting to 127.0.0.1:" + l.port() + " is not allowed by the"
          + " application's destination policy: 127.0.0.1 is a loopback address");
      assertThat(e.failure().hintKey()).isEqualTo("hint.configuration.destination-refused");
      assertThat(e.failure().hint(Locale.ENGLISH)).contains("127.0.0.1").contains("not allow");
      assertThat(e.failure().hint(Locale.forLanguageTag("bn"))).contains("127.0.0.1").contains("অনুমতি");
      assertThat(e.failure().hint(Locale.forLanguageTag("sw"))).contains("127.0.0.1").contains("hairuhusu");
      assertThat(l.wasConnected()).as("no connection may reach the server").isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"169.254.169.254", "10.0.0.1", "192.168.1.1", "172.16.0.1", "100.64.0.1", "0.0.0.0",
      "::ffff:127.0.0.1", "::ffff:7f00:1", "fd00::1", "fe80::1", "64:ff9b::a9fe:a9fe", "localhost",
      "mail.localhost", "metadata.google.internal", "::1"})
  void publicInternetOnlyRefusesPrivateTargetsWithoutConnecting(String host) {
    EmailSettings s = EmailSettings.builder().protocol(Protocol.SMTP).host(host).port(587)
        .emailAddress("billing@acme.example").connectTimeout(Duration.ofSeconds(30)).build();
    long start = System.nanoTime();
    SendException e = send(s, PUBLIC_ONLY);
    assertThat(e.failure().category()).isEqualTo(FailureCategory.CONFIGURATION);
    assertThat(e.getMessage()).contains("is not allowed by the application's destination policy");
    // refused before connecting: a connection attempt to an unreachable address would wait for the timeout
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void anAllowListedLoopbackServerStillWorks() throws Exception {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.start();
        Mailer mailer = Mailer.open(settings(server).build(), MailerOptions.builder().maxAttempts(1)
            .destinationPolicy(DestinationPolicy.publicInternetOnly().allowing("127.0.0.1")).build())) {
      mailer.send(email());
      assertThat(server.messages()).hasSize(1);
    }
  }

  @Test
  void theDefaultAllowsALocalBridge() throws Exception {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.start();
        Mailer mailer = Mailer.open(settings(server).build(), MailerOptions.builder().maxAttempts(1).build())) {
      mailer.send(email());
      assertThat(server.messages()).hasSize(1);
    }
  }

  @Test
  void implicitTlsIsCheckedBeforeTheLibraryConnects() throws Exception {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
        .implicitTls(TestCertificates.selfSigned()).start()) {
      EmailSettings s = settings(server).tlsMode(TlsMode.IMPLICIT).verifyTlsCertificate(false).build();
      SendException e = send(s, PUBLIC_ONLY);
      assertThat(e.failure().category()).isEqualTo(FailureCategory.CONFIGURATION);
      assertThat(server.sessions()).as("no connection reached the server").isEmpty();
      try (Mailer mailer = Mailer.open(s, MailerOptions.builder().maxAttempts(1)
          .destinationPolicy(DestinationPolicy.publicInternetOnly().allowing("127.0.0.0/8")).build())) {
        mailer.send(email());
      }
      assertThat(server.messages()).hasSize(1);
    }
  }

  @Test
  void aCustomPolicySeesEveryConnectionsAddressAndPort() throws Exception {
    java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    DestinationPolicy recording = (host, address, port) -> asked.add(host + "|" + address.getHostAddress()
        + "|" + port);
    try (ScriptedSmtpServer server = ScriptedSmtpServer.start();
        Mailer mailer = Mailer.open(settings(server).build(), MailerOptions.builder().maxAttempts(1)
            .destinationPolicy(recording).build())) {
      mailer.send(email());
      assertThat(asked).containsExactly("127.0.0.1|127.0.0.1|" + server.port());
    }
  }
}
