package dev.mailroom;

/**
 * What kind of failure stopped a send, so that an application can react (ask for a new password, mark a
 * recipient, retry later) without parsing messages.
 */
public enum FailureCategory {
  /** The server could not be reached: unknown host, connection refused, connection lost. */
  CONNECTION,
  /** Encryption failed: untrusted or mismatched certificate, STARTTLS missing or refused, TLS on the wrong port. */
  TLS,
  /** The login was rejected or is not possible (bad password, app password needed, OAuth2 required). */
  AUTHENTICATION,
  /** The server refused the sender address (MAIL FROM), e.g. "send as" denied. */
  SENDER_REJECTED,
  /** The server refused a recipient address (RCPT TO). */
  RECIPIENT_REJECTED,
  /** The server refused the message itself: too large, content or policy. */
  MESSAGE_REJECTED,
  /** The server is limiting the rate of sending; try again later. */
  RATE_LIMITED,
  /** The server did not answer within the configured timeout. */
  TIMEOUT,
  /**
   * The message was handed over completely but the server's confirmation never arrived: it may or may
   * not have been delivered. Never retried automatically.
   */
  OUTCOME_UNKNOWN,
  /** The server's answer was not valid for the protocol. */
  PROTOCOL,
  /** The settings or the message cannot work with this server (e.g. no sender module, plaintext password). */
  CONFIGURATION,
  /**
   * The service was reached and answered, but had an error of its own (an HTTP 5xx): not the settings, not
   * the message. Transient: try again later.
   */
  SERVER_ERROR
}
