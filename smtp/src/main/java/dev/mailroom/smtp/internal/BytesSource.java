package dev.mailroom.smtp.internal;

import jakarta.activation.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A body part's bytes, already in their charset, so Angus needs no content handler lookup to write them. */
final class BytesSource implements DataSource {
  private final byte[] bytes;
  private final String type;

  BytesSource(byte[] bytes, String type) {
    this.bytes = bytes;
    this.type = type;
  }

  @Override
  public InputStream getInputStream() {
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    throw new IOException("read only");
  }

  @Override
  public String getContentType() {
    return type;
  }

  @Override
  public String getName() {
    return "body";
  }
}
