package dev.mailroom.smtp.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Postfix's {@code smtp-source}, the C reference client: sends a pre-formatted message file ({@code -F}) over
 * one or more kept connections ({@code -d -s N}) and reports its own CPU time, read from the shell's
 * {@code times} after it exits. {@link #capture} records the exact message Mailroom sends, so that both
 * clients put the same bytes on the wire.
 */
final class SmtpSource {
  private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s\\s+(\\d+)m([\\d.]+)s");

  private final Path binary;

  SmtpSource(Path binary) {
    this.binary = binary;
  }

  /** Where smtp-source is: the {@code bench.smtpSource} property, the PATH, or /usr/sbin; null if nowhere. */
  static Path find() {
    String p = System.getProperty("bench.smtpSource");
    if (p != null && !p.isBlank()) {
      return Files.isExecutable(Path.of(p)) ? Path.of(p) : null;
    }
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.add("/usr/sbin");
    for (String d : dirs) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "smtp-source"))) {
        return Path.of(d, "smtp-source");
      }
    }
    return null;
  }

  /**
   * Sends {@code messages} copies of {@code file} over {@code sessions} parallel kept connections.
   *
   * @return wall time and smtp-source's own user + system CPU time
   */
  Measure.Round send(String host, int port, Path file, int sessions, int messages, String from, String to,
      long sinkPid) throws IOException, InterruptedException {
    List<String> cmd = List.of("bash", "-c", "\"$0\" \"$@\" >/dev/null && times", binary.toString(), "-d", "-s",
        Integer.toString(sessions), "-m", Integer.toString(messages), "-F", file.toString(), "-f", from, "-t", to,
        "-M", "[127.0.0.1]", host + ":" + port);
    long sink0 = Measure.processCpuNanos(sinkPid);
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("smtp-source did not finish within 10 minutes");
    }
    long t1 = System.nanoTime();
    long sink1 = Measure.processCpuNanos(sinkPid);
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("smtp-source failed (exit " + p.exitValue() + "): " + text.strip());
    }
    // times prints the shell's own times, then its children's
    Matcher m = TIMES.matcher(text);
    if (!m.find() || !m.find()) {
      throw new IOException("no CPU times from smtp-source: " + text.strip());
    }
    double seconds = Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2))
        + Integer.parseInt(m.group(3)) * 60 + Double.parseDouble(m.group(4));
    return new Measure.Round(messages, t1 - t0, (long) (seconds * 1e9),
        sink0 < 0 || sink1 < 0 ? -1 : sink1 - sink0);
  }

  /**
   * A one-shot SMTP server on 127.0.0.1 that records the content of the first message it receives (without
   * dot-stuffing and without the final CRLF . CRLF), for {@code smtp-source -F}.
   */
  static final class Capture implements AutoCloseable {
    private final ServerSocket server;
    private final Thread thread;
    private volatile byte[] message;
    private volatile IOException failure;

    Capture() throws IOException {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      server.setSoTimeout(30_000);
      thread = new Thread(this::serve, "bench-capture");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void serve() {
      try (Socket s = server.accept()) {
        s.setSoTimeout(30_000);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        out.write("220 capture ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        while (true) {
          String line = readLine(in);
          if (line == null) {
            return;
          }
          String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
          String reply;
          switch (verb) {
            case "EHLO":
            case "HELO":
              reply = "250 capture";
              break;
            case "DATA":
              out.write("354 go ahead\r\n".getBytes(StandardCharsets.US_ASCII));
              out.flush();
              message = readData(in);
              reply = "250 2.0.0 captured";
              break;
            case "QUIT":
              out.write("221 bye\r\n".getBytes(StandardCharsets.US_ASCII));
              out.flush();
              return;
            default:
              reply = "250 ok";
              break;
          }
          out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      } catch (IOException e) {
        failure = e;
      }
    }

    private static String readLine(InputStream in) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) >= 0 && b.size() < 100_000) {
        if (c == '\n') {
          String s = b.toString(StandardCharsets.UTF_8);
          return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }
        b.write(c);
      }
      return null;
    }

    private static byte[] readData(InputStream in) throws IOException {
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      for (int lines = 0; lines < 10_000_000; lines++) {
        String line = readLine(in);
        if (line == null || line.equals(".")) {
          break;
        }
        data.write((line.startsWith(".") ? line.substring(1) : line).getBytes(StandardCharsets.UTF_8));
        data.write('\n');
      }
      return data.toByteArray();
    }

    /** The captured message with LF line ends (smtp-source sends each line with CRLF), waiting up to 30 s. */
    byte[] message() throws IOException, InterruptedException {
      thread.join(30_000);
      if (message == null) {
        throw new IOException("no message captured", failure);
      }
      return message;
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
