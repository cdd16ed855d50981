package dev.mailroom.smtp.bench;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.SendReceipt;
import dev.mailroom.TlsMode;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Sends to a local SMTP sink (Postfix's {@code smtp-sink}) and reports messages per second and CPU time per
 * message of three clients measured in the same run, in alternating rounds: Mailroom through
 * {@link Mailer#send}, raw Angus (a careful application's {@code Transport}s kept open), and Postfix's C
 * client {@code smtp-source} sending the very bytes Mailroom sends ({@link SmtpSource}). Four cases: 1 KB
 * text and a 100 KB PDF attachment, over one connection and over four (four threads sharing one
 * {@link Mailer}; four Angus transports in four threads; {@code smtp-source -s 4}). Not a test: run it with
 * {@code bash smtp/bench/run.sh}.
 *
 * <p>Arguments: {@code host port [texts pdfs rounds]}; {@code host port tls starttlsPort implicitPort
 * [texts pdfs rounds reconnects]} for {@link TlsBenchmark}; {@code host port large} for one message with a
 * 50 MB attachment read from a file (run that under {@code -Xmx64m}); {@code host port only
 * mailroom|angus|source connections count pdf} for one client and case (for profiling).
 *
 * <p>System properties: {@code bench.sinkPid} (the sink's process id, for its CPU time per message),
 * {@code bench.smtpSource} (the smtp-source binary, found on the PATH or in /usr/sbin otherwise).
 */
public final class SmtpBenchmark {
  static final String FROM = "bench@acme.example";
  static final String TO = "sink@example.com";

  final String host;
  final int port;
  final String text1k;
  final Path pdf;
  final long sinkPid = Long.getLong("bench.sinkPid", 0L);

  SmtpBenchmark(String host, int port, Path pdf) {
    this.host = host;
    this.port = port;
    StringBuilder b = new StringBuilder();
    int line = 0;
    while (b.length() < 1000) {
      b.append("Invoice line ").append(++line).append(": 1 x consulting services, 120.00 EUR\n");
    }
    this.text1k = b.substring(0, 1000);
    this.pdf = pdf;
  }

  public static void main(String[] args) throws Exception {
    String host = args.length > 0 ? args[0] : "127.0.0.1";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 2525;
    if (args.length > 2 && args[2].equals("large")) {
      large(host, port);
      return;
    }
    Path pdf = Files.createTempFile("mailroom-bench-", ".pdf");
    try {
      writePdf(pdf, 100 * 1024);
      SmtpBenchmark b = new SmtpBenchmark(host, port, pdf);
      if (args.length > 2 && args[2].equals("only")) {
        b.only(args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]), Boolean.parseBoolean(args[6]));
      } else if (args.length > 2 && args[2].equals("tls")) {
        new TlsBenchmark(b, Integer.parseInt(args[3]), Integer.parseInt(args[4])).run(
            arg(args, 5, 2000), arg(args, 6, 500), arg(args, 7, 3), arg(args, 8, 40));
      } else {
        b.run(arg(args, 2, 5000), arg(args, 3, 1000), arg(args, 4, 3));
      }
    } finally {
      Files.deleteIfExists(pdf);
    }
  }

  private static int arg(String[] args, int i, int def) {
    return args.length > i ? Integer.parseInt(args[i]) : def;
  }

  private static void writePdf(Path file, int size) throws IOException {
    byte[] b = new byte[size];
    new Random(42).nextBytes(b);
    byte[] head = "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(head, 0, b, 0, head.length);
    Files.write(file, b);
  }

  /** One case of the table: how many connections, which message, how many messages per round. */
  record Case(String name, int connections, boolean withPdf, int messages) {}

  /** A client measured in a round. */
  interface Client {
    Measure.Round run(Case c) throws Exception;
  }

  /** Measures one client in one case: wall time, this JVM's CPU time, the sink's CPU time. */
  Measure.Round measure(Case c, Sends sends, int messages) throws Exception {
    System.gc();
    long sink0 = Measure.processCpuNanos(sinkPid);
    long cpu0 = Measure.jvmCpuNanos();
    long t0 = System.nanoTime();
    int sent = sends.send(messages);
    long t1 = System.nanoTime();
    long cpu1 = Measure.jvmCpuNanos();
    long sink1 = Measure.processCpuNanos(sinkPid);
    if (sent != messages) {
      throw new IllegalStateException("sent " + sent + " of " + messages);
    }
    return new Measure.Round(messages, t1 - t0, cpu1 - cpu0, sink0 < 0 || sink1 < 0 ? -1 : sink1 - sink0);
  }

  /** Sends n messages; returns how many were sent. */
  @FunctionalInterface
  interface Sends {
    int send(int n) throws Exception;
  }

  // ------------------------------------------------------------------------------------------- the table

  private void run(int texts, int pdfs, int rounds) throws Exception {
    Path sourceBinary = SmtpSource.find();
    System.out.printf(Locale.ROOT, "Java %s, %d CPUs, sink %s:%d (pid %d), smtp-source %s; %s%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), host, port, sinkPid,
        sourceBinary == null ? "NOT FOUND (its columns stay empty)" : sourceBinary, Measure.load());
    List<Case> cases = List.of(
        new Case("1 connection, 1 KB text", 1, false, texts),
        new Case("1 connection, 100 KB PDF", 1, true, pdfs),
        new Case("4 connections, 1 KB text", 4, false, texts),
        new Case("4 connections, 100 KB PDF", 4, true, pdfs));
    Map<String, Client> clients = new LinkedHashMap<>();
    clients.put("Mailroom", c -> measure(c, n -> mailroom(plainSettings(), options(c.connections(), 100_000),
        n, c.withPdf(), c.connections()), c.messages()));
    // raw Angus stalls on delayed ACKs with attachments (about 28 msg/s): fewer messages keep the round short
    clients.put("raw Angus", c -> measure(c, n -> angus(angusProperties(), null, null, n, c.withPdf(),
        c.connections(), false), c.withPdf() ? Math.max(20, c.messages() / 10) : c.messages()));
    Map<Boolean, Path> files = new LinkedHashMap<>();
    if (sourceBinary != null) {
      SmtpSource source = new SmtpSource(sourceBinary);
      for (boolean withPdf : new boolean[] {false, true}) {
        files.put(withPdf, captureMessage(withPdf));
      }
      clients.put("smtp-source", c -> source.send(host, port, files.get(c.withPdf()), c.connections(),
          c.messages(), FROM, TO, sinkPid));
    }
    // -Dbench.clients=mailroom,smtp-source measures only those (names without blanks, any case; default: all)
    String only = System.getProperty("bench.clients", "");
    if (!only.isBlank()) {
      List<String> keep = List.of(only.toLowerCase(Locale.ROOT).split(","));
      clients.keySet().removeIf(k -> !keep.contains(k.toLowerCase(Locale.ROOT).replace(" ", "")));
    }
    try {
      // warm up every client and the JIT
      for (Case c : cases) {
        for (Client client : clients.values()) {
          client.run(new Case(c.name(), c.connections(), c.withPdf(), Math.max(4, c.messages() / 10)));
        }
      }
      Table table = new Table(new ArrayList<>(clients.keySet()));
      List<String> order = new ArrayList<>(clients.keySet());
      for (int r = 0; r < rounds; r++) {
        for (Case c : cases) {
          for (String name : order) {
            Measure.Round res = clients.get(name).run(c);
            table.add(c.name(), name, res);
            System.out.printf(Locale.ROOT, "  round %d %-26s %-12s %9.1f msg/s %8.1f us CPU/msg (sink %s)%n", r + 1,
                c.name(), name, res.msgPerSec(), res.cpuMicrosPerMsg(), Measure.fmt(res.sinkMicrosPerMsg()));
          }
        }
        // the next round starts with another client
        order.add(order.remove(0));
      }
      System.out.println();
      System.out.println("After the rounds: " + Measure.load());
      System.out.println();
      table.print(System.out, "Mailroom", List.of("smtp-source", "raw Angus"));
    } finally {
      for (Path f : files.values()) {
        Files.deleteIfExists(f);
      }
    }
  }

  /** The exact message Mailroom sends for the case, captured on loopback, as a file for smtp-source -F. */
  private Path captureMessage(boolean withPdf) throws Exception {
    try (SmtpSource.Capture capture = new SmtpSource.Capture()) {
      EmailSettings s = plainSettings().toBuilder().host("127.0.0.1").port(capture.port()).build();
      try (Mailer m = Mailer.open(s)) {
        m.send(email(0, withPdf));
      }
      Path f = Files.createTempFile("mailroom-bench-message-", ".eml");
      Files.write(f, capture.message());
      System.out.printf(Locale.ROOT, "smtp-source sends %s: %d bytes (LF line ends; CRLF on the wire)%n",
          withPdf ? "the 100 KB PDF message" : "the 1 KB text message", Files.size(f));
      return f;
    }
  }

  /** For profiling (with JFR, say): one client, one case, after a warm-up of a fifth of the messages. */
  private void only(String client, int connections, int count, boolean withPdf) throws Exception {
    Case c = new Case("only", connections, withPdf, count);
    Sends sends;
    switch (client) {
      case "angus" -> sends = n -> angus(angusProperties(), null, null, n, withPdf, connections, false);
      case "mailroom" -> sends = n -> mailroom(plainSettings(), options(connections, 100_000), n, withPdf,
          connections);
      default -> throw new IllegalArgumentException("mailroom or angus");
    }
    sends.send(Math.max(1, count / 5));
    // with -Dbench.jfr=file: a JFR recording ("profile" settings) of the measured part only
    String jfr = System.getProperty("bench.jfr");
    Recording recording = null;
    if (jfr != null && !jfr.isBlank()) {
      recording = new Recording(Configuration.getConfiguration("profile"));
      recording.start();
    }
    Measure.Round r = measure(c, sends, count);
    if (recording != null) {
      recording.stop();
      recording.dump(Path.of(jfr));
      recording.close();
    }
    System.out.printf(Locale.ROOT, "%s, %d connection(s), %s: %.1f msg/s %.1f us CPU/msg (sink %s us/msg); %s%n",
        client, connections, withPdf ? "100 KB PDF" : "1 KB text", r.msgPerSec(), r.cpuMicrosPerMsg(),
        Measure.fmt(r.sinkMicrosPerMsg()), Measure.load());
  }

  // ------------------------------------------------------------------------------------------- Mailroom

  EmailSettings plainSettings() {
    return EmailSettings.builder().protocol(Protocol.SMTP).host(host).port(port).tlsMode(TlsMode.NONE)
        .emailAddress(FROM).senderName("Acme Ltd").build();
  }

  static MailerOptions options(int connections, int messagesPerConnection) {
    return MailerOptions.builder().maxConnections(connections).maxMessagesPerConnection(messagesPerConnection)
        .build();
  }

  Email email(int i, boolean withPdf) {
    Email.Builder b = Email.builder().to(TO).subject("Invoice " + i).text(text1k);
    if (withPdf) {
      b.attach(Attachment.ofFile(pdf, "invoice-" + i + ".pdf", "application/pdf"));
    }
    return b.build();
  }

  /** Sends n messages through one Mailer from {@code threads} threads. */
  int mailroom(EmailSettings settings, MailerOptions options, int n, boolean withPdf, int threads)
      throws Exception {
    try (Mailer mailer = Mailer.open(settings, options)) {
      return inThreads(threads, n, i -> mailer.send(email(i, withPdf)) != null);
    }
  }

  /** One message, for the threads of {@link #inThreads}. */
  @FunctionalInterface
  interface One {
    boolean send(int i) throws Exception;
  }

  /** Runs {@code one} for 0..n-1 from {@code threads} threads (the caller's thread when one); counts true. */
  static int inThreads(int threads, int n, One one) throws Exception {
    if (threads == 1) {
      int sent = 0;
      for (int i = 0; i < n; i++) {
        sent += one.send(i) ? 1 : 0;
      }
      return sent;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      AtomicInteger next = new AtomicInteger();
      List<Future<Integer>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          int sent = 0;
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            sent += one.send(i) ? 1 : 0;
          }
          return sent;
        }));
      }
      int total = 0;
      for (Future<Integer> f : fs) {
        total += f.get();
      }
      return total;
    } finally {
      pool.shutdown();
    }
  }

  // ------------------------------------------------------------------------------------------- raw Angus

  /** Angus as a careful application sets it up without TLS: timeouts on connect, reads and writes. */
  Properties angusProperties() {
    Properties p = new Properties();
    p.put("mail.smtp.host", host);
    p.put("mail.smtp.port", Integer.toString(port));
    p.put("mail.smtp.connectiontimeout", "10000");
    p.put("mail.smtp.timeout", "10000");
    p.put("mail.smtp.writetimeout", "10000");
    return p;
  }

  /**
   * Sends n messages with raw Angus from {@code threads} threads, each with its own {@link Transport} kept
   * open, or (reconnect) a new connection for every message.
   */
  int angus(Properties p, String user, String password, int n, boolean withPdf, int threads, boolean reconnect)
      throws Exception {
    Session session = Session.getInstance(p);
    ThreadLocal<Transport> transports = new ThreadLocal<>();
    List<Transport> all = java.util.Collections.synchronizedList(new ArrayList<>());
    try {
      return inThreads(threads, n, i -> {
        Transport t = transports.get();
        if (t == null || reconnect) {
          t = session.getTransport("smtp");
          t.connect(user, password);
          if (!reconnect) {
            transports.set(t);
            all.add(t);
          }
        }
        try {
          MimeMessage m = angusMessage(session, i, withPdf);
          t.sendMessage(m, m.getAllRecipients());
        } finally {
          if (reconnect) {
            t.close();
          }
        }
        return true;
      });
    } finally {
      for (Transport t : all) {
        t.close();
      }
    }
  }

  private MimeMessage angusMessage(Session session, int i, boolean withPdf) throws Exception {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(FROM, "Acme Ltd"));
    m.setRecipients(Message.RecipientType.TO, TO);
    m.setSubject("Invoice " + i, "UTF-8");
    if (withPdf) {
      MimeBodyPart text = new MimeBodyPart();
      text.setText(text1k, "UTF-8");
      MimeBodyPart file = new MimeBodyPart();
      file.setDataHandler(new DataHandler(new FileDataSource(pdf.toFile())));
      file.setFileName("invoice-" + i + ".pdf");
      MimeMultipart mp = new MimeMultipart();
      mp.addBodyPart(text);
      mp.addBodyPart(file);
      m.setContent(mp);
    } else {
      m.setText(text1k, "UTF-8");
    }
    m.saveChanges();
    return m;
  }

  // ------------------------------------------------------------------------------------------- 50 MB

  private static void large(String host, int port) throws Exception {
    Path file = Files.createTempFile("mailroom-bench-large-", ".pdf");
    try {
      byte[] chunk = new byte[1 << 20];
      new Random(1).nextBytes(chunk);
      try (OutputStream out = Files.newOutputStream(file)) {
        for (int i = 0; i < 50; i++) {
          out.write(chunk);
        }
      }
      long heap = Runtime.getRuntime().maxMemory();
      EmailSettings s = EmailSettings.builder().protocol(Protocol.SMTP).host(host).port(port)
          .tlsMode(TlsMode.NONE).emailAddress(FROM).readTimeout(Duration.ofMinutes(2)).build();
      long t0 = System.nanoTime();
      SendReceipt r;
      try (Mailer mailer = Mailer.open(s)) {
        r = mailer.send(Email.builder().to(TO).subject("50 MB").text("See the attachment.")
            .attach(Attachment.ofFile(file)).build());
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf(Locale.ROOT, "50 MB attachment from a file: sent in %d ms with max heap %d MB (%s)%n", ms,
          heap >> 20, r.serverReply().orElse(""));
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
