package dev.mailroom.diagnostics;

import static dev.mailroom.diagnostics.DiagnosticStep.ACCESS_TOKEN;
import static dev.mailroom.diagnostics.DiagnosticStep.AUTH;
import static dev.mailroom.diagnostics.DiagnosticStep.CONNECT;
import static dev.mailroom.diagnostics.DiagnosticStep.EHLO;
import static dev.mailroom.diagnostics.DiagnosticStep.EHLO_TLS;
import static dev.mailroom.diagnostics.DiagnosticStep.GREETING;
import static dev.mailroom.diagnostics.DiagnosticStep.PROBE;
import static dev.mailroom.diagnostics.DiagnosticStep.QUIT;
import static dev.mailroom.diagnostics.DiagnosticStep.RESOLVE;
import static dev.mailroom.diagnostics.DiagnosticStep.SEND;
import static dev.mailroom.diagnostics.DiagnosticStep.STARTTLS;
import static dev.mailroom.diagnostics.DiagnosticStep.TLS;

import dev.mailroom.Address;
import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.InvalidSettingsException;
import dev.mailroom.Secret;
import dev.mailroom.TlsMode;
import dev.mailroom.internal.Destinations;
import dev.mailroom.internal.NetworkFailures;
import dev.mailroom.internal.SmtpReplies;
import dev.mailroom.internal.SmtpReplies.Stage;
import dev.mailroom.internal.Text;
import dev.mailroom.diagnostics.internal.Dns;
import dev.mailroom.diagnostics.internal.LineChannel;
import dev.mailroom.diagnostics.internal.RecordingTrustManager;
import dev.mailroom.diagnostics.internal.SmtpClient;
import dev.mailroom.diagnostics.internal.SmtpReply;
import dev.mailroom.diagnostics.internal.TestMessage;
import dev.mailroom.diagnostics.internal.Texts;
import dev.mailroom.diagnostics.internal.Transcript;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/** The SMTP steps of the diagnostics, on our own small client, like swaks. */
final class SmtpCheck {
  private static final String[] ALL = {RESOLVE, CONNECT, TLS, GREETING, EHLO, STARTTLS, EHLO_TLS, AUTH, SEND, QUIT};
  private static final Duration MAX_PROBE_WAIT = Duration.ofSeconds(10);

  private final Session s;
  private final String host;
  private final int port;
  private final TlsMode mode;
  private SmtpClient client;
  private InetAddress address;
  private List<String> capabilities = List.of();
  private boolean greeted;
  private boolean quitSent;
  private boolean broken;

  private SmtpCheck(Session s) {
    this.s = s;
    this.host = s.host();
    this.port = s.port();
    this.mode = s.settings.tlsMode();
  }

  static void run(Session s) {
    new SmtpCheck(s).run();
  }

  private void run() {
    ProviderDetection.beforeConnect(s);
    try {
      steps();
    } finally {
      closeQuietly();
    }
    s.skipRest(AccessTokens.steps(ALL, s, AUTH));
    Warnings.afterSmtp(s, capabilities);
  }

  private void steps() {
    if (!resolveAndConnect()) {
      return;
    }
    if (mode == TlsMode.IMPLICIT) {
      long t = Session.start();
      if (!TlsSteps.handshake(s, client.channel(), TLS, t, true, this::reopen)) {
        broken = true;
        if ("hint.tls.tls-on-plain-port".equals(s.failure.hintKey())) {
          probePlain();
        }
        return;
      }
    } else {
      s.skip(TLS, mode == TlsMode.STARTTLS ? "detail.tls.starttls-later" : "detail.tls.off");
    }
    if (!greeting() || !ehlo() || !startTls() || !ehloAgain() || !auth() || !send()) {
      return;
    }
    quit();
  }

