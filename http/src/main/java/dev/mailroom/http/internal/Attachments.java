package dev.mailroom.http.internal;

import com.github.mizosoft.methanol.MediaType;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.internal.AttachmentReadException;
import dev.mailroom.internal.AttachmentStreams;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.List;
import java.util.OptionalLong;

/** Streams attachment content into request bodies; read errors become {@link AttachmentReadException}. */
public final class Attachments {
  private Attachments() {}

  /**
   * Opens an attachment's content; every read error is an {@link AttachmentReadException}.
   *
   * @throws AttachmentReadException if the content cannot be opened
   */
  public static InputStream open(Attachment a) throws AttachmentReadException {
    return AttachmentStreams.open(a);
  }

  /**
   * A body publisher that streams the attachment's bytes: the file directly when there is one, else the
   * stream; with a known length when the size is known.
   *
   * @throws AttachmentReadException if the attachment's file does not exist any more
   */
  public static BodyPublisher publisher(Attachment a) throws AttachmentReadException {
    if (a.file().isPresent()) {
      try {
        return BodyPublishers.ofFile(a.file().get());
      } catch (FileNotFoundException e) {
        throw new AttachmentReadException(a.filename(), e);
      }
    }
    BodyPublisher stream = BodyPublishers.ofInputStream(() -> {
      try {
        return open(a);
      } catch (AttachmentReadException e) {
        return new FailingInputStream(e);
      }
    });
    OptionalLong size = a.size();
    return size.isPresent() ? BodyPublishers.fromPublisher(stream, size.getAsLong()) : stream;
  }

  /** The attachment's content type as a Methanol media type; {@code application/octet-stream} if unparsable. */
  public static MediaType mediaType(Attachment a) {
    try {
      return MediaType.parse(a.contentType());
    } catch (IllegalArgumentException e) {
      return MediaType.APPLICATION_OCTET_STREAM;
    }
  }

  /** The sum of the attachments' and inline images' sizes, or -1 when one of them has no known size. */
  public static long knownTotalSize(Email email) {
    long total = 0;
    List<Attachment> all = new java.util.ArrayList<>(email.attachments());
    all.addAll(email.inline().values());
    for (Attachment a : all) {
      OptionalLong s = a.size();
      if (s.isEmpty()) {
        return -1;
      }
      total += s.getAsLong();
    }
    return total;
  }

  /**
   * A file name for a multipart {@code filename} parameter, as browsers send it (WHATWG HTML): the quote
   * becomes {@code %22}. Line breaks cannot occur (attachment names are checked when created).
   */
  public static String multipartFilename(String filename) {
    return filename.replace("\"", "%22");
  }

  private static final class FailingInputStream extends InputStream {
    private final AttachmentReadException failure;

    FailingInputStream(AttachmentReadException failure) {
      this.failure = failure;
    }

    @Override
    public int read() throws IOException {
      throw failure;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      throw failure;
    }
  }
}
