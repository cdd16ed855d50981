package dev.mailroom.bench;

import com.github.mizosoft.methanol.MultipartBodyPublisher;
import com.sun.net.httpserver.HttpServer;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The performance check: {@code count} messages of 1 KB through the {@code form} dialect to a
 * local HTTP server (the JDK's own, in this JVM, discarding the body), against the raw JDK
 * {@link HttpClient} posting the same multipart bodies:
 * <ul>
 *   <li>{@code raw-bytes}: the bodies encoded before the clock starts (the least possible work), the JDK
 *       client as configured by default (HTTP/1.1 as Mailroom's; its default executor, a cached thread pool);
 *   <li>{@code raw-bytes-inline}: the same with the client configured as Mailroom's for bodies in memory (an
 *       executor that runs the client's work on the thread that hands it over): like for like;
 *   <li>{@code raw-methanol}: the default client, each body built with Methanol's
 *       {@code MultipartBodyPublisher} as an application using HttpClient directly would.
 * </ul>
 * Sequential and with several threads; the order of the variants rotates every round. CPU per message is
 * the whole process's and, separately, the local server's threads' (ThreadMXBean); "client" is the
 * difference (the caller, the HTTP client's threads, Mailroom's, the JIT and the GC).
 *
 * <p>Arguments: message count (2000), thread counts (e.g. {@code 1,8}), rounds (5).
 */
public final class FormBenchmarkMain {
  private static final String TEXT_1KB;

  static {
    StringBuilder b = new StringBuilder();
    while (b.length() < 1024) {
      b.append("Dear customer, please find invoice INV-2026-0042 attached. Payment is due within 30 days.\n");
    }
    TEXT_1KB = b.substring(0, 1024);
  }

  private static final int WARMUP_PASSES = 5;

  /** The 1 KB text body of every message. */
  static String text1kb() {
    return TEXT_1KB;
  }

  private FormBenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void run(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int[] threadCounts = Arrays.stream((args.length > 1 ? args[1] : "1,8").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;

    // the JDK server closes connections idle for 30 s; a client that has more pooled connections than it
    // needs at the moment may hand out one the server is just closing ("connection closed locally"); rarely
    // it happens anyway with 8 threads: every variant then sends once more (counted, see retried=)
    System.setProperty("sun.net.httpserver.idleInterval", "3600");
    AtomicInteger served = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 200);
    ExecutorService serverPool = Executors.newFixedThreadPool(16, daemon("server"));
    server.setExecutor(serverPool);
    server.createContext("/send", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      served.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/send");
    EmailSettings settings = EmailSettings.builder().protocol(Protocol.HTTP).httpServer(uri.toString())
        .replyTo("billing@acme.example").senderName("Acme Ltd").build();

    List<Email> emails = new ArrayList<>(count);
    List<byte[]> bodies = new ArrayList<>(count);
    String boundary = "mailroom-bench-boundary";
    for (int i = 0; i < count; i++) {
      Email e = Email.builder().to("customer" + i + "@customer.example").subject("Invoice INV-" + i)
          .text(TEXT_1KB).build();
      emails.add(e);
      // the same fields the form dialect sends, with the body already converted to HTML
      MultipartBodyPublisher body = MultipartBodyPublisher.newBuilder().boundary(boundary)
          .textPart("from", "Acme Ltd").textPart("reply_to", "billing@acme.example")
          .textPart("to", "customer" + i + "@customer.example").textPart("subject", "Invoice INV-" + i)
          .textPart("body", "<p>" + TEXT_1KB.strip().replace("\n", "<br>\n") + "</p>").build();
      bodies.add(drain(body));
    }
    String contentType = "multipart/form-data; boundary=" + boundary;
    // the JDK's default configuration (HTTP/1.1 as Mailroom, the default executor: a cached thread pool)
    HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    // the same client configured as Mailroom's for bodies in memory: the client's work runs on the thread
    // that causes it (its selector thread for the network's events), no hand-over to a pool
    HttpClient rawInline = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Runnable::run)
        .build();

    System.out.printf(Locale.ROOT, "messages=%d bodyBytes=%d rounds=%d cpus=%d java=%s%n", count,
        bodies.get(0).length, rounds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    String[] names = {"raw-bytes", "raw-bytes-inline", "raw-methanol", "mailroom"};
    for (int threads : threadCounts) {
      List<Task> tasks = List.of(
          retryingStale(0, i -> post(raw, uri, contentType, bodies.get(i))),
          retryingStale(1, i -> post(rawInline, uri, contentType, bodies.get(i))),
          retryingStale(2, i -> postMethanol(raw, uri, emails.get(i))),
          mailroom(settings, emails, threads));
      // warm-up, not measured: 5 passes of each, so that the JIT has compiled the hot paths of all of them
      for (int w = 0; w < WARMUP_PASSES; w++) {
        for (Task t : tasks) {
          timed(count, threads, t);
        }
      }
      for (AtomicInteger n : RETRIED) {
        n.set(0);
      }
      long compiling0 = COMPILER.getTotalCompilationTime();
      double[][] rates = new double[names.length][rounds];
      double[][] cpu = new double[names.length][rounds];
      double[][] serverCpu = new double[names.length][rounds];
      for (int r = 0; r < rounds; r++) {
        // rotate the order so that no variant always runs first or last
        for (int k = 0; k < names.length; k++) {
          int v = (r + k) % names.length;
          rates[v][r] = timed(count, threads, tasks.get(v));
          cpu[v][r] = lastCpuMicros;
          serverCpu[v][r] = lastServerCpuMicros;
        }
      }
      System.out.printf(Locale.ROOT, "threads=%d (median of %d rounds of %d messages)%n", threads, rounds, count);
      for (int v = 0; v < names.length; v++) {
        double[] client = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          client[r] = cpu[v][r] - serverCpu[v][r];
        }
        System.out.printf(Locale.ROOT, "  %-16s %6.0f msg/s | CPU us/msg: process %4.0f, client %4.0f, server %4.0f"
                + " | rounds %s retried=%d%n", names[v], median(rates[v]), median(cpu[v]), median(client),
            median(serverCpu[v]), format(rates[v]), RETRIED[v].getAndSet(0));
      }
      System.out.printf(Locale.ROOT, "  JIT compilation during the measured rounds: %d ms%n",
          COMPILER.getTotalCompilationTime() - compiling0);
      int m = names.length - 1;
      for (int v = 0; v < m; v++) {
        double[] paired = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          paired[r] = rates[m][r] / rates[v][r];
        }
        System.out.printf(Locale.ROOT, "  mailroom / %-16s %.2f (ratio of medians), %.2f (median of per-round ratios)%n",
            names[v], median(rates[m]) / median(rates[v]), median(paired));
      }
    }
    if (mailer != null) {
      mailer.close();
    }
    server.stop(0);
    serverPool.shutdownNow();
    System.out.println("served=" + served.get());
  }

  private static void post(HttpClient client, URI uri, String contentType, byte[] body) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(uri).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<Void> resp = client.send(req, HttpResponse.BodyHandlers.discarding());
    if (resp.statusCode() != 200) {
      throw new IllegalStateException("status " + resp.statusCode());
    }
  }

  /** What an application would write by hand: the same form built per message with Methanol, then posted. */
  private static void postMethanol(HttpClient client, URI uri, Email e) throws Exception {
    MultipartBodyPublisher body = MultipartBodyPublisher.newBuilder()
        .textPart("from", "Acme Ltd").textPart("reply_to", "billing@acme.example")
        .textPart("to", e.to().get(0).email()).textPart("subject", e.subject())
        .textPart("body", "<p>" + e.text().orElseThrow().strip().replace("\n", "<br>\n") + "</p>").build();
    HttpRequest req = HttpRequest.newBuilder(uri).header("Content-Type", body.mediaType().toString())
        .POST(body).build();
    HttpResponse<Void> resp = client.send(req, HttpResponse.BodyHandlers.discarding());
    if (resp.statusCode() != 200) {
      throw new IllegalStateException("status " + resp.statusCode());
    }
  }

  private static Mailer mailer;
  /** Sends repeated per variant because a pooled connection had been closed under the request. */
  private static final AtomicInteger[] RETRIED = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger(),
      new AtomicInteger()};

  /** Sends once more when the JDK's pool handed out a connection it closed itself at that moment. */
  private static Task retryingStale(int variant, Task task) {
    return i -> {
      try {
        task.run(i);
      } catch (java.io.IOException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
          if ("connection closed locally".equals(c.getMessage())) {
            RETRIED[variant].incrementAndGet();
            task.run(i);
            return;
          }
        }
        throw e;
      }
    };
  }

  /** One mailer per thread count, as an application keeps one (on Java 17 a closed client's idle
   * connections linger until it is garbage-collected, so a mailer per round would pile them up). */
  private static Task mailroom(EmailSettings settings, List<Email> emails, int threads) {
    if (mailer != null) {
      mailer.close();
    }
    // a second attempt only for the rare stale pooled connection (counted), at once
    mailer = Mailer.open(settings, MailerOptions.builder().maxConnections(threads).maxAttempts(2)
        .initialBackoff(java.time.Duration.ofMillis(1)).build());
    Mailer m = mailer;
    return i -> {
      if (m.send(emails.get(i)).attempts() > 1) {
        RETRIED[3].incrementAndGet();
      }
    };
  }

  interface Task {
    void run(int i) throws Exception;
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
  private static final java.lang.management.CompilationMXBean COMPILER =
      java.lang.management.ManagementFactory.getCompilationMXBean();
  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();
  /** CPU microseconds per message of the last {@link #timed} run, whole process (client and server). */
  static double lastCpuMicros;
  /** CPU microseconds per message of the last {@link #timed} run in the local server's threads. */
  static double lastServerCpuMicros;

  /** CPU nanoseconds of the local server's threads so far (its dispatcher and its pool). */
  private static long serverCpuNanos() {
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("server-") || t.getName().startsWith("HTTP-Dispatcher")) {
        long c = THREADS.getThreadCpuTime(t.getId());
        sum += Math.max(c, 0);
      }
    }
    return sum;
  }

  /** Runs task 0..n-1 on {@code threads} threads; returns messages per second. */
  private static double timed(int n, int threads, Task task) throws Exception {
    long cpu0 = OS.getProcessCpuTime();
    long server0 = serverCpuNanos();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, daemon("client"));
    long start = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
          task.run(i);
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get(10, TimeUnit.MINUTES);
    }
    long nanos = System.nanoTime() - start;
    lastCpuMicros = (OS.getProcessCpuTime() - cpu0) / 1000.0 / n;
    lastServerCpuMicros = (serverCpuNanos() - server0) / 1000.0 / n;
    pool.shutdown();
    return n / (nanos / 1e9);
  }

  private static byte[] drain(HttpRequest.BodyPublisher publisher) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CompletableFuture<Void> done = new CompletableFuture<>();
    publisher.subscribe(new Flow.Subscriber<ByteBuffer>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        out.write(a, 0, a.length);
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        done.complete(null);
      }
    });
    done.get(10, TimeUnit.SECONDS);
    return out.toByteArray();
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String format(double[] values) {
    StringBuilder b = new StringBuilder("[");
    for (double v : values) {
      b.append(b.length() > 1 ? " " : "").append(String.format(Locale.ROOT, "%.0f", v));
    }
    return b.append(']').toString();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
