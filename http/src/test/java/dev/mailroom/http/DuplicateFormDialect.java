package dev.mailroom.http;

import dev.mailroom.spi.SendRequest;
import java.net.http.HttpRequest;

/** A plugin that claims the id of a built-in dialect; it must be skipped with a warning. */
public final class DuplicateFormDialect implements HttpDialect {
  @Override
  public String id() {
    return "form";
  }

  @Override
  public HttpRequest request(SendRequest request, Context context) {
    throw new AssertionError("the duplicate form dialect must never be used");
  }
}
