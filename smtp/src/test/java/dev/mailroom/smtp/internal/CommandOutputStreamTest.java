package dev.mailroom.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.EmailSettings;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.TlsMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.eclipse.angus.mail.smtp.SMTPOutputStream;
import org.junit.jupiter.api.Test;

/** The output side of the socket layer: only complete, CRLF-terminated, allowed commands leave. */
class CommandOutputStreamTest {
  private final ByteArrayOutputStream sink = new ByteArrayOutputStream();

  private CommandOutputStream stream(TlsMode mode) {
    Wire wire = new Wire(new SmtpConfig(EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1")
        .port(2525).tlsMode(mode).verifyTlsCertificate(mode == TlsMode.NONE)
        .emailAddress("billing@acme.example").build(), MailerOptions.ofDefaults().senderContext()));
    return wire.commandStream(sink, false);
  }

  private static void write(CommandOutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    out.push();
  }

  private String sent() {
    return sink.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void aCommandEndingInABareLfIsRefusedAndNothingOfItLeaves() throws IOException {
    CommandOutputStream out = stream(TlsMode.NONE);
    write(out, "EHLO [127.0.0.1]\r\n");
    assertThatThrownBy(() -> write(out, "MAIL FROM:<a@x.example>\nRCPT TO:<evil@x.example>\r\n"))
        .isInstanceOf(GuardException.class).hasMessage("Refusing to send a command that ends with a bare LF");
    assertThat(sent()).isEqualTo("EHLO [127.0.0.1]\r\n");
    // the connection is done: only QUIT may still go out
    assertThatThrownBy(() -> write(out, "NOOP\r\n")).isInstanceOf(GuardException.class);
  }

  /** Mailroom's own commands take the same checks as bytes written to the stream. */
  @Test
  void commandsWrittenAsTextTakeTheSameChecks() throws IOException {
    CommandOutputStream out = stream(TlsMode.NONE);
    out.command("EHLO [127.0.0.1]");
    out.command("MAIL FROM:<a@x.example> SIZE=100");
    assertThat(sent()).isEqualTo("EHLO [127.0.0.1]\r\nMAIL FROM:<a@x.example> SIZE=100\r\n");
    // one command: a line break inside is refused, even a CRLF (as bytes it would make two valid commands)
    assertThatThrownBy(() -> out.command("RCPT TO:<b@x.example>\r\nRCPT TO:<evil@x.example>"))
        .isInstanceOf(GuardException.class).hasMessage("Refusing to send a command with a CR or LF inside");
    assertThat(sent()).isEqualTo("EHLO [127.0.0.1]\r\nMAIL FROM:<a@x.example> SIZE=100\r\n");
    for (String bad : new String[] {"MAIL FROM:<a@x.example>\rRCPT TO:<b@x.example>",
        "MAIL FROM:<a@x.example>\nRCPT TO:<b@x.example>", "MAIL FROM:<a@x.example>\n"}) {
      CommandOutputStream o = stream(TlsMode.NONE);
      assertThatThrownBy(() -> o.command(bad)).isInstanceOf(GuardException.class)
          .hasMessage("Refusing to send a command with a CR or LF inside");
    }
    CommandOutputStream out3 = stream(TlsMode.NONE);
    assertThatThrownBy(() -> out3.command("MAIL FROM:<a\0@x.example>")).isInstanceOf(GuardException.class)
        .hasMessage("Refusing to send a command with a CR or NUL inside");
    assertThat(sent()).isEqualTo("EHLO [127.0.0.1]\r\nMAIL FROM:<a@x.example> SIZE=100\r\n");
    // not ASCII (SMTPUTF8): encoded as UTF-8, the same checks
    CommandOutputStream out4 = stream(TlsMode.NONE);
    sink.reset();
    out4.command("RCPT TO:<r\u00e9sum\u00e9@x.example>");
    assertThat(sink.toByteArray()).isEqualTo("RCPT TO:<r\u00e9sum\u00e9@x.example>\r\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aCrOrNulInsideACommandIsRefused() {
    CommandOutputStream out = stream(TlsMode.NONE);
    assertThatThrownBy(() -> write(out, "MAIL FROM:<a@x.example>\rRCPT TO:<b@x.example>\r\n"))
        .isInstanceOf(GuardException.class).hasMessage("Refusing to send a command with a CR or NUL inside");
    CommandOutputStream out2 = stream(TlsMode.NONE);
    assertThatThrownBy(() -> write(out2, "MAIL FROM:<a\0@x.example>\r\n")).isInstanceOf(GuardException.class);
    assertThat(sent()).isEmpty();
  }

  @Test
  void authAndMailAreRefusedBeforeTls() throws IOException {
    for (String command : new String[] {"AUTH PLAIN AGJpbGxpbmcAcHc=", "MAIL FROM:<a@x.example>",
        "RCPT TO:<a@x.example>", "DATA", "VRFY a", "XCLIENT ADDR=1.2.3.4"}) {
      sink.reset();
      CommandOutputStream out = stream(TlsMode.STARTTLS);
      write(out, "EHLO [127.0.0.1]\r\n");
      assertThatThrownBy(() -> write(out, command + "\r\n")).as(command).isInstanceOf(GuardException.class)
          .hasMessageStartingWith("Refusing to send");
      assertThat(sent()).isEqualTo("EHLO [127.0.0.1]\r\n");
    }
  }

  @Test
  void inDataOnlyCrlfLeavesAndTheEndOfDataIsRecognizedOnce() throws IOException {
    CommandOutputStream out = stream(TlsMode.NONE);
    out.enterData();
    write(out, "Subject: x\r\n\r\n..stuffed\r\nbody\r\n.\r\n");
    assertThat(sent()).endsWith("body\r\n.\r\n");
    for (String bad : new String[] {"a\nb\r\n", "a\rb\r\n", "a\r\r\n"}) {
      CommandOutputStream data = stream(TlsMode.NONE);
      data.enterData();
      assertThatThrownBy(() -> write(data, bad)).as(bad).isInstanceOf(GuardException.class)
          .hasMessageStartingWith("Refusing to send a bare");
    }
  }

  @Test
  void theMessageStreamNormalizesLineEndsStuffsDotsAndTheEndOfDataFollowsOnce() throws IOException {
    CommandOutputStream out = stream(TlsMode.NONE);
    assertThatThrownBy(out::message).as("before the 354").isInstanceOf(IOException.class);
    out.enterData();
    OutputStream m = out.message();
    for (String piece : new String[] {"Subject: x\n\n.dot\r", "\nline\rlast", " line.", "\r", "\n.", "\r\n.\r\n",
        "x"}) {
      m.write(piece.getBytes(StandardCharsets.ISO_8859_1));
    }
    m.flush();
    assertThat(sent()).as("nothing leaves before the end of data").isEmpty();
    out.endMessage();
    write(out, ".\r\n");
    assertThat(sent()).isEqualTo("Subject: x\r\n\r\n..dot\r\nline\r\nlast line.\r\n..\r\n..\r\nx\r\n.\r\n");
    // command mode again: the next command is checked as a command
    assertThatThrownBy(() -> write(out, "RSET\n")).isInstanceOf(GuardException.class);
  }

  /** The eight-bytes-at-a-time search finds the first CR or LF wherever it is, as a byte loop does. */
  @Test
  void nextBreakFindsTheFirstLineBreak() {
    Random random = new Random(26);
    for (int n = 0; n < 20_000; n++) {
      byte[] b = new byte[random.nextInt(40)];
      for (int i = 0; i < b.length; i++) {
        int k = random.nextInt(30);
        b[i] = k == 0 ? (byte) '\r' : k == 1 ? (byte) '\n' : (byte) (random.nextInt(256));
      }
      int from = b.length == 0 ? 0 : random.nextInt(b.length);
      int end = from + random.nextInt(b.length - from + 1);
      int expected = from;
      while (expected < end && b[expected] != '\r' && b[expected] != '\n') {
        expected++;
      }
      assertThat(CommandOutputStream.nextBreak(b, from, end)).isEqualTo(expected);
    }
  }

  @Test
  void theMessageStreamWritesWhatAngusWouldForAnyInputAndAnySplit() throws IOException {
    Random random = new Random(16);
    byte[] alphabet = {'a', '.', '\r', '\n', ' ', (byte) 0xc3};
    // one connection's stream, message after message
    CommandOutputStream out = stream(TlsMode.NONE);
    for (int round = 0; round < 300; round++) {
      // the first is larger than the output buffer, written in large pieces
      byte[] content = new byte[round == 0 ? 200_000 : random.nextInt(random.nextBoolean() ? 40 : 20_000)];
      // every other round mostly long runs without line breaks (base64 lines, long text lines)
      boolean sparse = round % 2 == 1;
      for (int i = 0; i < content.length; i++) {
        content[i] = sparse && random.nextInt(40) != 0 ? (byte) ('A' + random.nextInt(26))
            : alphabet[random.nextInt(alphabet.length)];
      }
      ByteArrayOutputStream angus = new ByteArrayOutputStream();
      SMTPOutputStream reference = new SMTPOutputStream(angus);
      reference.write(content);
      reference.ensureAtBOL();
      angus.write(".\r\n".getBytes(StandardCharsets.US_ASCII));

      sink.reset();
      out.enterData();
      OutputStream m = out.message();
      for (int off = 0; off < content.length; ) {
        int n = Math.min(content.length - off, 1 + random.nextInt(round == 0 ? 70_000 : random.nextBoolean() ? 3 : 9_000));
        m.write(content, off, n);
        off += n;
      }
      out.endMessage();
      write(out, ".\r\n");
      assertThat(sink.toByteArray()).as("round " + round).isEqualTo(angus.toByteArray());
    }
  }
}
