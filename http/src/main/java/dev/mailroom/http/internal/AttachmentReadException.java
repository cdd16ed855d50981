package dev.mailroom.http.internal;

import java.io.IOException;

/**
 * An attachment's content could not be read while the request was built or sent: a local problem, not a
 * network one. The sender reports it as a permanent configuration failure.
 */
public final class AttachmentReadException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String filename;

  AttachmentReadException(String filename, IOException cause) {
    super("Cannot read attachment " + dev.mailroom.internal.Text.quote(filename) + ": "
        + dev.mailroom.internal.Text.sanitize(String.valueOf(cause.getMessage()), 300), cause);
    this.filename = filename;
  }

  /** The attachment's file name. */
  public String filename() {
    return filename;
  }
}
