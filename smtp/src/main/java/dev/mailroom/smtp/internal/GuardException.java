package dev.mailroom.smtp.internal;

import dev.mailroom.FailureCategory;
import java.io.IOException;

/**
 * The socket layer refused to go on: the server broke the protocol in a way that is unsafe to accept
 * (an over-long reply, NUL bytes, a bare CR), or a command would have broken Mailroom's security rules
 * (AUTH or MAIL before TLS). The connection is closed and never reused. The message never contains a
 * secret or raw server bytes.
 */
final class GuardException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient FailureCategory category;
  private final String hintKey;
  private final String detail;

  GuardException(FailureCategory category, String hintKey, String detail, String message) {
    super(message);
    this.category = category;
    this.hintKey = hintKey;
    this.detail = detail;
  }

  FailureCategory category() {
    return category;
  }

  String hintKey() {
    return hintKey;
  }

  String detail() {
    return detail;
  }
}
