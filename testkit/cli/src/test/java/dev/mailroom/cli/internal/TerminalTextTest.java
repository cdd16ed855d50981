package dev.mailroom.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalTextTest {
  static final String HOSTILE = "535 \u001b[2J\u001b]0;owned\u0007bad\rline\u009b31m\u0085end\u007f";

  @Test
  void escapesC0AndC1ControlsAndEscapeSequencesButKeepsLinesAndTabs() {
    assertThat(TerminalText.escape(HOSTILE))
        .isEqualTo("535 \\u001b[2J\\u001b]0;owned\\u0007bad\\u000dline\\u009b31m\\u0085end\\u007f");
    assertThat(TerminalText.escape("abc\u202edcba")).isEqualTo("abc\\u202edcba");
    assertThat(TerminalText.escape("a\n\tb ইমেইল")).isEqualTo("a\n\tb ইমেইল");
    assertThat(TerminalText.escape(null)).isEmpty();
  }

  @Test
  void jsonKeepsItsMeaningWithoutRawControls() {
    assertThat(TerminalText.json("{\"a\":\"x\u009by\u2028z\u007f\"}\n")).isEqualTo("{\"a\":\"x\\u009by\\u2028z\\u007f\"}\n");
  }

  @Test
  void theLogStreamEscapesByteByByte() throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream s = TerminalText.stream(sink)) {
      s.write(HOSTILE.getBytes(StandardCharsets.UTF_8));
      s.write("é\n".getBytes(StandardCharsets.UTF_8));
    }
    String out = sink.toString(StandardCharsets.UTF_8);
    assertThat(out).isEqualTo("535 \\u001b[2J\\u001b]0;owned\\u0007bad\\u000dline\\u009b31m\\u0085end\\u007fé\n");
    assertThat(out.chars().filter(c -> c < 0x20 && c != '\n').count()).isZero();
  }
}
