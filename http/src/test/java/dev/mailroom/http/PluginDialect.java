package dev.mailroom.http;

import dev.mailroom.spi.SendRequest;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A dialect as a plugin author would write one, registered in the test resources'
 * {@code META-INF/services}: a plain-text API at {@code api.acme.example}. Its {@code X-Subject} header
 * copies the subject, and {@code X-Inject} puts a line break into a header when the subject asks for it.
 */
public final class PluginDialect implements HttpDialect {
  @Override
  public String id() {
    return "acme-api";
  }

  @Override
  public boolean matchesHost(String host) {
    return host.equals("api.acme.example");
  }

  @Override
  public HttpRequest request(SendRequest request, Context context) {
    HttpRequest.Builder b = context.newRequest("/acme/send")
        .header("Content-Type", "text/plain; charset=utf-8")
        .header("X-Subject", request.email().subject());
    if (request.email().subject().equals("inject")) {
      b.header("X-Inject", "a\r\nX-Evil: 1");
    }
    return b.POST(HttpRequest.BodyPublishers.ofString(
        "to=" + request.envelopeRecipients().get(0).email(), StandardCharsets.UTF_8)).build();
  }

  @Override
  public Optional<String> messageId(Response response) {
    return response.header("X-Acme-Id");
  }
}
