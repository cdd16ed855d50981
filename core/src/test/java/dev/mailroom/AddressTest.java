package dev.mailroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AddressTest {

  @Test
  void parsesBareAndNamedAddresses() {
    Address a = Address.parse("billing@acme.example");
    assertThat(a.email()).isEqualTo("billing@acme.example");
    assertThat(a.name()).isEmpty();
    Address n = Address.parse("Acme Ltd <billing@acme.example>");
    assertThat(n.name()).contains("Acme Ltd");
    assertThat(n.email()).isEqualTo("billing@acme.example");
    Address q = Address.parse("\"Acme, Ltd. \\\"Billing\\\"\" <billing@acme.example>");
    assertThat(q.name()).contains("Acme, Ltd. \"Billing\"");
  }

  @Test
  void roundTripsThroughToString() {
    for (Address a : new Address[] {Address.of("a@b.example"), Address.of("a@b.example", "Acme, Ltd."),
        Address.of("a@b.example", "Quote \" and \\ backslash"), Address.of("jürgen@bücher.example", "Jürgen")}) {
      assertThat(Address.parse(a.toString())).isEqualTo(a);
    }
  }

  @Test
  void internationalAddresses() {
    Address a = Address.of("info@bücher.example");
    assertThat(a.asciiDomain()).isEqualTo("xn--bcher-kva.example");
    assertThat(a.asciiEmail()).isEqualTo("info@xn--bcher-kva.example");
    assertThat(a.hasAsciiLocalPart()).isTrue();
    Address u = Address.of("δοκιμή@παράδειγμα.example");
    assertThat(u.hasAsciiLocalPart()).isFalse();
  }

  @Test
  void domainComparisonIgnoresCase() {
    assertThat(Address.of("a@ACME.example")).isEqualTo(Address.of("a@acme.example"));
    assertThat(Address.of("A@acme.example")).isNotEqualTo(Address.of("a@acme.example"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "bob|has no '@'",
      "bob@|has nothing after '@'",
      "@acme.example|has nothing before '@'",
      "a@b@c.example|has more than one '@'",
      "a..b@acme.example|the part before '@' must not start or end with a dot or have two dots in a row",
      ".a@acme.example|the part before '@' must not start or end with a dot or have two dots in a row",
      "a b@acme.example|the part before '@' contains ' ' (a space)",
      "\"a b\"@acme.example|quoted local parts are not supported",
      "a@[127.0.0.1]|IP address literals are not supported; use a domain name",
      "a@acme|the domain must contain a dot, e.g. example.com",
      "a@acme.example.|the domain must not end with a dot",
      "a@1.2.3.4|the domain must not end in a number; IP addresses are not supported",
      "a@acme_x.example|the domain is not valid: only letters, digits, hyphens and dots are allowed, and no label may start or end with a hyphen",
      "a@x.example, b@x.example|must be a single email address, not a list",
      "a@x.example; b@x.example|must be a single email address, not a list",
      "a@x.example (comment)|comments in parentheses are not supported",
      "Group: a@x.example;|must be a single email address, not a list",
      "<a@x.example> trailing|must end with the address in angle brackets, with nothing after '>'",
      "A <a@x.example> <b@y.example>|has more than one '<'",
      "Acme, Ltd <a@x.example>|must be a single email address, not a list",
      "Acme@Home <a@x.example>|the display name contains '@': put the name in double quotes",
  })
  void rejectsWithReason(String input, String reason) {
    assertThatThrownBy(() -> Address.parse(input)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a valid email address (" + reason + "): \"" + input.replace("\"", "\\\"") + "\"");
  }

  @Test
  void rejectsTooLongParts() {
    String local = "a".repeat(65);
    assertThatThrownBy(() -> Address.of(local + "@acme.example"))
        .hasMessageContaining("the part before '@' is longer than 64 octets");
    assertThat(Address.of("a".repeat(64) + "@acme.example").localPart()).hasSize(64);
    String label = "a".repeat(63);
    String domain = String.join(".", label, label, label, "b".repeat(61));
    assertThat(domain).hasSize(253);
    assertThat(Address.of("x@" + domain).domain()).isEqualTo(domain);
    assertThatThrownBy(() -> Address.of("x@" + domain + "c")).hasMessageContaining("longer than 253 characters");
    assertThatThrownBy(() -> Address.of("x@" + "a".repeat(64) + ".example"))
        .hasMessageContaining("a label is longer than 63 characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a@x.example\r\nBcc: evil@x.example", "a@x.example\n", "a\u0000@x.example",
      "Acme\u2028 <a@x.example>", "Acme\u0085 <a@x.example>", "a@x.example\r"})
  void rejectsLineBreaksAndControls(String input) {
    assertThatThrownBy(() -> Address.parse(input)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a valid email address (contains a line break or control character)");
  }

  @Test
  void displayNameMustBeHeaderSafe() {
    assertThatThrownBy(() -> Address.of("a@x.example", "Acme\r\nBcc: x@evil.example"))
        .hasMessage("display name must not contain line breaks or control characters (found U+000D at index 4):"
            + " \"Acme\\r\\nBcc: x@evil.example\"");
  }
}
