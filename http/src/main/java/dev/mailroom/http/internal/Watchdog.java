package dev.mailroom.http.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The read timeout of the HTTP sender, measured from the last progress of each exchange: one daemon thread
 * checks all running exchanges every tenth of the read timeout (10 to 100 ms), so no thread is woken per
 * request; when an exchange made no progress for the read timeout (before the connection is up: the
 * connect timeout plus the read timeout), it interrupts the caller, which makes the HTTP client cancel the
 * exchange. The thread stops after 10 s without exchanges and starts again with the next one. Thread-safe.
 */
final class Watchdog {
  private static final long IDLE_SWEEPER_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final ScheduledThreadPoolExecutor executor;
  private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final long readNanos;
  private final long connectNanos;
  private final long sweepNanos;
  private volatile long lastActiveNanos;

  Watchdog(ThreadFactory threads, Duration connectTimeout, Duration readTimeout) {
    this.executor = new ScheduledThreadPoolExecutor(1, threads);
    this.readNanos = readTimeout.toNanos();
    this.connectNanos = connectTimeout.toNanos();
    this.sweepNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
        Math.min(TimeUnit.MILLISECONDS.toNanos(100), readNanos / 10));
    executor.setKeepAliveTime(30, TimeUnit.SECONDS);
    executor.allowCoreThreadTimeOut(true);
  }

  /** How often exchanges are checked. */
  long sweepNanos() {
    return sweepNanos;
  }

  /** Runs {@code task} after one sweep period; false when the watchdog is closed. */
  boolean later(Runnable task) {
    try {
      executor.schedule(task, sweepNanos, TimeUnit.NANOSECONDS);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** Starts watching an exchange run by the calling thread. */
  Watch watch(Progress progress) {
    Watch w = new Watch(Thread.currentThread(), progress);
    watches.add(w);
    lastActiveNanos = System.nanoTime();
    if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
      scheduleSweep();
    }
    return w;
  }

  /** Ends every exchange still running (the sender is closing). */
  void abortAll() {
    for (Watch w : watches) {
      w.abort();
    }
  }

  void close() {
    executor.shutdownNow();
  }

  /**
   * Watches one exchange. States: running, done (the caller finished first), timing out (the watchdog
   * decided), interrupted (the watchdog has interrupted the caller). The caller never leaves with an
   * interrupt that the watchdog set.
   */
  final class Watch {
    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int TIMING_OUT = 2;
    private static final int INTERRUPTED = 3;

    private final Thread caller;
    private final Progress progress;
    private final AtomicInteger state = new AtomicInteger(RUNNING);

    private Watch(Thread caller, Progress progress) {
      this.caller = caller;
      this.progress = progress;
    }

    /** Called by the watchdog thread. */
    void check(long now) {
      if (state.get() != RUNNING) {
        return;
      }
      long deadline = progress.subscribed ? progress.lastNanos() + readNanos
          : progress.startNanos + connectNanos + readNanos;
      if (now - deadline >= 0 && state.compareAndSet(RUNNING, TIMING_OUT)) {
        caller.interrupt();
        state.set(INTERRUPTED);
      }
    }

    /** Stops the exchange because the sender is closed. */
    void abort() {
      if (state.compareAndSet(RUNNING, TIMING_OUT)) {
        caller.interrupt();
        state.set(INTERRUPTED);
      }
    }

    /** Ends the watch; returns true if the watchdog timed the exchange out (its interrupt is cleared). */
    boolean finish() {
      watches.remove(this);
      if (state.compareAndSet(RUNNING, DONE)) {
        return false;
      }
      while (state.get() != INTERRUPTED) {
        Thread.onSpinWait();
      }
      Thread.interrupted();
      return true;
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Watch w : watches) {
      w.check(now);
    }
    if (watches.isEmpty() && now - lastActiveNanos > IDLE_SWEEPER_NANOS) {
      sweeping.set(false);
      // an exchange that started meanwhile either sees the flag down and restarts the sweeper, or is seen here
      if (watches.isEmpty() || !sweeping.compareAndSet(false, true)) {
        return;
      }
    }
    scheduleSweep();
  }

  private void scheduleSweep() {
    if (!later(this::sweep)) {
      sweeping.set(false); // closed
    }
  }
}
