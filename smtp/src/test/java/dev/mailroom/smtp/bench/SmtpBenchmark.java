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
import java.util.Collections;
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

/**
 * Sends to a local SMTP sink (Postfix's {@code smtp-sink}) and reports messages per second and CPU time per
 * message for Mailroom with one connection, Mailroom with four connections (four sending threads), and raw
 * Angus with one Transport kept open. Runs alternate between the three, and the median of the runs is
 * reported. Not a test: run it with {@code bash smtp/bench/run.sh}.
 *
 * <p>Arguments: {@code host port [texts pdfs runs]}, or {@code host port large} for one message with a 50 MB
 * attachment read from a file (run that under {@code -Xmx64m}).
 */
public final class SmtpBenchmark {
  private static final String FROM = "bench@acme.example";
  private static final String TO = "sink@example.com";

  private final String host;
  private final int port;
  private final String text1k;
  private final Path pdf;

  private SmtpBenchmark(String host, int port, Path pdf) {
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
    if (args.length > 2 && args[2].equals("only")) {
      // for profiling: host port only angus|mr1|mr4 count pdf
      Path pdf = Files.createTempFile("mailroom-bench-", ".pdf");
      writePdf(pdf, 100 * 1024);
      SmtpBenchmark b = new SmtpBenchmark(host, port, pdf);
      int n = Integer.parseInt(args[4]);
      boolean withPdf = Boolean.parseBoolean(args[5]);
      Variant v = args[3].equals("angus") ? b::angus : (k, p) -> b.mailroom(k, p, args[3].equals("mr4") ? 4 : 1);
      v.send(n / 5, withPdf);
      Result r = b.measure(v, n, withPdf);
      System.out.printf(Locale.ROOT, "%s: %.1f msg/s %.1f us CPU/msg%n", args[3], r.msgPerSec(), r.cpuMicrosPerMsg());
      Files.deleteIfExists(pdf);
      return;
    }
    int texts = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
    int pdfs = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
    int runs = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    Path pdf = Files.createTempFile("mailroom-bench-", ".pdf");
    try {
      writePdf(pdf, 100 * 1024);
      new SmtpBenchmark(host, port, pdf).run(texts, pdfs, runs);
    } finally {
      Files.deleteIfExists(pdf);
    }
  }

  private static void writePdf(Path file, int size) throws IOException {
    byte[] b = new byte[size];
    new Random(42).nextBytes(b);
    byte[] head = "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(head, 0, b, 0, head.length);
    Files.write(file, b);
  }

  private interface Variant {
    /** Sends n messages; returns how many were sent. */
    int send(int n, boolean withPdf) throws Exception;
  }

  private record Result(double msgPerSec, double cpuMicrosPerMsg) {}

  private void run(int texts, int pdfs, int runs) throws Exception {
    Map<String, Variant> variants = new LinkedHashMap<>();
    variants.put("raw Angus, 1 Transport", this::angus);
    variants.put("Mailroom, 1 connection", (n, p) -> mailroom(n, p, 1));
    variants.put("Mailroom, 4 connections", (n, p) -> mailroom(n, p, 4));

    System.out.printf(Locale.ROOT, "Java %s, %d CPUs, sink %s:%d%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), host, port);
    // warm up every variant and the JIT
    for (Variant v : variants.values()) {
      v.send(Math.min(500, texts), false);
      v.send(Math.min(50, pdfs), true);
    }
    for (boolean withPdf : new boolean[] {false, true}) {
      int n = withPdf ? pdfs : texts;
      Map<String, List<Result>> results = new LinkedHashMap<>();
      for (int r = 0; r < runs; r++) {
        for (Map.Entry<String, Variant> v : variants.entrySet()) {
          Result res = measure(v.getValue(), n, withPdf);
          results.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(res);
          System.out.printf(Locale.ROOT, "  run %d %-26s %s: %8.1f msg/s %8.1f us CPU/msg%n", r + 1, v.getKey(),
              withPdf ? "100 KB PDF" : "1 KB text", res.msgPerSec(), res.cpuMicrosPerMsg());
        }
      }
      String what = withPdf ? n + " x 100 KB PDF attachment" : n + " x 1 KB text";
      System.out.println();
      System.out.println("| " + what + " | msg/s (median of " + runs + ") | CPU us/msg | vs raw Angus |");
      System.out.println("|---|---:|---:|---:|");
      double base = median(results.values().iterator().next(), true);
      for (Map.Entry<String, List<Result>> e : results.entrySet()) {
        double rate = median(e.getValue(), true);
        double cpu = median(e.getValue(), false);
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.0f | %.2fx |%n", e.getKey(), rate, cpu, rate / base);
      }
      System.out.println();
    }
  }

  private static double median(List<Result> rs, boolean rate) {
    List<Double> v = new ArrayList<>();
    for (Result r : rs) {
      v.add(rate ? r.msgPerSec() : r.cpuMicrosPerMsg());
    }
    Collections.sort(v);
    return v.get(v.size() / 2);
  }

  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
  }

  private Result measure(Variant v, int n, boolean withPdf) throws Exception {
    System.gc();
    long cpu0 = cpuNanos();
    long t0 = System.nanoTime();
    int sent = v.send(n, withPdf);
    long t1 = System.nanoTime();
    long cpu1 = cpuNanos();
    if (sent != n) {
      throw new IllegalStateException("sent " + sent + " of " + n);
    }
    return new Result(n / ((t1 - t0) / 1e9), (cpu1 - cpu0) / 1e3 / n);
  }

  // ------------------------------------------------------------------------------------------- Mailroom

  private EmailSettings settings() {
    return EmailSettings.builder().protocol(Protocol.SMTP).host(host).port(port).tlsMode(TlsMode.NONE)
        .emailAddress(FROM).senderName("Acme Ltd").build();
  }

  private Email email(int i, boolean withPdf) {
    Email.Builder b = Email.builder().to(TO).subject("Invoice " + i).text(text1k);
    if (withPdf) {
      b.attach(Attachment.ofFile(pdf, "invoice-" + i + ".pdf", "application/pdf"));
    }
    return b.build();
  }

  private int mailroom(int n, boolean withPdf, int connections) throws Exception {
    MailerOptions options = MailerOptions.builder().maxConnections(connections)
        .maxMessagesPerConnection(100_000).build();
    try (Mailer mailer = Mailer.open(settings(), options)) {
      if (connections == 1) {
        for (int i = 0; i < n; i++) {
          mailer.send(email(i, withPdf));
        }
        return n;
      }
      ExecutorService pool = Executors.newFixedThreadPool(connections);
      try {
        AtomicInteger next = new AtomicInteger();
        List<Future<Integer>> fs = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
          fs.add(pool.submit(() -> {
            int sent = 0;
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
              SendReceipt r = mailer.send(email(i, withPdf));
              if (r != null) {
                sent++;
              }
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
  }

  // ------------------------------------------------------------------------------------------- raw Angus

  private int angus(int n, boolean withPdf) throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.host", host);
    p.put("mail.smtp.port", Integer.toString(port));
    Session session = Session.getInstance(p);
    Transport t = session.getTransport("smtp");
    t.connect();
    try {
      for (int i = 0; i < n; i++) {
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
        t.sendMessage(m, m.getAllRecipients());
      }
      return n;
    } finally {
      t.close();
    }
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
