package dev.mailroom;

import java.util.Objects;

/**
 * One attempt of a send, through one transport.
 *
 * @param send the send this attempt belongs to
 * @param attempt the attempt number, 1 for the first
 * @param transport the transport the attempt goes through
 */
public record AttemptEvent(SendEvent send, int attempt, Transport transport) {

  /**
   * Validates the components.
   *
   * @param send see the record component
   * @param attempt see the record component
   * @param transport see the record component
   * @throws IllegalArgumentException if {@code attempt} is below 1
   */
  public AttemptEvent {
    Objects.requireNonNull(send, "send");
    Objects.requireNonNull(transport, "transport");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
    }
  }
}
