package dev.mailroom;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the time of one attempt went, as far as the sender measured it. Each phase is empty when it did
 * not happen in this attempt (e.g. no connecting on a reused connection) or the sender does not report it.
 *
 * @param connection whether the attempt opened a new connection or reused one
 * @param connect the time to open the TCP connection
 * @param tls the time of the TLS handshake (SSL/TLS from the first byte, or STARTTLS)
 * @param signIn the time spent signing in
 * @param transfer the time spent handing the message over, from the first command of the message to the
 *     server's final answer
 */
public record AttemptTimings(
    ConnectionUse connection,
    Optional<Duration> connect,
    Optional<Duration> tls,
    Optional<Duration> signIn,
    Optional<Duration> transfer) {

  private static final AttemptTimings UNKNOWN = new AttemptTimings(ConnectionUse.UNKNOWN, Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * Validates the components.
   *
   * @param connection see the record component
   * @param connect see the record component
   * @param tls see the record component
   * @param signIn see the record component
   * @param transfer see the record component
   */
  public AttemptTimings {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(connect, "connect");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(signIn, "signIn");
    Objects.requireNonNull(transfer, "transfer");
  }

  /**
   * Returns timings that say nothing: the sender measured nothing.
   *
   * @return the empty timings
   */
  public static AttemptTimings unknown() {
    return UNKNOWN;
  }
}
