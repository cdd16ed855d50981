package dev.mailroom.diagnostics.internal;

import dev.mailroom.internal.TlsPolicy;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A client connection that reads lines with hard limits: every line at most {@link #MAX_LINE} bytes, every
 * read bounded by a deadline (a server that sends one byte just before each read timeout still fails when
 * the deadline passes). Used by the diagnostics for SMTP and for the HTTP check request. Not thread-safe.
 */
public final class LineChannel implements Closeable {
  /** The longest line accepted, in bytes, without the line end. */
  public static final int MAX_LINE = 4096;

  private final Transcript transcript;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private boolean tls;
  private SSLSession tlsSession;

  /**
   * @param transcript where sent and received lines are recorded
   */
  public LineChannel(Transcript transcript) {
    this.transcript = transcript;
  }

  /** Thrown when the server breaks the protocol's framing: an overlong line, a NUL byte, garbage. */
  public static class ProtocolViolation extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, without secrets
     */
    public ProtocolViolation(String message) {
      super(message);
    }
  }

  /** Connects with a timeout; TCP_NODELAY on. */
  public void connect(InetAddress address, int port, Duration timeout) throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(address, port), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    } catch (IOException e) {
      s.close();
      throw e;
    }
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 8192);
    out = s.getOutputStream();
  }

  /** The connected socket, or null. */
  public Socket socket() {
    return socket;
  }

  /** True once TLS is up. */
  public boolean isTls() {
    return tls;
  }

  /**
   * Starts TLS over the connected socket and completes the handshake within {@code timeout}.
   *
   * @param context the TLS context (its trust manager decides about the certificate)
   * @param host the server name, for SNI and the host name check
   * @param port the port
   * @param checkHostName whether the certificate must match {@code host}
   * @param timeout the handshake timeout
   * @return the TLS socket
   */
  public SSLSocket startTls(SSLContext context, String host, int port, boolean checkHostName, Duration timeout)
      throws IOException {
    SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
    // the one TLS policy of the senders: protocols, host name check, SNI
    ssl.setSSLParameters(TlsPolicy.apply(ssl.getSSLParameters(), host, checkHostName, ssl.getSupportedProtocols()));
    ssl.setUseClientMode(true);
    ssl.setSoTimeout(millis(timeout));
    socket = ssl;
    in = new BufferedInputStream(ssl.getInputStream(), 8192);
    out = ssl.getOutputStream();
    ssl.startHandshake();
    tlsSession = ssl.getSession();
    TlsPolicy.checkPeer(tlsSession, host, checkHostName);
    tls = true;
    transcript.tls(true);
    return ssl;
  }

  /**
   * The session of the handshake {@link #startTls} finished, also when the policy then refused it (so the
   * certificate can be shown); null if no handshake finished.
   */
  public SSLSession tlsSession() {
    return tlsSession;
  }

  /** True if the server has already sent bytes that were not read (e.g. right after a reply). */
  public boolean hasPendingInput() throws IOException {
    return in.available() > 0;
  }

  /** Writes one line with CRLF; the transcript shows {@code shown} instead when it is not null. */
  public void writeLine(String line, String shown) throws IOException {
    transcript.sent(shown != null ? shown : line);
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Writes raw bytes (message content); the transcript is the caller's business. */
  public void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /**
   * Reads one line (without its line end) before {@code deadlineNanos} ({@link System#nanoTime()} based).
   * Accepts CRLF and bare LF as line ends; a CR followed by anything but LF is a protocol violation.
   *
   * @return the line, decoded as UTF-8
   * @throws SocketTimeoutException when the deadline passes
   * @throws EOFException when the server closes the connection
   * @throws ProtocolViolation for an overlong line, a NUL byte or a bare CR
   */
  public String readLine(long deadlineNanos) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    boolean cr = false;
    while (true) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("Read timed out");
      }
      socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the server closed the connection");
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n = bytes.length;
        if (n > 0 && bytes[n - 1] == '\r') {
          n--;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
      }
      if (b == 0) {
        throw new ProtocolViolation("the server sent a NUL byte");
      }
      if (cr) {
        // a CR must be followed by LF: a bare CR would be a line end to some readers and not to others
        throw new ProtocolViolation("the server sent a CR without LF");
      }
      cr = b == '\r';
      if (line.size() >= MAX_LINE) {
        throw new ProtocolViolation("the server sent a line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
  }

  /**
   * Reads up to {@code max} bytes, stopping at end of stream or when {@code limit} bytes were read.
   *
   * @param limit how many bytes to read, or -1 for up to end of stream
   * @param max the cap
   * @param deadlineNanos the deadline
   * @return the bytes
   */
  public byte[] readBytes(long limit, int max, long deadlineNanos) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    long want = limit < 0 ? max : Math.min(limit, max);
    while (b.size() < want) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("Read timed out");
      }
      socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
      int n = in.read(buf, 0, (int) Math.min(buf.length, want - b.size()));
      if (n < 0) {
        break;
      }
      b.write(buf, 0, n);
    }
    return b.toByteArray();
  }

  /** Closes the connection; never throws. */
  @Override
  public void close() {
    Socket s = socket;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }
}
