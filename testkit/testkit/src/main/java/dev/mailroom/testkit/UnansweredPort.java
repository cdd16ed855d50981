package dev.mailroom.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A port on the loopback address where connecting times out, for connect-timeout tests: a listener that
 * never accepts, with its backlog filled by a few connections of its own, so that further connection
 * attempts (SYNs) are dropped. Used by the sender's and the diagnostics' tests.
 */
public final class UnansweredPort implements AutoCloseable {
  private final ServerSocket listener;
  private final List<Socket> fillers = new ArrayList<>();

  private UnansweredPort(ServerSocket listener) {
    this.listener = listener;
  }

  /**
   * Opens the listener and fills its backlog (at most 8 connections).
   *
   * @return the port, to be closed
   * @throws IOException if the listener cannot be opened
   */
  public static UnansweredPort open() throws IOException {
    UnansweredPort p = new UnansweredPort(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
    try {
      for (int i = 0; i < 8; i++) {
        Socket f = new Socket();
        try {
          f.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), p.port()), 200);
          p.fillers.add(f);
        } catch (IOException full) {
          f.close();
          break;
        }
      }
      return p;
    } catch (IOException | RuntimeException e) {
      p.close();
      throw e;
    }
  }

  /**
   * Returns the port.
   *
   * @return the port of the listener
   */
  public int port() {
    return listener.getLocalPort();
  }

  /** Closes the filling connections, then the listener. */
  @Override
  public void close() throws IOException {
    try {
      for (Socket f : fillers) {
        f.close();
      }
    } finally {
      listener.close();
    }
  }
}
