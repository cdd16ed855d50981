package dev.mailroom.smtp.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reading attachments while the message is written to the server: the content streams from its source and
 * is never held in memory as a whole. A failure to read it is reported as {@link AttachmentReadException},
 * so that it is not mistaken for a network failure.
 */
final class AttachmentSource {
  private AttachmentSource() {}

  /** An attachment's stream whose failures become {@link AttachmentReadException}. */
  static final class Checked extends FilterInputStream {
    private final String filename;

    Checked(InputStream in, String filename) {
      super(in);
      this.filename = filename;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException | RuntimeException e) {
        throw new AttachmentReadException(filename, e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException | RuntimeException e) {
        throw new AttachmentReadException(filename, e);
      }
    }
  }

  /** Reading an attachment's content failed. */
  static final class AttachmentReadException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String filename;

    AttachmentReadException(String filename, Throwable cause) {
      super("Cannot read attachment " + filename + ": " + cause.getClass().getSimpleName(), cause);
      this.filename = filename;
    }

    String filename() {
      return filename;
    }
  }
}
