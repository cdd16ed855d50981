package dev.mailroom.internal;

import dev.mailroom.Failure;
import java.io.IOException;
import java.util.Objects;

/**
 * A token endpoint refused or could not be reached: the {@link IOException} an OAuth2 supplier throws, with
 * the classified {@link Failure} that senders and the diagnostics report instead of their generic "no
 * token" failure. Its message is the failure's message: no secret, the endpoint's answer redacted.
 */
public final class TokenEndpointException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Failure failure;

  /**
   * @param failure the classified failure
   */
  public TokenEndpointException(Failure failure) {
    super(Objects.requireNonNull(failure, "failure").message());
    this.failure = failure;
  }

  /** The classified failure (category {@code AUTHENTICATION}, or transient for an endpoint outage). */
  public Failure failure() {
    return failure;
  }

  /** A copy for another waiting caller, so that each caller gets its own stack trace. */
  TokenEndpointException copy() {
    return new TokenEndpointException(failure);
  }
}
