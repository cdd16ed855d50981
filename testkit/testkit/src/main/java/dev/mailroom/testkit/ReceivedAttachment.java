package dev.mailroom.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One attachment of a {@link ReceivedEmail} as the test server received it, decoded: file name, content
 * type and bytes. Immutable and thread-safe.
 */
public final class ReceivedAttachment {
  private final String filename;
  private final String contentType;
  private final byte[] bytes;

  ReceivedAttachment(String filename, String contentType, byte[] bytes) {
    this.filename = Objects.requireNonNull(filename, "filename");
    this.contentType = Objects.requireNonNull(contentType, "contentType");
    this.bytes = bytes.clone();
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
    return filename + " (" + contentType + ", " + bytes.length + " bytes)";
  }
}
