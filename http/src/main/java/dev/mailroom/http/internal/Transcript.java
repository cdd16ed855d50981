package dev.mailroom.http.internal;

import dev.mailroom.internal.Redactor;
import dev.mailroom.internal.Sanitizer;
import dev.mailroom.spi.SendRequest;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP sender's DEBUG log and swaks-style transcript ({@code ->} sent, {@code <-} received): the
 * request line without the URL's query, the headers whose values are safe to show (every other value is
 * {@code ******}), never a body; of the response the status and the rate-limit and id headers. Every
 * value shown passes through the redactor and the sanitizer.
 */
final class Transcript {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSender.class);
  /** Headers whose values a transcript may show. */
  private static final Set<String> SHOWN_HEADERS = Set.of("content-type", "accept", "idempotency-key",
      "user-agent", "retry-after", "x-message-id", "content-length", "x-ratelimit-reset",
      "x-sib-ratelimit-reset", "ratelimit-reset");

  private final Consumer<String> consumer;
  private final Redactor redactor;
  private final String dialect;

  Transcript(Consumer<String> consumer, Redactor redactor, String dialect) {
    this.consumer = consumer;
    this.redactor = redactor;
    this.dialect = dialect;
  }

  /** Records a request about to be sent. */
  void request(SendRequest r, HttpRequest req) {
    if (LOG.isDebugEnabled()) {
      long length = req.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L);
      LOG.debug("-> {} {} ({} dialect, attempt {}, {} recipient(s), body {})", req.method(),
          safeUri(req.uri()), dialect, r.attempt(), r.envelopeRecipients().size(),
          length < 0 ? "streamed" : length + " bytes");
    }
    if (consumer != null) {
      consumer.accept("-> " + req.method() + " " + safeUri(req.uri()) + " HTTP/1.1");
      req.headers().map().forEach((name, values) -> {
        for (String v : values) {
          consumer.accept("-> " + name + ": " + shown(name, v));
        }
      });
      long length = req.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L);
      consumer.accept("-> (body " + (length < 0 ? "streamed" : length + " bytes") + ", not shown)");
    }
  }

  /** Records the status and the headers worth showing of a response. */
  void response(int status, HttpHeaders headers, String host, long bytesRead) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("<- HTTP {} from {} ({} bytes read)", status, host, bytesRead);
    }
    if (consumer != null) {
      consumer.accept("<- HTTP " + status);
      headers.map().forEach((name, values) -> {
        if (SHOWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
          values.forEach(v -> consumer.accept("<- " + name + ": " + shown(name, v)));
        }
      });
    }
  }

  private String shown(String header, String value) {
    return SHOWN_HEADERS.contains(header.toLowerCase(Locale.ROOT)) ? Sanitizer.clean(value, redactor, 200)
        : Redactor.MASK;
  }

  /** The URL without query (which may hold a key), for logs and messages. */
  static String safeUri(URI u) {
    return u.getScheme() + "://" + u.getRawAuthority() + (u.getRawPath() == null ? "" : u.getRawPath());
  }
}
