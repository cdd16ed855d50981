package dev.mailroom.internal.mime;

import java.util.Objects;

/**
 * An email that a transport cannot carry as it is (tags, metadata or inline images it has no way for, or
 * a limit of the provider), found before anything is sent. The message is English; {@link #hintKey()}
 * and {@link #detail()} give the localized hint ({@code dev.mailroom.Failure.Builder#hint}) that tells the
 * user what to change. Senders turn it into a {@code CONFIGURATION} failure.
 */
public final class Refusal extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  /** The provider has no way to carry the email's tags or metadata. */
  public static final String TAGS = "hint.message.tags-not-carried";
  /** The provider cannot carry inline images. */
  public static final String INLINE = "hint.message.inline-not-carried";
  /** The email breaks a documented limit of the provider. */
  public static final String LIMIT = "hint.message.provider-limit";

  private final String hintKey;
  private final String detail;

  /**
   * A refusal.
   *
   * @param hintKey one of {@link #TAGS}, {@link #INLINE} or {@link #LIMIT}
   * @param detail what the hint quotes: the provider's rule or what it cannot carry
   * @param message the full English message
   */
  public Refusal(String hintKey, String detail, String message) {
    super(message);
    this.hintKey = Objects.requireNonNull(hintKey, "hintKey");
    this.detail = Objects.requireNonNull(detail, "detail");
  }

  /** The hint key. */
  public String hintKey() {
    return hintKey;
  }

  /** The detail the hint quotes. */
  public String detail() {
    return detail;
  }
}
