package dev.mailroom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {
  @Test
  void findsForbiddenCharacters() {
    assertThat(Text.firstForbidden("plain text\twith tab")).isEqualTo(-1);
    assertThat(Text.firstForbidden("a\rb")).isEqualTo(1);
    assertThat(Text.firstForbidden("a\nb")).isEqualTo(1);
    assertThat(Text.firstForbidden("\u0000")).isZero();
    assertThat(Text.firstForbidden("x\u007f")).isEqualTo(1);
    assertThat(Text.firstForbidden("x\u0085")).isEqualTo(1);
    assertThat(Text.firstForbidden("x\u2029")).isEqualTo(1);
    assertThat(Text.firstForbidden("\ud83d\ude00 ok")).isEqualTo(-1);
    assertThat(Text.firstForbidden("lone \ud83d")).isEqualTo(5);
    assertThat(Text.firstForbidden("lone \ude00")).isEqualTo(5);
  }

  @Test
  void quotesForMessages() {
    assertThat(Text.quote("a\r\n\"b\"\\")).isEqualTo("\"a\\r\\n\\\"b\\\"\\\\\"");
    assertThat(Text.quote("x".repeat(250))).hasSize(205).endsWith("...\"");
  }

  @Test
  void sanitizesServerText() {
    assertThat(Text.sanitize("  250-OK\r\n250 DONE\u0000 ", 100)).isEqualTo("250-OK 250 DONE\\u0000");
    assertThat(Text.sanitize("abcdefghij", 5)).isEqualTo("ab...");
    assertThat(Text.sanitize(null, 5)).isEmpty();
  }

  @Test
  void loopbackHosts() {
    assertThat(HostNames.isLoopback("localhost")).isTrue();
    assertThat(HostNames.isLoopback("127.0.0.1")).isTrue();
    assertThat(HostNames.isLoopback("127.9.9.9")).isTrue();
    assertThat(HostNames.isLoopback("::1")).isTrue();
    assertThat(HostNames.isLoopback("[::1]")).isTrue();
    assertThat(HostNames.isLoopback("app.localhost")).isTrue();
    assertThat(HostNames.isLoopback("localhost.evil.example")).isFalse();
    assertThat(HostNames.isLoopback("128.0.0.1")).isFalse();
    assertThat(HostNames.isLoopback("smtp.gmail.com")).isFalse();
  }

  @Test
  void refusesEncodedWordsThatDecodeToLineBreaks() {
    assertThat(Text.hasDangerousEncodedWord("=?UTF-8?Q?Invoice=0D=0ABcc:_x@evil.example?=")).isTrue();
    assertThat(Text.hasDangerousEncodedWord("=?utf-8?B?SW52b2ljZQ0KQmNjOiB4?=")).isTrue();
    assertThat(Text.hasDangerousEncodedWord("=?ISO-8859-1?q?a=85b?=")).isTrue();
    assertThat(Text.hasDangerousEncodedWord("=?x-unknown?Q?a=0Ab?=")).isTrue();
    // UTF-7 (unknown to Java): "+AA0ACg-" would decode to CR LF at a receiver that knows it
    assertThat(Text.hasDangerousEncodedWord("=?UTF-7?Q?+AA0ACg-Bcc:_x@evil.example?=")).isTrue();
    assertThat(Text.hasDangerousEncodedWord("=?x-unknown?Q?harmless?=")).isTrue();
    assertThat(Text.hasDangerousEncodedWord("=?UTF-8?Q?M=C3=A4rz_=E2=82=AC?=")).isFalse();
    assertThat(Text.hasDangerousEncodedWord("plain = ? text")).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> dev.mailroom.Email.builder().subject("=?UTF-8?Q?Invoice=0D=0ABcc:_x@evil.example?="))
        .hasMessage("subject must not contain an encoded word (=?charset?Q/B?...?=) that decodes to a line break"
            + " or control character: \"=?UTF-8?Q?Invoice=0D=0ABcc:_x@evil.example?=\"");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> dev.mailroom.Address.of("a@x.example", "=?UTF-8?B?QQ0KQmNjOiB4?="))
        .hasMessageContaining("display name must not contain an encoded word");
  }

  @org.junit.jupiter.api.Test
  void utf8LengthIsTheEncodedLengthWithoutEncoding() {
    for (String s : new String[] {"", "Invoice INV-42", "\u09ac\u09be\u0982\u09b2\u09be", "caf\u00e9 \u20ac",
        "\ud83d\ude00 ok", "\u0000\u007f\u0080\u07ff\u0800\uffff"}) {
      org.assertj.core.api.Assertions.assertThat(Text.utf8Length(s)).as(s)
          .isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
    org.assertj.core.api.Assertions.assertThat(Text.utf8Length("a\ud800b")).isEqualTo(5);
  }
}
