package dev.mailroom.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Jazzer fuzz tests of the SMTP sender's two parsers facing the outside: the reply parser and the wire form
 * of a message. In a normal test run they replay the inputs kept under
 * {@code src/test/resources/dev/mailroom/smtp/internal/SmtpFuzzTestInputs/<method>/} (regression mode);
 * with {@code JAZZER_FUZZ=1} they fuzz.
 */
class SmtpFuzzTest {
  private static final Pattern LINE = Pattern.compile("[2-5][0-9]{2}([ -][^\\r\\n\\x00]*)?\\r?\\n",
      Pattern.DOTALL);

  /**
   * Whatever bytes a server sends, split into reads however it likes: the parser hands out only complete,
   * well-formed reply lines (code 200-599, one code per reply, no NUL, no bare CR, bounded length and
   * count), and otherwise fails with an IOException, after reading a bounded number of bytes.
   */
  @FuzzTest(maxDuration = "4m")
  void replyParser(FuzzedDataProvider data) {
    int chunk = data.consumeInt(1, 64);
    byte[] bytes = data.consumeRemainingAsBytes();
    int[] served = new int[1];
    InputStream in = new InputStream() {
      @Override
      public int read() {
        return served[0] < bytes.length ? bytes[served[0]++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (served[0] >= bytes.length) {
          return -1;
        }
        int n = Math.min(Math.min(len, chunk), bytes.length - served[0]);
        System.arraycopy(bytes, served[0], b, off, n);
        served[0] += n;
        return n;
      }
    };
    Wire wire = ReplyInputStreamTest.wire();
    ReplyInputStream replies = new ReplyInputStream(in, wire, false);
    StringBuilder line = new StringBuilder();
    int code = -1;
    int lines = 0;
    try {
      // every byte of the input is read at most once, so this ends; the bound is only a guard
      for (int i = 0; i <= bytes.length + 1; i++) {
        int c = replies.read();
        assertThat(c).isNotNegative();
        line.append((char) c);
        if (c != '\n') {
          assertThat(line.length()).isLessThanOrEqualTo(ReplyInputStream.MAX_LINE + 2);
          continue;
        }
        String l = line.toString();
        assertThat(LINE.matcher(l).matches()).as("a well-formed reply line: %s", l).isTrue();
        int lineCode = Integer.parseInt(l.substring(0, 3));
        if (code >= 0) {
          assertThat(lineCode).isEqualTo(code);
        }
        lines++;
        assertThat(lines).isLessThanOrEqualTo(ReplyInputStream.MAX_LINES);
        boolean last = l.charAt(3) != '-';
        code = last ? -1 : lineCode;
        lines = last ? 0 : lines;
        line.setLength(0);
      }
      throw new AssertionError("the parser read past the end of the input");
    } catch (GuardException | EOFException e) {
      // failed closed
      assertThat(line.length()).as("only complete lines are handed out").isZero();
    } catch (IOException e) {
      throw new AssertionError("unexpected failure", e);
    }
    assertThat(served[0]).isLessThanOrEqualTo(bytes.length);
    assertThat(wire.exchanges()).allSatisfy(x -> assertThat(x.code()).isBetween(200, 599));
  }

  /**
   * Whatever subject, names, header value, file name and bodies the email builder accepts: on the wire in
   * DATA only CRLF, no line over 998 octets, dots stuffed and exactly one {@code CRLF.CRLF}, at the end; the
   * content is exactly the message after un-stuffing; the headers hold no unencoded control character.
   */
  @FuzzTest(maxDuration = "4m")
  void wireForm(FuzzedDataProvider data) throws Exception {
    String subject = data.consumeString(1200);
    String name = data.consumeString(1200);
    String value = data.consumeString(1200);
    String filename = data.consumeString(300);
    String text = data.consumeString(3000);
    String html = data.consumeRemainingAsString();
    Email.Builder b = Email.builder().to("customer@example.com");
    accept(() -> b.subject(subject));
    accept(() -> b.header("X-Fuzz", value));
    accept(() -> b.to(List.of(Address.of("named@example.com", name))));
    accept(() -> b.from(Address.of("billing@acme.example", name)));
    accept(() -> b.replyTo(name));
    accept(() -> b.attach(Attachment.ofBytes(filename, "application/pdf", new byte[] {1, 2, 3})));
    accept(() -> b.text(text));
    accept(() -> b.html(html));
    Email email = b.build();
    PreparedMessage p;
    try {
      p = PreparedMessage.of(WireForm.CFG, WireForm.request(email));
    } catch (IllegalArgumentException e) {
      // refused before any connection: fine, as long as it is a clear refusal
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    byte[] content = WireForm.content(p);
    byte[] unstuffed = WireForm.check(WireForm.data(p));
    String c = new String(content, StandardCharsets.ISO_8859_1);
    String expected = c.endsWith("\r\n") ? c : c + "\r\n";
    assertThat(new String(unstuffed, StandardCharsets.ISO_8859_1)).isEqualTo(expected);
    String head = c.substring(0, c.indexOf("\r\n\r\n"));
    for (String l : head.split("\r\n")) {
      for (int i = 0; i < l.length(); i++) {
        char ch = l.charAt(i);
        // ASCII only, unless the message needs SMTPUTF8 (then UTF-8 in addresses)
        assertThat(ch == '\t' || (ch >= 0x20 && ch != 0x7f && (ch < 0x7f || p.utf8)))
            .as("header byte %d in %s", (int) ch, l).isTrue();
      }
    }
  }

  private static void accept(Runnable r) {
    try {
      r.run();
    } catch (IllegalArgumentException e) {
      // refused input is fine
    }
  }
}
