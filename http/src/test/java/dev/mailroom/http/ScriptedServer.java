package dev.mailroom.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw TCP server on 127.0.0.1 for faults WireMock cannot script: each connection is handed to a
 * {@link Script} on its own daemon thread. Closing the server closes every connection.
 */
final class ScriptedServer implements AutoCloseable {
  /** What the server does with one connection. */
  interface Script {
    void run(Socket socket) throws Exception;
  }

  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  final AtomicInteger connections = new AtomicInteger();

  ScriptedServer(Script script) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          connections.incrementAndGet();
          sockets.add(s);
          Thread t = new Thread(() -> {
            try {
              script.run(s);
            } catch (Exception ignored) {
              // the client went away
            }
          }, "scripted-connection");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }, "scripted-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Reads the request head (up to the empty line) and returns it; bounded to 64 KiB. */
  static String readHead(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while (b.length() < 65536 && (c = in.read()) >= 0) {
      b.append((char) c);
      if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return b.toString();
  }

  /** Resets the connection (RST, not FIN). */
  static void reset(Socket s) throws IOException {
    s.setSoLinger(true, 0);
    s.close();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