  private boolean resolveAndConnect() {
    long t = Session.start();
    List<InetAddress> addresses;
    Duration dnsWait = max(s.options.dnsTimeout(), s.settings.connectTimeout());
    try {
      Destinations.checkName(s.options.destinationPolicy(), host, port);
    } catch (Destinations.DestinationRefusedException e) {
      s.fail(RESOLVE, t, e.failure().build());
      return false;
    }
    try {
      addresses = Dns.resolve(host, dnsWait);
      s.ok(RESOLVE, t, "detail.resolve.ok", host, join(addresses));
    } catch (IOException e) {
      IOException u = e instanceof UnknownHostException ? e : new UnknownHostException(host);
      s.fail(RESOLVE, t, TlsSteps.rebuild(s, NetworkFailures.classify(u, host, port, false).build(),
          "Cannot find server " + host + ": the name does not resolve", "hint.connection.unknown-host", ""));
      return false;
    }
    t = Session.start();
    try {
      // the destination policy sees every address; only checked addresses are connected to (probes too)
      addresses = Destinations.checkAddresses(s.options.destinationPolicy(), host, port, addresses);
    } catch (Destinations.DestinationRefusedException e) {
      s.fail(CONNECT, t, e.failure().build());
      return false;
    }
    IOException last = null;
    long limit = System.nanoTime() + 2 * s.settings.connectTimeout().toNanos();
    for (InetAddress a : addresses.subList(0, Math.min(4, addresses.size()))) {
      if (last != null && System.nanoTime() > limit) {
        break;
      }
      s.transcript.note("Trying " + a.getHostAddress() + ":" + port + "...");
      SmtpClient c = new SmtpClient(s.transcript, s.settings.readTimeout());
      try {
        c.connect(a, port, s.settings.connectTimeout());
        client = c;
        address = a;
        break;
      } catch (IOException e) {
        s.transcript.note("Connection to " + a.getHostAddress() + ":" + port + " failed: " + e.getMessage());
        last = e;
        c.close();
      }
    }
    if (client == null) {
      Failure f = NetworkFailures.classify(last, host, port, false).build();
      s.fail(CONNECT, t, TlsSteps.rebuild(s, f, f.message(), f.hintKey(), ""));
      return false;
    }
    s.transcript.note("Connected to " + address.getHostAddress() + ":" + port);
    s.ok(CONNECT, t, "detail.connect.ok", address.getHostAddress() + ":" + port);
    return true;
  }

  private boolean greeting() {
    long t = Session.start();
    try {
      SmtpReply r = client.read();
      if (r.code() != 220) {
        fail(GREETING, t, Stage.GREETING, r, "");
        return false;
      }
      greeted = true;
      ProviderDetection.fromGreeting(s, r.oneLine());
      s.ok(GREETING, t, "detail.raw", r.oneLine());
      return true;
    } catch (SocketTimeoutException e) {
      broken = true;
      s.fail(GREETING, t, failure(FailureCategory.TIMEOUT, true, host + ":" + port
          + " accepted the connection but sent no greeting within the read timeout", "hint.timeout.greeting"));
      if (mode != TlsMode.IMPLICIT) {
        probeImplicit();
      }
      return false;
    } catch (EOFException e) {
      broken = true;
      s.fail(GREETING, t, failure(FailureCategory.CONNECTION, true, host + ":" + port
          + " closed the connection without a greeting", "hint.connection.closed-before-greeting"));
      if (mode != TlsMode.IMPLICIT) {
        probeImplicit();
      }
      return false;
    } catch (IOException e) {
      ioFailure(GREETING, t, e);
      return false;
    }
  }

  private boolean ehlo() {
    long t = Session.start();
    try {
      SmtpReply r = client.command("EHLO " + clientName(client));
      if (r.code() == 250) {
        capabilities = r.extensions();
        s.ok(EHLO, t, "detail.ehlo.ok", capabilitiesText());
        return true;
      }
      if (r.code() >= 500) {
        SmtpReply helo = client.command("HELO " + clientName(client));
        if (helo.code() == 250) {
          capabilities = List.of();
          s.warn(EHLO, t, "detail.ehlo.helo-only", r.oneLine());
          return true;
        }
        fail(EHLO, t, Stage.EHLO, helo, "");
        return false;
      }
      fail(EHLO, t, Stage.EHLO, r, "");
      return false;
    } catch (IOException e) {
      ioFailure(EHLO, t, e);
      return false;
    }
  }

