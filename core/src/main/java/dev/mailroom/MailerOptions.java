package dev.mailroom;

import dev.mailroom.spi.SenderContext;
import dev.mailroom.spi.SenderProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How a {@link Mailer} retries, how many connections it keeps, and which sender it uses. Start from
 * {@link #ofDefaults()} or {@link #builder()}.
 *
 * <p>Defaults: {@value #DEFAULT_MAX_ATTEMPTS} attempts with exponential backoff and jitter from 500 ms up
 * to 30 s, at most 2 minutes of retrying in all; 1 connection; at most {@value #DEFAULT_MAX_MESSAGES_PER_CONNECTION}
 * messages per connection; a connection idle for more than 10 s is checked (SMTP {@code NOOP}) before it
 * is reused and closed after 60 s idle; asynchronous sends still queued get 30 s to finish on
 * {@link Mailer#close()}; every destination allowed ({@link DestinationPolicy#ANY}); no listener; the
 * sending limits of the settings' preset; a failed transport of a mailer with several settings is tried
 * again after 60 s.
 *
 * <p>Immutable and thread-safe.
 */
public final class MailerOptions {
  /** Default number of attempts per send, the first included. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  /** Default maximum number of messages sent over one connection before it is replaced. */
  public static final int DEFAULT_MAX_MESSAGES_PER_CONNECTION = 100;
  /** Default delay before the first retry (before jitter). */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
  /** Default upper bound of one delay between attempts. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  /** Default bound on the whole time spent retrying one send. */
  public static final Duration DEFAULT_MAX_RETRY_TIME = Duration.ofMinutes(2);
  /** Default idle time after which a connection is checked before reuse. */
  public static final Duration DEFAULT_IDLE_CHECK_AFTER = Duration.ofSeconds(10);
  /** Default idle time after which a connection is closed. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  /** Default time {@link Mailer#close()} waits for queued asynchronous sends. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);
  /** Default time a failed transport is passed over before the mailer tries it again. */
  public static final Duration DEFAULT_FAILOVER_COOLDOWN = Duration.ofSeconds(60);

  private static final MailerOptions DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxRetryTime;
  private final int maxConnections;
  private final int maxMessagesPerConnection;
  private final Duration idleCheckAfter;
  private final Duration idleTimeout;
  private final Duration closeTimeout;
  private final Consumer<String> transcript;
  private final SenderProvider senderProvider;
  private final DestinationPolicy destinationPolicy;
  private final SenderContext context;
  private final MailerListener listener;
  private final SendingLimits limits;
  private final SendLimiter limiter;
  private final Duration failoverCooldown;
  private final Clock clock;

  private MailerOptions(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.maxRetryTime = b.maxRetryTime;
    this.maxConnections = b.maxConnections;
    this.maxMessagesPerConnection = b.maxMessagesPerConnection;
    this.idleCheckAfter = b.idleCheckAfter;
    this.idleTimeout = b.idleTimeout;
    this.closeTimeout = b.closeTimeout;
    this.transcript = b.transcript;
    this.senderProvider = b.senderProvider;
    this.destinationPolicy = b.destinationPolicy;
    this.context = new Context(maxConnections, maxMessagesPerConnection, idleCheckAfter, idleTimeout,
        Optional.ofNullable(transcript), destinationPolicy);
    this.listener = b.listener;
    this.limits = b.limits;
    this.limiter = b.limiter;
    this.failoverCooldown = b.failoverCooldown;
    this.clock = b.clock;
  }

  /**
   * Returns the default options.
   *
   * @return the defaults
   */
  public static MailerOptions ofDefaults() {
    return DEFAULTS;
  }

  /**
   * Starts options from the defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder with these options.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.maxRetryTime = maxRetryTime;
    b.maxConnections = maxConnections;
    b.maxMessagesPerConnection = maxMessagesPerConnection;
    b.idleCheckAfter = idleCheckAfter;
    b.idleTimeout = idleTimeout;
    b.closeTimeout = closeTimeout;
    b.transcript = transcript;
    b.senderProvider = senderProvider;
    b.destinationPolicy = destinationPolicy;
    b.listener = listener;
    b.limits = limits;
    b.limiter = limiter;
    b.failoverCooldown = failoverCooldown;
    b.clock = clock;
    return b;
  }

  /**
   * Returns how many attempts one send may take, the first included.
   *
   * @return at least 1
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Returns the delay before the first retry, before jitter; it doubles with every retry.
   *
   * @return the initial backoff
   */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /**
   * Returns the longest delay between two attempts. A server that asks to wait longer ({@code Retry-After})
   * is not retried.
   *
   * @return the maximum backoff
   */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * Returns the bound on the time spent retrying one send: no retry starts after it.
   *
   * @return the maximum retry time
   */
  public Duration maxRetryTime() {
    return maxRetryTime;
  }

  /**
   * Returns how many connections the sender may keep open at once, for multi-threaded sending.
   *
   * @return at least 1
   */
  public int maxConnections() {
    return maxConnections;
  }

  /**
   * Returns how many messages go over one connection before it is closed and replaced.
   *
   * @return at least 1
   */
  public int maxMessagesPerConnection() {
    return maxMessagesPerConnection;
  }

  /**
   * Returns the idle time after which a kept connection is checked before it is reused.
   *
   * @return the idle check threshold
   */
  public Duration idleCheckAfter() {
    return idleCheckAfter;
  }

  /**
   * Returns the idle time after which a kept connection is closed.
   *
   * @return the idle timeout
   */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * Returns how long {@link Mailer#close()} waits for queued asynchronous sends.
   *
   * @return the close timeout
   */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  /**
   * Returns the receiver of the protocol transcript, if one was asked for. Lines are swaks style:
   * {@code ->} sent, {@code <-} received, {@code ~>} and {@code <~} inside TLS; passwords, AUTH payloads
   * and tokens are replaced by {@code ******}; message content is not included.
   *
   * @return the transcript receiver, or empty
   */
  public Optional<Consumer<String>> transcript() {
    return Optional.ofNullable(transcript);
  }

  /**
   * Returns the explicitly chosen sender provider.
   *
   * @return the provider, or empty to find one with {@link java.util.ServiceLoader}
   */
  public Optional<SenderProvider> senderProvider() {
    return Optional.ofNullable(senderProvider);
  }

  /**
   * Returns the policy that decides which server addresses the sender may connect to; checked on every
   * resolved address right before each connection.
   *
   * @return the policy, {@link DestinationPolicy#ANY} unless set
   */
  public DestinationPolicy destinationPolicy() {
    return destinationPolicy;
  }

  /**
   * Returns the part of these options a {@link dev.mailroom.spi.Sender} sees: connection limits, the
   * transcript receiver and the destination policy.
   *
   * @return the sender's context
   */
  public SenderContext senderContext() {
    return context;
  }

  /** The sender's view of the options; the SPI sees nothing else. */
  private record Context(int maxConnections, int maxMessagesPerConnection, Duration idleCheckAfter,
      Duration idleTimeout, Optional<Consumer<String>> transcript, DestinationPolicy destinationPolicy)
      implements SenderContext {}

  /**
   * Returns the listener that sees the mailer's sends, attempts, retries and connections.
   *
   * @return the listener, {@link MailerListener#NONE} by default
   */
  public MailerListener listener() {
    return listener;
  }

  /**
   * Returns the sending limits set here, which replace those of the (first) settings' preset.
   *
   * @return the limits, or empty to use the preset's
   */
  public Optional<SendingLimits> limits() {
    return Optional.ofNullable(limits);
  }

  /**
   * Returns the limiter set here, e.g. one on a store shared by several application instances.
   *
   * @return the limiter, or empty for an in-memory limiter of {@link #limits()} or the preset's limits
   */
  public Optional<SendLimiter> limiter() {
    return Optional.ofNullable(limiter);
  }

  /**
   * Returns how long a transport that failed (could not connect, TLS, sign-in, rate limit) is passed over
   * before a mailer with several settings tries it again.
   *
   * @return the cool-down
   */
  public Duration failoverCooldown() {
    return failoverCooldown;
  }

  /**
   * Returns the clock for pacing and cool-downs.
   *
   * @return the clock, the system clock by default
   */
  public Clock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "MailerOptions[maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff="
        + maxBackoff + ", maxRetryTime=" + maxRetryTime + ", maxConnections=" + maxConnections
        + ", maxMessagesPerConnection=" + maxMessagesPerConnection + ", idleCheckAfter=" + idleCheckAfter
        + ", idleTimeout=" + idleTimeout + ", closeTimeout=" + closeTimeout
        + (transcript != null ? ", transcript" : "")
        + (senderProvider != null ? ", senderProvider=" + senderProvider.name() : "")
        + (destinationPolicy != DestinationPolicy.ANY ? ", destinationPolicy=" + destinationPolicy : "")
        + (listener != MailerListener.NONE ? ", listener" : "")
        + (limits != null ? ", limits=" + limits : "") + (limiter != null ? ", limiter" : "")
        + ", failoverCooldown=" + failoverCooldown + "]";
  }

  /** Builds {@link MailerOptions}. Setters check their value at once. Not thread-safe. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration maxRetryTime = DEFAULT_MAX_RETRY_TIME;
    private int maxConnections = 1;
    private int maxMessagesPerConnection = DEFAULT_MAX_MESSAGES_PER_CONNECTION;
    private Duration idleCheckAfter = DEFAULT_IDLE_CHECK_AFTER;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private Consumer<String> transcript;
    private SenderProvider senderProvider;
    private DestinationPolicy destinationPolicy = DestinationPolicy.ANY;
    private MailerListener listener = MailerListener.NONE;
    private SendingLimits limits;
    private SendLimiter limiter;
    private Duration failoverCooldown = DEFAULT_FAILOVER_COOLDOWN;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Sets which servers the sender may connect to, e.g. {@link DestinationPolicy#publicInternetOnly()} in a
     * hosted application where tenants type their own settings. A refused server fails the send with
     * {@link FailureCategory#CONFIGURATION}, without a connection and without a retry.
     *
     * @param value the policy; {@link DestinationPolicy#ANY} (the default) allows every server
     * @return this builder
     */
    public Builder destinationPolicy(DestinationPolicy value) {
      this.destinationPolicy = Objects.requireNonNull(value, "destinationPolicy");
      return this;
    }

    /**
     * Sets how many attempts one send may take; 1 turns retries off.
     *
     * @param value 1 to 10
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxAttempts(int value) {
      if (value < 1 || value > 10) {
        throw new IllegalArgumentException("maxAttempts must be between 1 and 10: " + value);
      }
      this.maxAttempts = value;
      return this;
    }

    /**
     * Sets the delay before the first retry.
     *
     * @param value 0 to 1 minute
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder initialBackoff(Duration value) {
      this.initialBackoff = range("initialBackoff", value, Duration.ZERO, Duration.ofMinutes(1));
      return this;
    }

    /**
     * Sets the longest delay between two attempts.
     *
     * @param value 0 to 10 minutes
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxBackoff(Duration value) {
      this.maxBackoff = range("maxBackoff", value, Duration.ZERO, Duration.ofMinutes(10));
      return this;
    }

    /**
     * Sets the bound on the time spent retrying one send.
     *
     * @param value 0 to 1 hour
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxRetryTime(Duration value) {
      this.maxRetryTime = range("maxRetryTime", value, Duration.ZERO, Duration.ofHours(1));
      return this;
    }

    /**
     * Sets how many connections may be open at once.
     *
     * @param value 1 to 64
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxConnections(int value) {
      if (value < 1 || value > 64) {
        throw new IllegalArgumentException("maxConnections must be between 1 and 64: " + value);
      }
      this.maxConnections = value;
      return this;
    }

    /**
     * Sets how many messages go over one connection before it is replaced.
     *
     * @param value 1 to 100000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxMessagesPerConnection(int value) {
      if (value < 1 || value > 100_000) {
        throw new IllegalArgumentException("maxMessagesPerConnection must be between 1 and 100000: " + value);
      }
      this.maxMessagesPerConnection = value;
      return this;
    }

    /**
     * Sets the idle time after which a kept connection is checked before reuse.
     *
     * @param value 0 (always check) to 1 hour
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder idleCheckAfter(Duration value) {
      this.idleCheckAfter = range("idleCheckAfter", value, Duration.ZERO, Duration.ofHours(1));
      return this;
    }

    /**
     * Sets the idle time after which a kept connection is closed.
     *
     * @param value 0 (never keep) to 1 hour
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder idleTimeout(Duration value) {
      this.idleTimeout = range("idleTimeout", value, Duration.ZERO, Duration.ofHours(1));
      return this;
    }

    /**
     * Sets how long {@link Mailer#close()} waits for queued asynchronous sends.
     *
     * @param value 0 to 10 minutes
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder closeTimeout(Duration value) {
      this.closeTimeout = range("closeTimeout", value, Duration.ZERO, Duration.ofMinutes(10));
      return this;
    }

    /**
     * Asks for a redacted protocol transcript, one line per call. The consumer must be thread-safe.
     *
     * @param value the receiver; null turns the transcript off
     * @return this builder
     */
    public Builder transcript(Consumer<String> value) {
      this.transcript = value;
      return this;
    }

    /**
     * Chooses the sender provider explicitly instead of finding one with {@link java.util.ServiceLoader}.
     *
     * @param value the provider; null goes back to discovery
     * @return this builder
     */
    public Builder senderProvider(SenderProvider value) {
      this.senderProvider = value;
      return this;
    }

    /**
     * Sets the listener that sees every send, attempt, retry and connection, e.g. a metrics binding.
     * Combine several with {@link MailerListener#compose(MailerListener...)}.
     *
     * @param value the listener; null for none
     * @return this builder
     */
    public Builder listener(MailerListener value) {
      this.listener = value == null ? MailerListener.NONE : value;
      return this;
    }

    /**
     * Sets the sending limits to pace to, instead of those of the preset of the (first) settings.
     * {@link SendingLimits#none()} turns pacing off.
     *
     * @param value the limits; null goes back to the preset's
     * @return this builder
     */
    public Builder limits(SendingLimits value) {
      this.limits = value;
      return this;
    }

    /**
     * Sets the limiter of the (first) settings' transport, e.g. one backed by a store that several
     * application instances share ({@code mailroom-bucket4j}). It takes precedence over
     * {@link #limits(SendingLimits)} and the preset's limits, except for the recipients per message, which
     * are still checked.
     *
     * @param value the limiter; null for an in-memory one
     * @return this builder
     */
    public Builder limiter(SendLimiter value) {
      this.limiter = value;
      return this;
    }

    /**
     * Sets how long a failed transport is passed over before it is tried again.
     *
     * @param value 0 to 1 day
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder failoverCooldown(Duration value) {
      this.failoverCooldown = range("failoverCooldown", value, Duration.ZERO, Duration.ofDays(1));
      return this;
    }

    /**
     * Sets the clock that pacing and cool-downs read; tests pass a clock they move by hand.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public MailerOptions build() {
      return new MailerOptions(this);
    }

    private static Duration range(String name, Duration value, Duration min, Duration max) {
      Objects.requireNonNull(value, name);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + value);
      }
      return value;
    }
  }
}
