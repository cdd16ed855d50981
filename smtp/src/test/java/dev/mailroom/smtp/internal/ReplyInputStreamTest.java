package dev.mailroom.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.TlsMode;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reply parser on its own: only checked, complete reply lines get through, however the bytes arrive. */
class ReplyInputStreamTest {
  private static final SmtpConfig CFG = new SmtpConfig(EmailSettings.builder().protocol(Protocol.SMTP)
      .host("127.0.0.1").port(2525).tlsMode(TlsMode.NONE).emailAddress("billing@acme.example").build(),
      MailerOptions.ofDefaults().senderContext());

  static Wire wire() {
    return new Wire(CFG);
  }

  /** Hands out {@code data} in reads of at most {@code chunk} bytes, then the end of the stream. */
  static InputStream chunked(byte[] data, int chunk) {
    return new InputStream() {
      int pos;

      @Override
      public int read() {
        return pos < data.length ? data[pos++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= data.length) {
          return -1;
        }
        int n = Math.min(Math.min(len, chunk), data.length - pos);
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  /** Reads like Angus does (byte by byte, line by line) until the stream fails; returns what it got. */
  static String drain(ReplyInputStream in, StringBuilder got) throws IOException {
    while (true) {
      int c = in.read();
      if (c < 0) {
        return got.toString();
      }
      got.append((char) c);
    }
  }

  static ReplyInputStream stream(String text, int chunk) {
    return new ReplyInputStream(chunked(text.getBytes(StandardCharsets.ISO_8859_1), chunk), wire(), false);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 8192})
  void aCrFollowedByAnotherReplyIsRefusedHoweverTheBytesAreSplit(int chunk) {
    // "220 hi" CR "250 forged": Angus's line reader would split at the bare CR and read a forged reply
    StringBuilder got = new StringBuilder();
    ReplyInputStream in = stream("220 hi\r250 forged\r\n", chunk);
    assertThatThrownBy(() -> drain(in, got)).isInstanceOf(GuardException.class)
        .hasMessage("The server sent a CR without LF in a reply")
        .satisfies(e -> assertThat(((GuardException) e).category()).isEqualTo(FailureCategory.PROTOCOL));
    assertThat(got).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 8192})
  void wellFormedRepliesPassUnchanged(int chunk) throws IOException {
    String replies = "220 mail.example ESMTP\r\n250-mail.example\r\n250-PIPELINING\r\n250 SIZE 1000\r\n250 ok\n";
    Wire w = wire();
    ReplyInputStream in = new ReplyInputStream(chunked(replies.getBytes(StandardCharsets.US_ASCII), chunk), w,
        false);
    StringBuilder got = new StringBuilder();
    assertThatThrownBy(() -> drain(in, got)).isInstanceOf(EOFException.class);
    assertThat(got.toString()).isEqualTo(replies);
    assertThat(w.exchanges()).extracting(Wire.Exchange::code).containsExactly(220, 250, 250);
  }

  @Test
  void bytesAfterAReplyAreNotHandedOutUntilTheNextReplyIsRead() throws IOException {
    ReplyInputStream in = stream("220 ready\r\n250-injected\r\n250 more\r\n", 8192);
    byte[] b = new byte[100];
    int n = in.read(b, 0, b.length);
    assertThat(new String(b, 0, n, StandardCharsets.US_ASCII)).isEqualTo("220 ready\r\n");
    assertThat(in.available()).isZero();
    // STARTTLS: what came with the 220 is dropped, never read
    assertThat(in.discardUnread()).isEqualTo("250-injected\r\n250 more\r\n".length());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2x0 hello\r\n", "600 too high\r\n", "199 too low\r\n", "25\r\n", "250hello\r\n",
      "250 a\0b\r\n", "220 hello\r250 more\r", "250-a\r\n354 b\r\n", "\r\n", "HTTP/1.1 400 Bad Request\r\n"})
  void malformedRepliesFailClosed(String reply) {
    for (int chunk : new int[] {1, 8192}) {
      StringBuilder got = new StringBuilder();
      ReplyInputStream in = stream(reply, chunk);
      assertThatThrownBy(() -> drain(in, got)).as(reply).isInstanceOf(GuardException.class);
      assertThat(got.toString()).as(reply).doesNotContain("\0").doesNotContainPattern("\r[^\n]");
      // after a violation the stream stays failed
      assertThatThrownBy(in::read).isInstanceOf(IOException.class);
    }
  }

  @Test
  void overlongLinesManyLinesAndHugeRepliesAreRefused() {
    assertThatThrownBy(() -> drain(stream("250 " + "x".repeat(100_000) + "\r\n", 8192), new StringBuilder()))
        .hasMessage("The server sent a reply line longer than 2048 bytes");
    assertThatThrownBy(() -> drain(stream("250-x\r\n".repeat(1000) + "250 x\r\n", 8192), new StringBuilder()))
        .hasMessage("The server sent a reply of more than 100 lines");
    String wide = ("250-" + "y".repeat(2000) + "\r\n").repeat(20) + "250 end\r\n";
    assertThatThrownBy(() -> drain(stream(wide, 8192), new StringBuilder()))
        .hasMessage("The server sent a reply of more than 32768 bytes");
  }

  @Test
  void anEndlessStreamIsCutAfterABoundedNumberOfBytes() {
    // an endless run of continuation lines: the parser stops long before memory matters
    long[] served = new long[1];
    InputStream endless = new InputStream() {
      final byte[] line = "250-PIPELINING\r\n".getBytes(StandardCharsets.US_ASCII);

      @Override
      public int read() {
        return line[(int) (served[0]++ % line.length)];
      }

      @Override
      public int read(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
          b[off + i] = (byte) read();
        }
        return len;
      }
    };
    ReplyInputStream in = new ReplyInputStream(endless, wire(), false);
    assertThatThrownBy(() -> drain(in, new StringBuilder())).isInstanceOf(GuardException.class);
    assertThat(served[0]).isLessThan(64 * 1024);
  }

  @Test
  void theEndOfTheStreamInTheMiddleOfAReplyIsAnEof() {
    assertThatThrownBy(() -> drain(stream("250-first\r\n250 sec", 3), new StringBuilder()))
        .isInstanceOf(EOFException.class).hasMessage("The server closed the connection in the middle of a reply");
  }

  @ParameterizedTest(name = "reads of {0} bytes")
  @ValueSource(ints = {1, 3, 8192})
  void wholeRepliesReadPastAngusAreCheckedAndRecordedAlike(int chunk) throws IOException {
    Wire w = wire();
    byte[] data = ("250-first\r\n250 2.1.0 Ok\r\n354 go\r\n250 2.0.0 Ok: queued\r\n250-bad\r\n251 mixed\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    w.replyStream(chunked(data, chunk), false);
    assertThat(w.readReply()).isEqualTo(250);
    assertThat(w.readReply()).isEqualTo(354);
    assertThat(w.readReply()).isEqualTo(250);
    assertThat(w.exchanges()).hasSize(3);
    assertThat(w.lastExchange().reply().toString()).isEqualTo("250 2.0.0 Ok: queued");
    // the next reply mixes codes: refused before anything of it counts
    assertThatThrownBy(w::readReply).isInstanceOf(GuardException.class)
        .hasMessageContaining("different codes");
    assertThat(w.violation()).isNotNull();
    assertThatThrownBy(w::readReply).isInstanceOf(IOException.class);
  }
}
