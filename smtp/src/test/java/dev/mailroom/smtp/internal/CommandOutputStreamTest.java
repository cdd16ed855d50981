package dev.mailroom.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.EmailSettings;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.TlsMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
}
