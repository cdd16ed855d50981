package dev.mailroom.smtp.internal;

import dev.mailroom.Attachment;
import jakarta.activation.DataSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams an attachment from its source while the message is written to the server: the content is never
 * held in memory as a whole. A failure to read it is reported as {@link AttachmentReadException}, so that
 * it is not mistaken for a network failure.
 */
final class AttachmentSource implements DataSource {
  private final Attachment attachment;

  AttachmentSource(Attachment attachment) {
    this.attachment = attachment;
  }

  @Override
  public InputStream getInputStream() throws IOException {
    InputStream in;
    try {
      in = attachment.open();
    } catch (IOException | RuntimeException e) {
      throw new AttachmentReadException(attachment.filename(), e);
    }
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (IOException | RuntimeException e) {
          throw new AttachmentReadException(attachment.filename(), e);
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (IOException | RuntimeException e) {
          throw new AttachmentReadException(attachment.filename(), e);
        }
      }
    };
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    throw new IOException("attachments are read only");
  }

  @Override
  public String getContentType() {
    return attachment.contentType();
  }

  @Override
  public String getName() {
    return attachment.filename();
  }

  /** Reading an attachment's content failed. */
  static final class AttachmentReadException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String filename;

    AttachmentReadException(String filename, Throwable cause) {
      super("Cannot read attachment " + filename + ": " + cause, cause);
      this.filename = filename;
    }

    String filename() {
      return filename;
    }
  }
}
