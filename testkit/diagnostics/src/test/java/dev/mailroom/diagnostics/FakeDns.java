package dev.mailroom.diagnostics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DNS server on 127.0.0.1 (UDP) that answers MX queries from a table and NXDOMAIN for everything else,
 * so that MX-based provider detection is tested without the internet.
 */
final class FakeDns implements AutoCloseable {
  private final DatagramSocket socket;
  private final Map<String, List<String>> mx = new ConcurrentHashMap<>();
  private final Thread thread;

  FakeDns() throws SocketException {
    socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    thread = new Thread(this::serve, "fake-dns");
    thread.setDaemon(true);
    thread.start();
  }

  FakeDns mx(String domain, String... hosts) {
    mx.put(domain.toLowerCase(Locale.ROOT), List.of(hosts));
    return this;
  }

  String address() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  private void serve() {
    byte[] buf = new byte[512];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
        byte[] answer = answer(p.getData(), p.getLength());
        if (answer != null) {
          socket.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
        }
      } catch (IOException | RuntimeException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  private byte[] answer(byte[] q, int len) throws IOException {
    if (len < 12) {
      return null;
    }
    int pos = 12;
    StringBuilder name = new StringBuilder();
    while (pos < len && q[pos] != 0) {
      int l = q[pos] & 0xff;
      if (name.length() > 0) {
        name.append('.');
      }
      name.append(new String(q, pos + 1, l, StandardCharsets.US_ASCII));
      pos += l + 1;
    }
    pos++; // zero label
    int qtype = ((q[pos] & 0xff) << 8) | (q[pos + 1] & 0xff);
    pos += 4; // type and class
    List<String> hosts = mx.get(name.toString().toLowerCase(Locale.ROOT));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(q, 0, 2); // id
    boolean found = hosts != null && qtype == 15;
    out.write(0x81); // response, recursion desired
    out.write(found || hosts != null ? 0x80 : 0x83); // recursion available; NXDOMAIN when unknown
    out.write(new byte[] {0, 1}); // one question
    int count = found ? hosts.size() : 0;
    out.write(new byte[] {(byte) (count >> 8), (byte) count, 0, 0, 0, 0});
    out.write(q, 12, pos - 12); // the question
    for (int i = 0; found && i < hosts.size(); i++) {
      ByteArrayOutputStream rdata = new ByteArrayOutputStream();
      rdata.write(new byte[] {0, (byte) (10 * (i + 1))});
      for (String label : hosts.get(i).split("\\.")) {
        byte[] b = label.getBytes(StandardCharsets.US_ASCII);
        rdata.write(b.length);
        rdata.write(b);
      }
      rdata.write(0);
      out.write(new byte[] {(byte) 0xc0, 12, 0, 15, 0, 1, 0, 0, 0, 60});
      byte[] r = rdata.toByteArray();
      out.write(new byte[] {(byte) (r.length >> 8), (byte) r.length});
      out.write(r);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    socket.close();
  }
}
