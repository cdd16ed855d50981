package dev.mailroom;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A provider's published sending limits: messages per minute and per day, recipients per message and
 * per day, with where they are published. {@link ProviderPreset#limits()} carries them for the built-in
 * presets (e.g. Microsoft 365: 30 messages a minute, 10,000 recipients a day, 500 recipients per
 * message); {@link MailerOptions.Builder#limits(SendingLimits)} sets them for an account without a preset
 * or with other limits (a Google Workspace account: {@link #GOOGLE_WORKSPACE}).
 *
 * <p>A {@link Mailer} paces its sends so that no minute has more messages than allowed, and fails a send
 * that would go over a daily limit at once ({@link FailureCategory#RATE_LIMITED} with the time it may go)
 * instead of getting the account throttled or locked. Daily limits count over a rolling 24 hours, as the
 * providers count them.
 *
 * @param messagesPerMinute at most this many messages in any 60 seconds
 * @param messagesPerDay at most this many messages in any 24 hours
 * @param recipientsPerMessage at most this many envelope recipients (to, cc, bcc, the copy address) in one
 *     message
 * @param recipientsPerDay at most this many recipients in any 24 hours, summed over the messages
 * @param source where the limits are published, e.g. the provider's documentation URL
 */
public record SendingLimits(
    OptionalInt messagesPerMinute,
    OptionalInt messagesPerDay,
    OptionalInt recipientsPerMessage,
    OptionalInt recipientsPerDay,
    Optional<String> source) {

  private static final SendingLimits NONE = builder().build();

  /**
   * Google Workspace accounts sending through Gmail ({@code smtp.gmail.com}): 2,000 messages a day, 10,000
   * recipients a day, 2,000 recipients per message; the {@link Presets#GMAIL} preset carries the lower
   * limits of a consumer account.
   */
  public static final SendingLimits GOOGLE_WORKSPACE = builder()
      .messagesPerDay(2_000).recipientsPerDay(10_000).recipientsPerMessage(2_000)
      .source("https://support.google.com/a/answer/166852")
      .build();

  /**
   * Validates the components.
   *
   * @param messagesPerMinute see the record component
   * @param messagesPerDay see the record component
   * @param recipientsPerMessage see the record component
   * @param recipientsPerDay see the record component
   * @param source see the record component
   * @throws IllegalArgumentException if a limit is below 1
   */
  public SendingLimits {
    Objects.requireNonNull(messagesPerMinute, "messagesPerMinute");
    Objects.requireNonNull(messagesPerDay, "messagesPerDay");
    Objects.requireNonNull(recipientsPerMessage, "recipientsPerMessage");
    Objects.requireNonNull(recipientsPerDay, "recipientsPerDay");
    Objects.requireNonNull(source, "source");
    check("messagesPerMinute", messagesPerMinute);
    check("messagesPerDay", messagesPerDay);
    check("recipientsPerMessage", recipientsPerMessage);
    check("recipientsPerDay", recipientsPerDay);
  }

  private static void check(String name, OptionalInt value) {
    if (value.isPresent() && value.getAsInt() < 1) {
      throw new IllegalArgumentException(name + " must be at least 1: " + value.getAsInt());
    }
  }

  /**
   * Returns limits that limit nothing.
   *
   * @return no limits
   */
  public static SendingLimits none() {
    return NONE;
  }

  /**
   * Starts limits with nothing limited.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Tells whether nothing is limited.
   *
   * @return true when every limit is empty
   */
  public boolean isNone() {
    return messagesPerMinute.isEmpty() && messagesPerDay.isEmpty() && recipientsPerMessage.isEmpty()
        && recipientsPerDay.isEmpty();
  }

  /**
   * Returns the limits in words, e.g. {@code 30 messages per minute, 10000 recipients per day}.
   *
   * @return the description, or {@code no limits}
   */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    messagesPerMinute.ifPresent(v -> parts.add(v + " messages per minute"));
    messagesPerDay.ifPresent(v -> parts.add(v + " messages per day"));
    recipientsPerMessage.ifPresent(v -> parts.add(v + " recipients per message"));
    recipientsPerDay.ifPresent(v -> parts.add(v + " recipients per day"));
    return parts.isEmpty() ? "no limits" : String.join(", ", parts);
  }

  /** Builds {@link SendingLimits}. Not thread-safe. */
  public static final class Builder {
    private OptionalInt messagesPerMinute = OptionalInt.empty();
    private OptionalInt messagesPerDay = OptionalInt.empty();
    private OptionalInt recipientsPerMessage = OptionalInt.empty();
    private OptionalInt recipientsPerDay = OptionalInt.empty();
    private String source;

    private Builder() {}

    /**
     * Sets the most messages in any 60 seconds.
     *
     * @param value at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder messagesPerMinute(int value) {
      this.messagesPerMinute = positive("messagesPerMinute", value);
      return this;
    }

    /**
     * Sets the most messages in any 24 hours.
     *
     * @param value at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder messagesPerDay(int value) {
      this.messagesPerDay = positive("messagesPerDay", value);
      return this;
    }

    /**
     * Sets the most envelope recipients of one message.
     *
     * @param value at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder recipientsPerMessage(int value) {
      this.recipientsPerMessage = positive("recipientsPerMessage", value);
      return this;
    }

    /**
     * Sets the most recipients in any 24 hours.
     *
     * @param value at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder recipientsPerDay(int value) {
      this.recipientsPerDay = positive("recipientsPerDay", value);
      return this;
    }

    /**
     * Sets where the limits are published.
     *
     * @param value a URL or a short reference
     * @return this builder
     */
    public Builder source(String value) {
      this.source = Objects.requireNonNull(value, "source");
      return this;
    }

    /**
     * Builds the limits.
     *
     * @return the limits
     */
    public SendingLimits build() {
      return new SendingLimits(messagesPerMinute, messagesPerDay, recipientsPerMessage, recipientsPerDay,
          Optional.ofNullable(source));
    }

    private static OptionalInt positive(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1: " + value);
      }
      return OptionalInt.of(value);
    }
  }
}
