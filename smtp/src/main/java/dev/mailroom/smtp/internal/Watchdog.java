package dev.mailroom.smtp.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared daemon thread that enforces write timeouts (a socket write that blocks past its deadline has
 * its socket closed) and closes idle pooled connections. The thread runs only while something is
 * registered: it starts with the first registration and ends when the last task is removed, so no thread
 * outlives the last open connection.
 */
final class Watchdog {
  private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
  static final Watchdog SHARED = new Watchdog(TimeUnit.MILLISECONDS.toNanos(100));

  /** Something the watchdog checks about every tick. */
  interface Task {
    /**
     * Checks deadlines. Must be quick and must not block on network I/O.
     *
     * @param now {@link System#nanoTime()}
     */
    void tick(long now);
  }

  private final long periodNanos;
  private final Object lock = new Object();
  private final Set<Task> tasks = new LinkedHashSet<>();
  private Thread thread;
  private int started;

  Watchdog(long periodNanos) {
    this.periodNanos = periodNanos;
  }

  void register(Task task) {
    synchronized (lock) {
      tasks.add(task);
      if (thread == null) {
        Thread t = new Thread(this::run, "mailroom-smtp-watchdog-" + (++started));
        t.setDaemon(true);
        thread = t;
        t.start();
      }
    }
  }

  void unregister(Task task) {
    Thread ending = null;
    synchronized (lock) {
      if (!tasks.remove(task)) {
        return;
      }
      if (tasks.isEmpty() && thread != null) {
        ending = thread;
        thread = null;
        lock.notifyAll();
      }
    }
    if (ending != null && ending != Thread.currentThread()) {
      try {
        ending.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether the watchdog thread is running (for tests). */
  boolean isRunning() {
    synchronized (lock) {
      return thread != null;
    }
  }

  private void run() {
    Thread me = Thread.currentThread();
    List<Task> snapshot = new ArrayList<>();
    while (true) {
      synchronized (lock) {
        if (thread != me) {
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, periodNanos);
        } catch (InterruptedException e) {
          // only the watchdog itself decides when to stop
        }
        if (thread != me) {
          return;
        }
        snapshot.clear();
        snapshot.addAll(tasks);
      }
      long now = System.nanoTime();
      for (Task t : snapshot) {
        try {
          t.tick(now);
        } catch (RuntimeException e) {
          LOG.debug("Watchdog task failed", e);
        }
      }
    }
  }
}
