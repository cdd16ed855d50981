package dev.mailroom;

import java.time.Duration;
import java.util.Objects;

/**
 * A connection to a mail server was opened or closed.
 *
 * @param transport the transport the connection belongs to
 * @param connectionId a number that identifies the connection within its sender, for matching the two
 *     events
 * @param open how long the connection has been open: {@link Duration#ZERO} when opened
 * @param messages how many messages went over it: 0 when opened
 */
public record ConnectionEvent(Transport transport, long connectionId, Duration open, int messages) {

  /**
   * Validates the components.
   *
   * @param transport see the record component
   * @param connectionId see the record component
   * @param open see the record component
   * @param messages see the record component
   */
  public ConnectionEvent {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(open, "open");
    if (messages < 0) {
      throw new IllegalArgumentException("messages must not be negative: " + messages);
    }
  }
}
