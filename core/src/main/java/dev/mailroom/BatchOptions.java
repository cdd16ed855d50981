package dev.mailroom;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How {@link Mailer#sendAll(java.util.List, BatchOptions)} sends a batch.
 *
 * <p>Defaults: as many emails at once as the mailer has connections
 * ({@link MailerOptions#maxConnections()}); no progress callback; the batch stops early after a failure
 * of a category that would fail every email: {@link FailureCategory#AUTHENTICATION},
 * {@link FailureCategory#CONFIGURATION} and {@link FailureCategory#TLS}, and after a daily sending limit
 * is reached, so that two thousand invoices do not become two thousand failed sign-ins that lock the
 * account.
 *
 * <p>Immutable and thread-safe.
 */
public final class BatchOptions {
  /** The failure categories that stop a batch by default. */
  public static final Set<FailureCategory> DEFAULT_STOP_ON = Set.copyOf(EnumSet.of(
      FailureCategory.AUTHENTICATION, FailureCategory.CONFIGURATION, FailureCategory.TLS));

  private static final BatchOptions DEFAULTS = builder().build();

  private final Integer maxConcurrency;
  private final Consumer<BatchProgress> progress;
  private final Set<FailureCategory> stopOn;

  private BatchOptions(Builder b) {
    this.maxConcurrency = b.maxConcurrency;
    this.progress = b.progress;
    this.stopOn = Set.copyOf(b.stopOn);
  }

  /**
   * Returns the defaults.
   *
   * @return the default options
   */
  public static BatchOptions ofDefaults() {
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
   * Returns how many emails may be in flight at once.
   *
   * @return the bound, or empty for the mailer's {@link MailerOptions#maxConnections()}
   */
  public OptionalInt maxConcurrency() {
    return maxConcurrency == null ? OptionalInt.empty() : OptionalInt.of(maxConcurrency);
  }

  /**
   * Returns the progress callback.
   *
   * @return the callback, or empty
   */
  public Optional<Consumer<BatchProgress>> progress() {
    return Optional.ofNullable(progress);
  }

  /**
   * Returns the failure categories after which no further email of the batch is attempted.
   *
   * @return the categories
   */
  public Set<FailureCategory> stopOn() {
    return stopOn;
  }

  @Override
  public String toString() {
    return "BatchOptions[maxConcurrency=" + (maxConcurrency == null ? "maxConnections" : maxConcurrency)
        + (progress != null ? ", progress" : "") + ", stopOn=" + stopOn + "]";
  }

  /** Builds {@link BatchOptions}. Not thread-safe. */
  public static final class Builder {
    private Integer maxConcurrency;
    private Consumer<BatchProgress> progress;
    private Set<FailureCategory> stopOn = DEFAULT_STOP_ON;

    private Builder() {}

    /**
     * Sets how many emails may be in flight at once. More than the mailer's
     * {@link MailerOptions#maxConnections()} only makes threads wait for a connection.
     *
     * @param value 1 to 64
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxConcurrency(int value) {
      if (value < 1 || value > 64) {
        throw new IllegalArgumentException("maxConcurrency must be between 1 and 64: " + value);
      }
      this.maxConcurrency = value;
      return this;
    }

    /**
     * Sets the callback that gets the progress after every email. It is called from the sending threads,
     * one call at a time; one that throws is logged and does not stop the batch.
     *
     * @param value the callback; null for none
     * @return this builder
     */
    public Builder progress(Consumer<BatchProgress> value) {
      this.progress = value;
      return this;
    }

    /**
     * Sets the failure categories after which the batch stops (emails in flight finish; the rest are
     * reported {@link SendResult.Status#NOT_ATTEMPTED}). An empty set never stops early, except for a
     * reached daily sending limit.
     *
     * @param value the categories
     * @return this builder
     */
    public Builder stopOn(Set<FailureCategory> value) {
      this.stopOn = Set.copyOf(Objects.requireNonNull(value, "stopOn"));
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public BatchOptions build() {
      return new BatchOptions(this);
    }
  }
}
