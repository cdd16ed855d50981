package dev.mailroom.http.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * A dialect's request with its body wrapped for progress tracking. Rather than a copy through
 * {@code HttpRequest.newBuilder(request, filter)}, which copies and checks every header once more (the
 * HTTP client copies and checks them anyway when it sends).
 */
final class TrackedRequest extends HttpRequest {
  private final HttpRequest request;
  private final Optional<BodyPublisher> body;

  TrackedRequest(HttpRequest request, BodyPublisher body) {
    this.request = request;
    this.body = Optional.of(body);
  }

  @Override
  public Optional<BodyPublisher> bodyPublisher() {
    return body;
  }

  @Override
  public String method() {
    return request.method();
  }

  @Override
  public Optional<Duration> timeout() {
    return request.timeout();
  }

  @Override
  public boolean expectContinue() {
    return request.expectContinue();
  }

  @Override
  public URI uri() {
    return request.uri();
  }

  @Override
  public Optional<HttpClient.Version> version() {
    return request.version();
  }

  @Override
  public HttpHeaders headers() {
    return request.headers();
  }
}
