package dev.mailroom.http.internal;

import dev.mailroom.Address;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.Secret;
import dev.mailroom.http.HttpDialect;
import dev.mailroom.internal.Destinations;
import dev.mailroom.internal.NetworkFailures;
import dev.mailroom.internal.Redactor;
import dev.mailroom.internal.Sanitizer;
import dev.mailroom.internal.TlsPolicy;
import dev.mailroom.spi.SendRequest;
import dev.mailroom.spi.Sender;
import dev.mailroom.spi.SenderContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP {@link Sender}: an {@link HttpClient} (HTTP/1.1, no redirects, the settings' connect
 * timeout, the one {@link TlsPolicy}), shared with the other senders that trust servers the same way
 * ({@link SharedClient}), and a {@link HttpDialect} for the wire format. The parts around it live in their
 * own classes, as in the smtp module: {@link ClientThreads} (the sender's threads, the shared client), {@link Watchdog} (the read timeout), {@link HttpFailures} (what went wrong),
 * {@link BlindCopies} (for APIs without bcc), {@link StreamingBody} and {@link Transcript}.
 *
 * <p>Timeouts: the settings' read timeout bounds every period without progress: no byte of the request
 * taken by the server, no byte of the response. A timeout (or a dropped connection) after the whole
 * request was sent and before the answer is {@link FailureCategory#OUTCOME_UNKNOWN} unless the dialect
 * deduplicates by idempotency key.
 */
public final class HttpSender implements Sender {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSender.class);
  private static final String USER_AGENT = userAgent();

  private final EmailSettings settings;
  private final HttpDialect dialect;
  private final URI server;
  private final String host;
  private final boolean https;
  private final ClientThreads threads;
  private final Watchdog watchdog;
  private final HttpFailures failures;
  private final Transcript transcript;
  private final BlindCopies blindCopies = new BlindCopies();
  private final DialectContext context = new DialectContext();
  private volatile HttpClient client;
  private final dev.mailroom.DestinationPolicy destinationPolicy;
  private final dev.mailroom.spi.SenderEvents events;

  private HttpSender(EmailSettings settings, SenderContext options, HttpDialect dialect) {
    this.settings = settings;
    this.dialect = dialect;
    this.server = settings.httpServer().orElseThrow(() -> new IllegalArgumentException(
        "httpServer is required for HTTP: enter the URL of the HTTP mail service"));
    this.host = server.getHost();
    this.https = "https".equalsIgnoreCase(server.getScheme());
    Redactor redactor = Redactor.of(settings.apiKey());
    this.threads = new ClientThreads(https, settings.verifyTlsCertificate(), settings.connectTimeout());
    this.watchdog = new Watchdog(threads.watchdogThreads(), settings.connectTimeout(), settings.readTimeout());
    this.failures = new HttpFailures(dialect, server, settings.port(), redactor, settings.readTimeout());
    this.transcript = new Transcript(options.transcript().orElse(null), redactor, dialect.id());
    this.destinationPolicy = options.destinationPolicy();
    this.events = options.events();
    // shared with the other senders that trust servers the same way (issue 11: no leaks under churn)
    this.client = threads.client();
  }

  /**
   * Opens a sender. Does not connect.
   *
   * @param settings valid HTTP settings
   * @param options what the sender gets from its mailer
   * @param dialect the dialect, already checked against the settings
   * @return the sender
   */
  public static HttpSender open(EmailSettings settings, SenderContext options, HttpDialect dialect) {
    HttpSender s = new HttpSender(settings, options, dialect);
    if (s.https && !settings.verifyTlsCertificate()) {
      LOG.warn("TLS certificate verification is OFF for {}: the server's certificate and host name are not"
          + " checked, so anyone between this computer and the server could read the mail and the API key."
          + " Use this only for your own server with a self-signed certificate.", s.host);
    }
    LOG.debug("Opened HTTP sender for {} with dialect {}", Transcript.safeUri(s.server), dialect.id());
    return s;
  }

  private static String userAgent() {
    String v = HttpSender.class.getPackage().getImplementationVersion();
    return "Mailroom" + (v == null ? "" : "/" + v) + " (java.net.http)";
  }

  /**
   * Asks the destination policy about every address of the server, right before the requests of a send
   * (issue 11). The JDK client looks the name up again when it connects; the JVM's name cache (30 s by
   * default) gives it the answer that was checked. Nothing to do for {@link dev.mailroom.DestinationPolicy#ANY}.
   */
  private void checkDestination() throws SendException {
    try {
      Destinations.check(destinationPolicy, host, settings.port());
    } catch (IOException e) {
      throw new SendException(NetworkFailures.classify(e, host, settings.port(), https).build(), e);
    }
  }

  /** The dialect this sender speaks. */
  public HttpDialect dialect() {
    return dialect;
  }

  // ------------------------------------------------------------------------------------------------
  // send

  @Override
  public SendReceipt send(SendRequest request) throws SendException {
    if (client == null) {
      throw new IllegalStateException("this HTTP sender is closed");
    }
    checkDestination();
    long start = System.nanoTime();
    try {
      List<SendRequest> parts = dialect.blindCopies() ? List.of(request) : BlindCopies.split(request);
      if (parts.size() == 1 && parts.get(0) == request) {
        Delivered d = deliver(request, "");
        return receipt(d.messageId(), BlindCopies.emails(request.envelopeRecipients()), d.reply());
      }
      BlindCopies.Result r = blindCopies.send(request, parts, this::deliver);
      return receipt(r.messageId() != null ? r.messageId() : localMessageId(request.email()), r.accepted(),
          r.reply());
    } finally {
      // the JDK client pools its connections out of sight: only the exchange's own time is known
      events.attempt(new dev.mailroom.AttemptTimings(dev.mailroom.ConnectionUse.UNKNOWN, Optional.empty(),
          Optional.empty(), Optional.empty(), Optional.of(Duration.ofNanos(System.nanoTime() - start))));
    }
  }

  /** The parts of a request for a dialect without blind copies; see {@link BlindCopies#split}. */
  static List<SendRequest> split(SendRequest r) {
    return BlindCopies.split(r);
  }

  private SendReceipt receipt(String messageId, List<String> accepted, String reply) {
    return new SendReceipt(messageId, accepted, Optional.ofNullable(reply), 1, Duration.ZERO);
  }

  static String localMessageId(Email e) {
    if (e.messageId().isPresent()) {
      return e.messageId().get();
    }
    Address from = e.from().orElseThrow();
    String domain = from.domain();
    boolean ascii = true;
    for (int i = 0; i < domain.length() && ascii; i++) {
      ascii = domain.charAt(i) < 0x80;
    }
    return e.idempotencyKey() + "@" + (ascii ? domain.toLowerCase(Locale.ROOT) : from.asciiDomain());
  }

  /** What one successful request returned. */
  record Delivered(String messageId, String reply) {}

  /**
   * Makes one send: one request, or the several of a {@link StagedDialect}. With an OAuth2 token, a 401 makes
   * the supplier forget the token and the send is made once more with a fresh one. {@code note} is added to
   * the message of any failure.
   */
  private Delivered deliver(SendRequest r, String note) throws SendException {
    String[] bearer = new String[1];
    HttpDialect.Response response = exchangeAll(r, note, bearer);
    if (response.statusCode() == 401 && settings.oauth2().isPresent() && bearer[0] != null) {
      settings.oauth2().get().invalidate(Secret.of(bearer[0]));
      LOG.debug("{} refused the OAuth2 access token (HTTP 401); sending once more with a fresh one", host);
      response = exchangeAll(r, note, bearer);
    }
    return interpret(response, r, note);
  }

  private HttpDialect.Response exchangeAll(SendRequest r, String note, String[] bearer) throws SendException {
    if (dialect instanceof StagedDialect && ((StagedDialect) dialect).staged(r)) {
      try {
        return ((StagedDialect) dialect).send(r, context, req -> call(req, r, note, bearer));
      } catch (IOException | RuntimeException e) {
        throw failures.buildFailed(e, note);
      }
    }
    HttpRequest built;
    try {
      built = dialect.request(r, context);
    } catch (IOException | RuntimeException e) {
      throw failures.buildFailed(e, note);
    }
    if (built == null) {
      throw failures.badRequest("the " + dialect.id() + " HTTP dialect built no request", note);
    }
    return call(built, r, note, bearer);
  }

  /** Sends one built request and returns the answer, whatever its status. */
  private HttpDialect.Response call(HttpRequest built, SendRequest r, String note, String[] bearer)
      throws SendException {
    String bad = badHeader(built);
    if (bad != null) {
      throw failures.badRequest("its header " + bad + " contains a line break or control character", note);
    }
    URI target = built.uri();
    if (target.getHost() != null && !target.getHost().equalsIgnoreCase(host)) {
      // a staged dialect's upload URL on another host (Graph's outlook.office.com): the policy decides too
      int targetPort = target.getPort() >= 0 ? target.getPort() : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
      try {
        Destinations.check(destinationPolicy, target.getHost(), targetPort);
      } catch (IOException e) {
        throw new SendException(NetworkFailures.classify(e, target.getHost(), targetPort, true).build(), e);
      }
    }
    built.headers().firstValue("Authorization").filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7))
        .ifPresent(a -> bearer[0] = a.substring(7).strip());
    Progress progress = new Progress();
    HttpRequest.BodyPublisher body = built.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody());
    HttpRequest tracked = new TrackedRequest(built, progress.track(body));
    transcript.request(r, tracked);
    return exchange(tracked, progress, Bodies.inMemory(body), note);
  }

  private static String badHeader(HttpRequest req) {
    for (Map.Entry<String, List<String>> h : req.headers().map().entrySet()) {
      for (String v : h.getValue()) {
        for (int i = 0; i < v.length(); i++) {
          char c = v.charAt(i);
          if ((c < 0x20 && c != '\t') || c == 0x7f) {
            return h.getKey();
          }
        }
      }
    }
    return null;
  }

  /**
   * Sends on the calling thread ({@link HttpClient#send}: no hand-over between threads, which costs more
   * than the whole exchange on a fast network) while the {@link Watchdog} checks the progress.
   */
  private HttpDialect.Response exchange(HttpRequest request, Progress p, boolean inMemory, String note)
      throws SendException {
    HttpResponse<String> resp;
    boolean answered = false;
    if (!inMemory) {
      threads.streamedStarted();
    }
    Watchdog.Watch watch = watchdog.watch(p);
    try {
      resp = client.send(request, BoundedBody.handler(HttpDialect.Response.MAX_BODY_BYTES, p));
      answered = true;
    } catch (InterruptedException e) {
      if (watch.finish()) {
        return failures.timedOut(p, note, client == null);
      }
      Thread.currentThread().interrupt();
      throw failures.interrupted(p, note, e);
    } catch (IOException | RuntimeException e) {
      if (watch.finish()) {
        return failures.timedOut(p, note, client == null);
      }
      if (e instanceof IllegalArgumentException && !p.subscribed) {
        throw failures.buildFailed(e, note); // the HTTP client refused the request itself
      }
      return failures.failed(e, p, note);
    } catch (Error e) {
      watch.finish();
      throw e;
    } finally {
      if (!inMemory) {
        threads.streamedEnded(answered, watchdog);
      }
    }
    watch.finish(); // a timeout that raced with the answer: the answer wins
    transcript.response(resp.statusCode(), resp.headers(), host, p.received.get());
    return new HttpDialect.Response(resp.statusCode(), resp.headers(), resp.body());
  }

  private Delivered interpret(HttpDialect.Response resp, SendRequest r, String note) throws SendException {
    int status = resp.statusCode();
    if (status >= 200 && status < 300) {
      Optional<String> id;
      try {
        id = dialect.messageId(resp).map(s -> failures.clean(s, 250)).filter(s -> !s.isBlank());
      } catch (RuntimeException e) {
        LOG.debug("The {} dialect could not read the message id: {}", dialect.id(), failures.describe(e));
        id = Optional.empty();
      }
      String body = failures.clean(resp.body(), 200);
      return new Delivered(id.orElseGet(() -> localMessageId(r.email())),
          "HTTP " + status + (body.isEmpty() ? "" : " " + body));
    }
    throw failures.fail(failures.status(resp, note), null);
  }

  // ------------------------------------------------------------------------------------------------
  // close

  @Override
  public void close() {
    HttpClient c = client;
    if (c == null) {
      return;
    }
    client = null;
    // sends still running on other threads end now, as failures, rather than wait for a server that may
    // never answer once the watchdog is gone
    watchdog.abortAll();
    // the HTTP client is shared (SharedClient) and stays; this sender's own threads end now
    watchdog.close();
    threads.close();
    LOG.debug("Closed HTTP sender for {}", host);
  }

  // ------------------------------------------------------------------------------------------------
  // what dialects see

  private final class DialectContext implements HttpDialect.Context {
    @Override
    public EmailSettings settings() {
      return settings;
    }

    @Override
    public URI server() {
      return server;
    }

    @Override
    public HttpRequest.Builder newRequest(String defaultPath) {
      return HttpRequest.newBuilder(target(defaultPath)).header("User-Agent", USER_AGENT);
    }

    @Override
    public HttpRequest.BodyPublisher streamingBody(HttpDialect.BodyWriter writer) {
      return new StreamingBody(writer, threads.writers());
    }
  }

  URI target(String defaultPath) {
    String path = server.getRawPath();
    if (defaultPath == null || defaultPath.isEmpty() || (path != null && !path.isEmpty() && !path.equals("/"))) {
      return server;
    }
    String p = defaultPath.startsWith("/") ? defaultPath : "/" + defaultPath;
    return URI.create(server.getScheme() + "://" + server.getRawAuthority() + p
        + (server.getRawQuery() == null ? "" : "?" + server.getRawQuery()));
  }
}
