package dev.mailroom.smtp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The TCP connection under Angus: a {@link Socket} that delegates to a plain JDK socket and adds what
 * Angus lacks. Reads never wait past the deadline of the reply being read (the whole reply, not each
 * read), and writes never block past the write timeout: the {@link Watchdog} closes the socket of a read or
 * write still blocked after its deadline (it checks every 100 ms, so a timeout ends up to 100 ms late), and
 * the read or write fails with a {@link SocketTimeoutException}. The socket itself has no read timeout
 * ({@code SO_TIMEOUT} 0): with one, the JDK makes the socket non-blocking and every read that has to wait
 * costs a failed read and a {@code poll} before the read that gets the reply; without it a read waits in
 * one system call (two fewer per reply, about 15 % of the CPU of a small message). TCP_NODELAY is on. Until TLS is layered on top it hands Angus the SMTP streams ({@link ReplyInputStream},
 * {@link CommandOutputStream}); once TLS is layered it hands the TLS engine the raw, deadline-guarded
 * streams.
 */
final class TcpSocket extends Socket implements Watchdog.Task {
  private final Socket raw;
  private final Wire wire;
  private volatile long writeDeadline;
  private volatile boolean writeTimedOut;
  /** When the read in progress must have ended ({@link System#nanoTime()}), or 0 while no read waits. */
  private volatile long readDeadline;
  private volatile boolean readTimedOut;
  private volatile boolean registered;
  private InputStream transportIn;
  private OutputStream transportOut;
  private ReplyInputStream smtpIn;
  private CommandOutputStream smtpOut;
  private boolean tlsLayered;

  TcpSocket(Wire wire) {
    this(new Socket(), wire);
  }

  private TcpSocket(Socket raw, Wire wire) {
    this.raw = raw;
    this.wire = wire;
  }

  /** Wraps a socket that is already connected (Angus connects it itself for implicit TLS). */
  static TcpSocket wrapConnected(Socket raw, Wire wire) throws IOException {
    TcpSocket s = new TcpSocket(raw, wire);
    s.afterConnect();
    return s;
  }

  @Override
  public void connect(SocketAddress endpoint) throws IOException {
    connect(endpoint, 0);
  }

  @Override
  public void connect(SocketAddress endpoint, int timeout) throws IOException {
    // the address the destination policy checked, never a second lookup of the name (DNS rebinding)
    List<InetAddress> checked = wire.destinations();
    SocketAddress target = endpoint;
    if (checked != null && !checked.isEmpty() && endpoint instanceof InetSocketAddress) {
      target = new InetSocketAddress(checked.get(0), ((InetSocketAddress) endpoint).getPort());
    }
    raw.connect(target, timeout);
    afterConnect();
  }

  private void afterConnect() throws IOException {
    raw.setTcpNoDelay(true);
    raw.setKeepAlive(true);
    // blocking reads: the watchdog enforces the reply deadline (see the class comment)
    raw.setSoTimeout(0);
    Watchdog.SHARED.register(this);
    registered = true;
    wire.connected(this);
  }

  /**
   * Records a timeout with the wire (the failure is built from it, not from what Angus wraps it in, and the
   * connection is not reused) and returns it to be thrown.
   */
  private SocketTimeoutException timedOut(String what, long timeoutNanos) {
    SocketTimeoutException e = new SocketTimeoutException(what + " " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
        + " ms");
    wire.ioFailure(e);
    return e;
  }

  // ------------------------------------------------------------------- streams

  @Override
  public synchronized InputStream getInputStream() throws IOException {
    if (tlsLayered) {
      return transport();
    }
    if (smtpIn == null) {
      smtpIn = wire.replyStream(transport(), false);
    }
    return smtpIn;
  }

  @Override
  public synchronized OutputStream getOutputStream() throws IOException {
    if (tlsLayered) {
      transport();
      return transportOut;
    }
    if (smtpOut == null) {
      transport();
      smtpOut = wire.commandStream(transportOut, false);
    }
    return smtpOut;
  }

  private InputStream transport() throws IOException {
    if (transportIn == null) {
      transportIn = new DeadlineInputStream(raw.getInputStream());
      transportOut = new DeadlineOutputStream(raw.getOutputStream());
    }
    return transportIn;
  }

  /**
   * Switches to TLS: from now on {@link #getInputStream()} gives the TLS engine the raw stream. Bytes that
   * arrived after the last reply (the server's answer to STARTTLS) are dropped, never read.
   *
   * @return how many bytes were dropped
   */
  synchronized int layerTls() throws IOException {
    int dropped = smtpIn == null ? 0 : smtpIn.discardUnread();
    if (smtpOut != null) {
      smtpOut.close();
    }
    transport();
    tlsLayered = true;
    return dropped;
  }

  // ------------------------------------------------------------------- watchdog

  @Override
  public void tick(long now) {
    long d = writeDeadline;
    if (d != 0 && now - d > 0 && !writeTimedOut) {
      writeTimedOut = true;
      closeRaw();
    }
    long r = readDeadline;
    if (r != 0 && now - r > 0 && !readTimedOut) {
      readTimedOut = true;
      closeRaw();
    }
  }

  private void closeRaw() {
    try {
      raw.close();
    } catch (IOException ignored) {
      // closing is all we can do
    }
  }

  private final class DeadlineInputStream extends InputStream {
    private final InputStream in;

    DeadlineInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (readTimedOut) {
        throw timeout();
      }
      long now = System.nanoTime();
      long deadline = wire.readDeadline;
      if (deadline == 0) {
        // no reply deadline (a TLS handshake, say): this read alone may take the read timeout
        deadline = now + wire.readTimeoutNanos();
      } else if (deadline - now <= 0) {
        throw timeout();
      }
      readDeadline = deadline;
      int n;
      try {
        n = in.read(b, off, len);
      } catch (IOException e) {
        if (readTimedOut) {
          throw timeout();
        }
        throw e;
      } finally {
        readDeadline = 0;
      }
      if (readTimedOut) {
        // the watchdog closed the socket under the read: the read then sees the end of the stream, or what the
        // server sent in answer to the close (the JDK shuts the output down first; a TLS server answers with an
        // alert), which is not a reply
        throw timeout();
      }
      return n;
    }

    private SocketTimeoutException timeout() {
      return timedOut("Read timed out: no complete reply within", wire.readTimeoutNanos());
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }

    @Override
    public void close() throws IOException {
      TcpSocket.this.close();
    }
  }

  private final class DeadlineOutputStream extends OutputStream {
    private final OutputStream out;

    DeadlineOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (writeTimedOut) {
        throw writeTimeout();
      }
      writeDeadline = System.nanoTime() + wire.writeTimeoutNanos();
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        if (writeTimedOut) {
          throw writeTimeout();
        }
        throw e;
      } finally {
        writeDeadline = 0;
      }
    }

    private SocketTimeoutException writeTimeout() {
      return timedOut("Write timed out: the server accepted no data for", wire.writeTimeoutNanos());
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      TcpSocket.this.close();
    }
  }

  // ------------------------------------------------------------------- delegation

  @Override
  public synchronized void close() throws IOException {
    try {
      raw.close();
    } finally {
      if (registered) {
        registered = false;
        Watchdog.SHARED.unregister(this);
      }
    }
  }

  @Override
  public void bind(SocketAddress bindpoint) throws IOException {
    raw.bind(bindpoint);
  }

  @Override
  public InetAddress getInetAddress() {
    return raw.getInetAddress();
  }

  @Override
  public InetAddress getLocalAddress() {
    return raw.getLocalAddress();
  }

  @Override
  public int getPort() {
    return raw.getPort();
  }

  @Override
  public int getLocalPort() {
    return raw.getLocalPort();
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return raw.getRemoteSocketAddress();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return raw.getLocalSocketAddress();
  }

  @Override
  public SocketChannel getChannel() {
    return null;
  }

  @Override
  public void setTcpNoDelay(boolean on) throws SocketException {
    raw.setTcpNoDelay(on);
  }

  @Override
  public boolean getTcpNoDelay() throws SocketException {
    return raw.getTcpNoDelay();
  }

  @Override
  public void setSoLinger(boolean on, int linger) throws SocketException {
    raw.setSoLinger(on, linger);
  }

  @Override
  public int getSoLinger() throws SocketException {
    return raw.getSoLinger();
  }

  @Override
  public void sendUrgentData(int data) throws IOException {
    throw new SocketException("urgent data is not supported");
  }

  @Override
  public void setOOBInline(boolean on) throws SocketException {
    raw.setOOBInline(on);
  }

  @Override
  public boolean getOOBInline() throws SocketException {
    return raw.getOOBInline();
  }

  @Override
  public void setSoTimeout(int timeout) {
    // reads are bounded by the reply deadline, enforced by the watchdog; the socket stays blocking (the value
    // Angus or the TLS engine sets is ignored)
  }

  @Override
  public int getSoTimeout() throws SocketException {
    return raw.getSoTimeout();
  }

  @Override
  public void setSendBufferSize(int size) throws SocketException {
    raw.setSendBufferSize(size);
  }

  @Override
  public int getSendBufferSize() throws SocketException {
    return raw.getSendBufferSize();
  }

  @Override
  public void setReceiveBufferSize(int size) throws SocketException {
    raw.setReceiveBufferSize(size);
  }

  @Override
  public int getReceiveBufferSize() throws SocketException {
    return raw.getReceiveBufferSize();
  }

  @Override
  public void setKeepAlive(boolean on) throws SocketException {
    raw.setKeepAlive(on);
  }

  @Override
  public boolean getKeepAlive() throws SocketException {
    return raw.getKeepAlive();
  }

  @Override
  public void setTrafficClass(int tc) throws SocketException {
    raw.setTrafficClass(tc);
  }

  @Override
  public int getTrafficClass() throws SocketException {
    return raw.getTrafficClass();
  }

  @Override
  public void setReuseAddress(boolean on) throws SocketException {
    raw.setReuseAddress(on);
  }

  @Override
  public boolean getReuseAddress() throws SocketException {
    return raw.getReuseAddress();
  }

  @Override
  public void shutdownInput() throws IOException {
    raw.shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    raw.shutdownOutput();
  }

  @Override
  public boolean isConnected() {
    return raw.isConnected();
  }

  @Override
  public boolean isBound() {
    return raw.isBound();
  }

  @Override
  public boolean isClosed() {
    return raw.isClosed();
  }

  @Override
  public boolean isInputShutdown() {
    return raw.isInputShutdown();
  }

  @Override
  public boolean isOutputShutdown() {
    return raw.isOutputShutdown();
  }

  @Override
  public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
    raw.setOption(name, value);
    return this;
  }

  @Override
  public <T> T getOption(SocketOption<T> name) throws IOException {
    return raw.getOption(name);
  }

  @Override
  public Set<SocketOption<?>> supportedOptions() {
    return raw.supportedOptions();
  }

  @Override
  public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
    raw.setPerformancePreferences(connectionTime, latency, bandwidth);
  }

  @Override
  public String toString() {
    return "TcpSocket[" + raw + "]";
  }
}
