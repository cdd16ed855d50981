package dev.mailroom.http.internal;

import java.io.IOException;

/**
 * The message is larger than the provider's API accepts, found before anything was sent: reported as
 * {@code MESSAGE_REJECTED} with the size-limit hint.
 */
final class SizeLimitException extends IOException {
  private static final long serialVersionUID = 1L;
  private final String limit;

  SizeLimitException(String message, String limit) {
    super(message);
    this.limit = limit;
  }

  /** The limit in words, e.g. "35 MB". */
  String limit() {
    return limit;
  }
}
