package dev.mailroom.smtp.internal;

import dev.mailroom.internal.Destinations;
import dev.mailroom.internal.TlsPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The socket factories Mailroom puts in the Angus session ({@code mail.smtp.socketFactory} and
 * {@code mail.smtp.ssl.socketFactory}). Angus calls them on the thread that opens a connection, which has
 * set {@link Wire#CURRENT}; every socket they make is guarded by that connection's {@link Wire}.
 */
final class SocketFactories {
  static final SocketFactory PLAIN = new Plain();
  static final SSLSocketFactory TLS = new Tls();

  private SocketFactories() {}

  private static Wire wire() throws SocketException {
    Wire w = Wire.CURRENT.get();
    if (w == null) {
      throw new SocketException("Mailroom's socket factory used outside a Mailroom connection");
    }
    return w;
  }

  /** Unconnected plain sockets; Angus connects them with the connect timeout. */
  private static final class Plain extends SocketFactory {
    @Override
    public Socket createSocket() throws IOException {
      return new TcpSocket(wire());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      throw new SocketException("unconnected sockets only");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      throw new SocketException("unconnected sockets only");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      throw new SocketException("unconnected sockets only");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
      throw new SocketException("unconnected sockets only");
    }
  }

  /**
   * Layers TLS over a connected socket: Angus's plain socket after STARTTLS, or the socket Angus connected
   * for implicit TLS. Does the handshake itself, bounded by the read timeout, with the one {@link TlsPolicy}
   * (TLS 1.2 or later, the key floor, the JVM's trust store or none when the user turned verification off,
   * and when verifying the host name check against subjectAltName).
   */
  private static final class Tls extends SSLSocketFactory {
    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
      Wire wire = wire();
      if (!(s instanceof TcpSocket)) {
        // implicit TLS: Angus connected this socket itself, after Mailroom's check; it must have reached an
        // address the destination policy allowed (a name that answers differently the second time does not)
        try {
          Destinations.requireChecked(wire.destinations(), wire.cfg.asciiHost(), port, s.getInetAddress());
        } catch (IOException e) {
          s.close();
          throw e;
        }
      }
      TcpSocket tcp = s instanceof TcpSocket ? (TcpSocket) s : TcpSocket.wrapConnected(s, wire);
      boolean ok = false;
      try {
        wire.beforeTls(tcp.layerTls());
        SmtpConfig cfg = wire.cfg;
        String name = cfg.asciiHost();
        SSLSocket ssl = (SSLSocket) cfg.sslContext().getSocketFactory().createSocket(tcp, name, port, true);
        ssl.setUseClientMode(true);
        ssl.setSSLParameters(TlsPolicy.apply(ssl.getSSLParameters(), name, cfg.verifyTlsCertificate(),
            ssl.getSupportedProtocols()));
        wire.deadline(cfg.readTimeoutNanos());
        try {
          ssl.startHandshake();
        } finally {
          wire.clearDeadline();
        }
        TlsPolicy.checkPeer(ssl.getSession(), name, cfg.verifyTlsCertificate());
        wire.tlsStarted(ssl.getSession());
        ok = true;
        return new TlsSocket(ssl, tcp, wire);
      } finally {
        if (!ok) {
          try {
            tcp.close();
          } catch (IOException ignored) {
            // already failing
          }
        }
      }
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return ((SSLSocketFactory) SSLSocketFactory.getDefault()).getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return ((SSLSocketFactory) SSLSocketFactory.getDefault()).getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      throw new SocketException("layered sockets only");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      throw new SocketException("layered sockets only");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      throw new SocketException("layered sockets only");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
      throw new SocketException("layered sockets only");
    }
  }
}
