package dev.mailroom.internal;

import dev.mailroom.AccessTokenSupplier;
import dev.mailroom.Failure;
import dev.mailroom.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.StringJoiner;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AccessTokenSupplier} that gets its token from an OAuth2 token endpoint and renews it itself:
 * cached until shortly before expiry, renewed once for all concurrent callers (the others wait and share
 * the result), transient endpoint failures retried with backoff, a refused token forgotten on
 * {@link #invalidate(Secret)}.
 */
public final class RenewingToken implements AccessTokenSupplier {
  private static final Logger LOG = LoggerFactory.getLogger(RenewingToken.class);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  static final int ATTEMPTS = 3;
  static final long[] BACKOFF_MILLIS = {500, 1000};
  static final long MAX_RETRY_AFTER_MILLIS = 10_000;
  private static final int MAX_ANSWER_BYTES = 64 * 1024;
  private static final long MAX_MARGIN_NANOS = Duration.ofMinutes(5).toNanos();

  private final TokenGrants.Grant grant;
  private final Object lock = new Object();
  private volatile Token current;
  /** Renewals finished so far (written under {@link #lock}); a waiter that sees it move shares the result. */
  private volatile long renewals;
  private TokenEndpointException lastFailure;
  private HttpClient client;

  /** A token and when to renew it. */
  private static final class Token {
    final Secret value;
    final long renewAtNanos;
    final long expiresAtNanos;

    Token(Secret value, long renewAtNanos, long expiresAtNanos) {
      this.value = value;
      this.renewAtNanos = renewAtNanos;
      this.expiresAtNanos = expiresAtNanos;
    }
  }

  /**
   * @param grant what to ask the token endpoint
   */
  public RenewingToken(TokenGrants.Grant grant) {
    this.grant = Objects.requireNonNull(grant, "grant");
  }

  @Override
  public Secret accessToken() throws IOException {
    Token t = current;
    long now = System.nanoTime();
    if (t != null && now - t.renewAtNanos < 0) {
      return t.value;
    }
    long seen = renewals;
    // a caller that arrives while another renews waits here, then uses that renewal's token or failure
    synchronized (lock) {
      t = current;
      now = System.nanoTime();
      if (t != null && now - t.renewAtNanos < 0) {
        return t.value;
      }
      if (renewals != seen && lastFailure != null) {
        throw lastFailure.copy();
      }
      try {
        Token fresh = fetch();
        current = fresh;
        lastFailure = null;
        return fresh.value;
      } catch (TokenEndpointException e) {
        lastFailure = e;
        if (t != null && now - t.expiresAtNanos < 0 && e.failure().isTransient()) {
          LOG.warn("Could not renew the OAuth2 access token at {} ({}); the current one is still valid and"
              + " is used until it expires", grant.endpoint().uri().getHost(), e.failure().category());
          return t.value;
        }
        throw e;
      } finally {
        renewals++;
      }
    }
  }

  @Override
  public void invalidate(Secret token) {
    synchronized (lock) {
      Token t = current;
      if (t != null && t.value.equals(token)) {
        current = null;
        LOG.debug("A server refused the OAuth2 access token from {}; the next send gets a new one",
            grant.endpoint().uri().getHost());
      }
    }
  }

  /** Asks the endpoint, retrying transient failures. Called with the lock held. */
  private Token fetch() throws TokenEndpointException {
    URI uri = grant.endpoint().uri();
    String host = uri.getHost();
    int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    TokenEndpointException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      long waitMillis = attempt == 1 ? 0 : BACKOFF_MILLIS[Math.min(attempt - 2, BACKOFF_MILLIS.length - 1)];
      if (last != null && last.failure().retryAfter().isPresent()) {
        waitMillis = Math.min(MAX_RETRY_AFTER_MILLIS, Math.max(waitMillis, last.failure().retryAfter().get().toMillis()));
      }
      if (waitMillis > 0) {
        try {
          Thread.sleep(waitMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw last;
        }
      }
      try {
        return once(uri, host, port);
      } catch (TokenEndpointException e) {
        last = e;
        if (!e.failure().isTransient()) {
          throw e;
        }
        LOG.debug("The OAuth2 token endpoint {} failed (attempt {} of {}): {}", host, attempt, ATTEMPTS,
            e.failure().category());
      }
    }
    throw last;
  }

  private Token once(URI uri, String host, int port) throws TokenEndpointException {
    Map<String, String> form;
    try {
      form = grant.form();
    } catch (IOException e) {
      throw new TokenEndpointException(OAuth2Failures.noToken(host, port, "the request could not be made: "
          + e.getMessage()).transientFailure(false).build());
    }
    StringJoiner body = new StringJoiner("&");
    form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
        .build();
    long started = System.nanoTime();
    int status;
    String text;
    java.net.http.HttpHeaders headers;
    try {
      HttpResponse<InputStream> r = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
      status = r.statusCode();
      headers = r.headers();
      try (InputStream in = r.body()) {
        text = new String(in.readNBytes(MAX_ANSWER_BYTES), StandardCharsets.UTF_8);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenEndpointException(OAuth2Failures.unreachable(new IOException("interrupted"), host, port,
          true).transientFailure(false).build());
    } catch (IOException e) {
      Failure.Builder b = OAuth2Failures.unreachable(unwrap(e), host, port, uri.getScheme().equals("https"));
      if (!(NetworkFailures.find(e, SSLException.class) != null && !(e instanceof HttpTimeoutException))) {
        b.transientFailure(true);
      }
      throw new TokenEndpointException(b.build());
    }
    Map<String, String> answer;
    try {
      answer = TokenJson.readObject(text);
    } catch (IOException e) {
      answer = Map.of();
    }
    if (status != 200) {
      Duration retryAfter = headers.firstValue("Retry-After").flatMap(v -> {
        try {
          return java.util.Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim()))));
        } catch (NumberFormatException e) {
          return java.util.Optional.empty();
        }
      }).orElse(null);
      Redactor redactor = Redactor.of(grant.secrets().stream().filter(x -> x != null && !x.isEmpty())
          .toArray(String[]::new));
      throw new TokenEndpointException(OAuth2Failures.refused(status, answer, host, port, retryAfter,
          redactor).build());
    }
    String token = answer.getOrDefault("access_token", "");
    if (token.isBlank() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new TokenEndpointException(OAuth2Failures.noToken(host, port, token.isBlank()
          ? "no access_token" : "the access_token is not printable ASCII").build());
    }
    String type = answer.getOrDefault("token_type", "Bearer");
    if (!type.toLowerCase(Locale.ROOT).equals("bearer")) {
      throw new TokenEndpointException(OAuth2Failures.noToken(host, port, "token_type "
          + Text.sanitize(type, 20) + " is not Bearer").build());
    }
    long lifetimeSeconds = seconds(answer.get("expires_in")).orElse(3600);
    lifetimeSeconds = Math.max(1, Math.min(lifetimeSeconds, 86_400));
    long lifetime = Duration.ofSeconds(lifetimeSeconds).toNanos();
    long margin = Math.min(MAX_MARGIN_NANOS, lifetime / 10);
    String refresh = answer.get("refresh_token");
    if (refresh != null && !refresh.isBlank()) {
      grant.refreshTokenIssued(Secret.of(refresh));
    }
    LOG.debug("Got an OAuth2 access token ({}) from {}, valid for {} s", grant.kind(), host, lifetimeSeconds);
    return new Token(Secret.of(token), started + lifetime - margin, started + lifetime);
  }

  private static OptionalLong seconds(String s) {
    if (s == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static IOException unwrap(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return e;
    }
    ConnectException c = NetworkFailures.find(e, ConnectException.class);
    return c != null && !(e instanceof ConnectException) ? c : e;
  }

  private synchronized HttpClient client() {
    if (client == null) {
      client = HttpClient.newBuilder()
          .connectTimeout(CONNECT_TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .version(HttpClient.Version.HTTP_1_1)
          .build();
    }
    return client;
  }

  @Override
  public String toString() {
    return "OAuth2 token supplier (" + grant + ")";
  }
}
