package dev.mailroom;

/**
 * How an SMTP connection is encrypted.
 *
 * <p>{@link EmailSettings} derives the mode from the port when none is set: port 465 gives
 * {@link #IMPLICIT}, every other port {@link #STARTTLS}. {@link #NONE} is never chosen automatically.
 */
public enum TlsMode {
  /** TLS from the first byte ("SSL/TLS"), the usual mode on port 465. */
  IMPLICIT,
  /**
   * Plain connection upgraded with the {@code STARTTLS} command before anything else is sent, the usual
   * mode on port 587. Required: a server that does not offer or refuses STARTTLS fails the connection,
   * there is never a silent fallback to plain text.
   */
  STARTTLS,
  /**
   * No encryption. Only when set explicitly; credentials are then only sent to a loopback host.
   */
  NONE
}
