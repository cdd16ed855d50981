package dev.mailroom.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Address;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.TlsMode;
import dev.mailroom.spi.SendRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.angus.mail.smtp.SMTPOutputStream;

/**
 * Test support: the bytes of a message exactly as they go on the wire between the server's 354 and its
 * reply to the final dot, written the way the transport writes them (Angus's dot-stuffing
 * {@link SMTPOutputStream} over Mailroom's {@link CommandOutputStream} in data mode, then {@code .}).
 */
final class WireForm {
  static final SmtpConfig CFG = new SmtpConfig(EmailSettings.builder().protocol(Protocol.SMTP)
      .host("127.0.0.1").port(2525).tlsMode(TlsMode.NONE).emailAddress("billing@acme.example").build(),
      MailerOptions.ofDefaults().senderContext());

  private WireForm() {}

  static SendRequest request(Email email) {
    Email e = email.from().isPresent() ? email
        : email.toBuilder().from(Address.of("billing@acme.example", "Acme Ltd")).build();
    return new SendRequest(e, Address.of(e.from().get().email()), e.recipients(), Optional.empty(), 1);
  }

  /** The message as {@link OutgoingMessage#writeTo} writes it, before SMTP's dot-stuffing. */
  static byte[] content(PreparedMessage p) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.message(CFG.session(p.utf8)).writeTo(out);
    return out.toByteArray();
  }

  /** The DATA bytes on the wire, end-of-data included. */
  static byte[] data(PreparedMessage p) throws Exception {
    Wire wire = new Wire(CFG);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    CommandOutputStream out = wire.commandStream(sink, false);
    out.enterData();
    SMTPOutputStream smtp = new SMTPOutputStream(out);
    p.message(CFG.session(p.utf8)).writeTo(smtp);
    smtp.ensureAtBOL();
    out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
    out.push();
    assertThat(wire.dataEnded()).as("the end of data was recognized and written").isTrue();
    return sink.toByteArray();
  }

  /**
   * Checks the wire rules and returns the content after un-stuffing: only CRLF line ends, no line longer
   * than 998 octets, exactly one end of data and it is at the end, no NUL.
   */
  static byte[] check(byte[] data) {
    int lineStart = 0;
    for (int i = 0; i < data.length; i++) {
      byte b = data[i];
      assertThat(b).as("NUL at %d", i).isNotEqualTo((byte) 0);
      if (b == '\r') {
        assertThat(i + 1 < data.length && data[i + 1] == '\n').as("bare CR at %d", i).isTrue();
      } else if (b == '\n') {
        assertThat(i > 0 && data[i - 1] == '\r').as("bare LF at %d", i).isTrue();
        assertThat(i - 1 - lineStart).as("line at %d longer than 998 octets: %s", lineStart,
            new String(data, lineStart, Math.min(80, i - lineStart), StandardCharsets.ISO_8859_1))
            .isLessThanOrEqualTo(998);
        lineStart = i + 1;
      }
    }
    assertThat(lineStart).as("data ends with a line end").isEqualTo(data.length);
    String text = new String(data, StandardCharsets.ISO_8859_1);
    assertThat(text).endsWith("\r\n.\r\n");
    assertThat(text.indexOf("\r\n.\r\n")).as("exactly one end of data").isEqualTo(text.length() - 5);
    assertThat(text).doesNotStartWith(".\r\n");
    // un-stuff: a line that starts with a dot had one added
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
    boolean bol = true;
    for (int i = 0; i < data.length - 3; i++) {
      if (bol && data[i] == '.') {
        bol = false;
        continue;
      }
      out.write(data[i]);
      bol = data[i] == '\n';
    }
    return out.toByteArray();
  }
}
