package dev.mailroom.smtp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.util.function.BiFunction;
import java.util.List;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The TLS connection handed to Angus: a JDK {@link SSLSocket} whose handshake Mailroom already did (with
 * its own protocols, trust and host name check), wrapped so that Angus reads and writes through the
 * guarded SMTP streams. Angus's attempts to reconfigure it afterwards (protocols, parameters, another
 * handshake) are ignored: the handshake is done.
 */
final class TlsSocket extends SSLSocket {
  private final SSLSocket ssl;
  private final TcpSocket tcp;
  private final Wire wire;
  private ReplyInputStream in;
  private CommandOutputStream out;

  TlsSocket(SSLSocket ssl, TcpSocket tcp, Wire wire) {
    this.ssl = ssl;
    this.tcp = tcp;
    this.wire = wire;
  }

  TcpSocket tcp() {
    return tcp;
  }

  @Override
  public synchronized InputStream getInputStream() throws IOException {
    if (in == null) {
      in = wire.replyStream(ssl.getInputStream(), true);
    }
    return in;
  }

  @Override
  public synchronized OutputStream getOutputStream() throws IOException {
    if (out == null) {
      out = wire.commandStream(ssl.getOutputStream(), true);
    }
    return out;
  }

  // ------------------------------------------------------------------ already configured

  @Override
  public void startHandshake() {
    // done by Mailroom before Angus got this socket
  }

  @Override
  public void setEnabledProtocols(String[] protocols) {
    // fixed by Mailroom: TLS 1.2 and later
  }

  @Override
  public void setEnabledCipherSuites(String[] suites) {
    // the JDK's defaults
  }

  @Override
  public void setSSLParameters(SSLParameters params) {
    // fixed by Mailroom, including the host name check
  }

  @Override
  public void setUseClientMode(boolean mode) {
    // always a client
  }

  @Override
  public void setNeedClientAuth(boolean need) {
    // no client certificates
  }

  @Override
  public void setWantClientAuth(boolean want) {
    // no client certificates
  }

  @Override
  public void setEnableSessionCreation(boolean flag) {
    // unchanged
  }

  // ------------------------------------------------------------------ delegation

  @Override
  public String[] getSupportedCipherSuites() {
    return ssl.getSupportedCipherSuites();
  }

  @Override
  public String[] getEnabledCipherSuites() {
    return ssl.getEnabledCipherSuites();
  }

  @Override
  public String[] getSupportedProtocols() {
    return ssl.getSupportedProtocols();
  }

  @Override
  public String[] getEnabledProtocols() {
    return ssl.getEnabledProtocols();
  }

  @Override
  public SSLSession getSession() {
    return ssl.getSession();
  }

  @Override
  public SSLSession getHandshakeSession() {
    return ssl.getHandshakeSession();
  }

  @Override
  public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
    ssl.addHandshakeCompletedListener(listener);
  }

  @Override
  public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
    ssl.removeHandshakeCompletedListener(listener);
  }

  @Override
  public boolean getUseClientMode() {
    return true;
  }

  @Override
  public boolean getNeedClientAuth() {
    return false;
  }

  @Override
  public boolean getWantClientAuth() {
    return false;
  }

  @Override
  public boolean getEnableSessionCreation() {
    return ssl.getEnableSessionCreation();
  }

  @Override
  public SSLParameters getSSLParameters() {
    return ssl.getSSLParameters();
  }

  @Override
  public String getApplicationProtocol() {
    return ssl.getApplicationProtocol();
  }

  @Override
  public String getHandshakeApplicationProtocol() {
    return ssl.getHandshakeApplicationProtocol();
  }

  @Override
  public void setHandshakeApplicationProtocolSelector(BiFunction<SSLSocket, List<String>, String> selector) {
    // no ALPN for SMTP
  }

  @Override
  public BiFunction<SSLSocket, List<String>, String> getHandshakeApplicationProtocolSelector() {
    return ssl.getHandshakeApplicationProtocolSelector();
  }

  @Override
  public void connect(SocketAddress endpoint) throws IOException {
    throw new SocketException("already connected");
  }

  @Override
  public void connect(SocketAddress endpoint, int timeout) throws IOException {
    throw new SocketException("already connected");
  }

  @Override
  public void bind(SocketAddress bindpoint) throws IOException {
    throw new SocketException("already bound");
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      ssl.close();
    } catch (IOException | RuntimeException e) {
      // close_notify may fail on a dead connection; the TCP socket is closed below anyway
    } finally {
      tcp.close();
    }
  }

  @Override
  public InetAddress getInetAddress() {
    return tcp.getInetAddress();
  }

  @Override
  public InetAddress getLocalAddress() {
    return tcp.getLocalAddress();
  }

  @Override
  public int getPort() {
    return tcp.getPort();
  }

  @Override
  public int getLocalPort() {
    return tcp.getLocalPort();
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return tcp.getRemoteSocketAddress();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return tcp.getLocalSocketAddress();
  }

  @Override
  public SocketChannel getChannel() {
    return null;
  }

  @Override
  public void setTcpNoDelay(boolean on) throws SocketException {
    tcp.setTcpNoDelay(on);
  }

  @Override
  public boolean getTcpNoDelay() throws SocketException {
    return tcp.getTcpNoDelay();
  }

  @Override
  public void setSoLinger(boolean on, int linger) throws SocketException {
    tcp.setSoLinger(on, linger);
  }

  @Override
  public int getSoLinger() throws SocketException {
    return tcp.getSoLinger();
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    tcp.setSoTimeout(timeout);
  }

  @Override
  public int getSoTimeout() throws SocketException {
    return tcp.getSoTimeout();
  }

  @Override
  public void setKeepAlive(boolean on) throws SocketException {
    tcp.setKeepAlive(on);
  }

  @Override
  public boolean getKeepAlive() throws SocketException {
    return tcp.getKeepAlive();
  }

  @Override
  public void shutdownInput() throws IOException {
    throw new UnsupportedOperationException("not supported on TLS sockets");
  }

  @Override
  public void shutdownOutput() throws IOException {
    throw new UnsupportedOperationException("not supported on TLS sockets");
  }

  @Override
  public boolean isConnected() {
    return tcp.isConnected();
  }

  @Override
  public boolean isBound() {
    return tcp.isBound();
  }

  @Override
  public boolean isClosed() {
    return ssl.isClosed() || tcp.isClosed();
  }

  @Override
  public boolean isInputShutdown() {
    return ssl.isInputShutdown();
  }

  @Override
  public boolean isOutputShutdown() {
    return ssl.isOutputShutdown();
  }

  @Override
  public String toString() {
    return "TlsSocket[" + tcp + "]";
  }
}
