package dev.mailroom.http.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of one HTTP sender: a pool for the HTTP client's work, a pool for streamed request bodies
 * and the {@link Watchdog}'s thread, all daemons named {@code mailroom-http-N-...}, and the HTTP client's
 * executor ({@link #clientExecutor()}). Thread-safe.
 */
final class ClientThreads {
  private static final Logger LOG = LoggerFactory.getLogger(ClientThreads.class);
  private static final AtomicInteger SENDERS = new AtomicInteger();
  private static final int MAX_BODY_WRITERS = 64;

  private final ThreadPoolExecutor clientPool;
  private final ThreadPoolExecutor writerPool;
  private final ThreadFactory watchdogThreads;
  /** Exchanges in flight whose request body is not all in memory (see {@link #clientExecutor()}). */
  private final AtomicInteger streamedExchanges = new AtomicInteger();
  private final boolean neverInline;

  /**
   * @param maxConnections the mailer's connection limit, for the size of the client pool
   * @param https whether the server URL is https (work stays off the selector thread when revocation is
   *     checked)
   */
  ClientThreads(int maxConnections, boolean https) {
    int n = SENDERS.incrementAndGet();
    int clientThreads = Math.max(8, Math.min(16, maxConnections * 2));
    this.clientPool = pool("mailroom-http-" + n + "-client-", clientThreads);
    this.writerPool = pool("mailroom-http-" + n + "-body-", MAX_BODY_WRITERS);
    this.watchdogThreads = daemon("mailroom-http-" + n + "-watchdog-");
    this.neverInline = https && Boolean.getBoolean("com.sun.net.ssl.checkRevocation");
  }

  /** The thread factory of the watchdog. */
  ThreadFactory watchdogThreads() {
    return watchdogThreads;
  }

  /** Where streamed request bodies are written. */
  Executor writers() {
    return writerPool;
  }

  /**
   * The HTTP client's executor. The client runs its work inline on the thread that causes it, except on its
   * selector thread (the one that waits for the network), from which it hands work here: starting to write a
   * request, reading an answer, about four hand-overs per request. Handing each to a pool thread costs a
   * thread wake-up, more CPU than the rest of a small exchange on a fast network, and on a busy machine a
   * wait for a processor each time (see http/bench/RESULTS.md).
   *
   * <p>The client's own code never blocks; the selector thread must only never wait for anything else. So
   * while every exchange in flight has its request body in memory ({@link Bodies#inMemory}; the response is
   * read by {@link BoundedBody}, which only copies), the work runs here on the selector thread. While an
   * exchange with any other body is in flight (a file, a stream, a body writer, a plugin dialect's
   * publisher), whose reading may block, all work goes to the pool, as with the JDK's default executor.
   * The count is raised before such an exchange starts ({@link #streamedStarted()}), so none of its work can
   * run on the selector thread, and lowered when the client asks nothing more of its body
   * ({@link #streamedEnded}).
   *
   * <p>With https the TLS work then runs on the selector thread too (decrypting; on a new connection the
   * handshake's certificate checks): processor work without waiting, except when the JVM is set to check
   * certificate revocation ({@code com.sun.net.ssl.checkRevocation}), which may fetch revocation lists or
   * OCSP answers during a handshake: then all work goes to the pool.
   *
   * <p>A failure of a task is logged, never thrown: the JDK's selector thread takes an exception from its
   * executor as a refusal and shuts the client down.
   */
  Executor clientExecutor() {
    return task -> {
      if (neverInline || streamedExchanges.get() > 0) {
        clientPool.execute(task);
        return;
      }
      try {
        task.run();
      } catch (Throwable t) { // NOPMD: as a pool thread would end, without taking the client down
        LOG.warn("A task of the HTTP client failed: {}", t.getClass().getName());
      }
    };
  }

  /** A streamed exchange is about to start. */
  void streamedStarted() {
    streamedExchanges.incrementAndGet();
  }

  /**
   * A streamed exchange ended. With an answer, its body was complete (the JDK client reads the answer only
   * after the whole body): it counts no more at once. After a failure the client has stopped its writer when
   * {@code send} returns, but a write task that was already running may still ask the body for more: it
   * counts for one more sweep period of {@code watchdog}, so that such a request for more can only go to the
   * pool.
   */
  void streamedEnded(boolean answered, Watchdog watchdog) {
    if (!answered && watchdog.later(streamedExchanges::decrementAndGet)) {
      return;
    }
    streamedExchanges.decrementAndGet();
  }

  /** Stops the body writers at once and the client pool after at most 200 ms. */
  void close() {
    writerPool.shutdownNow();
    clientPool.shutdown();
    try {
      // an exchange cancelled by a timeout may still have a task waiting for the server; do not wait for it
      if (!clientPool.awaitTermination(200, TimeUnit.MILLISECONDS)) {
        clientPool.shutdownNow();
      }
    } catch (InterruptedException e) {
      clientPool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadPoolExecutor pool(String prefix, int threads) {
    ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemon(prefix), new ThreadPoolExecutor.DiscardPolicy());
    p.allowCoreThreadTimeOut(true);
    return p;
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
