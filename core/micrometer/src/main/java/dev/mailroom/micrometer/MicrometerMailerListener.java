package dev.mailroom.micrometer;

import dev.mailroom.AttemptResult;
import dev.mailroom.ConnectionEvent;
import dev.mailroom.Failure;
import dev.mailroom.MailerListener;
import dev.mailroom.RetryEvent;
import dev.mailroom.SendEvent;
import dev.mailroom.SendReceipt;
import dev.mailroom.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records what a {@link dev.mailroom.Mailer} does in a Micrometer {@link MeterRegistry}, like Micrometer's
 * own Jakarta Mail instrumentation:
 *
 * <pre>{@code
 * Mailer mailer = Mailer.open(settings, MailerOptions.builder()
 *     .listener(new MicrometerMailerListener(registry))
 *     .build());
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #SENDS}</td><td>timer: sends by outcome and their duration, retries and waits
 *     included</td><td>outcome ({@code sent}, {@code failed}), category (a {@link dev.mailroom.FailureCategory}
 *     or {@code none}), protocol ({@code smtp}, {@code http}), provider (preset or dialect id, or
 *     {@code unknown})</td></tr>
 *   <tr><td>{@value #ATTEMPTS}</td><td>timer: attempts and their duration</td><td>outcome, category,
 *     protocol, provider, connection ({@code new}, {@code reused}, {@code unknown})</td></tr>
 *   <tr><td>{@value #RETRIES}</td><td>counter: retries, on the same transport or the next</td><td>category,
 *     protocol, provider, failover ({@code true} when the retry moves to the next transport)</td></tr>
 *   <tr><td>{@value #CONNECTIONS}</td><td>gauge: connections open now</td><td>protocol, provider</td></tr>
 * </table>
 *
 * <p>Tags hold no address, host name, message id or secret, so their number stays small. Extra common
 * tags (e.g. the tenant) can be given to the constructor. Thread-safe: one instance may serve several
 * mailers.
 */
public final class MicrometerMailerListener implements MailerListener {
  /** Timer of sends. */
  public static final String SENDS = "mailroom.sends";
  /** Timer of attempts. */
  public static final String ATTEMPTS = "mailroom.send.attempts";
  /** Counter of retries. */
  public static final String RETRIES = "mailroom.send.retries";
  /** Gauge of open connections. */
  public static final String CONNECTIONS = "mailroom.connections.open";

  private static final String UNKNOWN = "unknown";

  private final MeterRegistry registry;
  private final Tags common;
  private final Map<SendEvent, Long> started = new ConcurrentHashMap<>();
  private final Map<SendEvent, Transport> lastTransport = new ConcurrentHashMap<>();
  private final Map<Tags, AtomicInteger> open = new ConcurrentHashMap<>();

  /**
   * Records into a registry.
   *
   * @param registry the registry
   */
  public MicrometerMailerListener(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /**
   * Records into a registry with extra tags on every meter.
   *
   * @param registry the registry
   * @param tags tags added to every meter, e.g. the tenant
   */
  public MicrometerMailerListener(MeterRegistry registry, Iterable<Tag> tags) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.common = Tags.of(Objects.requireNonNull(tags, "tags"));
  }

  @Override
  public void sendStarted(SendEvent send) {
    started.put(send, System.nanoTime());
  }

  @Override
  public void attemptStarted(dev.mailroom.AttemptEvent attempt) {
    lastTransport.put(attempt.send(), attempt.transport());
  }

  @Override
  public void attemptFinished(AttemptResult result) {
    Tags tags = transportTags(result.attempt().transport())
        .and(outcome(result.failure().orElse(null)))
        .and("connection", result.timings().connection().name().toLowerCase(Locale.ROOT));
    Timer.builder(ATTEMPTS).description("Attempts to hand a message to a mail server").tags(tags)
        .register(registry).record(result.duration());
  }

  @Override
  public void retryScheduled(RetryEvent retry) {
    boolean failover = retry.nextTransport().index() != retry.attempt().transport().index();
    Counter.builder(RETRIES).description("Failed attempts that are tried again")
        .tags(transportTags(retry.attempt().transport()))
        .tag("category", retry.reason().category().name())
        .tag("failover", Boolean.toString(failover))
        .register(registry).increment();
  }

  @Override
  public void sendSucceeded(SendEvent send, SendReceipt receipt) {
    started.remove(send);
    Transport t = receipt.transport().orElse(lastTransport.get(send));
    lastTransport.remove(send);
    Timer.builder(SENDS).description("Emails sent or failed, retries and waits included")
        .tags(transportTags(t).and(outcome(null))).register(registry).record(receipt.elapsed());
  }

  @Override
  public void sendFailed(SendEvent send, Failure failure) {
    Long start = started.remove(send);
    Transport t = lastTransport.remove(send);
    Duration d = start == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - start);
    Tags tags = t != null ? transportTags(t) : Tags.of("protocol", UNKNOWN, "provider",
        failure.provider().orElse(UNKNOWN)).and(common);
    Timer.builder(SENDS).description("Emails sent or failed, retries and waits included")
        .tags(tags.and(outcome(failure))).register(registry).record(d);
  }

  @Override
  public void connectionOpened(ConnectionEvent connection) {
    gauge(connection.transport()).incrementAndGet();
  }

  @Override
  public void connectionClosed(ConnectionEvent connection) {
    gauge(connection.transport()).updateAndGet(n -> Math.max(0, n - 1));
  }

  private AtomicInteger gauge(Transport transport) {
    Tags tags = transportTags(transport);
    return open.computeIfAbsent(tags, k -> {
      AtomicInteger n = new AtomicInteger();
      Gauge.builder(CONNECTIONS, n, AtomicInteger::get).description("Connections to mail servers open now")
          .tags(k).strongReference(true).register(registry);
      return n;
    });
  }

  private Tags transportTags(Transport t) {
    if (t == null) {
      return common.and("protocol", UNKNOWN, "provider", UNKNOWN);
    }
    return common.and("protocol", t.protocol().name().toLowerCase(Locale.ROOT), "provider",
        t.provider().orElse(UNKNOWN));
  }

  private static Tags outcome(Failure failure) {
    return failure == null ? Tags.of("outcome", "sent", "category", "none")
        : Tags.of("outcome", "failed", "category", failure.category().name());
  }

  @Override
  public String toString() {
    return "MicrometerMailerListener[" + registry.getClass().getSimpleName() + "]";
  }
}
