package dev.mailroom.internal;

import dev.mailroom.SendLimiter;
import dev.mailroom.SendingLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The in-memory {@link SendLimiter}: exact sliding windows. At most N messages in any 60 seconds (a new
 * message gets the first slot 60 s after the N-th last one; slots are handed out in the order callers
 * ask, never earlier than an earlier caller's); the daily limits count the messages and recipients of the
 * last 24 hours (by slot time) and refuse what would exceed them, saying when enough of them age out.
 */
public final class WindowLimiter implements SendLimiter {
  private static final long MINUTE = 60_000L;
  private static final long DAY = 86_400_000L;

  private final SendingLimits limits;
  private final Clock clock;
  private final Deque<Long> minute = new ArrayDeque<>(); // slot times of the last N messages
  private final Deque<long[]> day = new ArrayDeque<>();  // {slot time, recipients} of the last 24 hours
  private long dayRecipients;
  private long lastSlot = Long.MIN_VALUE;

  public WindowLimiter(SendingLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public synchronized Reservation reserve(int recipients) {
    if (recipients < 1) {
      throw new IllegalArgumentException("recipients must be at least 1: " + recipients);
    }
    long now = clock.millis();
    long slot = Math.max(now, lastSlot);
    String waitLimit = "";
    if (limits.messagesPerMinute().isPresent()) {
      int n = limits.messagesPerMinute().getAsInt();
      while (minute.size() > n) {
        minute.removeFirst();
      }
      if (minute.size() == n && minute.peekFirst() + MINUTE > slot) {
        slot = minute.peekFirst() + MINUTE;
        waitLimit = n + " messages per minute";
      }
    }
    // the daily windows, seen from the slot's time
    while (!day.isEmpty() && day.peekFirst()[0] + DAY <= slot) {
      dayRecipients -= day.removeFirst()[1];
    }
    if (limits.messagesPerDay().isPresent() && day.size() + 1 > limits.messagesPerDay().getAsInt()) {
      int max = limits.messagesPerDay().getAsInt();
      long free = freeAt(day.size() + 1 - max, 0, 0);
      return Reservation.refused(Duration.ofMillis(Math.max(1, free - now)), max + " messages per day");
    }
    if (limits.recipientsPerDay().isPresent() && dayRecipients + recipients > limits.recipientsPerDay().getAsInt()) {
      int max = limits.recipientsPerDay().getAsInt();
      long free = recipients > max ? slot + DAY : freeAt(0, dayRecipients + recipients - max, 1);
      return Reservation.refused(Duration.ofMillis(Math.max(1, free - now)), max + " recipients per day");
    }
    minute.addLast(slot);
    if (limits.messagesPerMinute().isPresent() && minute.size() > limits.messagesPerMinute().getAsInt()) {
      minute.removeFirst();
    }
    day.addLast(new long[] {slot, recipients});
    dayRecipients += recipients;
    lastSlot = slot;
    return Reservation.after(Duration.ofMillis(slot - now), waitLimit);
  }

  /** When the oldest entries have freed {@code messages} messages or {@code recipients} recipients. */
  private long freeAt(int messages, long recipients, int byRecipients) {
    long freedMessages = 0;
    long freedRecipients = 0;
    for (long[] e : day) {
      freedMessages++;
      freedRecipients += e[1];
      if (byRecipients == 0 ? freedMessages >= messages : freedRecipients >= recipients) {
        return e[0] + DAY;
      }
    }
    return lastSlot + DAY;
  }

  @Override
  public String toString() {
    return "SendLimiter.of(" + limits + ")";
  }
}