  private boolean startTls() {
    if (mode == TlsMode.IMPLICIT) {
      s.skip(STARTTLS, "detail.starttls.implicit");
      return true;
    }
    if (mode == TlsMode.NONE) {
      s.skip(STARTTLS, "detail.starttls.off");
      if (has("STARTTLS")) {
        s.warning(DiagnosticWarning.STARTTLS_AVAILABLE, host, String.valueOf(port));
      }
      return true;
    }
    long t = Session.start();
    if (!has("STARTTLS")) {
      s.fail(STARTTLS, t, failure(FailureCategory.TLS, false, host + ":" + port
          + " does not offer STARTTLS, so the connection cannot be encrypted", "hint.tls.starttls-missing"));
      return false;
    }
    try {
      SmtpReply r = client.command("STARTTLS");
      if (r.code() != 220) {
        fail(STARTTLS, t, Stage.STARTTLS, r, "");
        return false;
      }
      if (client.channel().hasPendingInput()) {
        broken = true;
        s.fail(STARTTLS, t, failure(FailureCategory.PROTOCOL, false, host + ":" + port
            + " sent more data right after its STARTTLS reply, before encryption started; something on the"
            + " way may be injecting commands", "hint.protocol.starttls-injection"));
        return false;
      }
    } catch (IOException e) {
      ioFailure(STARTTLS, t, e);
      return false;
    }
    if (!TlsSteps.handshake(s, client.channel(), STARTTLS, t, false, this::reopenForStartTls)) {
      broken = true;
      return false;
    }
    return true;
  }

  private boolean ehloAgain() {
    if (mode != TlsMode.STARTTLS) {
      s.skip(EHLO_TLS, "detail.ehlo-tls.not-needed");
      return true;
    }
    long t = Session.start();
    try {
      SmtpReply r = client.command("EHLO " + clientName(client));
      if (r.code() != 250) {
        // like the sender: an EHLO that fails once TLS is up ends the session
        Failure.Builder b = Failure.builder(FailureCategory.TLS).transientFailure(r.transientNegative())
            .server(host, port).code(r.code()).serverReply(r.oneLine())
            .message(host + ":" + port + " did not accept EHLO after STARTTLS: " + r.oneLine())
            .hint("hint.tls.ehlo-after-starttls", "");
        r.enhancedStatus().ifPresent(b::enhancedStatus);
        if (s.provider != null) {
          b.provider(s.provider.id());
        }
        s.fail(EHLO_TLS, t, b.build(), "detail.raw", r.oneLine());
        return false;
      }
      capabilities = r.extensions();
      s.ok(EHLO_TLS, t, "detail.ehlo.ok", capabilitiesText());
      return true;
    } catch (IOException e) {
      ioFailure(EHLO_TLS, t, e);
      return false;
    }
  }

  private boolean auth() {
    String user = s.settings.username().orElse(null);
    if (user == null) {
      s.skip(AUTH, "detail.auth.no-login");
      return true;
    }
    long t = Session.start();
    Set<String> mechanisms = mechanisms();
    if (mechanisms.isEmpty()) {
      s.warning(DiagnosticWarning.NO_AUTH_OFFERED, host);
      s.fail(AUTH, t, failure(FailureCategory.AUTHENTICATION, false, host + ":" + port
          + " offers no sign-in (AUTH) on this connection", "hint.auth.not-supported"));
      return false;
    }
    String mechanism;
    try {
      SmtpReply r;
      if (s.settings.oauth2().isPresent()) {
        mechanism = "XOAUTH2";
        if (!mechanisms.contains(mechanism)) {
          s.fail(AUTH, t, failure(FailureCategory.AUTHENTICATION, false, host + ":" + port
              + " does not offer OAuth2 sign-in (XOAUTH2); it offers " + String.join(" ", mechanisms),
              "hint.auth.not-supported"));
          return false;
        }
        Secret token = AccessTokens.get(s, host, port);
        if (token == null) {
          return false;
        }
        t = Session.start();
        s.transcript.secret(token.reveal());
        String payload = b64("user=" + user + "\u0001auth=Bearer " + token.reveal() + "\u0001\u0001");
        s.transcript.secret(payload);
        client.send("AUTH XOAUTH2 " + payload, "AUTH XOAUTH2 " + Transcript.REDACTED);
        r = client.read();
        if (r.code() == 334) {
          client.send("", null);
          r = client.read();
        }
      } else if (mechanisms.contains("PLAIN")) {
        mechanism = "PLAIN";
        String payload = b64("\0" + user + "\0" + password());
        s.transcript.secret(payload);
        client.send("AUTH PLAIN " + payload, "AUTH PLAIN " + Transcript.REDACTED);
        r = client.read();
        if (r.code() == 334) {
          client.send(payload, Transcript.REDACTED);
          r = client.read();
        }
      } else if (mechanisms.contains("LOGIN")) {
        mechanism = "LOGIN";
        r = client.command("AUTH LOGIN");
        if (r.code() == 334) {
          client.send(b64(user), Transcript.REDACTED);
          r = client.read();
          if (r.code() == 334) {
            String p = b64(password());
            s.transcript.secret(p);
            client.send(p, Transcript.REDACTED);
            r = client.read();
          }
        }
      } else {
        s.fail(AUTH, t, failure(FailureCategory.AUTHENTICATION, false, host + ":" + port
            + " offers no sign-in method Mailroom supports (it offers " + String.join(" ", mechanisms) + ")",
            "hint.auth.not-supported"));
        return false;
      }
      if (r.code() != 235) {
        fail(AUTH, t, Stage.AUTH, r, user);
        return false;
      }
      s.ok(AUTH, t, "detail.auth.ok", user, mechanism);
      return true;
    } catch (IOException e) {
      ioFailure(AUTH, t, e);
      return false;
    }
  }

