package dev.mailroom.testkit.smtp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small, fast SMTP sink for the soak test (the scripted server keeps every message; this one keeps only
 * counts per Message-ID). It offers PIPELINING, accepts everything, and injects faults: it drops
 * {@code dropRate} of new connections before the greeting and the connection in {@code dropRate} of
 * transactions (at MAIL, at RCPT, in the middle of the data or after the final dot, before replying), and
 * answers {@code tempFailRate} of transactions with {@code 451} (at MAIL, RCPT or after the data). Counts
 * at the receiver, per message number {@code n} of the Message-ID {@code <soak-n@...>}, in arrays allocated
 * up front (so that counting does not grow the heap being measured): messages acknowledged with 250
 * ({@link #delivered(int)}) and complete messages whose connection was dropped before the reply
 * ({@link #unacknowledged(int)}).
 */
final class SoakSink implements AutoCloseable {
  private static final byte[] EHLO = ("250-soak.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n"
      + "250 SIZE 100000000\r\n").getBytes(StandardCharsets.US_ASCII);

  private enum Fault { NONE, DROP_MAIL, DROP_RCPT, DROP_DATA, DROP_DOT, TEMP_MAIL, TEMP_RCPT, TEMP_DOT }

  private final AtomicIntegerArray delivered;
  private final AtomicIntegerArray unacknowledged;
  final AtomicLong unacknowledgedTotal = new AtomicLong();
  final AtomicLong otherMessages = new AtomicLong();
  final AtomicLong connections = new AtomicLong();
  final AtomicLong droppedConnections = new AtomicLong();
  final AtomicLong droppedTransactions = new AtomicLong();
  final AtomicLong tempFailures = new AtomicLong();
  final AtomicLong transactions = new AtomicLong();

  private final double dropRate;
  private final double tempFailRate;
  private final ServerSocket server;
  private final ExecutorService workers;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  SoakSink(int capacity, double dropRate, double tempFailRate) throws IOException {
    this.delivered = new AtomicIntegerArray(capacity);
    this.unacknowledged = new AtomicIntegerArray(capacity);
    this.dropRate = dropRate;
    this.tempFailRate = tempFailRate;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "soak-sink-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.acceptor = new Thread(this::accept, "soak-sink-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  int delivered(int n) {
    return delivered.get(n);
  }

  int unacknowledged(int n) {
    return unacknowledged.get(n);
  }

  /** The number n of {@code <soak-n@...>}, or -1. */
  private int number(String messageId) {
    if (messageId == null || !messageId.startsWith("<soak-")) {
      return -1;
    }
    int at = messageId.indexOf('@');
    try {
      int n = Integer.parseInt(messageId.substring(6, at < 0 ? messageId.length() : at));
      return n >= 0 && n < delivered.length() ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void accept() {
    while (!closed) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        continue;
      }
      connections.incrementAndGet();
      open.add(s);
      workers.execute(() -> serve(s));
    }
  }

  private Fault fault() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    double x = r.nextDouble();
    if (x < dropRate) {
      return Fault.values()[1 + r.nextInt(4)];
    }
    if (x < dropRate + tempFailRate) {
      return Fault.values()[5 + r.nextInt(3)];
    }
    return Fault.NONE;
  }

  private void serve(Socket s) {
    try (Socket socket = s) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(30_000);
      if (ThreadLocalRandom.current().nextDouble() < dropRate) {
        droppedConnections.incrementAndGet();
        return;
      }
      InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
      reply(out, in, "220 soak.test ESMTP");
      Fault fault = Fault.NONE;
      int rcpts = 0;
      while (!closed) {
        String line = line(in);
        if (line == null) {
          return;
        }
        String verb = (line.indexOf(' ') < 0 ? line : line.substring(0, line.indexOf(' '))).toUpperCase(Locale.ROOT);
        switch (verb) {
          case "EHLO" -> {
            out.write(EHLO);
            flush(out, in);
          }
          case "HELO" -> reply(out, in, "250 soak.test");
          case "MAIL" -> {
            transactions.incrementAndGet();
            fault = fault();
            rcpts = 0;
            if (fault == Fault.DROP_MAIL) {
              droppedTransactions.incrementAndGet();
              return;
            }
            if (fault == Fault.TEMP_MAIL) {
              tempFailures.incrementAndGet();
              fault = Fault.NONE;
              reply(out, in, "451 4.3.0 Try again later");
              rcpts = -1;
            } else {
              reply(out, in, "250 2.1.0 Ok");
            }
          }
          case "RCPT" -> {
            if (fault == Fault.DROP_RCPT) {
              droppedTransactions.incrementAndGet();
              return;
            }
            if (fault == Fault.TEMP_RCPT) {
              tempFailures.incrementAndGet();
              reply(out, in, "451 4.3.0 Try again later");
            } else if (rcpts < 0) {
              reply(out, in, "503 5.5.1 Need MAIL");
            } else {
              rcpts++;
              reply(out, in, "250 2.1.5 Ok");
            }
          }
          case "DATA" -> {
            if (rcpts <= 0 || fault == Fault.TEMP_RCPT) {
              reply(out, in, "554 5.5.1 No valid recipients");
              fault = Fault.NONE;
              continue;
            }
            reply(out, in, "354 End data with <CR><LF>.<CR><LF>");
            if (!data(in, out, fault)) {
              return;
            }
            fault = Fault.NONE;
            rcpts = 0;
          }
          case "RSET" -> {
            fault = Fault.NONE;
            rcpts = 0;
            reply(out, in, "250 2.0.0 Ok");
          }
          case "NOOP" -> reply(out, in, "250 2.0.0 Ok");
          case "QUIT" -> {
            reply(out, in, "221 2.0.0 Bye");
            out.flush();
            return;
          }
          default -> reply(out, in, "502 5.5.2 Error: command not recognized");
        }
      }
    } catch (IOException e) {
      // the client went away
    } finally {
      open.remove(s);
    }
  }

  /** Reads the message; returns false if the connection is to be dropped. */
  private boolean data(InputStream in, OutputStream out, Fault fault) throws IOException {
    String messageId = null;
    boolean headers = true;
    int lines = 0;
    while (true) {
      String l = line(in);
      if (l == null) {
        return false;
      }
      if (l.equals(".")) {
        break;
      }
      lines++;
      if (fault == Fault.DROP_DATA && lines == 3) {
        droppedTransactions.incrementAndGet();
        return false;
      }
      if (headers) {
        if (l.isEmpty()) {
          headers = false;
        } else if (messageId == null && l.regionMatches(true, 0, "Message-ID:", 0, 11)) {
          messageId = l.substring(11).strip();
        }
      }
    }
    int n = number(messageId);
    switch (fault) {
      case DROP_DOT -> {
        droppedTransactions.incrementAndGet();
        unacknowledgedTotal.incrementAndGet();
        if (n >= 0) {
          unacknowledged.incrementAndGet(n);
        }
        return false;
      }
      case TEMP_DOT -> {
        tempFailures.incrementAndGet();
        reply(out, in, "451 4.3.0 Temporary failure, try again");
      }
      default -> {
        if (n >= 0) {
          delivered.incrementAndGet(n);
        } else {
          otherMessages.incrementAndGet();
        }
        reply(out, in, "250 2.0.0 Ok: queued");
      }
    }
    return true;
  }

  private static void reply(OutputStream out, InputStream in, String line) throws IOException {
    out.write(line.getBytes(StandardCharsets.US_ASCII));
    out.write('\r');
    out.write('\n');
    flush(out, in);
  }

  /** Flushes unless more pipelined commands are already waiting (they get their replies in one write). */
  private static void flush(OutputStream out, InputStream in) throws IOException {
    if (in.available() == 0) {
      out.flush();
    }
  }

  /** A line without CRLF, at most 64 KB, or null at the end of the stream. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(128);
    while (true) {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      if (c == '\n') {
        byte[] a = b.toByteArray();
        int n = a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length;
        return new String(a, 0, n, StandardCharsets.ISO_8859_1);
      }
      if (b.size() > 65536) {
        throw new IOException("line too long");
      }
      b.write(c);
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
    workers.shutdownNow();
    workers.awaitTermination(10, TimeUnit.SECONDS);
    acceptor.join(5000);
  }
}
