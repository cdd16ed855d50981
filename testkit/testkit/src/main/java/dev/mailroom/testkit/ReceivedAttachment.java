package dev.mailroom.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * One attachment of a {@link ReceivedEmail} as the test server received it, decoded: file name, content
 * type and bytes, and for an inline image the content id the HTML shows it by. Immutable and thread-safe.
 */
public final class ReceivedAttachment {
  private final String filename;
  private final String contentType;
  private final byte[] bytes;
  private final String contentId;

  ReceivedAttachment(String filename, String contentType, byte[] bytes, String contentId) {
    this.filename = Objects.requireNonNull(filename, "filename");
    this.contentType = Objects.requireNonNull(contentType, "contentType");
    this.bytes = bytes.clone();
    this.contentId = contentId == null || contentId.isBlank() ? null : contentId;
  }

  /**
   * Returns the content id of an inline image, what the HTML shows it by ({@code cid:logo}), without angle
   * brackets: from a MIME part's {@code Content-ID} with disposition inline, or an API's inline attachment
   * (Microsoft Graph's {@code isInline} and {@code contentId}).
   *
   * @return the content id, or empty for an ordinary attachment
   */
  public Optional<String> contentId() {
    return Optional.ofNullable(contentId);
  }

  /**
   * Returns the file name, decoded (RFC 2231 and RFC 2047), e.g. {@code INV-1.pdf}.
   *
   * @return the file name; empty when the sender gave none
   */
  public String filename() {
    return filename;
  }

  /**
   * Returns the content type without parameters, in lower case, e.g. {@code application/pdf}.
   *
   * @return the content type
   */
  public String contentType() {
    return contentType;
  }

  /**
   * Returns a copy of the decoded content.
   *
   * @return the bytes
   */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * Returns the size of the decoded content.
   *
   * @return the size in bytes
   */
  public int size() {
    return bytes.length;
  }

  /**
   * Returns the content as UTF-8 text, for text attachments.
   *
   * @return the text
   */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return filename + " (" + contentType + ", " + bytes.length + " bytes" + (contentId == null ? ""
        : ", inline as cid:" + contentId) + ")";
  }
}
