package dev.mailroom.internal;

import java.io.IOException;

/**
 * An attachment's content could not be read while a message was written or sent: a local problem, not a
 * network one. The senders report it as a permanent configuration failure and never retry it.
 */
public final class AttachmentReadException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String filename;

  /**
   * @param filename the attachment's file name
   * @param cause what went wrong while opening or reading it
   */
  public AttachmentReadException(String filename, Throwable cause) {
    super("Cannot read attachment " + Text.quote(filename) + ": " + Text.sanitize(
        cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName(), 300), cause);
    this.filename = filename;
  }

  /** The attachment's file name. */
  public String filename() {
    return filename;
  }
}
