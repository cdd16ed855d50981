package dev.mailroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.internal.Destinations;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The ready-made policies and the one place that applies them; literals only, no DNS, no connection. */
class DestinationPolicyTest {
  private static final DestinationPolicy PUBLIC = DestinationPolicy.publicInternetOnly();

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "0.0.0.0", "0.1.2.3", "169.254.169.254", "10.0.0.1",
      "10.255.255.255", "172.16.0.1", "172.31.255.254", "192.168.1.1", "100.64.0.1", "100.127.255.254",
      "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1", "192.0.2.10", "198.51.100.7",
      "203.0.113.9", "198.18.0.1", "192.0.0.8", "::1", "::", "fe80::1", "febf::1", "fd00::1", "fc00::1",
      "ff02::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
      "::127.0.0.1", "::a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b::10.1.2.3",
      "2002:7f00:1::1", "2002:a9fe:a9fe::", "2002:c0a8:101::1", "2001:0:4136:e378:8000:63bf:80ff:fffe",
      "2001:0:7f00:1::1", "2001:db8::1", "64:ff9b:1::1", "100::1", "fec0::1", "::8.8.8.8"})
  void publicInternetOnlyRefusesNonPublicAddresses(String literal) throws UnknownHostException {
    InetAddress a = InetAddress.getByName(literal);
    assertThat(PUBLIC.allows(literal, a, 587)).as(literal).isFalse();
    assertThatThrownBy(() -> Destinations.resolve(PUBLIC, literal, 587))
        .isInstanceOf(Destinations.DestinationRefusedException.class)
        .hasMessageContaining("not allowed by the application's destination policy");
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "142.250.74.109", "172.32.0.1", "100.128.0.1", "11.0.0.1",
      "2a00:1450:4001:80b::201a", "2606:4700::6810:84e5", "64:ff9b::808:808", "2002:808:808::1",
      "::ffff:8.8.8.8"})
  void publicInternetOnlyAllowsPublicAddresses(String literal) throws Exception {
    InetAddress a = InetAddress.getByName(literal);
    assertThat(PUBLIC.allows(literal, a, 587)).as(literal).isTrue();
    assertThat(Destinations.resolve(PUBLIC, literal, 587)).containsExactly(a);
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "LOCALHOST", "mail.localhost", "metadata.google.internal",
      "printer.local", "nas.home.arpa", "box.localdomain", "x.onion", "localhost."})
  void publicInternetOnlyRefusesInternalNamesWithoutLookingThemUp(String name) {
    assertThatThrownBy(() -> Destinations.resolve(PUBLIC, name, 25))
        .isInstanceOf(Destinations.DestinationRefusedException.class)
        .hasMessageContaining("is reserved for internal use");
  }

  @Test
  void aRefusalIsAConfigurationFailureWithATranslatedHint() {
    Destinations.DestinationRefusedException e = org.junit.jupiter.api.Assertions.assertThrows(
        Destinations.DestinationRefusedException.class,
        () -> Destinations.resolve(PUBLIC, "169.254.169.254", 80));
    Failure f = e.failure().build();
    assertThat(f.category()).isEqualTo(FailureCategory.CONFIGURATION);
    assertThat(f.isTransient()).isFalse();
    assertThat(f.message()).isEqualTo("Connecting to 169.254.169.254:80 is not allowed by the application's"
        + " destination policy: 169.254.169.254 is a link-local address");
    assertThat(f.hint(Locale.ENGLISH)).startsWith("This application does not allow connecting to the server"
        + " address 169.254.169.254,");
    assertThat(f.hint(Locale.forLanguageTag("bn"))).contains("169.254.169.254").contains("অনুমতি");
    assertThat(f.hint(Locale.forLanguageTag("sw"))).contains("169.254.169.254").contains("hairuhusu");
  }

  @Test
  void aMappedAddressNamesWhatItEmbeds() {
    assertThatThrownBy(() -> Destinations.resolve(PUBLIC, "[64:ff9b::7f00:1]", 443))
        .hasMessage("Connecting to 64:ff9b::7f00:1 (64:ff9b:0:0:0:0:7f00:1):443 is not allowed by the"
            + " application's destination policy: 64:ff9b:0:0:0:0:7f00:1 is an IPv6 address embedding a loopback"
            + " address");
  }

  @Test
  void anyAllowsEverythingAndIsTheDefault() throws Exception {
    assertThat(MailerOptions.ofDefaults().destinationPolicy()).isSameAs(DestinationPolicy.ANY);
    assertThat(Destinations.resolve(DestinationPolicy.ANY, "127.0.0.1", 25))
        .containsExactly(InetAddress.getByName("127.0.0.1"));
    assertThat(DestinationPolicy.ANY.allows("x", InetAddress.getByName("10.0.0.1"), 25)).isTrue();
  }

  @Test
  void allowListsHostsAddressesAndRangesOnTop() throws Exception {
    DestinationPolicy p = PUBLIC.allowing("relay.corp.example", "*.mail.corp.example", "10.1.0.0/16",
        "127.0.0.1", "fd00::25", "localhost");
    InetAddress ten = InetAddress.getByName("10.1.2.3");
    assertThat(p.allows("10.1.2.3", ten, 25)).isTrue();
    assertThat(p.allows("10.2.0.1", InetAddress.getByName("10.2.0.1"), 25)).isFalse();
    assertThat(p.allows("relay.corp.example", InetAddress.getByName("192.168.9.9"), 25)).isTrue();
    assertThat(p.allows("a.mail.corp.example", InetAddress.getByName("192.168.9.9"), 25)).isTrue();
    assertThat(p.allows("evil.example", InetAddress.getByName("192.168.9.9"), 25)).isFalse();
    assertThat(p.allows("x", InetAddress.getByName("fd00::25"), 25)).isTrue();
    assertThat(p.allows("x", InetAddress.getByName("fd00::26"), 25)).isFalse();
    assertThat(p.allows("x", InetAddress.getByName("8.8.8.8"), 25)).isTrue();
    assertThat(Destinations.resolve(p, "127.0.0.1", 25)).containsExactly(InetAddress.getByName("127.0.0.1"));
    assertThat(Destinations.resolve(p, "localhost", 25)).isNotEmpty();
    assertThatThrownBy(() -> Destinations.resolve(p, "127.0.0.2", 25))
        .isInstanceOf(Destinations.DestinationRefusedException.class);
    assertThat(DestinationPolicy.ANY.allowing("10.0.0.0/8").allows("x", InetAddress.getByName("8.8.8.8"), 1))
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/33", "10.0.0/8", "0177.0.0.1", "bad host", "*.", "fe80::/129", "a..b"})
  void allowingRejectsEntriesItCannotRead(String entry) {
    assertThatThrownBy(() -> PUBLIC.allowing(entry)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(entry.strip());
  }

  @Test
  void aBrokenCustomPolicyRefuses() {
    DestinationPolicy broken = (h, a, p) -> {
      throw new IllegalStateException("bug");
    };
    assertThatThrownBy(() -> Destinations.resolve(broken, "127.0.0.1", 25))
        .isInstanceOf(Destinations.DestinationRefusedException.class);
  }

  @Test
  void aCustomPolicySeesTheNameAddressAndPort() throws Exception {
    java.util.List<String> seen = new java.util.ArrayList<>();
    DestinationPolicy p = (h, a, port) -> seen.add(h + " " + a.getHostAddress() + " " + port);
    Destinations.resolve(p, "[::1]", 2525);
    assertThat(seen).containsExactly("::1 0:0:0:0:0:0:0:1 2525");
  }

  @Test
  void optionsCarryThePolicy() {
    MailerOptions o = MailerOptions.builder().destinationPolicy(PUBLIC).build();
    assertThat(o.destinationPolicy()).isSameAs(PUBLIC);
    assertThat(o.toBuilder().build().destinationPolicy()).isSameAs(PUBLIC);
    assertThat(o.toString()).contains("destinationPolicy=DestinationPolicy.publicInternetOnly()");
    assertThatThrownBy(() -> MailerOptions.builder().destinationPolicy(null))
        .isInstanceOf(NullPointerException.class);
  }
}
