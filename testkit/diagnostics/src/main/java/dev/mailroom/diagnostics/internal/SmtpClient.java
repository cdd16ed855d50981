package dev.mailroom.diagnostics.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small line-based SMTP client for the diagnostics: each reply is read within one deadline (the read
 * timeout), with at most {@link #MAX_REPLY_LINES} lines of at most {@link LineChannel#MAX_LINE} bytes, and
 * no NUL or bare CR. Every line goes to the transcript; callers pass the redacted form of lines that carry
 * secrets, and reply lines are scrubbed of the registered secrets before anything else sees them (a server
 * may echo a password).
 * Not thread-safe.
 */
public final class SmtpClient implements Closeable {
  /** The most lines accepted in one reply (EHLO lists are the longest legitimate ones). */
  public static final int MAX_REPLY_LINES = 200;

  private final LineChannel channel;
  private final Transcript transcript;
  private final Duration readTimeout;

  /**
   * @param transcript the transcript
   * @param readTimeout the deadline for each reply
   */
  public SmtpClient(Transcript transcript, Duration readTimeout) {
    this.transcript = transcript;
    this.channel = new LineChannel(transcript);
    this.readTimeout = readTimeout;
  }

  /** Connects. */
  public void connect(InetAddress address, int port, Duration timeout) throws IOException {
    channel.connect(address, port, timeout);
  }

  /** Starts TLS (implicit or after STARTTLS); see {@link LineChannel#startTls}. */
  public SSLSocket startTls(SSLContext context, String host, int port, boolean checkHostName)
      throws IOException {
    return channel.startTls(context, host, port, checkHostName, readTimeout);
  }

  /** The line channel underneath. */
  public LineChannel channel() {
    return channel;
  }

  /** Sends a command; {@code shown} replaces it in the transcript when not null. */
  public void send(String command, String shown) throws IOException {
    channel.writeLine(command, shown);
  }

  /** Sends a command and reads the reply. */
  public SmtpReply command(String command) throws IOException {
    send(command, null);
    return read();
  }

  /** Reads one reply within the read timeout. */
  public SmtpReply read() throws IOException {
    return read(readTimeout);
  }

  /** True once the server sent a valid SMTP reply. */
  private boolean greeted;

  /** The server's answer is not an SMTP reply: this port does not answer like a mail server. */
  public static final class NotSmtp extends LineChannel.ProtocolViolation {
    private static final long serialVersionUID = 1L;

    NotSmtp() {
      super("the answer is not an SMTP reply: this port does not answer like a mail server");
    }
  }

  /**
   * Reads one reply within {@code timeout}.
   *
   * @throws LineChannel.ProtocolViolation if a line is not {@code ddd[ -]text}, the codes of a multi-line
   *     reply differ, or the reply is too long
   */
  public SmtpReply read(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> lines = new ArrayList<>();
    int code = -1;
    while (true) {
      // a server may echo what it was sent: nothing it says reaches a report before the secrets are removed
      String raw = channel.readLine(deadline);
      String line = transcript.scrub(raw);
      if (line.length() < 3 || !isDigit(line.charAt(0)) || !isDigit(line.charAt(1)) || !isDigit(line.charAt(2))
          || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')
          || line.charAt(0) < '2' || line.charAt(0) > '5') {
        // its words are not quoted anywhere: before a greeting, this is not a mail server at all (SSH, a
        // database, a web server...); after one, a mail server broke the protocol
        transcript.received("(" + raw.length() + " characters that are not an SMTP reply, not shown)");
        if (!greeted) {
          throw new NotSmtp();
        }
        throw new LineChannel.ProtocolViolation("the server sent a line that is not an SMTP reply");
      }
      greeted = true;
      transcript.received(line);
      int c = Integer.parseInt(line.substring(0, 3));
      if (code >= 0 && c != code) {
        throw new LineChannel.ProtocolViolation("the lines of one SMTP reply have different codes: " + code
            + " and " + c);
      }
      code = c;
      lines.add(line.length() > 4 ? line.substring(4) : "");
      if (line.length() == 3 || line.charAt(3) == ' ') {
        return new SmtpReply(code, lines);
      }
      if (lines.size() >= MAX_REPLY_LINES) {
        throw new LineChannel.ProtocolViolation("the server sent more than " + MAX_REPLY_LINES
            + " lines in one reply");
      }
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Closes the connection; never throws. */
  @Override
  public void close() {
    channel.close();
  }
}
