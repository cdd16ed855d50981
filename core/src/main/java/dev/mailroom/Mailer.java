package dev.mailroom;

import dev.mailroom.internal.Listeners;
import dev.mailroom.internal.Services;
import dev.mailroom.internal.mime.PreparedMime;
import dev.mailroom.spi.SendRequest;
import dev.mailroom.spi.SenderContext;
import dev.mailroom.spi.SenderEvents;
import dev.mailroom.spi.Sender;
import dev.mailroom.spi.SenderProvider;
import java.time.Clock;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link Email}s with one set of {@link EmailSettings}.
 *
 * <pre>{@code
 * try (Mailer mailer = Mailer.open(settings)) {
 *   SendReceipt receipt = mailer.send(invoice);
 * } catch (SendException e) {
 *   showError(e.failure().title(locale), e.hint(locale));
 * }
 * }</pre>
 *
 * <p>{@link #open(EmailSettings)} finds the sender for the settings' protocol with
 * {@link java.util.ServiceLoader} ({@code mailroom-smtp} for SMTP, {@code mailroom-http} for HTTP). Every
 * send gets the settings' sender address and name (unless the email has its own sender), the settings'
 * reply-to (unless the email has its own) and the settings' copy address as an extra envelope recipient
 * that no header reveals.
 *
 * <p>Transient failures (a 4xx SMTP reply, a dropped connection before the message was handed over, HTTP
 * 429 or 5xx) are retried with exponential backoff and jitter, honouring the server's
 * {@code Retry-After}, within the limits of {@link MailerOptions}. Permanent failures and
 * {@link FailureCategory#OUTCOME_UNKNOWN} are never retried.
 *
 * <p><b>Failover.</b> {@link #open(List, MailerOptions)} takes several settings, e.g. the company's SMTP
 * server and an HTTP API: a send goes through the first transport and moves to the next only when that
 * is safe and useful (the first could not be reached, TLS or sign-in failed, it timed out before the
 * message was handed over, or it is rate limiting); never after {@link FailureCategory#OUTCOME_UNKNOWN}
 * (the message may have been delivered) nor when the message itself was refused. A transport that failed
 * is passed over for {@link MailerOptions#failoverCooldown()}, then tried again.
 * {@link SendReceipt#transport()} says which transport delivered.
 *
 * <p><b>Sending limits.</b> Sends are paced to the {@link SendingLimits} of the settings' preset (or of
 * {@link MailerOptions#limits()}, or a shared {@link SendLimiter}): no more messages in a minute than
 * allowed, fair across threads; a send that would go over a daily limit fails at once with
 * {@link FailureCategory#RATE_LIMITED} and the time it may go ({@link Failure#retryAfter()}), and one with
 * more recipients than a message may have fails with {@link FailureCategory#MESSAGE_REJECTED}.
 *
 * <p><b>Events.</b> A {@link MailerListener} set in the options sees every send, attempt, retry and
 * connection.
 *
 * <p>Thread-safe. A mailer keeps connections open between sends; {@link #close()} ends them.
 */
public final class Mailer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);
  private static final Set<FailureCategory> FAILOVER = EnumSet.of(FailureCategory.CONNECTION,
      FailureCategory.TLS, FailureCategory.TIMEOUT, FailureCategory.AUTHENTICATION, FailureCategory.RATE_LIMITED);

  private final List<Route> routes;
  private final MailerOptions options;
  private final MailerListener listener;
  private final AtomicLong sendIds = new AtomicLong();
  private final Object lock = new Object();
  private volatile boolean closed;
  private ThreadPoolExecutor executor;
  private final Map<Runnable, CompletableFuture<SendReceipt>> queued = new LinkedHashMap<>();

  private Mailer(List<Route> routes, MailerOptions options, MailerListener listener) {
    this.routes = List.copyOf(routes);
    this.options = options;
    this.listener = listener;
  }

  /**
   * Opens a mailer with default options. Does not connect yet.
   *
   * @param settings valid settings
   * @return the mailer
   * @throws IllegalStateException if no sender for the settings' protocol is on the class path or module
   *     path (the message names the artifact to add), or several are and none was chosen
   * @throws IllegalArgumentException if the sender cannot use these settings
   */
  public static Mailer open(EmailSettings settings) {
    return open(settings, MailerOptions.ofDefaults());
  }

  /**
   * Opens a mailer. Does not connect yet.
   *
   * @param settings valid settings
   * @param options retries, connections, transcript, or an explicit sender provider
   * @return the mailer
   * @throws IllegalStateException if no sender for the settings' protocol is found (the message names the
   *     artifact to add), or several are and none was chosen
   * @throws IllegalArgumentException if the chosen provider is for another protocol, or the sender cannot
   *     use these settings
   */
  public static Mailer open(EmailSettings settings, MailerOptions options) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(options, "options");
    options.senderProvider().ifPresent(provider -> {
      if (provider.protocol() != settings.protocol()) {
        throw new IllegalArgumentException("the chosen sender provider " + provider.name() + " sends "
            + provider.protocol() + ", but the settings use " + settings.protocol());
      }
    });
    return open(List.of(settings), options);
  }

  /**
   * Opens a mailer that fails over between transports: every send goes through the first settings and
   * moves to the next only when that is safe and useful (see the class description). A typical pair is the
   * company's SMTP server and an HTTP API. Does not connect yet.
   *
   * <p>The sender provider chosen in the options is used for the settings of its protocol; the others
   * are found with {@link java.util.ServiceLoader}. {@link MailerOptions#limits()} and
   * {@link MailerOptions#limiter()} apply to the first settings; the others are paced to their presets'
   * limits.
   *
   * @param settings one or more valid settings, the preferred first
   * @param options the options, shared by every transport
   * @return the mailer
   * @throws IllegalArgumentException if the list is empty or a sender cannot use its settings
   * @throws IllegalStateException if no sender for a settings' protocol is found (the message names the
   *     artifact to add)
   */
  public static Mailer open(List<EmailSettings> settings, MailerOptions options) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(options, "options");
    if (settings.isEmpty()) {
      throw new IllegalArgumentException("Mailer.open needs at least one EmailSettings");
    }
    if (settings.size() > 8) {
      throw new IllegalArgumentException("Mailer.open takes at most 8 EmailSettings to fail over between: "
          + settings.size());
    }
    List<Route> routes = new ArrayList<>();
    MailerListener listener = Listeners.safe(options.listener());
    try {
      for (int i = 0; i < settings.size(); i++) {
        EmailSettings s = Objects.requireNonNull(settings.get(i), "settings[" + i + "]");
        SenderProvider provider = options.senderProvider().filter(p -> p.protocol() == s.protocol())
            .orElseGet(() -> discover(s.protocol()));
        Transport transport = Transport.of(i, s);
        SenderContext context = listener == MailerListener.NONE ? options.senderContext()
            : new RouteContext(options.senderContext(), new RouteEvents(transport, listener));
        Sender sender = provider.open(s, context);
        if (sender == null) {
          throw new IllegalStateException("sender provider " + provider.name() + " returned no sender");
        }
        routes.add(new Route(transport, s, sender, options));
        LOG.debug("Opened mailer transport {} for {} with {}", i, s, provider.name());
      }
    } catch (RuntimeException e) {
      routes.forEach(r -> r.sender.close());
      throw e;
    }
    return new Mailer(routes, options, listener);
  }

  static SenderProvider discover(Protocol protocol) {
    return choose(protocol, Services.load(SenderProvider.class));
  }

  static SenderProvider choose(Protocol protocol, List<SenderProvider> found) {
    List<SenderProvider> candidates = found.stream()
        .filter(p -> p.protocol() == protocol).collect(Collectors.toList());
    if (candidates.isEmpty()) {
      String artifact = "mailroom-" + protocol.name().toLowerCase(Locale.ROOT);
      throw new IllegalStateException("No sender for protocol " + protocol + " was found on the class path or"
          + " module path. Add the dependency dev.mailroom:" + artifact + " to your project.");
    }
    if (candidates.size() > 1) {
      throw new IllegalStateException("Several senders for protocol " + protocol + " were found: "
          + candidates.stream().map(SenderProvider::name).collect(Collectors.joining(", "))
          + ". Choose one with MailerOptions.builder().senderProvider(...).");
    }
    return candidates.get(0);
  }

  /**
   * Returns the settings this mailer sends with; with several, the first (preferred) ones.
   *
   * @return the settings
   */
  public EmailSettings settings() {
    return routes.get(0).settings;
  }

  /**
   * Returns the transports this mailer sends through, in the order of its settings.
   *
   * @return one transport per settings
   */
  public List<Transport> transports() {
    return routes.stream().map(r -> r.transport).toList();
  }

  /**
   * Returns the options of this mailer.
   *
   * @return the options
   */
  public MailerOptions options() {
    return options;
  }

  /**
   * Sends an email, retrying transient failures and failing over to the next transport where safe, and
   * returns what the server accepted.
   *
   * @param email the email
   * @return the receipt, with the transport that delivered
   * @throws SendException if the email was not sent; {@link SendException#failure()} says why and
   *     whether trying again later can help
   * @throws IllegalStateException if this mailer is closed
   */
  public SendReceipt send(Email email) throws SendException {
    Objects.requireNonNull(email, "email");
    if (closed) {
      throw new IllegalStateException("this Mailer is closed");
    }
    Route route = firstRoute();
    SendRequest first = route.prepare(email, 1);
    SendEvent event = new SendEvent(sendIds.incrementAndGet(), email.idempotencyKey(),
        first.envelopeRecipients().size(), email.attachments().size());
    listener.sendStarted(event);
    long start = System.nanoTime();
    long deadline = start + options.maxRetryTime().toNanos();
    Set<Route> tried = new HashSet<>();
    int attempt = 0;
    SendRequest prepared = first;
    Route preparedFor = route;
    while (true) {
      tried.add(route);
      if (route != preparedFor) {
        prepared = route.prepare(email, attempt + 1);
        preparedFor = route;
      }
      SendRequest request = prepared.attempt() == attempt + 1 ? prepared : new SendRequest(prepared.email(),
          prepared.envelopeFrom(), prepared.envelopeRecipients(), prepared.copyTo(), attempt + 1);
      Failure refused = route.admit(request, options.clock());
      if (refused != null) {
        Route next = null;
        if (refused.category() == FailureCategory.RATE_LIMITED && routes.size() > 1) {
          route.coolDownUntil = options.clock().millis() + refused.retryAfter().orElseThrow().toMillis();
          next = nextRoute(route, tried);
        }
        if (next == null) {
          listener.sendFailed(event, refused);
          throw new SendException(refused, null, Math.max(1, attempt));
        }
        LOG.info("Transport {} is at its daily sending limit; trying transport {}", route.transport,
            next.transport);
        route = next;
        continue;
      }
      attempt++;
      AttemptEvent attemptEvent = new AttemptEvent(event, attempt, route.transport);
      listener.attemptStarted(attemptEvent);
      long attemptStart = System.nanoTime();
      RouteEvents.TIMINGS.remove();
      try {
        SendReceipt receipt = route.sender.send(request);
        long now = System.nanoTime();
        listener.attemptFinished(new AttemptResult(attemptEvent, Optional.empty(),
            Duration.ofNanos(now - attemptStart), RouteEvents.timings()));
        route.coolDownUntil = 0;
        Duration elapsed = Duration.ofNanos(now - start);
        if (LOG.isDebugEnabled()) {
          LOG.debug("Sent {} to {} recipient(s) in {} ms, attempt {}, via {}", receipt.messageId(),
              receipt.acceptedRecipients().size(), elapsed.toMillis(), attempt, route.transport);
        }
        SendReceipt done = receipt.withAttempts(attempt, elapsed).withTransport(route.transport);
        listener.sendSucceeded(event, done);
        return done;
      } catch (RuntimeException e) {
        // a sender that breaks its contract: the listeners still see the send end, then the caller gets it
        Failure f = Failure.builder(FailureCategory.OUTCOME_UNKNOWN).message("Unexpected "
            + e.getClass().getName() + " from the sender of " + route.transport + "; the email may or may not"
            + " have been sent").server(route.transport.host(), route.transport.port()).build();
        listener.attemptFinished(new AttemptResult(attemptEvent, Optional.of(f),
            Duration.ofNanos(System.nanoTime() - attemptStart), AttemptTimings.unknown()));
        listener.sendFailed(event, f);
        throw e;
      } catch (SendException e) {
        Failure f = e.failure();
        listener.attemptFinished(new AttemptResult(attemptEvent, Optional.of(f),
            Duration.ofNanos(System.nanoTime() - attemptStart), RouteEvents.timings()));
        if (routes.size() > 1 && FAILOVER.contains(f.category())) {
          long cool = options.clock().millis() + Math.max(options.failoverCooldown().toMillis(),
              f.retryAfter().map(Duration::toMillis).orElse(0L));
          route.coolDownUntil = cool;
          Route next = nextRoute(route, tried);
          if (next != null && !closed) {
            LOG.info("Send attempt {} through {} failed ({}); failing over to {}", attempt, route.transport,
                f.message(), next.transport);
            listener.retryScheduled(new RetryEvent(attemptEvent, Duration.ZERO, f, next.transport));
            route = next;
            continue;
          }
        }
        Optional<Duration> delay = retryDelay(f, attempt, deadline);
        if (delay.isEmpty()) {
          listener.sendFailed(event, f);
          throw attempt == 1 ? e : new SendException(f, e, attempt);
        }
        LOG.info("Send attempt {} of {} failed ({}); retrying in {} ms", attempt, options.maxAttempts(),
            f.message(), delay.get().toMillis());
        listener.retryScheduled(new RetryEvent(attemptEvent, delay.get(), f, route.transport));
        try {
          Thread.sleep(delay.get().toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          listener.sendFailed(event, f);
          throw new SendException(f, e, attempt);
        }
      }
    }
  }

  /**
   * Sends a batch with the default {@link BatchOptions}: see {@link #sendAll(List, BatchOptions)}.
   *
   * @param emails the emails
   * @return one result per email, in the order of {@code emails}
   * @throws IllegalStateException if this mailer is closed
   */
  public List<SendResult> sendAll(List<Email> emails) {
    return sendAll(emails, BatchOptions.ofDefaults());
  }

  /**
   * Sends a batch, e.g. the month's invoices, and returns one result per email, in order: the receipt, or
   * the {@link Failure}, or "not attempted". Nothing is lost silently: every email gets a result, also when
   * the batch stops early or the mailer is closed meanwhile.
   *
   * <p>Up to {@link BatchOptions#maxConcurrency()} emails (by default {@link MailerOptions#maxConnections()})
   * are in flight at once, each sent as by {@link #send(Email)}: within the sending limits, with retries
   * and failover, an {@link FailureCategory#OUTCOME_UNKNOWN} never retried. After a failure that would fail
   * every email ({@link BatchOptions#stopOn()}: a rejected login, bad settings, TLS, or a reached daily
   * limit) no further email is started. To re-run only what was not delivered, pass
   * {@link SendResult#notSent(List)} to this method again: the same {@link Email} objects keep their
   * idempotency keys and so their message ids. The calling thread waits for the batch; an interrupt stops
   * it like a failure would (emails in flight finish).
   *
   * @param emails the emails
   * @param batch concurrency, progress callback and when to stop
   * @return one result per email, in the order of {@code emails}
   * @throws IllegalStateException if this mailer is closed
   */
  public List<SendResult> sendAll(List<Email> emails, BatchOptions batch) {
    Objects.requireNonNull(emails, "emails");
    Objects.requireNonNull(batch, "batch");
    for (int i = 0; i < emails.size(); i++) {
      Objects.requireNonNull(emails.get(i), "emails[" + i + "]");
    }
    if (closed) {
      throw new IllegalStateException("this Mailer is closed");
    }
    return new Batch(List.copyOf(emails), batch).run();
  }

  /** One run of {@link #sendAll(List, BatchOptions)}. */
  private final class Batch {
    private final List<Email> emails;
    private final BatchOptions batch;
    private final SendResult[] results;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger stoppedBy = new AtomicInteger(-1);
    private volatile boolean interrupted;
    private final long start = System.nanoTime();
    private int sent;
    private int failed;
    private boolean progressWarned;

    Batch(List<Email> emails, BatchOptions batch) {
      this.emails = emails;
      this.batch = batch;
      this.results = new SendResult[emails.size()];
    }

    List<SendResult> run() {
      int n = emails.size();
      if (n == 0) {
        return List.of();
      }
      int workers = Math.min(n, batch.maxConcurrency().orElse(options.maxConnections()));
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        Thread t = new Thread(this::work, "mailroom-batch-" + (w + 1));
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      boolean wasInterrupted = false;
      for (Thread t : threads) {
        while (t.isAlive()) {
          try {
            t.join();
          } catch (InterruptedException e) {
            wasInterrupted = true; // no new email starts; those in flight finish, so none is half-reported
            interrupted = true;
          }
        }
      }
      int stop = stoppedBy.get();
      int notAttempted = 0;
      for (int i = 0; i < n; i++) {
        if (results[i] == null) {
          results[i] = notAttempted(i, stop);
          notAttempted++;
        }
      }
      if (notAttempted > 0) {
        synchronized (this) {
          failed += notAttempted;
          report();
        }
      }
      LOG.info("Batch of {} email(s): {} sent, {} failed, {} not attempted in {} ms", n, sent,
          failed - notAttempted, notAttempted, Duration.ofNanos(System.nanoTime() - start).toMillis());
      if (wasInterrupted) {
        Thread.currentThread().interrupt();
      }
      return List.of(results);
    }

    private void work() {
      while (stoppedBy.get() < 0 && !interrupted && !closed) {
        int i = next.getAndIncrement();
        if (i >= emails.size()) {
          return;
        }
        Email email = emails.get(i);
        SendResult result;
        try {
          result = new SendResult(i, email, SendResult.Status.SENT, Optional.of(send(email)), Optional.empty());
        } catch (SendException e) {
          Failure f = e.failure();
          result = new SendResult(i, email, SendResult.Status.FAILED, Optional.empty(), Optional.of(f));
          if (batch.stopOn().contains(f.category()) || "hint.limit.daily".equals(f.hintKey())) {
            if (stoppedBy.compareAndSet(-1, i)) {
              LOG.warn("Batch stopped after email {} failed ({}): the rest would fail the same way", i + 1,
                  f.message());
            }
          }
        } catch (IllegalStateException e) {
          if (!closed) {
            result = unexpected(i, email, e);
          } else {
            results[i] = null; // the mailer was closed before this email went out: reported not attempted
            return;
          }
        } catch (RuntimeException e) {
          result = unexpected(i, email, e);
        }
        synchronized (this) {
          results[i] = result;
          if (result.sent()) {
            sent++;
          } else {
            failed++;
          }
          report();
        }
      }
    }

    /** A sender broke its contract: whether the email went out is not known, so it is never resent. */
    private SendResult unexpected(int i, Email email, RuntimeException e) {
      LOG.error("Unexpected {} while sending email {} of a batch; it may or may not have been sent",
          e.getClass().getName(), i + 1, e);
      Failure f = Failure.builder(FailureCategory.OUTCOME_UNKNOWN)
          .message("Unexpected " + e.getClass().getName() + " while sending; the email may or may not have been"
              + " sent").build();
      return new SendResult(i, email, SendResult.Status.FAILED, Optional.empty(), Optional.of(f));
    }

    private SendResult notAttempted(int i, int stop) {
      Failure f;
      if (stop >= 0) {
        Failure cause = results[stop].failure().orElseThrow();
        Failure.Builder b = Failure.builder(cause.category()).hint("hint.batch.stopped", String.valueOf(stop + 1))
            .message("Not sent: the batch stopped after email " + (stop + 1) + " failed: " + cause.message());
        cause.host().ifPresent(h -> b.server(h, cause.port().orElse(0)));
        cause.provider().ifPresent(b::provider);
        f = b.build();
      } else {
        f = Failure.builder(FailureCategory.CONNECTION).transientFailure(true).hint("hint.batch.not-sent", "")
            .message("Not sent: the mailer was closed or the batch was interrupted before this email's turn")
            .build();
      }
      return new SendResult(i, emails.get(i), SendResult.Status.NOT_ATTEMPTED, Optional.empty(), Optional.of(f));
    }

    /** Called with this batch's lock held, so the callback sees one consistent count at a time. */
    private void report() {
      Optional<java.util.function.Consumer<BatchProgress>> callback = batch.progress();
      if (callback.isEmpty()) {
        return;
      }
      int total = emails.size();
      int done = sent + failed;
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      Optional<Duration> eta = done == 0 ? Optional.empty()
          : Optional.of(elapsed.multipliedBy(total - done).dividedBy(done));
      try {
        callback.get().accept(new BatchProgress(total, sent, failed, total - done, elapsed, eta));
      } catch (RuntimeException e) {
        if (!progressWarned) {
          progressWarned = true;
          LOG.warn("The batch progress callback threw {}; the batch goes on", e.getClass().getName());
        }
      }
    }
  }

  /** The first transport that is not cooling down; when all are, the one whose cool-down ends first. */
  private Route firstRoute() {
    if (routes.size() == 1) {
      return routes.get(0);
    }
    long now = options.clock().millis();
    Route best = routes.get(0);
    for (Route r : routes) {
      if (r.coolDownUntil <= now) {
        return r;
      }
      if (r.coolDownUntil < best.coolDownUntil) {
        best = r;
      }
    }
    return best;
  }

  /** The next transport not yet tried for this send and not cooling down, or null. */
  private Route nextRoute(Route current, Set<Route> tried) {
    long now = options.clock().millis();
    for (Route r : routes) {
      if (r != current && !tried.contains(r) && r.coolDownUntil <= now) {
        return r;
      }
    }
    return null;
  }

  /**
   * Writes the email as an RFC 5322 message ({@code .eml}) exactly as the SMTP sender sends it, for an
   * archive or a preview (with failover: as the first transport sends it): the same headers (sender, reply-to, no Bcc), the same Message-ID for the same
   * {@link Email#idempotencyKey()}, the DKIM signature when the settings have a {@link EmailSettings#dkim()},
   * and over SMTP the tag and metadata headers of the settings' provider; CRLF line ends, before SMTP's
   * dot-stuffing. Attachments are streamed from their sources, so memory use does not grow with them
   * (with DKIM they are read twice: once for the body hash). Connects to nothing. Does not close
   * {@code out}.
   *
   * @param email the email
   * @param out where the message goes
   * @throws IOException if writing fails or an attachment cannot be read
   * @throws IllegalArgumentException if the email cannot be written as it is (a header value that cannot
   *     be sent safely, or tags and metadata the settings' provider cannot carry); the message says why
   */
  public void writeMessage(Email email, OutputStream out) throws IOException {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(out, "out");
    // the primary settings' message (with failover, the message as the first transport sends it)
    Route route = routes.get(0);
    SendRequest r = route.prepare(email, 1);
    PreparedMime.of(r.email(), r.from(), r.envelopeFrom(), r.envelopeRecipients(), route.settings).writeTo(out);
  }

  /**
   * Sends an email on a background thread of this mailer. Every failure, including a closed mailer or a
   * null email, arrives through the future, as a {@link SendException} when the send failed.
   *
   * @param email the email
   * @return the future receipt
   */
  public CompletableFuture<SendReceipt> sendAsync(Email email) {
    CompletableFuture<SendReceipt> future = new CompletableFuture<>();
    if (email == null) {
      future.completeExceptionally(new NullPointerException("email"));
      return future;
    }
    Runnable task = new Runnable() {
      @Override
      public void run() {
        synchronized (lock) {
          queued.remove(this);
        }
        try {
          future.complete(send(email));
        } catch (Throwable t) {
          future.completeExceptionally(t);
        }
      }
    };
    synchronized (lock) {
      if (closed) {
        future.completeExceptionally(new IllegalStateException("this Mailer is closed"));
        return future;
      }
      queued.put(task, future);
      try {
        executor().execute(task);
      } catch (RejectedExecutionException e) {
        queued.remove(task);
        future.completeExceptionally(new IllegalStateException("this Mailer is closed", e));
      }
    }
    return future;
  }

  /**
   * Closes the mailer: waits up to {@link MailerOptions#closeTimeout()} for queued asynchronous sends,
   * fails those that did not start (their futures complete with {@link IllegalStateException}, nothing is
   * lost silently), then closes every connection. Idempotent.
   */
  @Override
  public void close() {
    ThreadPoolExecutor ex;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      ex = executor;
    }
    if (ex != null) {
      ex.shutdown();
      try {
        if (!ex.awaitTermination(options.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
          ex.shutdownNow();
          ex.awaitTermination(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        ex.shutdownNow();
        Thread.currentThread().interrupt();
      }
      List<CompletableFuture<SendReceipt>> notRun;
      synchronized (lock) {
        notRun = new ArrayList<>(queued.values());
        queued.clear();
      }
      for (CompletableFuture<SendReceipt> f : notRun) {
        f.completeExceptionally(new IllegalStateException(
            "the Mailer was closed before this email was sent; it was not sent"));
      }
    }
    routes.forEach(r -> r.sender.close());
    LOG.debug("Closed mailer for {}", settings());
  }

  private ThreadPoolExecutor executor() {
    if (executor == null) {
      AtomicInteger n = new AtomicInteger();
      int threads = options.maxConnections();
      executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, "mailroom-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      executor.allowCoreThreadTimeOut(true);
    }
    return executor;
  }

  private Optional<Duration> retryDelay(Failure f, int attempt, long deadline) {
    if (!f.isTransient() || attempt >= options.maxAttempts() || closed) {
      return Optional.empty();
    }
    long max = options.maxBackoff().toMillis();
    long exp = options.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
    long base = Math.min(max, exp);
    // "equal jitter": half fixed, half random, so retries of many senders spread out
    long delay = base / 2 + (base / 2 > 0 ? ThreadLocalRandom.current().nextLong(base / 2 + 1) : 0);
    if (f.retryAfter().isPresent()) {
      long asked = f.retryAfter().get().toMillis();
      if (asked > max) {
        LOG.info("Not retrying: the server asked to wait {} ms, more than maxBackoff {} ms", asked, max);
        return Optional.empty();
      }
      delay = Math.max(delay, asked);
    }
    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) > deadline) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(delay));
  }

  /** One transport: its settings, sender, limiter and the settings' addresses, parsed once. */
  private static final class Route {
    final int index;
    final EmailSettings settings;
    final Transport transport;
    final Sender sender;
    final SendLimiter limiter;
    final OptionalInt recipientsPerMessage;
    final String limitsSource;
    volatile long coolDownUntil;

    // the settings' addresses, parsed once rather than on every send
    private final Address defaultSender;
    private final Address defaultEnvelopeFrom;
    private final List<Address> defaultReplyTo;
    private final Optional<Address> copyTo;

    Route(Transport transport, EmailSettings settings, Sender sender, MailerOptions options) {
      this.index = transport.index();
      this.settings = settings;
      this.transport = transport;
      this.sender = sender;
      SendingLimits limits = index == 0 && options.limits().isPresent() ? options.limits().get()
          : settings.preset().map(ProviderPreset::limits).orElse(SendingLimits.none());
      this.limiter = index == 0 && options.limiter().isPresent() ? options.limiter().get()
          : SendLimiter.of(limits, options.clock());
      this.recipientsPerMessage = limits.recipientsPerMessage();
      this.limitsSource = limits.source().orElse("");
      this.defaultSender = settings.sender();
      this.defaultEnvelopeFrom = bare(defaultSender);
      this.defaultReplyTo = settings.replyTo().map(r -> List.of(Address.of(r))).orElse(List.of());
      this.copyTo = settings.copyTo().map(Address::of);
    }

    SendRequest prepare(Email email, int attempt) {
      Address from = email.from().orElse(defaultSender);
      Email resolved = email.withSender(from, defaultReplyTo);
      Optional<Address> copy = copyTo;
      List<Address> recipients = resolved.recipients();
      if (copy.isPresent()) {
        Address c = copy.get();
        boolean present = recipients.stream().anyMatch(r -> r.localPart().equals(c.localPart())
            && r.domain().equalsIgnoreCase(c.domain()));
        if (!present) {
          recipients = new ArrayList<>(recipients);
          recipients.add(c);
        }
      }
      return new SendRequest(resolved, from == defaultSender ? defaultEnvelopeFrom : bare(from), recipients, copy,
          attempt);
    }

    /**
     * Checks the limits and waits for the pacing; returns the failure when the message must not go
     * through this transport (too many recipients, a daily limit reached), else null.
     */
    Failure admit(SendRequest request, Clock clock) throws SendException {
      int n = request.envelopeRecipients().size();
      if (recipientsPerMessage.isPresent() && n > recipientsPerMessage.getAsInt()) {
        int max = recipientsPerMessage.getAsInt();
        return limitFailure(FailureCategory.MESSAGE_REJECTED, false, "hint.limit.recipients-per-message",
            String.valueOf(max), "This email has " + n + " recipients; " + transport + " accepts at most " + max
            + " per message" + source() + ". It was not sent: split it into several emails.", null);
      }
      SendLimiter.Reservation r = limiter.reserve(n);
      if (!r.granted()) {
        Instant at = Instant.ofEpochMilli(clock.millis()).plus(r.delay()).truncatedTo(ChronoUnit.SECONDS);
        return limitFailure(FailureCategory.RATE_LIMITED, true, "hint.limit.daily", at.toString(),
            "Sending this email through " + transport + " now would go over the limit of " + r.limit() + source()
            + ". It was not sent, so that the account is not throttled or locked; it may go at " + at + ".",
            r.delay());
      }
      if (!r.delay().isZero()) {
        LOG.debug("Waiting {} ms for the sending limit of {} ({})", r.delay().toMillis(), transport, r.limit());
        waitFor(clock, r.delay());
      }
      return null;
    }

    private String source() {
      return limitsSource.isEmpty() ? "" : " (" + limitsSource + ")";
    }

    private Failure limitFailure(FailureCategory category, boolean isTransient, String hintKey, String detail,
        String message, Duration retryAfter) {
      Failure.Builder b = Failure.builder(category).transientFailure(isTransient).hint(hintKey, detail)
          .message(message).server(transport.host(), transport.port());
      transport.provider().ifPresent(b::provider);
      if (retryAfter != null) {
        b.retryAfter(retryAfter);
      }
      return b.build();
    }

    /** Waits on the given clock (re-read at least every 50 ms, so a clock moved by hand is followed). */
    private void waitFor(Clock clock, Duration delay) throws SendException {
      long until = clock.millis() + delay.toMillis();
      try {
        for (long left = until - clock.millis(); left > 0; left = until - clock.millis()) {
          Thread.sleep(Math.min(left, 50));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SendException(Failure.builder(FailureCategory.RATE_LIMITED).transientFailure(true)
            .message("Interrupted while waiting for the sending limit of " + transport + "; the email was not sent")
            .server(transport.host(), transport.port()).build());
      }
    }
  }

  /** What a sender sees: the options' context, plus events that reach the listener with its transport. */
  private record RouteContext(SenderContext options, SenderEvents events) implements SenderContext {
    @Override
    public int maxConnections() {
      return options.maxConnections();
    }

    @Override
    public int maxMessagesPerConnection() {
      return options.maxMessagesPerConnection();
    }

    @Override
    public Duration idleCheckAfter() {
      return options.idleCheckAfter();
    }

    @Override
    public Duration idleTimeout() {
      return options.idleTimeout();
    }

    @Override
    public Optional<java.util.function.Consumer<String>> transcript() {
      return options.transcript();
    }

    @Override
    public DestinationPolicy destinationPolicy() {
      return options.destinationPolicy();
    }
  }

  /** A sender's reports for one transport, passed on to the (guarded) listener. */
  private static final class RouteEvents implements SenderEvents {
    /** The timings the sender reported for the attempt running on this thread. */
    static final ThreadLocal<AttemptTimings> TIMINGS = new ThreadLocal<>();

    private final Transport transport;
    private final MailerListener listener;

    RouteEvents(Transport transport, MailerListener listener) {
      this.transport = transport;
      this.listener = listener;
    }

    static AttemptTimings timings() {
      AttemptTimings t = TIMINGS.get();
      TIMINGS.remove();
      return t == null ? AttemptTimings.unknown() : t;
    }

    @Override
    public void connectionOpened(long connectionId) {
      listener.connectionOpened(new ConnectionEvent(transport, connectionId, Duration.ZERO, 0));
    }

    @Override
    public void connectionClosed(long connectionId, Duration open, int messages) {
      listener.connectionClosed(new ConnectionEvent(transport, connectionId, open, Math.max(0, messages)));
    }

    @Override
    public void attempt(AttemptTimings timings) {
      if (timings != null) {
        TIMINGS.set(timings);
      }
    }
  }

  /** The address without its display name (parsing costs more than the rest of preparing a send). */
  private static Address bare(Address a) {
    return a.name().isEmpty() ? a : Address.of(a.email());
  }
}
