package dev.mailroom.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.DestinationPolicy;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Protocol;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.junit.StartStop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, item 1, diagnostics: "Test email settings" asks the same destination policy as the senders, about
 * every address, before every connection (probes included), and a refusal is the senders' CONFIGURATION
 * failure. Listeners are on loopback only; other refused addresses are refused before any connection.
 */
class DestinationPolicyDiagnosticsTest {
  @StartStop
  static MailroomHttpServer form = MailroomHttpServer.create();

  private static final DiagnosticOptions PUBLIC_ONLY = DiagnosticOptions.builder().mxLookup(false)
      .transcript(true).destinationPolicy(DestinationPolicy.publicInternetOnly()).build();

  private static String statuses(DiagnosticReport r) {
    return r.steps().stream().map(s -> s.name() + " " + s.status()).collect(Collectors.joining(", "));
  }

  private static boolean connected(ServerSocket listener) throws IOException {
    listener.setSoTimeout(300);
    try {
      listener.accept().close();
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  @ParameterizedTest
  @EnumSource(TlsMode.class)
  void anSmtpServerOnLoopbackIsRefusedWithoutAConnection(TlsMode mode) throws Exception {
    try (ServerSocket listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
      EmailSettings s = EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1")
          .port(listener.getLocalPort()).tlsMode(mode).emailAddress("billing@acme.example")
          .readTimeout(Duration.ofSeconds(2)).build();
      DiagnosticReport r = ConnectionDiagnostics.run(s, PUBLIC_ONLY);
      assertThat(r.ok()).isFalse();
      assertThat(r.failedStep().orElseThrow().name()).isEqualTo(DiagnosticStep.CONNECT);
      assertThat(r.failure().orElseThrow().category()).isEqualTo(FailureCategory.CONFIGURATION);
      assertThat(r.failure().orElseThrow().hintKey()).isEqualTo("hint.configuration.destination-refused");
      assertThat(r.toText()).contains("is not allowed by the application's destination policy");
      assertThat(r.toText(Locale.forLanguageTag("sw"))).contains("hairuhusu");
      assertThat(r.toJson()).contains("CONFIGURATION");
      assertThat(connected(listener)).as("nothing may connect, no probe either").isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"169.254.169.254", "10.0.0.1", "::ffff:127.0.0.1", "fd00::1", "0.0.0.0"})
  void privateSmtpTargetsAreRefusedAtTheConnectStep(String host) {
    EmailSettings s = EmailSettings.builder().protocol(Protocol.SMTP).host(host).port(587)
        .emailAddress("billing@acme.example").connectTimeout(Duration.ofSeconds(30)).build();
    long start = System.nanoTime();
    DiagnosticReport r = ConnectionDiagnostics.run(s, PUBLIC_ONLY);
    assertThat(statuses(r)).startsWith("resolve OK, connect FAILED");
    assertThat(r.failure().orElseThrow().category()).isEqualTo(FailureCategory.CONFIGURATION);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "mail.localhost", "metadata.google.internal"})
  void internalNamesAreRefusedBeforeTheirLookup(String host) {
    EmailSettings s = EmailSettings.builder().protocol(Protocol.SMTP).host(host).port(587)
        .emailAddress("billing@acme.example").build();
    DiagnosticReport r = ConnectionDiagnostics.run(s, PUBLIC_ONLY);
    assertThat(statuses(r)).startsWith("resolve FAILED");
    assertThat(r.failure().orElseThrow().category()).isEqualTo(FailureCategory.CONFIGURATION);
    assertThat(r.failure().orElseThrow().message()).contains("is reserved for internal use");
  }

  @Test
  void theHttpCheckIsRefusedToo() {
    DiagnosticReport r = ConnectionDiagnostics.run(form.settings(), PUBLIC_ONLY);
    assertThat(statuses(r)).startsWith("resolve OK, connect FAILED");
    assertThat(r.failure().orElseThrow().category()).isEqualTo(FailureCategory.CONFIGURATION);
    form.assertNoneReceived();
  }

  @Test
  void theHttpTestEmailUsesThePolicyAndAnAllowListWorks() {
    DiagnosticOptions allowed = PUBLIC_ONLY.toBuilder()
        .destinationPolicy(DestinationPolicy.publicInternetOnly().allowing("127.0.0.1"))
        .testRecipient("jane@customer.example").build();
    DiagnosticReport r = ConnectionDiagnostics.run(form.settings(), allowed);
    assertThat(r.ok()).as(r.toText()).isTrue();
    assertThat(r.testEmailSent()).isTrue();
    assertThat(allowed.toString()).contains("destinationPolicy=DestinationPolicy.publicInternetOnly().allowing(");
    assertThat(DiagnosticOptions.ofDefaults().destinationPolicy()).isSameAs(DestinationPolicy.ANY);
  }

  @Test
  void anAllowListedSmtpServerIsCheckedAsUsual() throws Exception {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.start()) {
      EmailSettings s = EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1").port(server.port())
          .tlsMode(TlsMode.NONE).emailAddress("billing@acme.example").build();
      DiagnosticReport r = ConnectionDiagnostics.run(s, PUBLIC_ONLY.toBuilder()
          .destinationPolicy(DestinationPolicy.publicInternetOnly().allowing("127.0.0.0/8")).build());
      assertThat(statuses(r)).startsWith("resolve OK, connect OK");
    }
  }
}
