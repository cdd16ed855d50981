package dev.mailroom;

import java.util.Locale;
import java.util.Objects;

/**
 * A send failed. {@link #failure()} says why, whether retrying later can help, and what the user should
 * do. The message never contains a password, API key or token.
 */
public class SendException extends Exception {
  /** Serialization version. */
  private static final long serialVersionUID = 1L;

  /** The failure; not serialized. */
  private final transient Failure failure;
  /** How many attempts were made. */
  private final int attempts;

  /**
   * Creates the exception.
   *
   * @param failure why the send failed
   */
  public SendException(Failure failure) {
    this(failure, null);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param failure why the send failed
   * @param cause the underlying exception; its message must not contain a secret
   */
  public SendException(Failure failure, Throwable cause) {
    this(failure, cause, 1);
  }

  /**
   * Creates the exception for a send that took several attempts.
   *
   * @param failure why the last attempt failed
   * @param cause the underlying exception, or null
   * @param attempts how many attempts were made, at least 1
   */
  public SendException(Failure failure, Throwable cause, int attempts) {
    super(Objects.requireNonNull(failure, "failure").message()
        + (attempts > 1 ? " (after " + attempts + " attempts)" : ""), cause);
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
    }
    this.failure = failure;
    this.attempts = attempts;
  }

  /**
   * Returns how many attempts were made before giving up.
   *
   * @return at least 1
   */
  public int attempts() {
    return attempts;
  }

  /**
   * Returns why the send failed.
   *
   * @return the failure
   */
  public Failure failure() {
    return failure;
  }

  /**
   * Shorthand for {@code failure().category()}.
   *
   * @return the category
   */
  public FailureCategory category() {
    return failure.category();
  }

  /**
   * Shorthand for {@code failure().isTransient()}.
   *
   * @return true if retrying later may help
   */
  public boolean isTransient() {
    return failure.isTransient();
  }

  /**
   * Shorthand for {@code failure().hint(locale)}.
   *
   * @param locale the user's locale
   * @return what the user should do
   */
  public String hint(Locale locale) {
    return failure.hint(locale);
  }
}
