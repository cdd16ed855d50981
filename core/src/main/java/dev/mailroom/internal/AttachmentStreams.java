package dev.mailroom.internal;

import dev.mailroom.Attachment;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Opens attachment content for the senders so that a failure to read it is an
 * {@link AttachmentReadException}, never mistaken for a network failure of the connection it is written to.
 */
public final class AttachmentStreams {
  private AttachmentStreams() {}

  /**
   * Opens an attachment's content; every error of opening, reading or skipping is an
   * {@link AttachmentReadException}.
   *
   * @throws AttachmentReadException if the content cannot be opened
   */
  public static InputStream open(Attachment a) throws AttachmentReadException {
    try {
      return new Guarded(a.open(), a.filename());
    } catch (IOException | RuntimeException e) {
      throw wrap(a.filename(), e);
    }
  }

  private static AttachmentReadException wrap(String filename, Throwable e) {
    if (e instanceof AttachmentReadException) {
      return (AttachmentReadException) e;
    }
    return new AttachmentReadException(filename, e instanceof UncheckedIOException ? e.getCause() : e);
  }

  private static final class Guarded extends FilterInputStream {
    private final String filename;

    Guarded(InputStream in, String filename) {
      super(in);
      this.filename = filename;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException | RuntimeException e) {
        throw wrap(filename, e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException | RuntimeException e) {
        throw wrap(filename, e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return super.skip(n);
      } catch (IOException | RuntimeException e) {
        throw wrap(filename, e);
      }
    }
  }
}
