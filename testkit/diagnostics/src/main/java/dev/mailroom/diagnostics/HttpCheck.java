package dev.mailroom.diagnostics;

import static dev.mailroom.diagnostics.DiagnosticStep.CONNECT;
import static dev.mailroom.diagnostics.DiagnosticStep.REQUEST;
import static dev.mailroom.diagnostics.DiagnosticStep.RESOLVE;
import static dev.mailroom.diagnostics.DiagnosticStep.SEND;
import static dev.mailroom.diagnostics.DiagnosticStep.TLS;

import dev.mailroom.Email;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.TlsMode;
import dev.mailroom.http.HttpDialect;
import dev.mailroom.http.HttpDialects;
import dev.mailroom.internal.Destinations;
import dev.mailroom.http.internal.HttpFailures;
import dev.mailroom.Secret;
import dev.mailroom.internal.NetworkFailures;
import dev.mailroom.internal.SigV4;
import dev.mailroom.internal.Text;
import dev.mailroom.diagnostics.internal.Dns;
import dev.mailroom.diagnostics.internal.LineChannel;
import dev.mailroom.diagnostics.internal.Texts;
import dev.mailroom.diagnostics.internal.Transcript;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP steps: resolve, connect, TLS, then a request the provider's API answers without sending mail
 * (where it has one), then, with a test recipient, a real test email through {@link Mailer}.
 */
final class HttpCheck {
  private static final String[] ALL = {RESOLVE, CONNECT, TLS, REQUEST, SEND};
  private static final int MAX_BODY = 16 * 1024;
  private static final int MAX_HEADERS = 100;
  private static final java.util.Set<String> SHOWN_HEADERS = java.util.Set.of("content-type", "content-length",
      "transfer-encoding", "retry-after", "x-ratelimit-reset", "x-sib-ratelimit-reset", "ratelimit-reset",
      "location");

  private final Session s;
  private final String host;
  private final int port;
  private final URI server;
  private final String dialect;
  private LineChannel channel;

  private HttpCheck(Session s) {
    this.s = s;
    this.host = s.host();
    this.port = s.port();
    this.server = s.settings.httpServer().orElseThrow();
    this.dialect = dialect(s);
  }

  static void run(Session s) {
    new HttpCheck(s).run();
  }

  /** The dialect id, chosen exactly as the HTTP sender chooses it ({@link HttpDialects#forSettings}). */
  static String dialect(Session s) {
    try {
      return HttpDialects.forSettings(s.settings).id();
    } catch (IllegalArgumentException e) {
      return s.settings.httpDialect().orElse(HttpDialects.FORM); // the send step reports the problem
    }
  }

  private void run() {
    try {
      steps();
    } finally {
      if (channel != null) {
        channel.close();
      }
    }
    s.skipRest(AccessTokens.steps(ALL, s, REQUEST));
    Warnings.common(s);
  }

  private void steps() {
    long t = Session.start();
    List<InetAddress> addresses;
    try {
      Destinations.checkName(s.options.destinationPolicy(), host, port);
    } catch (Destinations.DestinationRefusedException e) {
      s.fail(RESOLVE, t, e.failure().build());
      return;
    }
    try {
      addresses = Dns.resolve(host, s.settings.connectTimeout().compareTo(s.options.dnsTimeout()) > 0
          ? s.settings.connectTimeout() : s.options.dnsTimeout());
      s.ok(RESOLVE, t, "detail.resolve.ok", host, addresses.get(0).getHostAddress());
    } catch (IOException e) {
      IOException u = e instanceof UnknownHostException ? e : new UnknownHostException(host);
      s.fail(RESOLVE, t, NetworkFailures.classify(u, host, port, false).build());
      return;
    }
    t = Session.start();
    try {
      addresses = Destinations.checkAddresses(s.options.destinationPolicy(), host, port, addresses);
    } catch (Destinations.DestinationRefusedException e) {
      s.fail(CONNECT, t, e.failure().build());
      return;
    }
    channel = new LineChannel(s.transcript);
    try {
      channel.connect(addresses.get(0), port, s.settings.connectTimeout());
      s.transcript.note("Connected to " + addresses.get(0).getHostAddress() + ":" + port);
      s.ok(CONNECT, t, "detail.connect.ok", addresses.get(0).getHostAddress() + ":" + port);
    } catch (IOException e) {
      Failure f = NetworkFailures.classify(e, host, port, false).build();
      s.fail(CONNECT, t, TlsSteps.rebuild(s, f, f.message(), f.hintKey(), ""));
      return;
    }
    if (s.settings.tlsMode() == TlsMode.IMPLICIT) {
      t = Session.start();
      InetAddress checked = addresses.get(0);
      if (!TlsSteps.handshake(s, channel, TLS, t, true, scratch -> {
        LineChannel c = new LineChannel(scratch);
        c.connect(checked, port, s.settings.connectTimeout());
        return c;
      })) {
        return;
      }
    } else {
      s.skip(TLS, "detail.tls.http-plain");
    }
    if (!request()) {
      return;
    }
    send();
  }

