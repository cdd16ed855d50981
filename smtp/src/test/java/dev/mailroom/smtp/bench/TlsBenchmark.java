package dev.mailroom.smtp.bench;

import dev.mailroom.EmailSettings;
import dev.mailroom.Protocol;
import dev.mailroom.TlsMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The TLS path real sends take: STARTTLS (and implicit TLS), through {@code stunnel} on loopback in
 * front of {@code smtp-sink}, certificates and host names verified against a trust store made for the run
 * ({@code javax.net.ssl.trustStore}). No AUTH: {@code smtp-sink} announces AUTH but answers it with 250, not
 * 235, so no client that checks the reply can sign in to it; signing in costs one more round trip per new
 * connection, not per message. Mailroom through {@link dev.mailroom.Mailer#send} against raw Angus set
 * up as a careful application would (STARTTLS required, server identity checked, timeouts), measured in
 * alternating rounds: 1 KB text and a 100 KB PDF over one and four kept connections, then a new connection
 * for every message (TCP and TLS handshakes, EHLO twice, QUIT) to show what a reconnect costs and whether TLS sessions
 * are resumed (counted from stunnel's log, {@code bench.stunnelLog}, at debug level 6).
 */
final class TlsBenchmark {
  private final SmtpBenchmark b;
  private final int starttlsPort;
  private final int implicitPort;
  private final Path stunnelLog;

  TlsBenchmark(SmtpBenchmark b, int starttlsPort, int implicitPort) {
    this.b = b;
    this.starttlsPort = starttlsPort;
    this.implicitPort = implicitPort;
    String log = System.getProperty("bench.stunnelLog");
    this.stunnelLog = log == null || log.isBlank() ? null : Path.of(log);
  }

  private EmailSettings settings(TlsMode mode) {
    return EmailSettings.builder().protocol(Protocol.SMTP).host("localhost")
        .port(mode == TlsMode.IMPLICIT ? implicitPort : starttlsPort).tlsMode(mode)
        .emailAddress(SmtpBenchmark.FROM).senderName("Acme Ltd").build();
  }

  /** A careful application's Angus: TLS required and verified, timeouts on every network call. */
  private Properties angus(TlsMode mode) {
    Properties p = new Properties();
    p.put("mail.smtp.host", "localhost");
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    p.put("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
    p.put("mail.smtp.connectiontimeout", "10000");
    p.put("mail.smtp.timeout", "10000");
    p.put("mail.smtp.writetimeout", "10000");
    if (mode == TlsMode.IMPLICIT) {
      p.put("mail.smtp.port", Integer.toString(implicitPort));
      p.put("mail.smtp.ssl.enable", "true");
    } else {
      p.put("mail.smtp.port", Integer.toString(starttlsPort));
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    return p;
  }

  void run(int texts, int pdfs, int rounds, int reconnects) throws Exception {
    System.out.printf(Locale.ROOT, "Java %s, %d CPUs, TLS through stunnel: STARTTLS on %d, implicit TLS on %d;"
            + " trust store %s; %s%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), starttlsPort, implicitPort,
        System.getProperty("javax.net.ssl.trustStore"), Measure.load());
    List<SmtpBenchmark.Case> kept = List.of(
        new SmtpBenchmark.Case("STARTTLS, 1 connection, 1 KB text", 1, false, texts),
        new SmtpBenchmark.Case("STARTTLS, 1 connection, 100 KB PDF", 1, true, pdfs),
        new SmtpBenchmark.Case("STARTTLS, 4 connections, 1 KB text", 4, false, texts),
        new SmtpBenchmark.Case("STARTTLS, 4 connections, 100 KB PDF", 4, true, pdfs));
    List<SmtpBenchmark.Case> fresh = List.of(
        new SmtpBenchmark.Case("STARTTLS, new connection per 1 KB message", 1, false, reconnects),
        new SmtpBenchmark.Case("implicit TLS, new connection per 1 KB message", 1, false, reconnects));
    Map<String, SmtpBenchmark.Client> clients = new LinkedHashMap<>();
    clients.put("Mailroom", c -> {
      TlsMode mode = c.name().startsWith("implicit") ? TlsMode.IMPLICIT : TlsMode.STARTTLS;
      int perConnection = c.name().contains("new connection") ? 1 : 100_000;
      return b.measure(c, n -> b.mailroom(settings(mode), SmtpBenchmark.options(c.connections(), perConnection),
          n, c.withPdf(), c.connections()), c.messages());
    });
    clients.put("raw Angus", c -> {
      TlsMode mode = c.name().startsWith("implicit") ? TlsMode.IMPLICIT : TlsMode.STARTTLS;
      boolean reconnect = c.name().contains("new connection");
      // raw Angus stalls on delayed ACKs with attachments: fewer messages keep the round short
      int n = c.withPdf() ? Math.max(20, c.messages() / 10) : c.messages();
      return b.measure(c, k -> b.angus(angus(mode), null, null, k, c.withPdf(), c.connections(), reconnect), n);
    });
    List<SmtpBenchmark.Case> all = new ArrayList<>(kept);
    all.addAll(fresh);
    for (SmtpBenchmark.Case c : all) {
      for (SmtpBenchmark.Client client : clients.values()) {
        client.run(new SmtpBenchmark.Case(c.name(), c.connections(), c.withPdf(), Math.max(4, c.messages() / 10)));
      }
    }
    Table table = new Table(new ArrayList<>(clients.keySet()));
    Map<String, int[]> sessions = new LinkedHashMap<>();
    List<String> order = new ArrayList<>(clients.keySet());
    for (int r = 0; r < rounds; r++) {
      for (SmtpBenchmark.Case c : all) {
        for (String name : order) {
          int[] before = tlsSessions();
          Measure.Round res = clients.get(name).run(c);
          int[] after = tlsSessions();
          if (fresh.contains(c)) {
            int[] s = sessions.computeIfAbsent(c.name() + " | " + name, k -> new int[2]);
            s[0] += after[0] - before[0];
            s[1] += after[1] - before[1];
          }
          table.add(c.name(), name, res);
          System.out.printf(Locale.ROOT, "  round %d %-52s %-10s %9.1f msg/s %8.1f us CPU/msg%n", r + 1, c.name(),
              name, res.msgPerSec(), res.cpuMicrosPerMsg());
        }
      }
      order.add(order.remove(0));
    }
    System.out.println();
    System.out.println("After the rounds: " + Measure.load());
    System.out.println();
    table.print(System.out, "Mailroom", List.of("raw Angus"));
    if (stunnelLog != null) {
      System.out.println("| new connection per message | client | TLS sessions resumed | full handshakes |");
      System.out.println("|---|---|---:|---:|");
      for (Map.Entry<String, int[]> e : sessions.entrySet()) {
        System.out.printf(Locale.ROOT, "| %s | %d | %d |%n", e.getKey(), e.getValue()[0], e.getValue()[1]);
      }
      System.out.println();
    }
  }

  /** Sessions resumed and full handshakes stunnel has logged so far; zeros without its log. */
  private int[] tlsSessions() throws IOException {
    if (stunnelLog == null || !Files.exists(stunnelLog)) {
      return new int[2];
    }
    // stunnel writes whole lines; the handshake of a finished send is logged before the send returns
    int reused = 0;
    int fresh = 0;
    for (String line : Files.readAllLines(stunnelLog, StandardCharsets.ISO_8859_1)) {
      if (line.contains("previous session reused")) {
        reused++;
      } else if (line.contains("new session negotiated")) {
        fresh++;
      }
    }
    return new int[] {reused, fresh};
  }
}