  private boolean send() {
    String to = s.options.testRecipient().orElse(null);
    if (to == null) {
      s.skip(SEND, "detail.send.no-recipient");
      return true;
    }
    long t = Session.start();
    Address from;
    Address rcpt;
    try {
      from = s.settings.sender();
      rcpt = Address.of(to);
    } catch (IllegalArgumentException e) {
      s.fail(SEND, t, failure(FailureCategory.CONFIGURATION, false, Text.sanitize(e.getMessage(), 300),
          "hint.CONFIGURATION"));
      return false;
    }
    boolean utf8 = !from.hasAsciiLocalPart() || !rcpt.hasAsciiLocalPart();
    if (utf8 && !has("SMTPUTF8")) {
      String which = from.hasAsciiLocalPart() ? rcpt.email() : from.email();
      s.fail(SEND, t, Failure.builder(FailureCategory.CONFIGURATION).server(host, port)
          .message("The address " + which + " needs SMTPUTF8, which " + host + " does not offer")
          .hint(from.hasAsciiLocalPart() ? "hint.recipient.needs-smtputf8" : "hint.sender.needs-smtputf8", which)
          .build());
      return false;
    }
    String fromText = utf8 ? from.email() : from.asciiEmail();
    String toText = utf8 ? rcpt.email() : rcpt.asciiEmail();
    boolean dataSent = false;
    try {
      SmtpReply r = client.command("MAIL FROM:<" + fromText + ">" + (utf8 ? " SMTPUTF8" : ""));
      if (r.code() != 250) {
        fail(SEND, t, Stage.MAIL, r, from.email());
        return false;
      }
      r = client.command("RCPT TO:<" + toText + ">");
      if (r.code() != 250 && r.code() != 251) {
        fail(SEND, t, Stage.RCPT, r, rcpt.email());
        return false;
      }
      r = client.command("DATA");
      if (r.code() != 354) {
        fail(SEND, t, Stage.DATA, r, "");
        return false;
      }
      Locale locale = s.options.locale();
      String when = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(ZonedDateTime.now());
      byte[] data = TestMessage.data(from, toText, Texts.get(locale, "testmail.subject"),
          Texts.get(locale, "testmail.body", host, String.valueOf(port), when));
      s.transcript.note("Sending the test message (" + data.length + " bytes) and the final dot");
      client.channel().writeRaw(data);
      dataSent = true;
      r = client.read();
      if (r.code() != 250) {
        fail(SEND, t, Stage.END_OF_DATA, r, "");
        return false;
      }
      s.ok(SEND, t, "detail.send.ok", rcpt.email(), r.oneLine());
      return true;
    } catch (IOException e) {
      if (dataSent) {
        broken = true;
        s.fail(SEND, t, failure(FailureCategory.OUTCOME_UNKNOWN, false, "The connection to " + host + ":" + port
            + " was lost after the test message was handed over, before the server confirmed it",
            "hint.outcome-unknown"));
        return false;
      }
      ioFailure(SEND, t, e);
      return false;
    }
  }

  private void quit() {
    long t = Session.start();
    quitSent = true;
    try {
      SmtpReply r = client.command("QUIT");
      if (r.code() == 221) {
        s.ok(QUIT, t, "detail.raw", r.oneLine());
      } else {
        s.warn(QUIT, t, "detail.raw", r.oneLine());
      }
    } catch (IOException e) {
      s.warn(QUIT, t, "detail.quit.no-reply");
    }
  }

  private void closeQuietly() {
    if (client == null) {
      return;
    }
    if (greeted && !quitSent && !broken) {
      try {
        client.send("QUIT", null);
        client.read(Duration.ofSeconds(1));
      } catch (IOException ignored) {
        // the session is over anyway
      }
    }
    client.close();
  }