  private boolean request() {
    Map<String, String> headers = new LinkedHashMap<>();
    String path;
    String key = s.settings.apiKey().map(k -> k.reveal()).orElse(null);
    switch (dialect) {
      case "sendgrid" -> {
        path = "/v3/scopes";
        headers.put("Authorization", key == null ? null : "Bearer " + key);
      }
      case "postmark" -> {
        path = "/server";
        headers.put("X-Postmark-Server-Token", key);
      }
      case "brevo" -> {
        path = "/v3/account";
        headers.put("api-key", key);
      }
      case "resend" -> {
        path = "/domains";
        headers.put("Authorization", key == null ? null : "Bearer " + key);
      }
      case "graph" -> {
        Secret token = AccessTokens.get(s, host, port);
        if (token == null) {
          channel.close();
          return false;
        }
        // Graph: read the sender's user (User.ReadBasic.All or Mail.Send's mailbox), no mail sent
        path = graphRoot() + "/users/" + java.net.URLEncoder.encode(s.settings.fromAddress(), StandardCharsets.UTF_8)
            .replace("%40", "@") + "?$select=id,mail";
        headers.put("Authorization", "Bearer " + token.reveal());
      }
      case "gmail" -> {
        Secret token = AccessTokens.get(s, host, port);
        if (token == null) {
          channel.close();
          return false;
        }
        path = "/gmail/v1/users/me/profile";
        headers.put("Authorization", "Bearer " + token.reveal());
      }
      case "ses" -> {
        path = "/v2/email/account";
        String[] creds = key == null ? new String[0] : key.split(":", 3);
        String region = SigV4.sesRegion(server, s.settings.preset().map(p -> p.host()).orElse(null));
        if (creds.length < 2 || region == null) {
          headers.put("Authorization", null);
        } else {
          SigV4 signer = new SigV4(creds[0], creds[1], creds.length > 2 ? creds[2] : null, region, "ses");
          URI uri = URI.create(server.getScheme() + "://" + server.getRawAuthority() + path);
          headers.putAll(signer.sign("GET", uri, Map.of(), SigV4.EMPTY_SHA256, java.time.Instant.now()));
        }
      }
      case "mailgun" -> {
        path = "/v3/domains/" + mailgunDomain();
        headers.put("Authorization", key == null ? null
            : "Basic " + Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8)));
      }
      default -> {
        channel.close();
        s.skip(REQUEST, "detail.request.none", dialect);
        if (s.options.testRecipient().isEmpty()) {
          s.warning(DiagnosticWarning.NOT_VERIFIED_WITHOUT_RECIPIENT, server.toString());
        }
        return true;
      }
    }
    long t = Session.start();
    if (headers.containsValue(null)) {
      channel.close();
      s.fail(REQUEST, t, Failure.builder(FailureCategory.CONFIGURATION).server(host, port)
          .message("The " + dialect + " API needs an API key, and the settings have none")
          .hint("hint.http.api-key-missing", dialect).build());
      return false;
    }
    headers.values().forEach(s.transcript::secret);
    try {
      Response r = get(path, headers);
      String body = r.body.toLowerCase(Locale.ROOT);
      if (r.status >= 200 && r.status < 300) {
        if (dialect.equals("sendgrid") && !body.contains("mail.send")) {
          s.warn(REQUEST, t, "detail.request.sendgrid-no-mail-send", String.valueOf(r.status));
        } else {
          s.ok(REQUEST, t, "detail.request.ok", "GET " + path, r.statusLine);
        }
        return true;
      }
      if (dialect.equals("resend") && r.status == 401 && body.contains("restricted_api_key")) {
        s.ok(REQUEST, t, "detail.request.resend-send-only", r.statusLine);
        return true;
      }
      s.fail(REQUEST, t, statusFailure(r), "detail.raw", r.statusLine);
      return false;
    } catch (IOException e) {
      Failure f;
      if (e instanceof LineChannel.ProtocolViolation) {
        // not quoted: what answers here may be any internal service
        f = Failure.builder(FailureCategory.PROTOCOL).server(host, port)
            .message(host + ":" + port + " does not answer like an email service's API (" + e.getMessage() + ")")
            .hint("hint.http.not-mail-service", "").build();
      } else {
        f = NetworkFailures.classify(e, host, port, s.settings.tlsMode() == TlsMode.IMPLICIT).build();
      }
      s.fail(REQUEST, t, f);
      return false;
    } finally {
      channel.close();
    }
  }

  /**
   * Classifies the key check's error answer with the HTTP sender's own code ({@link HttpFailures#classify}):
   * the same category, transience, code, title, hint and wait as a real send meeting the same answer.
   */
  private Failure statusFailure(Response r) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    r.headers.forEach((name, value) -> headers.put(name, List.of(value)));
    HttpDialect.Response response = new HttpDialect.Response(r.status, HttpHeaders.of(headers, (n, v) -> true),
        r.body);
    return HttpFailures.classify(HttpDialects.forSettings(s.settings), response, server, port,
        s.transcript.redactor()).build();
  }

  /** Graph's version root on the server: its path if it names one ({@code /v1.0}, {@code /beta}), else /v1.0. */
  private String graphRoot() {
    String p = server.getRawPath() == null ? "" : server.getRawPath().replaceAll("/+$", "");
    return p.endsWith("/v1.0") || p.endsWith("/beta") ? p : p + "/v1.0";
  }

  /**
   * The Mailgun domain for the key check: from the URL's raw path ({@code /v3/DOMAIN/messages}) or the
   * sender's domain, percent-encoded so that nothing in the settings can add to the request line or headers
   * (a path holding {@code %0D%0A} stays encoded).
   */
  private String mailgunDomain() {
    String p = server.getRawPath() == null ? "" : server.getRawPath();
    String[] parts = p.split("/");
    for (int i = 0; i + 2 < parts.length; i++) {
      if (parts[i].equals("v3") && parts[i + 2].equals("messages")) {
        return pathSegment(parts[i + 1]);
      }
    }
    String from = s.settings.fromAddress();
    return from == null ? "" : pathSegment(from.substring(from.lastIndexOf('@') + 1));
  }

  /** Keeps letters, digits, '.', '-' and '_' and percent-encodes every other byte (an existing '%' too). */
  static String pathSegment(String raw) {
    StringBuilder b = new StringBuilder();
    for (byte x : raw.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
          || c == '_') {
        b.append(c);
      } else {
        b.append('%').append(String.format(Locale.ROOT, "%02X", x & 0xff));
      }
    }
    return b.toString();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 307 -> "Temporary Redirect";
      case 308 -> "Permanent Redirect";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 402 -> "Payment Required";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "";
    };
  }

  private record Response(int status, String statusLine, Map<String, String> headers, String body) {}

  private Response get(String path, Map<String, String> headers) throws IOException {
    String hostHeader = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    boolean defaultPort = port == (s.settings.tlsMode() == TlsMode.IMPLICIT ? 443 : 80);
    channel.writeLine("GET " + path + " HTTP/1.1", null);
    channel.writeLine("Host: " + hostHeader + (defaultPort ? "" : ":" + port), null);
    for (Map.Entry<String, String> h : headers.entrySet()) {
      channel.writeLine(h.getKey() + ": " + h.getValue(), h.getKey() + ": " + redacted(h.getValue()));
    }
    channel.writeLine("Accept: application/json", null);
    channel.writeLine("User-Agent: Mailroom-diagnostics", null);
    channel.writeLine("Connection: close", null);
    channel.writeLine("", null);
    long deadline = System.nanoTime() + s.settings.readTimeout().toNanos();
    String statusLine = channel.readLine(deadline);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("[1-5][0-9][0-9]")) {
      s.transcript.received("(" + statusLine.length() + " characters that are not an HTTP status line, not shown)");
      throw new LineChannel.ProtocolViolation("no HTTP status line");
    }
    s.transcript.received(parts[0] + " " + parts[1]);
    Map<String, String> responseHeaders = new LinkedHashMap<>();
    for (int i = 0; ; i++) {
      if (i > MAX_HEADERS) {
        throw new LineChannel.ProtocolViolation("more than " + MAX_HEADERS + " response headers");
      }
      String line = channel.readLine(deadline);
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        responseHeaders.put(name, line.substring(colon + 1).strip());
        // only the headers the check reads are shown: others (cookies, server banners) say nothing useful
        if (SHOWN_HEADERS.contains(name)) {
          s.transcript.received(line);
        }
      }
    }
    byte[] body;
    if ("chunked".equalsIgnoreCase(responseHeaders.getOrDefault("transfer-encoding", ""))) {
      List<byte[]> chunks = new ArrayList<>();
      int total = 0;
      while (total < MAX_BODY) {
        String size = channel.readLine(deadline).strip();
        int semi = size.indexOf(';');
        int n;
        try {
          n = Integer.parseInt(semi < 0 ? size : size.substring(0, semi), 16);
        } catch (NumberFormatException e) {
          throw new LineChannel.ProtocolViolation("invalid chunk size");
        }
        if (n == 0) {
          break;
        }
        byte[] c = channel.readBytes(n, MAX_BODY - total, deadline);
        chunks.add(c);
        total += c.length;
        if (c.length < n) {
          break;
        }
        channel.readLine(deadline);
      }
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      for (byte[] c : chunks) {
        all.write(c);
      }
      body = all.toByteArray();
    } else {
      long length = -1;
      try {
        length = Long.parseLong(responseHeaders.getOrDefault("content-length", "-1").strip());
      } catch (NumberFormatException e) {
        length = -1;
      }
      body = channel.readBytes(length, MAX_BODY, deadline);
    }
    String text = new String(body, StandardCharsets.UTF_8);
    // the body is not shown: the classifier quotes a provider's error message, nothing else
    s.transcript.received("<body: " + body.length + " bytes, not shown>");
    int status = Integer.parseInt(parts[1]);
    return new Response(status, parts[1] + " " + reason(status), responseHeaders, text);
  }

  private static String redacted(String value) {
    int sp = value.indexOf(' ');
    return sp > 0 && sp < 10 ? value.substring(0, sp) + " " + Transcript.REDACTED : Transcript.REDACTED;
  }

  private void send() {
    String to = s.options.testRecipient().orElse(null);
    if (to == null) {
      s.skip(SEND, "detail.send.no-recipient");
      return;
    }
    long t = Session.start();
    Locale locale = s.options.locale();
    String when = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(ZonedDateTime.now());
    Email email = Email.builder()
        .to(to)
        .subject(Texts.get(locale, "testmail.subject"))
        .text(Texts.get(locale, "testmail.body", host, String.valueOf(port), when))
        .build();
    MailerOptions options = MailerOptions.builder()
        .maxAttempts(1)
        .destinationPolicy(s.options.destinationPolicy())
        .transcript(s.transcript::external)
        .build();
    s.transcript.note("Sending the test email to " + to + " with the HTTP sender (" + dialect + ")");
    try (Mailer mailer = Mailer.open(s.settings, options)) {
      SendReceipt receipt = mailer.send(email);
      s.ok(SEND, t, "detail.send.ok", to, receipt.serverReply().orElse(receipt.messageId()));
    } catch (SendException e) {
      s.fail(SEND, t, e.failure());
    } catch (RuntimeException e) {
      s.fail(SEND, t, Failure.builder(FailureCategory.CONFIGURATION).server(host, port)
          .message("The HTTP sender could not be used: " + Text.sanitize(String.valueOf(e.getMessage()), 300))
          .hint("hint.configuration.no-sender", Text.sanitize(String.valueOf(e.getMessage()), 300)).build());
    }
  }
}
