package dev.mailroom.http.internal;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one HTTP sender: a pool for streamed request bodies and the {@link Watchdog}'s thread,
 * daemons named {@code mailroom-http-N-...} that end when the sender is closed (or, for a sender never
 * closed, after a few seconds without work), and the {@link SharedClient} it borrows. Thread-safe.
 */
final class ClientThreads {
  private static final AtomicInteger SENDERS = new AtomicInteger();
  private static final int MAX_BODY_WRITERS = 64;

  private final SharedClient shared;
  private final ThreadPoolExecutor writerPool;
  private final ThreadFactory watchdogThreads;

  /**
   * @param https whether the server URL is https (the client's work stays off its selector thread when
   *     revocation is checked)
   * @param verify whether certificates are verified
   * @param connectTimeout the settings' connect timeout
   */
  ClientThreads(boolean https, boolean verify, Duration connectTimeout) {
    int n = SENDERS.incrementAndGet();
    this.shared = SharedClient.get(verify, connectTimeout, https);
    this.writerPool = pool("mailroom-http-" + n + "-body-", MAX_BODY_WRITERS);
    this.watchdogThreads = daemon("mailroom-http-" + n + "-watchdog-");
  }

  /** The HTTP client, shared with the senders that trust servers the same way. */
  HttpClient client() {
    return shared.client;
  }

  /** The thread factory of the watchdog. */
  ThreadFactory watchdogThreads() {
    return watchdogThreads;
  }

  /** Where streamed request bodies are written. */
  Executor writers() {
    return writerPool;
  }

  /** A streamed exchange is about to start (see {@link SharedClient}). */
  void streamedStarted() {
    shared.streamedStarted();
  }

  /**
   * A streamed exchange ended. With an answer, its body was complete (the JDK client reads the answer only
   * after the whole body): it counts no more at once. After a failure the client has stopped its writer when
   * {@code send} returns, but a write task that was already running may still ask the body for more: it
   * counts for one more sweep period of {@code watchdog}, so that such a request for more can only go to the
   * pool.
   */
  void streamedEnded(boolean answered, Watchdog watchdog) {
    if (!answered && watchdog.later(shared::streamedEnded)) {
      return;
    }
    shared.streamedEnded();
  }

  /** Stops the body writers at once; the shared client and its pool stay for the other senders. */
  void close() {
    writerPool.shutdownNow();
  }

  private static ThreadPoolExecutor pool(String prefix, int threads) {
    ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 5, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemon(prefix), new ThreadPoolExecutor.DiscardPolicy());
    p.allowCoreThreadTimeOut(true);
    return p;
  }

  static ThreadFactory daemon(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