  // ---- "did you mean": the other encryption mode on the same port

  /** TLS on connect failed because the server speaks plain SMTP: does it offer STARTTLS? */
  private void probePlain() {
    if (!s.options.probe() || address == null) {
      return;
    }
    long t = Session.start();
    s.transcript.note("Probe: plain SMTP on " + host + ":" + port + ", to see whether STARTTLS works there");
    Duration wait = min(s.settings.readTimeout(), MAX_PROBE_WAIT);
    try (SmtpClient c = new SmtpClient(s.transcript, wait)) {
      c.connect(address, port, s.settings.connectTimeout());
      SmtpReply g = c.read();
      if (g.code() != 220) {
        s.warn(PROBE, t, "detail.probe.nothing", String.valueOf(port), g.oneLine());
        return;
      }
      SmtpReply e = c.command("EHLO " + clientName(c));
      boolean starttls = e.code() == 250 && e.extensions().stream().anyMatch(x -> x.equals("STARTTLS"));
      try {
        c.command("QUIT");
      } catch (IOException ignored) {
        // probe done
      }
      if (starttls) {
        s.ok(PROBE, t, "detail.probe.starttls-works", String.valueOf(port));
        s.suggest(other(TlsMode.STARTTLS), "suggest.starttls", host, String.valueOf(port));
      } else {
        s.warn(PROBE, t, "detail.probe.plain-only", String.valueOf(port));
        s.suggest(null, "suggest.plain-only", host, String.valueOf(port));
      }
    } catch (IOException e) {
      s.warn(PROBE, t, "detail.probe.failed", Text.sanitize(e.getMessage(), 200));
    }
  }

  /** A plain client got no greeting: does the port speak TLS from the first byte? */
  private void probeImplicit() {
    if (!s.options.probe() || address == null) {
      return;
    }
    long t = Session.start();
    s.transcript.note("Probe: SSL/TLS from the first byte on " + host + ":" + port);
    Duration wait = min(s.settings.readTimeout(), MAX_PROBE_WAIT);
    boolean verify = s.settings.verifyTlsCertificate();
    RecordingTrustManager trust = RecordingTrustManager.create(verify, s.options.trustStore().orElse(null));
    try (SmtpClient c = new SmtpClient(s.transcript, wait)) {
      c.connect(address, port, s.settings.connectTimeout());
      boolean certificateFailed = false;
      try {
        c.startTls(trust.context(), host, port, verify);
      } catch (SSLException e) {
        X509Certificate[] chain = TlsSteps.chain(s, trust, c.channel(), e, this::reopen);
        if (chain == null) {
          s.warn(PROBE, t, "detail.probe.no-tls", String.valueOf(port));
          return;
        }
        // the server speaks TLS; only its certificate failed
        certificateFailed = true;
        if (s.certificate == null) {
          s.certificate = CertificateSummary.of(chain, false);
        }
      }
      if (c.channel().isTls()) {
        SmtpReply g = c.read();
        if (g.code() != 220) {
          s.warn(PROBE, t, "detail.probe.nothing", String.valueOf(port), g.oneLine());
          return;
        }
        try {
          c.command("QUIT");
        } catch (IOException ignored) {
          // probe done
        }
      }
      s.ok(PROBE, t, certificateFailed ? "detail.probe.implicit-works-untrusted" : "detail.probe.implicit-works",
          String.valueOf(port));
      s.suggest(other(TlsMode.IMPLICIT), "suggest.implicit", host, String.valueOf(port));
    } catch (IOException e) {
      s.warn(PROBE, t, "detail.probe.failed", Text.sanitize(e.getMessage(), 200));
    } finally {
      s.transcript.tls(false);
    }
  }

  /** A new connection to the checked address, for a TLS handshake on connect ({@link TlsSteps.Reopen}). */
  private LineChannel reopen(Transcript scratch) throws IOException {
    LineChannel c = new LineChannel(scratch);
    c.connect(address, port, s.settings.connectTimeout());
    return c;
  }

