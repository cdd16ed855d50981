package dev.mailroom.http.internal;

import dev.mailroom.internal.TlsPolicy;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JDK {@link HttpClient} per way of trusting servers and connect timeout, shared by every HTTP sender
 * of the JVM (issue 11: no leaks under churn). On Java 17 an {@code HttpClient} cannot be closed: its
 * selector thread and its pooled sockets live until the client is garbage collected, so a client per
 * {@code Mailer} kept a thread and sockets for every mailer ever opened, closed or not, until a GC (30
 * open/send/close cycles: +30 threads and +120 file descriptors). A sender only borrows the shared client;
 * closing it ends the sender's own threads at once, and the next sender to the same server reuses the
 * pooled connection. At most {@value #MAX_CLIENTS} clients are kept; one pushed out is left to the garbage
 * collector once no sender uses it.
 *
 * <p>The client's executor: the client runs its work inline on the thread that causes it, except on its
 * selector thread (the one that waits for the network), from which it hands work here: starting to write a
 * request, reading an answer, about four hand-overs per request. Handing each to a pool thread costs a
 * thread wake-up, more CPU than the rest of a small exchange on a fast network, and on a busy machine a
 * wait for a processor each time (see http/bench/RESULTS.md). The client's own code never blocks; the
 * selector thread must only never wait for anything else. So while every exchange in flight has its
 * request body in memory ({@link Bodies#inMemory}; the response is read by {@link BoundedBody}, which only
 * copies), the work runs on the selector thread. While an exchange with any other body is in flight (a
 * file, a stream, a body writer, a plugin dialect's publisher), whose reading may block, all work goes to
 * the pool, as with the JDK's default executor. The count is raised before such an exchange starts
 * ({@link #streamedStarted()}) and lowered when the client asks nothing more of its body. With https the
 * TLS work runs on the selector thread too, except when the JVM is set to check certificate revocation
 * ({@code com.sun.net.ssl.checkRevocation}), which may fetch revocation lists during a handshake: then all
 * work goes to the pool. A failure of a task is logged, never thrown: the JDK's selector thread takes an
 * exception from its executor as a refusal and shuts the client down.
 *
 * <p>Thread-safe.
 */
final class SharedClient {
  private static final Logger LOG = LoggerFactory.getLogger(SharedClient.class);
  private static final int MAX_CLIENTS = 8;
  private static final int POOL_THREADS = 16;
  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final Map<Key, SharedClient> CLIENTS = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, SharedClient> eldest) {
      return size() > MAX_CLIENTS;
    }
  };

  /** The TLS context by identity: the policy's two contexts, or the one the application set as the default. */
  private record Key(SSLContext tls, Duration connectTimeout, boolean neverInline) {}

  /** The client. */
  final HttpClient client;
  /** Exchanges in flight whose request body is not all in memory. */
  private final AtomicInteger streamedExchanges = new AtomicInteger();
  private final ThreadPoolExecutor pool;
  private final boolean neverInline;

  private SharedClient(Key key) {
    int n = COUNT.incrementAndGet();
    this.neverInline = key.neverInline();
    // idle pool threads end after 2 s: a closed mailer leaves none behind for long
    this.pool = new ThreadPoolExecutor(POOL_THREADS, POOL_THREADS, 2, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), ClientThreads.daemon("mailroom-http-client-" + n + "-"),
        new ThreadPoolExecutor.DiscardPolicy());
    pool.allowCoreThreadTimeOut(true);
    SSLContext tls = key.tls();
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(key.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .sslContext(tls)
        .sslParameters(TlsPolicy.clientParameters(tls))
        .executor(this::execute);
    ProxySelector proxies = ProxySelector.getDefault();
    if (proxies != null) {
      b.proxy(proxies);
    }
    this.client = b.build();
  }

  /**
   * Returns the shared client for these settings, made on first use.
   *
   * @param verify whether certificates are verified
   * @param connectTimeout the connect timeout
   * @param https whether the server is https (with revocation checks, work stays off the selector thread)
   */
  static synchronized SharedClient get(boolean verify, Duration connectTimeout, boolean https) {
    Key key = new Key(TlsPolicy.context(verify, null), connectTimeout,
        https && Boolean.getBoolean("com.sun.net.ssl.checkRevocation"));
    return CLIENTS.computeIfAbsent(key, SharedClient::new);
  }

  private void execute(Runnable task) {
    if (neverInline || streamedExchanges.get() > 0) {
      pool.execute(task);
      return;
    }
    try {
      task.run();
    } catch (Throwable t) { // NOPMD: as a pool thread would end, without taking the client down
      LOG.warn("A task of the HTTP client failed: {}", t.getClass().getName());
    }
  }

  /** A streamed exchange is about to start: until it ends, no work of the client runs inline. */
  void streamedStarted() {
    streamedExchanges.incrementAndGet();
  }

  /** A streamed exchange ended. */
  void streamedEnded() {
    streamedExchanges.decrementAndGet();
  }
}
