package dev.mailroom;

import dev.mailroom.internal.Services;
import dev.mailroom.spi.SendRequest;
import dev.mailroom.spi.Sender;
import dev.mailroom.spi.SenderProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>Thread-safe. A mailer keeps connections open between sends; {@link #close()} ends them.
 */
public final class Mailer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);

  private final EmailSettings settings;
  private final MailerOptions options;
  private final Sender sender;
  private final Object lock = new Object();
  private volatile boolean closed;
  private ThreadPoolExecutor executor;
  private final Map<Runnable, CompletableFuture<SendReceipt>> queued = new LinkedHashMap<>();

  // the settings' addresses, parsed once rather than on every send
  private final Address defaultSender;
  private final Address defaultEnvelopeFrom;
  private final List<Address> defaultReplyTo;
  private final Optional<Address> copyTo;

  private Mailer(EmailSettings settings, MailerOptions options, Sender sender) {
    this.settings = settings;
    this.options = options;
    this.sender = sender;
    this.defaultSender = settings.sender();
    this.defaultEnvelopeFrom = bare(defaultSender);
    this.defaultReplyTo = settings.replyTo().map(r -> List.of(Address.of(r))).orElse(List.of());
    this.copyTo = settings.copyTo().map(Address::of);
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
    SenderProvider provider = options.senderProvider().orElseGet(() -> discover(settings.protocol()));
    if (provider.protocol() != settings.protocol()) {
      throw new IllegalArgumentException("the chosen sender provider " + provider.name() + " sends "
          + provider.protocol() + ", but the settings use " + settings.protocol());
    }
    Sender sender = provider.open(settings, options.senderContext());
    if (sender == null) {
      throw new IllegalStateException("sender provider " + provider.name() + " returned no sender");
    }
    LOG.debug("Opened mailer for {} with {}", settings, provider.name());
    return new Mailer(settings, options, sender);
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
   * Returns the settings this mailer sends with.
   *
   * @return the settings
   */
  public EmailSettings settings() {
    return settings;
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
   * Sends an email, retrying transient failures, and returns what the server accepted.
   *
   * @param email the email
   * @return the receipt
   * @throws SendException if the email was not sent; {@link SendException#failure()} says why and
   *     whether trying again later can help
   * @throws IllegalStateException if this mailer is closed
   */
  public SendReceipt send(Email email) throws SendException {
    Objects.requireNonNull(email, "email");
    if (closed) {
      throw new IllegalStateException("this Mailer is closed");
    }
    SendRequest first = prepare(email, 1);
    long start = System.nanoTime();
    long deadline = start + options.maxRetryTime().toNanos();
    for (int attempt = 1; ; attempt++) {
      SendRequest request = attempt == 1 ? first : new SendRequest(first.email(), first.envelopeFrom(),
          first.envelopeRecipients(), first.copyTo(), attempt);
      try {
        SendReceipt receipt = sender.send(request);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        LOG.debug("Sent {} to {} recipient(s) in {} ms, attempt {}", receipt.messageId(),
            receipt.acceptedRecipients().size(), elapsed.toMillis(), attempt);
        return receipt.withAttempts(attempt, elapsed);
      } catch (SendException e) {
        Failure f = e.failure();
        Optional<Duration> delay = retryDelay(f, attempt, deadline);
        if (delay.isEmpty()) {
          throw attempt == 1 ? e : new SendException(f, e, attempt);
        }
        LOG.info("Send attempt {} of {} failed ({}); retrying in {} ms", attempt, options.maxAttempts(),
            f.message(), delay.get().toMillis());
        try {
          Thread.sleep(delay.get().toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new SendException(f, e, attempt);
        }
      }
    }
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
    sender.close();
    LOG.debug("Closed mailer for {}", settings);
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

  private SendRequest prepare(Email email, int attempt) {
    Address from = email.from().orElse(defaultSender);
    Email.Builder b = email.toBuilder().from(from);
    if (email.replyTo().isEmpty()) {
      b.replyTo(defaultReplyTo);
    }
    Email resolved = b.build();
    Optional<Address> copy = copyTo;
    List<Address> recipients = new ArrayList<>(resolved.recipients());
    copy.ifPresent(c -> {
      boolean present = recipients.stream().anyMatch(r -> r.localPart().equals(c.localPart())
          && r.domain().equalsIgnoreCase(c.domain()));
      if (!present) {
        recipients.add(c);
      }
    });
    return new SendRequest(resolved, from == defaultSender ? defaultEnvelopeFrom : bare(from), recipients, copy,
        attempt);
  }

  /** The address without its display name (parsing costs more than the rest of preparing a send). */
  private static Address bare(Address a) {
    return a.name().isEmpty() ? a : Address.of(a.email());
  }
}