  /** A new connection to the checked address, greeted and STARTTLS accepted ({@link TlsSteps.Reopen}). */
  private LineChannel reopenForStartTls(Transcript scratch) throws IOException {
    SmtpClient c = new SmtpClient(scratch, min(s.settings.readTimeout(), MAX_PROBE_WAIT));
    try {
      c.connect(address, port, s.settings.connectTimeout());
      if (c.read().code() != 220 || c.command("EHLO " + clientName(c)).code() != 250
          || c.command("STARTTLS").code() != 220 || c.channel().hasPendingInput()) {
        throw new IOException("the server did not start TLS again");
      }
      return c.channel();
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private EmailSettings other(TlsMode m) {
    try {
      return s.settings.toBuilder().tlsMode(m).build();
    } catch (InvalidSettingsException e) {
      return null; // e.g. implicit TLS on 587 is refused by the settings' own checks
    }
  }

  // ---- helpers

  /** Classifies a negative reply exactly as the SMTP sender does ({@link SmtpReplies}). */
  private void fail(String step, long t, Stage stage, SmtpReply r, String detail) {
    Failure f = SmtpReplies.failure(stage, toReply(r), host, port, s.providerId(), detail).build();
    s.fail(step, t, f, "detail.raw", r.oneLine());
  }

  private static SmtpReplies.Reply toReply(SmtpReply r) {
    StringBuilder raw = new StringBuilder();
    for (int i = 0; i < r.lines().size(); i++) {
      raw.append(r.code()).append(i < r.lines().size() - 1 ? '-' : ' ').append(r.lines().get(i)).append('\n');
    }
    return SmtpReplies.Reply.parse(raw.toString()).orElseGet(() -> new SmtpReplies.Reply(r.code(),
        r.enhancedStatus().orElse(null), String.join(" ", r.lines())));
  }

  private void ioFailure(String step, long t, IOException e) {
    broken = true;
    Failure f;
    if (e instanceof SmtpClient.NotSmtp) {
      f = Failure.builder(FailureCategory.PROTOCOL).server(host, port)
          .message(host + ":" + port + " does not answer like a mail server")
          .hint("hint.protocol.not-mail-server", "").build();
    } else if (e instanceof LineChannel.ProtocolViolation) {
      f = Failure.builder(FailureCategory.PROTOCOL).server(host, port)
          .message(host + ":" + port + " broke the SMTP protocol: " + Text.sanitize(e.getMessage(), 300))
          .serverReply(e.getMessage()).hint("hint.protocol.invalid-reply", "").build();
    } else if (e instanceof SocketTimeoutException) {
      f = failure(FailureCategory.TIMEOUT, true, "No reply from " + host + ":" + port
          + " within the read timeout", "hint.timeout.read");
    } else if (e instanceof EOFException) {
      f = failure(FailureCategory.CONNECTION, true, host + ":" + port + " closed the connection",
          "hint.connection.lost");
    } else {
      f = NetworkFailures.classify(e, host, port, mode == TlsMode.IMPLICIT).build();
    }
    s.fail(step, t, TlsSteps.rebuild(s, f, f.message(), f.hintKey(), ""));
  }

  private Failure failure(FailureCategory category, boolean transientFailure, String message, String hint) {
    Failure.Builder b = Failure.builder(category).transientFailure(transientFailure).server(host, port)
        .message(message).hint(hint, "");
    if (s.provider != null) {
      b.provider(s.provider.id());
    }
    return b.build();
  }

  private String password() {
    return s.settings.password().map(Secret::reveal).orElse("");
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private boolean has(String keyword) {
    return capabilities.stream().anyMatch(c -> c.equals(keyword) || c.startsWith(keyword + " "));
  }

  private Set<String> mechanisms() {
    Set<String> m = new LinkedHashSet<>();
    for (String c : capabilities) {
      if (c.startsWith("AUTH ") || c.startsWith("AUTH=")) {
        for (String x : c.substring(5).trim().split("\\s+")) {
          if (!x.isEmpty()) {
            m.add(x.toUpperCase(Locale.ROOT));
          }
        }
      }
    }
    return m;
  }

  private String capabilitiesText() {
    List<String> shown = new ArrayList<>(capabilities);
    return shown.isEmpty() ? "-" : String.join(", ", shown);
  }

  private static String clientName(SmtpClient c) {
    InetAddress local = c.channel().socket().getLocalAddress();
    String a = local.getHostAddress();
    return local instanceof java.net.Inet6Address ? "[IPv6:" + a.replaceAll("%.*$", "") + "]" : "[" + a + "]";
  }

  private static String join(List<InetAddress> addresses) {
    return addresses.stream().limit(4).map(InetAddress::getHostAddress).collect(Collectors.joining(", "))
        + (addresses.size() > 4 ? ", ..." : "");
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
