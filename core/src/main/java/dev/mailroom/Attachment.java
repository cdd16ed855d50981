package dev.mailroom;

import dev.mailroom.internal.Text;
import dev.mailroom.internal.mime.ContentTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A file attached to an {@link Email}: a file name, a content type and the content, which comes from
 * bytes in memory, a file, or a supplier of input streams. Files and streams are read while the message
 * is sent, never loaded whole, so a large PDF costs no heap.
 *
 * <p>Immutable and thread-safe as long as the stream supplier is. The content may be read more than
 * once (a retried send reads it again), so a supplier must return a new stream on every call.
 */
public final class Attachment {
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("pdf", "application/pdf"),
      Map.entry("csv", "text/csv"),
      Map.entry("txt", "text/plain"),
      Map.entry("html", "text/html"),
      Map.entry("htm", "text/html"),
      Map.entry("xml", "application/xml"),
      Map.entry("json", "application/json"),
      Map.entry("png", "image/png"),
      Map.entry("jpg", "image/jpeg"),
      Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("zip", "application/zip"),
      Map.entry("ics", "text/calendar"),
      Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
      Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
      Map.entry("odt", "application/vnd.oasis.opendocument.text"),
      Map.entry("ods", "application/vnd.oasis.opendocument.spreadsheet"));

  /**
   * Opens the content of an attachment. Called once per send attempt; must return a new stream each time.
   */
  @FunctionalInterface
  public interface Source {
    /**
     * Opens a new stream over the content.
     *
     * @return a new stream, closed by the sender
     * @throws IOException if the content cannot be read
     */
    InputStream open() throws IOException;
  }

  private final String filename;
  private final String contentType;
  private final Source source;
  private final Path file;
  private final long size;

  private Attachment(String filename, String contentType, Source source, Path file, long size) {
    this.filename = checkFilename(filename);
    this.contentType = checkContentType(contentType);
    this.source = source;
    this.file = file;
    this.size = size;
  }

  /**
   * An attachment from bytes in memory. The array is copied.
   *
   * @param filename the file name shown to the recipient, e.g. {@code INV-1.pdf}; may be non-ASCII
   * @param contentType the MIME type, e.g. {@code application/pdf}, optionally with RFC 2045 parameters
   *     such as {@code text/calendar; method=REQUEST; charset=UTF-8} (not {@code name} or {@code filename}:
   *     they come from the file name)
   * @param content the bytes
   * @return the attachment
   * @throws IllegalArgumentException if the file name or content type is not valid
   */
  public static Attachment ofBytes(String filename, String contentType, byte[] content) {
    byte[] copy = Objects.requireNonNull(content, "content").clone();
    return new Attachment(filename, contentType, () -> new ByteArrayInputStream(copy), null, copy.length);
  }

  /**
   * An attachment read from a file when the message is sent; the name is the file's name and the type is
   * guessed from its extension ({@code .pdf} gives {@code application/pdf}; unknown extensions give
   * {@code application/octet-stream}).
   *
   * @param file a readable regular file
   * @return the attachment
   * @throws IllegalArgumentException if the file does not exist, is not a regular file or is not readable
   */
  public static Attachment ofFile(Path file) {
    Objects.requireNonNull(file, "file");
    Path name = file.getFileName();
    if (name == null) {
      throw new IllegalArgumentException("attachment file has no file name: " + file);
    }
    return ofFile(file, name.toString(), guessContentType(name.toString()));
  }

  /**
   * An attachment read from a file when the message is sent, with its own name and type.
   *
   * @param file a readable regular file
   * @param filename the file name shown to the recipient
   * @param contentType the MIME type
   * @return the attachment
   * @throws IllegalArgumentException if the file cannot be read, or the name or type is not valid
   */
  public static Attachment ofFile(Path file, String filename, String contentType) {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("attachment file does not exist or is not a regular file: " + file);
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("attachment file is not readable: " + file);
    }
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      size = -1;
    }
    return new Attachment(filename, contentType, () -> Files.newInputStream(file), file, size);
  }

  /**
   * An attachment whose content comes from a stream supplier, e.g. a PDF rendered on the fly. The
   * supplier is called once per send attempt.
   *
   * @param filename the file name shown to the recipient
   * @param contentType the MIME type
   * @param source opens a new stream over the content on every call
   * @return the attachment
   * @throws IllegalArgumentException if the name or type is not valid
   */
  public static Attachment ofStream(String filename, String contentType, Source source) {
    return new Attachment(filename, contentType, Objects.requireNonNull(source, "source"), null, -1);
  }

  /**
   * Guesses a content type from a file name's extension.
   *
   * @param filename the file name
   * @return the type, {@code application/octet-stream} when unknown
   */
  public static String guessContentType(String filename) {
    int dot = filename.lastIndexOf('.');
    String ext = dot < 0 ? "" : filename.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }

  /**
   * Returns the file name shown to the recipient.
   *
   * @return the file name
   */
  public String filename() {
    return filename;
  }

  /**
   * Returns the content type: the MIME type in lower case, followed by its RFC 2045 parameters if it was
   * given any, e.g. {@code text/calendar; method=REQUEST; charset=UTF-8}.
   *
   * @return the content type
   */
  public String contentType() {
    return contentType;
  }

  /**
   * Returns the size in bytes when known (bytes and files), empty for streams.
   *
   * @return the size
   */
  public OptionalLong size() {
    return size < 0 ? OptionalLong.empty() : OptionalLong.of(size);
  }

  /**
   * Returns the file the content is read from, for senders that can stream a file directly.
   *
   * @return the file, or empty for bytes and streams
   */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /**
   * Opens a new stream over the content. The caller closes it.
   *
   * @return the content
   * @throws IOException if the content cannot be read
   */
  public InputStream open() throws IOException {
    InputStream in = source.open();
    if (in == null) {
      throw new IOException("the content source of attachment " + Text.quote(filename) + " returned null");
    }
    return in;
  }

  @Override
  public String toString() {
    return "Attachment[" + Text.quote(filename) + ", " + contentType
        + (size >= 0 ? ", " + size + " bytes" : "") + "]";
  }

  private static String checkFilename(String filename) {
    Objects.requireNonNull(filename, "filename");
    Text.requireHeaderSafe("attachment filename", filename, true);
    String hiding = Text.hidingProblem("attachment filename", filename);
    if (hiding != null) {
      throw new IllegalArgumentException(hiding);
    }
    String f = filename.strip();
    if (f.isEmpty()) {
      throw new IllegalArgumentException("attachment filename must not be empty");
    }
    if (f.indexOf('/') >= 0 || f.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("attachment filename must be a plain name without '/' or '\\': "
          + Text.quote(filename));
    }
    if (f.equals(".") || f.equals("..")) {
      throw new IllegalArgumentException("attachment filename must be a file name: " + Text.quote(filename));
    }
    if (f.length() > 255) {
      throw new IllegalArgumentException("attachment filename must be at most 255 characters long: "
          + f.length());
    }
    return f;
  }

  private static String checkContentType(String contentType) {
    Objects.requireNonNull(contentType, "contentType");
    Text.requireHeaderSafe("attachment content type", contentType, true);
    return ContentTypes.parse("attachment content type", contentType).toString();
  }
}
