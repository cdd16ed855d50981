package dev.mailroom.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The received-mail list behind every {@link MailSink}: append from any thread, wait with wait/notify. */
final class Inbox {
  private final List<ReceivedEmail> emails = new ArrayList<>();

  synchronized void add(ReceivedEmail e) {
    emails.add(Objects.requireNonNull(e));
    notifyAll();
  }

  synchronized List<ReceivedEmail> all() {
    return List.copyOf(emails);
  }

  synchronized void clear() {
    emails.clear();
  }

  synchronized List<ReceivedEmail> await(int count, Duration timeout, String where) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1: " + count);
    }
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (emails.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw AssertionFailures.failure("expected " + count + " email(s) at " + where + " within "
            + timeout.toMillis() + " ms, but " + emails.size() + " arrived: " + emails);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw AssertionFailures.failure("interrupted while waiting for email at " + where);
      }
    }
    return List.copyOf(emails);
  }

  synchronized void assertEmpty(String where) {
    if (!emails.isEmpty()) {
      throw AssertionFailures.failure("expected no email at " + where + ", but " + emails.size() + " arrived: "
          + emails);
    }
  }
}
