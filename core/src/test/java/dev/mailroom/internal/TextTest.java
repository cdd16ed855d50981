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
    assertThat(Text.sanitize("  250-OK\r\n250 DONE\u0000 ", 100)).isEqualTo("250-OK 250 DONE");
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
}
