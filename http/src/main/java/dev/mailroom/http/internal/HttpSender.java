package dev.mailroom.http.internal;

import com.github.mizosoft.methanol.WritableBodyPublisher;
import dev.mailroom.Address;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.http.HttpDialect;
import dev.mailroom.internal.AttachmentReadException;
import dev.mailroom.internal.Destinations;
import dev.mailroom.internal.NetworkFailures;
import dev.mailroom.internal.Text;
import dev.mailroom.spi.SendRequest;
import dev.mailroom.spi.Sender;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP {@link Sender}: one {@link HttpClient} (HTTP/1.1, no redirects, the settings' connect
 * timeout, certificates verified unless the settings say otherwise) with its own daemon threads, and a
 * {@link HttpDialect} for the wire format.
 *
 * <p>Timeouts: the settings' read timeout bounds every period without progress: no byte of the request
 * taken by the server, no byte of the response. A timeout (or a dropped connection) after the whole
 * request was sent and before the answer is {@link FailureCategory#OUTCOME_UNKNOWN} unless the dialect
 * deduplicates by idempotency key.
 */
public final class HttpSender implements Sender {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSender.class);
  private static final AtomicInteger SENDERS = new AtomicInteger();
  private static final String USER_AGENT = userAgent();
  /** Headers whose values a transcript may show. */
  private static final Set<String> SHOWN_HEADERS = Set.of("content-type", "accept", "idempotency-key",
      "user-agent", "retry-after", "x-message-id", "content-length", "x-ratelimit-reset",
      "x-sib-ratelimit-reset", "ratelimit-reset");
  private static final int MAX_REMEMBERED_PARTIAL_SENDS = 10_000;
  private static final int MAX_BODY_WRITERS = 64;
  private static final long IDLE_SWEEPER_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final EmailSettings settings;
  private final HttpDialect dialect;
  private final URI server;
  private final String host;
  private final int port;
  private final boolean https;
  private final Redactor redactor;
  private final Consumer<String> transcript;
  private final ThreadPoolExecutor clientPool;
  private final ThreadPoolExecutor writerPool;
  private final ScheduledThreadPoolExecutor watchdog;
  private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
  /** Exchanges in flight whose request body is not all in memory (see {@link ClientExecutor}). */
  private final AtomicInteger streamedExchanges = new AtomicInteger();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final long sweepNanos;
  private volatile long lastActiveNanos;
  private final DialectContext context;
  private final Map<String, PartialSend> partialSends = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PartialSend> eldest) {
      return size() > MAX_REMEMBERED_PARTIAL_SENDS;
    }
  };
  private volatile HttpClient client;
  private final dev.mailroom.DestinationPolicy destinationPolicy;

  private HttpSender(EmailSettings settings, MailerOptions options, HttpDialect dialect) {
    this.settings = settings;
    this.dialect = dialect;
    this.server = settings.httpServer().orElseThrow(() -> new IllegalArgumentException(
        "httpServer is required for HTTP: enter the URL of the HTTP mail service"));
    this.host = server.getHost();
    this.port = settings.port();
    this.https = "https".equalsIgnoreCase(server.getScheme());
    this.redactor = Redactor.of(settings.apiKey());
    this.transcript = options.transcript().orElse(null);
    this.destinationPolicy = options.destinationPolicy();
    int n = SENDERS.incrementAndGet();
    int clientThreads = Math.max(8, Math.min(16, options.maxConnections() * 2));
    this.clientPool = pool("mailroom-http-" + n + "-client-", clientThreads);
    this.writerPool = pool("mailroom-http-" + n + "-body-", MAX_BODY_WRITERS);
    this.watchdog = new ScheduledThreadPoolExecutor(1, daemon("mailroom-http-" + n + "-watchdog-"));
    this.sweepNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
        Math.min(TimeUnit.MILLISECONDS.toNanos(100), settings.readTimeout().toNanos() / 10));
    watchdog.setKeepAliveTime(30, TimeUnit.SECONDS);
    watchdog.allowCoreThreadTimeOut(true);
    this.context = new DialectContext();
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(new ClientExecutor());
    ProxySelector proxies = ProxySelector.getDefault();
    if (proxies != null) {
      b.proxy(proxies);
    }
    if (https && !settings.verifyTlsCertificate()) {
      b.sslContext(TrustAll.context());
    }
    this.client = b.build();
  }

  /**
   * Opens a sender. Does not connect.
   *
   * @param settings valid HTTP settings
   * @param options the mailer's options
   * @param dialect the dialect, already checked against the settings
   * @return the sender
   */
  public static HttpSender open(EmailSettings settings, MailerOptions options, HttpDialect dialect) {
    HttpSender s = new HttpSender(settings, options, dialect);
    if (s.https && !settings.verifyTlsCertificate()) {
      LOG.warn("TLS certificate verification is OFF for {}: the server's certificate and host name are not"
          + " checked, so anyone between this computer and the server could read the mail and the API key."
          + " Use this only for your own server with a self-signed certificate.", s.host);
    }
    LOG.debug("Opened HTTP sender for {} with dialect {}", s.safeUri(s.server), dialect.id());
    return s;
  }

  private static ThreadPoolExecutor pool(String prefix, int threads) {
    ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemon(prefix), new ThreadPoolExecutor.DiscardPolicy());
    p.allowCoreThreadTimeOut(true);
    return p;
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
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
      Destinations.check(destinationPolicy, host, port);
    } catch (IOException e) {
      throw new SendException(NetworkFailures.classify(e, host, port, https).build(), e);
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
    if (dialect.blindCopies()) {
      Delivery d = deliver(request, "");
      return receipt(d.messageId, emails(request.envelopeRecipients()), d.reply);
    }
    List<SendRequest> parts = split(request);
    if (parts.size() == 1 && parts.get(0) == request) {
      Delivery d = deliver(request, "");
      return receipt(d.messageId, emails(request.envelopeRecipients()), d.reply);
    }
    return sendInParts(request, parts);
  }

  /** Sends to the visible recipients, then separately to each blind one; remembers finished parts. */
  private SendReceipt sendInParts(SendRequest request, List<SendRequest> parts) throws SendException {
    String key = request.email().idempotencyKey();
    PartialSend state;
    synchronized (partialSends) {
      state = partialSends.remove(key);
    }
    if (state == null || state.parts != parts.size()) {
      state = new PartialSend(parts.size());
    }
    for (int i = 0; i < parts.size(); i++) {
      SendRequest part = parts.get(i);
      if (state.done.contains(i)) {
        continue;
      }
      String note = state.accepted.isEmpty() ? "" : " [already delivered to "
          + String.join(", ", state.accepted) + "; only the separate copy to "
          + emails(part.envelopeRecipients()).get(0) + " failed]";
      try {
        Delivery d = deliver(part, note);
        state.done.add(i);
        state.accepted.addAll(emails(part.envelopeRecipients()));
        if (state.messageId == null) {
          state.messageId = d.messageId;
          state.reply = d.reply;
        }
      } catch (SendException e) {
        if (!state.done.isEmpty()) {
          synchronized (partialSends) {
            partialSends.put(key, state);
          }
        }
        throw e;
      }
    }
    return receipt(state.messageId != null ? state.messageId : localMessageId(request.email()),
        state.accepted, state.reply);
  }

  private static final class PartialSend {
    final int parts;
    final Set<Integer> done = new HashSet<>();
    final List<String> accepted = new ArrayList<>();
    String messageId;
    String reply;

    PartialSend(int parts) {
      this.parts = parts;
    }
  }

  /**
   * The requests for a dialect without blind copies: one to the visible recipients (to and cc), then one
   * per blind recipient (bcc and the copy address), each addressed to that recipient alone.
   */
  static List<SendRequest> split(SendRequest r) {
    Email e = r.email();
    List<Address> visible = new ArrayList<>(e.to());
    for (Address a : e.cc()) {
      if (!DialectSupport.contains(visible, a)) {
        visible.add(a);
      }
    }
    List<Address> blind = new ArrayList<>();
    List<Address> candidates = new ArrayList<>(e.bcc());
    r.copyTo().ifPresent(candidates::add);
    for (Address a : candidates) {
      if (!DialectSupport.contains(visible, a) && !DialectSupport.contains(blind, a)) {
        blind.add(a);
      }
    }
    if (blind.isEmpty() && e.bcc().isEmpty()) {
      return List.of(r); // nothing blind: the request as it is
    }
    List<SendRequest> parts = new ArrayList<>();
    if (!visible.isEmpty()) {
      Email main = copy(e, e.to(), e.cc(), e.idempotencyKey());
      parts.add(new SendRequest(main, r.envelopeFrom(), visible, Optional.empty(), r.attempt()));
    }
    for (int i = 0; i < blind.size(); i++) {
      Address a = blind.get(i);
      Email single = copy(e, List.of(a), List.of(), derivedKey(e.idempotencyKey(), i + 1));
      parts.add(new SendRequest(single, r.envelopeFrom(), List.of(a), Optional.empty(), r.attempt()));
    }
    return parts;
  }

  private static Email copy(Email e, List<Address> to, List<Address> cc, String idempotencyKey) {
    Email.Builder b = Email.builder().from(e.from().orElseThrow()).to(to).cc(cc).replyTo(e.replyTo())
        .subject(e.subject()).idempotencyKey(idempotencyKey);
    e.text().ifPresent(b::text);
    e.html().ifPresent(b::html);
    e.attachments().forEach(b::attach);
    e.headers().forEach(b::header);
    e.messageId().ifPresent(b::messageId);
    return b.build();
  }

  private static String derivedKey(String key, int copy) {
    String suffix = ".copy" + copy;
    if (key.length() + suffix.length() <= 200) {
      return key + suffix;
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 20; i++) {
        b.append(String.format(Locale.ROOT, "%02x", h[i]));
      }
      return b + suffix;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private SendReceipt receipt(String messageId, List<String> accepted, String reply) {
    return new SendReceipt(messageId, accepted, Optional.ofNullable(reply), 1, Duration.ZERO);
  }

  private static List<String> emails(List<Address> list) {
    List<String> emails = new ArrayList<>(list.size());
    for (Address a : list) {
      emails.add(a.email());
    }
    return emails;
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
  private static final class Delivery {
    final String messageId;
    final String reply;

    Delivery(String messageId, String reply) {
      this.messageId = messageId;
      this.reply = reply;
    }
  }

  /** Makes one request. {@code note} is added to the message of any failure. */
  private Delivery deliver(SendRequest r, String note) throws SendException {
    HttpRequest built;
    try {
      built = dialect.request(r, context);
    } catch (IOException | RuntimeException e) {
      throw buildFailed(e, note);
    }
    if (built == null) {
      throw fail(Failure.builder(FailureCategory.CONFIGURATION).server(host, port)
          .message("The " + dialect.id() + " HTTP dialect built no request" + note)
          .hint("hint.CONFIGURATION", "the " + dialect.id() + " HTTP dialect built no request"), null);
    }
    String bad = badHeader(built);
    if (bad != null) {
      throw fail(Failure.builder(FailureCategory.CONFIGURATION).server(host, port)
          .message("The request was not sent: its header " + bad + " contains a line break or control"
              + " character" + note)
          .hint("hint.CONFIGURATION", "header " + bad + " contains a line break or control character"), null);
    }
    Progress progress = new Progress();
    HttpRequest.BodyPublisher body = built.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody());
    HttpRequest tracked = new TrackedRequest(built, progress.track(body));
    log(r, tracked);
    HttpDialect.Response response = exchange(tracked, progress, Bodies.inMemory(body), note);
    return interpret(response, r, note);
  }

  /**
   * The dialect's request with its body wrapped for progress tracking. Rather than a copy through
   * {@code HttpRequest.newBuilder(request, filter)}, which copies and checks every header once more (the
   * HTTP client copies and checks them anyway when it sends).
   */
  private static final class TrackedRequest extends HttpRequest {
    private final HttpRequest request;
    private final Optional<BodyPublisher> body;

    TrackedRequest(HttpRequest request, BodyPublisher body) {
      this.request = request;
      this.body = Optional.of(body);
    }

    @Override
    public Optional<BodyPublisher> bodyPublisher() {
      return body;
    }

    @Override
    public String method() {
      return request.method();
    }

    @Override
    public Optional<Duration> timeout() {
      return request.timeout();
    }

    @Override
    public boolean expectContinue() {
      return request.expectContinue();
    }

    @Override
    public URI uri() {
      return request.uri();
    }

    @Override
    public Optional<HttpClient.Version> version() {
      return request.version();
    }

    @Override
    public java.net.http.HttpHeaders headers() {
      return request.headers();
    }
  }

  private void log(SendRequest r, HttpRequest req) {
    if (LOG.isDebugEnabled()) {
      long length = req.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L);
      LOG.debug("-> {} {} ({} dialect, attempt {}, {} recipient(s), body {})", req.method(),
          safeUri(req.uri()), dialect.id(), r.attempt(), r.envelopeRecipients().size(),
          length < 0 ? "streamed" : length + " bytes");
    }
    if (transcript != null) {
      transcript.accept("-> " + req.method() + " " + safeUri(req.uri()) + " HTTP/1.1");
      req.headers().map().forEach((name, values) -> {
        for (String v : values) {
          transcript.accept("-> " + name + ": " + shown(name, v));
        }
      });
      long length = req.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L);
      transcript.accept("-> (body " + (length < 0 ? "streamed" : length + " bytes") + ", not shown)");
    }
  }

  private String shown(String header, String value) {
    return SHOWN_HEADERS.contains(header.toLowerCase(Locale.ROOT))
        ? redactor.redact(Text.sanitize(value, 200)) : "******";
  }

  /** The URL without query, for logs. */
  private String safeUri(URI u) {
    return u.getScheme() + "://" + u.getRawAuthority() + (u.getRawPath() == null ? "" : u.getRawPath());
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

  // ------------------------------------------------------------------------------------------------
  // the exchange, with the read timeout measured from the last progress

  /**
   * Sends on the calling thread ({@link HttpClient#send}: no hand-over between threads, which costs more
   * than the whole exchange on a fast network) while a watchdog checks the progress; when nothing moved for
   * the read timeout, it interrupts the caller, which makes the HTTP client cancel the exchange.
   */
  private HttpDialect.Response exchange(HttpRequest request, Progress p, boolean inMemory, String note)
      throws SendException {
    Watch watch = new Watch(Thread.currentThread(), p);
    HttpResponse<String> resp;
    boolean answered = false;
    if (!inMemory) {
      streamedExchanges.incrementAndGet();
    }
    try {
      watch.arm();
      resp = client.send(request, BoundedBody.handler(HttpDialect.Response.MAX_BODY_BYTES, p));
      answered = true;
    } catch (InterruptedException e) {
      if (watch.finish()) {
        return timedOut(p, note);
      }
      Thread.currentThread().interrupt();
      if (p.bodyDone) {
        throw fail(unknownOutcome("the send was interrupted", note), e);
      }
      throw fail(Failure.builder(FailureCategory.CONNECTION).server(host, port)
          .message("The send to " + where() + " was interrupted before the request was sent" + note)
          .hint("hint.connection.lost", ""), e);
    } catch (IOException | RuntimeException e) {
      if (watch.finish()) {
        return timedOut(p, note);
      }
      if (e instanceof IllegalArgumentException && !p.subscribed) {
        throw buildFailed(e, note); // the HTTP client refused the request itself
      }
      return failed(e, p, note);
    } catch (Error e) {
      watch.finish();
      throw e;
    } finally {
      if (!inMemory) {
        streamedEnded(answered);
      }
    }
    watch.finish(); // a timeout that raced with the answer: the answer wins
    if (LOG.isDebugEnabled()) {
      LOG.debug("<- HTTP {} from {} ({} bytes read)", resp.statusCode(), host, p.received.get());
    }
    if (transcript != null) {
      transcript.accept("<- HTTP " + resp.statusCode());
      resp.headers().map().forEach((name, values) -> {
        if (SHOWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
          values.forEach(v -> transcript.accept("<- " + name + ": " + shown(name, v)));
        }
      });
    }
    return new HttpDialect.Response(resp.statusCode(), resp.headers(), resp.body());
  }

  /**
   * The HTTP client's executor. The client runs its work inline on the thread that causes it, except on its
   * selector thread (the one that waits for the network), from which it hands work here: starting to write a
   * request, reading an answer, about four hand-overs per request. Handing each to a pool thread costs a
   * thread wake-up, more CPU than the rest of a small exchange on a fast network, and on a busy machine a
   * wait for a processor each time (see http/bench/RESULTS.md).
   *
   * <p>The client's own code never blocks; the selector thread must only never wait for anything else. So
   * while every exchange in flight has its request body in memory ({@link Bodies#inMemory}; the response is
   * read by {@link BoundedBody}, which only copies), the work runs here on the selector thread. While an
   * exchange with any other body is in flight (a file, a stream, a body writer, a plugin dialect's
   * publisher), whose reading may block, all work goes to the pool, as with the JDK's default executor.
   * The count is raised before such an exchange starts, so none of its work can run on the selector thread,
   * and lowered when the client asks nothing more of its body ({@link #streamedEnded}).
   *
   * <p>With https the TLS work then runs on the selector thread too (decrypting; on a new connection the
   * handshake's certificate checks): processor work without waiting, except when the JVM is set to check
   * certificate revocation ({@code com.sun.net.ssl.checkRevocation}), which may fetch revocation lists or
   * OCSP answers during a handshake: then all work goes to the pool.
   *
   * <p>A failure of a task is logged, never thrown: the JDK's selector thread takes an exception from its
   * executor as a refusal and shuts the client down.
   */
  private final class ClientExecutor implements java.util.concurrent.Executor {
    private final boolean neverInline = https && Boolean.getBoolean("com.sun.net.ssl.checkRevocation");

    @Override
    public void execute(Runnable task) {
      if (neverInline || streamedExchanges.get() > 0) {
        clientPool.execute(task);
        return;
      }
      try {
        task.run();
      } catch (Throwable t) { // NOPMD: as a pool thread would end, without taking the client down
        LOG.warn("A task of the HTTP client failed: {}", describe(t));
      }
    }
  }

  /**
   * A streamed exchange ended. With an answer, its body was complete (the JDK client reads the answer only
   * after the whole body): it counts no more at once. After a failure the client has stopped its writer when
   * {@code send} returns, but a write task that was already running may still ask the body for more: it
   * counts for one more sweep period, so that such a request for more can only go to the pool.
   */
  private void streamedEnded(boolean answered) {
    if (!answered) {
      try {
        watchdog.schedule(streamedExchanges::decrementAndGet, sweepNanos, TimeUnit.NANOSECONDS);
        return;
      } catch (RejectedExecutionException e) {
        // closed: nothing runs any more
      }
    }
    streamedExchanges.decrementAndGet();
  }

  /**
   * Watches one exchange. States: running, done (the caller finished first), timing out (the watchdog
   * decided), interrupted (the watchdog has interrupted the caller). The caller never leaves with an
   * interrupt that the watchdog set.
   */
  private final class Watch {
    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int TIMING_OUT = 2;
    private static final int INTERRUPTED = 3;

    private final Thread caller;
    private final Progress progress;
    private final AtomicInteger state = new AtomicInteger(RUNNING);

    Watch(Thread caller, Progress progress) {
      this.caller = caller;
      this.progress = progress;
    }

    void arm() {
      watches.add(this);
      lastActiveNanos = System.nanoTime();
      if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
        scheduleSweep();
      }
    }

    /** Called by the watchdog thread. */
    void check(long now) {
      if (state.get() != RUNNING) {
        return;
      }
      long read = settings.readTimeout().toNanos();
      long deadline = progress.subscribed ? progress.lastNanos() + read
          : progress.startNanos + settings.connectTimeout().toNanos() + read;
      if (now - deadline >= 0 && state.compareAndSet(RUNNING, TIMING_OUT)) {
        caller.interrupt();
        state.set(INTERRUPTED);
      }
    }

    /** Stops the exchange because the sender is closed. */
    void abort() {
      if (state.compareAndSet(RUNNING, TIMING_OUT)) {
        caller.interrupt();
        state.set(INTERRUPTED);
      }
    }

    /** Ends the watch; returns true if the watchdog timed the exchange out (its interrupt is cleared). */
    boolean finish() {
      watches.remove(this);
      if (state.compareAndSet(RUNNING, DONE)) {
        return false;
      }
      while (state.get() != INTERRUPTED) {
        Thread.onSpinWait();
      }
      Thread.interrupted();
      return true;
    }
  }

  /**
   * The watchdog checks all running exchanges every {@link #sweepNanos} (a tenth of the read timeout,
   * 10 to 100 ms): no thread is woken per request. It stops after 10 s without exchanges and starts
   * again with the next one.
   */
  private void sweep() {
    long now = System.nanoTime();
    for (Watch w : watches) {
      w.check(now);
    }
    if (watches.isEmpty() && now - lastActiveNanos > IDLE_SWEEPER_NANOS) {
      sweeping.set(false);
      // an exchange that started meanwhile either sees the flag down and restarts the sweeper, or is seen here
      if (watches.isEmpty() || !sweeping.compareAndSet(false, true)) {
        return;
      }
    }
    scheduleSweep();
  }

  private void scheduleSweep() {
    try {
      watchdog.schedule(this::sweep, sweepNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      sweeping.set(false); // closed
    }
  }

  private String where() {
    return host + ":" + port;
  }

  private HttpDialect.Response timedOut(Progress p, String note) throws SendException {
    if (client == null) {
      String why = "the mailer was closed while the message was being sent";
      if (p.bodyDone && !dialect.idempotent()) {
        throw fail(unknownOutcome(why, note), null);
      }
      throw fail(Failure.builder(FailureCategory.CONNECTION).server(host, port)
          .message("The send to " + where() + " stopped: " + why + note)
          .hint("hint.connection.lost", ""), null);
    }
    String after = " within the read timeout (" + settings.readTimeout().toMillis() + " ms)";
    LOG.debug("Timeout on {} (request sent: {}, response started: {})", where(), p.bodyDone,
        p.response != null);
    if (p.response != null) {
      // the status arrived, the body did not: judge by the status
      return new HttpDialect.Response(p.response.statusCode(), p.response.headers(), "");
    }
    if (p.bodyDone) {
      if (dialect.idempotent()) {
        throw fail(Failure.builder(FailureCategory.TIMEOUT).transientFailure(true).server(host, port)
            .message("No answer from " + where() + after + " after the request was sent; retrying is"
                + " safe because the " + dialect.id() + " API ignores repeats of the same idempotency key"
                + note)
            .hint("hint.timeout.read", ""), null);
      }
      throw fail(unknownOutcome("no answer came" + after, note), null);
    }
    String what = p.subscribed ? "stopped taking the request" : "did not accept the request";
    throw fail(Failure.builder(FailureCategory.TIMEOUT).transientFailure(true).server(host, port)
        .message("The server " + where() + " " + what + after + "; the request was not completely sent"
            + note)
        .hint("hint.timeout.read", ""), null);
  }

  private Failure.Builder unknownOutcome(String what, String note) {
    return Failure.builder(FailureCategory.OUTCOME_UNKNOWN).server(host, port)
        .message("The request was sent to " + where() + " but " + what + ": the message may or may not"
            + " have been accepted, so it is not sent again automatically" + note)
        .hint("hint.outcome-unknown", "");
  }

  private HttpDialect.Response failed(Throwable t, Progress p, String note) throws SendException {
    AttachmentReadException unreadable = NetworkFailures.find(t, AttachmentReadException.class);
    if (unreadable != null) {
      throw attachmentFailure(unreadable, note);
    }
    if (p.response != null) {
      // lost while reading the body: the status tells what happened
      return new HttpDialect.Response(p.response.statusCode(), p.response.headers(), "");
    }
    IOException io = t instanceof IOException ? (IOException) t : new IOException(describe(t), t);
    boolean connecting = !p.subscribed || NetworkFailures.has(t, ConnectException.class)
        || NetworkFailures.has(t, UnknownHostException.class)
        || NetworkFailures.has(t, NoRouteToHostException.class)
        || NetworkFailures.has(t, HttpConnectTimeoutException.class)
        || NetworkFailures.has(t, SSLHandshakeException.class);
    if (connecting) {
      Failure.Builder b = NetworkFailures.classify(unwrapConnect(io), host, port, https);
      throw fail(withNote(b, note), t);
    }
    if (isProtocolError(t)) {
      String m = String.valueOf(t.getMessage());
      boolean tls = m.contains("[\u0015\u0003") || m.contains("[\u0016\u0003");
      throw fail(Failure.builder(FailureCategory.PROTOCOL).server(host, port)
          .message(tls ? "The server " + where() + " answered with TLS, not plain HTTP: use https:// in the"
              + " server URL" + note
              : "The server " + where() + " did not answer with valid HTTP (" + describe(t) + ")" + note)
          .hint("hint.PROTOCOL", ""), t);
    }
    if (p.received.get() == 0 && isStalePooledConnection(t)) {
      // the server had closed the idle kept-alive connection just as it was reused: it cannot have read
      // the request, so sending again is safe
      throw fail(Failure.builder(FailureCategory.CONNECTION).transientFailure(true).server(host, port)
          .message("The server " + where() + " had closed the kept-alive connection when the request was sent"
              + " on it; the request was not processed" + note)
          .hint("hint.connection.lost", ""), t);
    }
    if (p.bodyDone) {
      if (dialect.idempotent()) {
        throw fail(Failure.builder(FailureCategory.CONNECTION).transientFailure(true).server(host, port)
            .message("The connection to " + where() + " was lost after the request was sent ("
                + describe(t) + "); retrying is safe because the " + dialect.id()
                + " API ignores repeats of the same idempotency key" + note)
            .hint("hint.connection.lost", ""), t);
      }
      throw fail(unknownOutcome("the connection was lost before the answer (" + describe(t) + ")", note), t);
    }
    throw fail(Failure.builder(FailureCategory.CONNECTION).transientFailure(true).server(host, port)
        .message("The connection to " + where() + " was lost while the request was sent (" + describe(t)
            + ")" + note)
        .hint("hint.connection.lost", ""), t);
  }

  /**
   * True if the JDK's connection pool closed the connection under the request: an idle pooled connection
   * that the server had closed (the pool noticed the end of stream) was handed to this request at the same
   * moment. The server closed the connection while it was idle, before this request, so it did not process
   * it. Recognised by the pool's own "connection closed locally" from {@code ConnectionPool} (JDK 17 to 21).
   */
  static boolean isStalePooledConnection(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if ("connection closed locally".equals(c.getMessage())) {
        for (StackTraceElement e : c.getStackTrace()) {
          if (e.getClassName().startsWith("jdk.internal.net.http.ConnectionPool")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** True if the server's answer could not be parsed as HTTP (not a dropped or empty answer). */
  private static boolean isProtocolError(Throwable t) {
    if (NetworkFailures.has(t, java.net.ProtocolException.class)) {
      return true;
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m = c.getMessage();
      if (m != null && (m.contains("status line") || m.startsWith("Bad header") || m.contains("Invalid status"))) {
        return true;
      }
    }
    return false;
  }

  /** The JDK wraps connect failures; classify the innermost IOException that says what happened. */
  private static IOException unwrapConnect(IOException io) {
    for (Class<? extends IOException> type : List.of(UnknownHostException.class,
        HttpConnectTimeoutException.class, ConnectException.class, NoRouteToHostException.class)) {
      IOException found = NetworkFailures.find(io, type);
      if (found != null && !(found instanceof ConnectException && found.getCause() instanceof IOException
          && NetworkFailures.has(found.getCause(), UnknownHostException.class))) {
        return found;
      }
    }
    return io;
  }

  private String describe(Throwable t) {
    String m = t.getMessage();
    String s = t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    return redactor.redact(Text.sanitize(s, 200));
  }

  private Failure.Builder withNote(Failure.Builder b, String note) {
    if (note.isEmpty()) {
      return b;
    }
    return b.message(b.build().message() + note);
  }

  private SendException buildFailed(Throwable e, String note) {
    AttachmentReadException unreadable = NetworkFailures.find(e, AttachmentReadException.class);
    if (unreadable != null) {
      return attachmentFailure(unreadable, note);
    }
    String raw = String.valueOf(e.getMessage());
    // the JDK's message quotes the refused header value, which may be anything the dialect put there
    String why = raw.startsWith("invalid header value") || raw.startsWith("invalid header name")
        ? raw.substring(0, raw.indexOf(':') > 0 ? raw.indexOf(':') : raw.length())
            + ": a line break or other character not allowed in HTTP headers (value not shown)"
        : redactor.redact(Text.sanitize(raw, 300));
    return fail(Failure.builder(FailureCategory.CONFIGURATION).server(host, port)
        .message("The message cannot be sent with the " + dialect.id() + " HTTP dialect: " + why + note)
        .hint("hint.CONFIGURATION", why), e instanceof IllegalArgumentException ? null : e);
  }

  private SendException attachmentFailure(AttachmentReadException e, String note) {
    return fail(Failure.builder(FailureCategory.CONFIGURATION)
        .message(redactor.redact(e.getMessage()) + note)
        .hint("hint.attachment.unreadable", e.filename()), e);
  }

  /** Builds the failure; the cause is kept only when its text cannot hold the key. */
  private SendException fail(Failure.Builder b, Throwable cause) {
    Failure f = b.build();
    LOG.debug("Send to {} failed: {}", where(), f);
    return new SendException(f, cause == null ? null : SafeCause.of(cause, redactor));
  }

  // ------------------------------------------------------------------------------------------------
  // responses

  private Delivery interpret(HttpDialect.Response resp, SendRequest r, String note) throws SendException {
    int status = resp.statusCode();
    if (status >= 200 && status < 300) {
      Optional<String> id;
      try {
        id = dialect.messageId(resp).map(s -> redactor.redact(Text.sanitize(s, 250))).filter(s -> !s.isBlank());
      } catch (RuntimeException e) {
        LOG.debug("The {} dialect could not read the message id: {}", dialect.id(), describe(e));
        id = Optional.empty();
      }
      String body = redactor.redact(Text.sanitize(resp.body(), 200));
      return new Delivery(id.orElseGet(() -> localMessageId(r.email())),
          "HTTP " + status + (body.isEmpty() ? "" : " " + body));
    }
    throw fail(failureFor(resp, note), null);
  }

  Failure.Builder failureFor(HttpDialect.Response resp, String note) {
    int status = resp.statusCode();
    Optional<String> explanation;
    try {
      explanation = dialect.errorMessage(resp).filter(s -> !s.isBlank());
    } catch (RuntimeException e) {
      explanation = Optional.empty();
    }
    String text = redactor.redact(Text.sanitize(explanation.orElse(resp.body()), 512));
    Optional<Duration> retryAfter = resp.header("Retry-After").flatMap(v -> RetryAfter.parse(v, Instant.now()));
    if (retryAfter.isEmpty()) {
      try {
        retryAfter = dialect.retryAfter(resp);
      } catch (RuntimeException e) {
        retryAfter = Optional.empty();
      }
    }
    if (retryAfter.isEmpty()) {
      retryAfter = resp.header("RateLimit-Reset").flatMap(RetryAfter::seconds);
    }
    FailureCategory category;
    boolean transientFailure = false;
    String hint;
    String detail = "";
    String what;
    if (status == 401 || status == 403) {
      category = FailureCategory.AUTHENTICATION;
      hint = "hint.http.api-key-rejected";
      what = "The mail service at " + where() + " refused the request: the API key is missing, wrong or not"
          + " allowed to send";
    } else if (status == 413) {
      category = FailureCategory.MESSAGE_REJECTED;
      hint = "hint.message.too-large";
      what = "The mail service at " + where() + " refused the message as too large";
    } else if (status == 400 || status == 422) {
      category = FailureCategory.MESSAGE_REJECTED;
      hint = "hint.message.rejected";
      what = "The mail service at " + where() + " refused the message";
    } else if (status == 429) {
      category = FailureCategory.RATE_LIMITED;
      transientFailure = true;
      hint = "hint.rate-limited";
      what = "The mail service at " + where() + " is limiting the rate of sending"
          + retryAfter.map(d -> " (retry after " + d.toSeconds() + " s)").orElse("");
    } else if (status == 408) {
      category = FailureCategory.TIMEOUT;
      transientFailure = true;
      hint = "hint.timeout.read";
      what = "The mail service at " + where() + " timed out waiting for the request";
    } else if (status >= 500 && status < 600) {
      category = FailureCategory.CONNECTION;
      transientFailure = true;
      hint = "hint.http.server-error";
      what = "The mail service at " + where() + " had an error of its own";
    } else if (status == 404 || status == 405 || status == 410) {
      category = FailureCategory.CONFIGURATION;
      hint = "hint.http.not-found";
      what = "There is no mail service at " + safeUri(server) + " (" + dialect.id() + " dialect)";
    } else if (status >= 300 && status < 400) {
      category = FailureCategory.CONFIGURATION;
      hint = "hint.http.redirect";
      detail = resp.header("Location").map(l -> redactor.redact(Text.sanitize(l, 200))).orElse("another address");
      what = "The server " + where() + " redirects the request to " + detail
          + "; redirects are not followed, so the message was not sent";
    } else if (status >= 400 && status < 500) {
      category = FailureCategory.MESSAGE_REJECTED;
      hint = "hint.message.rejected";
      what = "The mail service at " + where() + " refused the request";
    } else {
      category = FailureCategory.PROTOCOL;
      hint = "hint.PROTOCOL";
      what = "The server " + where() + " answered with an unexpected status";
    }
    Failure.Builder b = Failure.builder(category).transientFailure(transientFailure).server(host, port)
        .code(status)
        .message(what + " (HTTP " + status + ")" + (text.isEmpty() ? "" : ": " + text) + note)
        .hint(hint, detail);
    if (!text.isEmpty()) {
      b.serverReply(text);
    }
    retryAfter.ifPresent(b::retryAfter);
    if (!HttpDialectsAccess.FORM.equals(dialect.id())) {
      b.provider(dialect.id());
    }
    return b;
  }

  /** Kept out of the public holder to avoid a cycle at class initialisation. */
  private static final class HttpDialectsAccess {
    static final String FORM = "form";
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
    for (Watch w : watches) {
      w.abort();
    }
    // Java 21+: HttpClient has shutdown(); on Java 17 its selector thread (a daemon) ends once the
    // client is no longer referenced.
    try {
      HttpClient.class.getMethod("shutdown").invoke(c);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Java 17: nothing to call
    }
    writerPool.shutdownNow();
    watchdog.shutdownNow();
    clientPool.shutdown();
    try {
      // an exchange cancelled by a timeout may still have a task waiting for the server; do not wait for it
      if (!clientPool.awaitTermination(200, TimeUnit.MILLISECONDS)) {
        clientPool.shutdownNow();
      }
    } catch (InterruptedException e) {
      clientPool.shutdownNow();
      Thread.currentThread().interrupt();
    }
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
      return new StreamingBody(writer);
    }
  }

  /**
   * Runs the writer on a thread of this sender when the HTTP client subscribes, into Methanol's
   * {@link WritableBodyPublisher}, whose queue of buffers is bounded: the writer waits while the network is
   * slower. A writer failure fails the request; a request cancelled by a timeout stops the writer quietly.
   *
   * <p>The failure is delivered by this class, not by {@code WritableBodyPublisher.closeExceptionally}:
   * in Methanol 1.9.0 that call can let the body complete normally (truncated) and drop the error when the
   * subscriber is already attached. Here the writer's error is recorded first and the body closed; the
   * completion that follows reaches the HTTP client as that error.
   */
  private final class StreamingBody implements HttpRequest.BodyPublisher {
    private final HttpDialect.BodyWriter writer;

    StreamingBody(HttpDialect.BodyWriter writer) {
      this.writer = writer;
    }

    @Override
    public long contentLength() {
      return -1;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      WritableBodyPublisher body = WritableBodyPublisher.create();
      body.subscribe(new Flow.Subscriber<ByteBuffer>() {
        @Override
        public void onSubscribe(Flow.Subscription s) {
          subscriber.onSubscribe(s);
        }

        @Override
        public void onNext(ByteBuffer item) {
          subscriber.onNext(item);
        }

        @Override
        public void onError(Throwable t) {
          Throwable f = failure.get();
          subscriber.onError(f != null ? f : t);
        }

        @Override
        public void onComplete() {
          Throwable f = failure.get();
          if (f != null) {
            subscriber.onError(f);
          } else {
            subscriber.onComplete();
          }
        }
      });
      try {
        writerPool.execute(() -> {
          OutputStream out = body.outputStream();
          try {
            writer.writeTo(out);
          } catch (Throwable t) {
            if (body.isClosed()) {
              LOG.trace("Request body writer stopped: the request was cancelled ({})", t.getClass().getName());
              return;
            }
            failure.set(t instanceof IOException ? t : new IOException(String.valueOf(t), t));
          }
          body.close();
        });
      } catch (RejectedExecutionException e) {
        failure.set(new IOException("the HTTP sender is closed", e));
        body.close();
      }
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
