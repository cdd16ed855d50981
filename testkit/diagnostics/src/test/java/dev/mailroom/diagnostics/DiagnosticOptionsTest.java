package dev.mailroom.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class DiagnosticOptionsTest {
  @Test
  void defaultsSendNothing() {
    DiagnosticOptions o = DiagnosticOptions.ofDefaults();
    assertThat(o.testRecipient()).isEmpty();
    assertThat(o.locale()).isEqualTo(Locale.ENGLISH);
    assertThat(o.transcript()).isFalse();
    assertThat(o.mxLookup()).isTrue();
    assertThat(o.probe()).isTrue();
    assertThat(o.dnsTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(o.dnsServers()).isEmpty();
    assertThat(o.trustStore()).isEmpty();
  }

  @Test
  void rejectsBadValuesWithTheRuleAndTheValue() {
    assertThatThrownBy(() -> DiagnosticOptions.builder().testRecipient("not an address"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("testRecipient is not a valid email address: \"not an address\"");
    assertThatThrownBy(() -> DiagnosticOptions.builder().dnsTimeout(Duration.ZERO))
        .hasMessage("dnsTimeout must be more than 0 and at most 1 minute: PT0S");
    assertThatThrownBy(() -> DiagnosticOptions.builder().dnsServers("8.8.8.8; rm -rf"))
        .hasMessage("a DNS server must be host[:port]: \"8.8.8.8; rm -rf\"");
  }

  @Test
  void blankTestRecipientMeansNone() {
    assertThat(DiagnosticOptions.builder().testRecipient("  ").build().testRecipient()).isEmpty();
  }

  @Test
  void reservedDomainsAreNeverLookedUp() {
    assertThat(ProviderDetection.reserved("acme.test")).isTrue();
    assertThat(ProviderDetection.reserved("example.com")).isTrue();
    assertThat(ProviderDetection.reserved("mail.example.org")).isTrue();
    assertThat(ProviderDetection.reserved("localhost")).isTrue();
    assertThat(ProviderDetection.reserved("acme-corp.com")).isFalse();
    assertThat(ProviderDetection.fromMxHost("acme-com.mail.protection.outlook.com")).hasValueSatisfying(
        p -> assertThat(p.id()).isEqualTo("office365"));
    assertThat(ProviderDetection.fromMxHost("mta5.am0.yahoodns.net")).hasValueSatisfying(
        p -> assertThat(p.id()).isEqualTo("yahoo"));
    assertThat(ProviderDetection.fromMxHost("mx.acme-corp.com")).isEmpty();
  }
}
