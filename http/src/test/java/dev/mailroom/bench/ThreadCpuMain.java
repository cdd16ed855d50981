package dev.mailroom.bench;

import com.sun.net.httpserver.HttpServer;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the time of one sequential caller goes (Linux only; a diagnosis, not a throughput figure): for the
 * raw JDK client and variants that each add one of Mailroom's differences, and for Mailroom itself, the CPU
 * per message of each group of threads (the caller, the HTTP client's selector thread and executor
 * threads, the local server, the JIT, the GC), how often each group was woken (time slices per message)
 * and how long it waited for a processor, and the TCP connections the server saw.
 *
 * <p>Java threads are accounted by the {@link ThreadMXBean} (full names); the JVM's own threads and the
 * wake-ups by {@code /proc/self/task/N/schedstat} (run time, run-queue wait, time slices). The variant
 * {@code count} also prints which tasks the JDK client hands to its executor, per message.
 *
 * <p>Variants: {@code raw} (default client: a cached thread pool), {@code pool} (a fixed pool as Mailroom
 * had), {@code inline} (an executor that runs each task on the thread that hands it over),
 * {@code track} (raw with a progress-recording body wrapper as Mailroom's), {@code string} (raw reading
 * the answer as a String), {@code count}, {@code mailroom}.
 *
 * <p>Arguments: variants (comma-separated), messages per round, rounds, warm-up passes.
 */
public final class ThreadCpuMain {
  private static final Set<String> REMOTES = ConcurrentHashMap.newKeySet();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Map<Long, String> NAMES = new ConcurrentHashMap<>();
  private static final Map<String, LongAdder> HANDED_OVER = new ConcurrentHashMap<>();
  private static final LongAdder COUNTED_MESSAGES = new LongAdder();

  private ThreadCpuMain() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void run(String[] args) throws Exception {
    String[] variants = (args.length > 0 ? args[0] : "raw,inline,mailroom").split(",");
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int warmups = args.length > 3 ? Integer.parseInt(args[3]) : 3;

    System.setProperty("sun.net.httpserver.idleInterval", "3600");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 200);
    ExecutorService serverPool = Executors.newFixedThreadPool(16, daemon("server"));
    server.setExecutor(serverPool);
    server.createContext("/send", exchange -> {
      REMOTES.add(exchange.getRemoteAddress().toString());
      try (InputStream in = exchange.getRequestBody()) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/send");
    EmailSettings settings = EmailSettings.builder().protocol(Protocol.HTTP).httpServer(uri.toString())
        .replyTo("billing@acme.example").senderName("Acme Ltd").build();
    Mailer mailer = Mailer.open(settings, MailerOptions.builder().maxConnections(1).maxAttempts(1).build());

    String text = FormBenchmarkMain.text1kb();
    List<Email> emails = new ArrayList<>();
    List<byte[]> bodies = new ArrayList<>();
    String boundary = "mailroom-bench-boundary";
    for (int i = 0; i < count; i++) {
      emails.add(Email.builder().to("customer" + i + "@customer.example").subject("Invoice INV-" + i)
          .text(text).build());
      StringBuilder b = new StringBuilder();
      for (String[] f : new String[][] {{"from", "Acme Ltd"}, {"reply_to", "billing@acme.example"},
          {"to", "customer" + i + "@customer.example"}, {"subject", "Invoice INV-" + i},
          {"body", "<p>" + text.strip().replace("\n", "<br>\n") + "</p>"}}) {
        b.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(f[0])
            .append("\"\r\n\r\n").append(f[1]).append("\r\n");
      }
      b.append("--").append(boundary).append("--\r\n");
      bodies.add(b.toString().getBytes(StandardCharsets.UTF_8));
    }
    String contentType = "multipart/form-data; boundary=" + boundary;
    HttpClient rawClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(8, 8, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        daemon("pool"));
    pool.allowCoreThreadTimeOut(true);
    HttpClient poolClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool).build();
    HttpClient inlineClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Runnable::run).build();
    ExecutorService cached = Executors.newCachedThreadPool(daemon("HttpClient-counted-Worker"));
    HttpClient countingClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(counting(cached)).build();

    Map<String, Task> tasks = new HashMap<>();
    tasks.put("raw", i -> post(rawClient, uri, contentType, bodies.get(i), false,
        HttpResponse.BodyHandlers.discarding()));
    tasks.put("pool", i -> post(poolClient, uri, contentType, bodies.get(i), false,
        HttpResponse.BodyHandlers.discarding()));
    tasks.put("inline", i -> post(inlineClient, uri, contentType, bodies.get(i), false,
        HttpResponse.BodyHandlers.discarding()));
    tasks.put("track", i -> post(rawClient, uri, contentType, bodies.get(i), true,
        HttpResponse.BodyHandlers.discarding()));
    tasks.put("string", i -> post(rawClient, uri, contentType, bodies.get(i), false,
        HttpResponse.BodyHandlers.ofString()));
    tasks.put("count", i -> {
      COUNTED_MESSAGES.increment();
      post(countingClient, uri, contentType, bodies.get(i), false, HttpResponse.BodyHandlers.discarding());
    });
    tasks.put("mailroom", i -> mailer.send(emails.get(i)));

    System.out.printf(Locale.ROOT, "messages=%d rounds=%d warmups=%d cpus=%d java=%s%n", count, rounds, warmups,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    for (int w = 0; w < warmups; w++) {
      for (String v : variants) {
        for (int i = 0; i < count; i++) {
          tasks.get(v).run(i);
        }
      }
    }
    Map<String, Map<String, List<Double>>> figures = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < variants.length; k++) {
        String v = variants[(r + k) % variants.length];
        REMOTES.clear();
        Map<String, long[]> before = nativeThreads();
        Map<Long, Long> javaBefore = javaThreads();
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
          tasks.get(v).run(i);
        }
        long nanos = System.nanoTime() - t0;
        Map<Long, Long> javaAfter = javaThreads();
        Map<String, long[]> after = nativeThreads();
        Map<String, Double> row = new TreeMap<>();
        row.put("msg/s", count / (nanos / 1e9));
        row.put("connections", (double) REMOTES.size());
        double total = 0;
        for (Map.Entry<Long, Long> e : javaAfter.entrySet()) {
          double us = (e.getValue() - javaBefore.getOrDefault(e.getKey(), 0L)) / 1000.0 / count;
          row.merge("cpu us/msg " + group(NAMES.get(e.getKey())), us, Double::sum);
          total += us;
        }
        for (Map.Entry<String, long[]> e : after.entrySet()) {
          long[] b = before.getOrDefault(e.getKey(), new long[3]);
          String group = group(e.getKey().substring(e.getKey().indexOf(' ') + 1));
          if (group.equals("jit") || group.equals("gc") || group.equals("jvm")) {
            double us = (e.getValue()[0] - b[0]) / 1000.0 / count;
            row.merge("cpu us/msg " + group, us, Double::sum);
            total += us;
          } else {
            row.merge("wake-ups/msg " + group, (double) (e.getValue()[2] - b[2]) / count, Double::sum);
            row.merge("runq-wait us/msg " + group, (e.getValue()[1] - b[1]) / 1000.0 / count, Double::sum);
          }
        }
        row.put("cpu us/msg TOTAL", total);
        Map<String, List<Double>> f = figures.computeIfAbsent(v, x -> new TreeMap<>());
        row.forEach((name, value) -> f.computeIfAbsent(name, x -> new ArrayList<>()).add(value));
      }
    }
    for (Map.Entry<String, Map<String, List<Double>>> v : figures.entrySet()) {
      System.out.println(v.getKey() + " (median of " + rounds + " rounds; the rounds)");
      for (Map.Entry<String, List<Double>> f : v.getValue().entrySet()) {
        if (median(f.getValue()) >= 0.5 || f.getKey().startsWith("wake-ups")) {
          System.out.printf(Locale.ROOT, "  %-40s %8.1f %s%n", f.getKey(), median(f.getValue()), format(f.getValue()));
        }
      }
    }
    long counted = COUNTED_MESSAGES.sum();
    if (counted > 0) {
      System.out.println("tasks the JDK client (default executor) hands to its executor, per message:");
      HANDED_OVER.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
          .forEach(e -> System.out.printf(Locale.ROOT, "  %5.2f %s%n", e.getValue().sum() / (double) counted,
              e.getKey()));
    }
    mailer.close();
    server.stop(0);
  }

  /** An executor that records what each handed-over task is and where it comes from, then runs it in pool. */
  private static Executor counting(Executor pool) {
    return command -> {
      StackTraceElement[] stack = new Throwable().getStackTrace();
      StringBuilder key = new StringBuilder(command.getClass().getName().replaceAll("\\$\\$Lambda.*", "")
          .replace("jdk.internal.net.http.", ""));
      int shown = 0;
      for (int j = 1; j < stack.length && shown < 3; j++) {
        String c = stack[j].getClassName();
        if (c.contains("DelegatingExecutor") || c.contains("SequentialScheduler") || c.contains("CompletableFuture")
            || c.contains("MinimalFuture") || c.startsWith("dev.mailroom.bench")) {
          continue;
        }
        key.append(" < ").append(c.replace("jdk.internal.net.http.", "")).append('.')
            .append(stack[j].getMethodName());
        shown++;
      }
      HANDED_OVER.computeIfAbsent(key.toString(), x -> new LongAdder()).increment();
      pool.execute(command);
    };
  }

  private static String group(String name) {
    if (name == null) {
      return "other";
    }
    if (name.equals("main") || name.equals("java")) {
      return "caller";
    }
    if (name.startsWith("HttpClient-") && name.contains("-Se")) {
      return "client selector";
    }
    if (name.startsWith("HttpClient-") || name.startsWith("pool") || name.contains("-client-")) {
      return "client executor";
    }
    if (name.startsWith("mailroom-http-")) {
      return name.contains("-watchdog-") ? "mailroom watchdog" : "mailroom-http-*";
    }
    if (name.startsWith("server") || name.startsWith("HTTP-Dispatch")) {
      return "server";
    }
    if (name.startsWith("GC ") || name.startsWith("G1 ")) {
      return "gc";
    }
    if (name.startsWith("C1 ") || name.startsWith("C2 ")) {
      return "jit";
    }
    if (name.startsWith("VM ")) {
      return "jvm";
    }
    return "other";
  }

  /** Java thread id -> CPU nanoseconds. */
  private static Map<Long, Long> javaThreads() {
    Map<Long, Long> m = new HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      long cpu = THREADS.getThreadCpuTime(t.getId());
      if (cpu >= 0) {
        NAMES.put(t.getId(), t.getName());
        m.put(t.getId(), cpu);
      }
    }
    return m;
  }

  /** "tid name" (the native name, at most 15 characters) -> {run ns, run-queue wait ns, time slices}. */
  private static Map<String, long[]> nativeThreads() throws IOException {
    Map<String, long[]> m = new HashMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path t : ds) {
        try {
          String name = Files.readString(t.resolve("comm")).trim();
          String[] s = Files.readString(t.resolve("schedstat")).trim().split(" ");
          m.put(t.getFileName() + " " + name,
              new long[] {Long.parseLong(s[0]), Long.parseLong(s[1]), Long.parseLong(s[2])});
        } catch (IOException e) {
          // the thread ended
        }
      }
    }
    return m;
  }

  private static void post(HttpClient client, URI uri, String contentType, byte[] body, boolean track,
      HttpResponse.BodyHandler<?> handler) throws Exception {
    HttpRequest.BodyPublisher p = HttpRequest.BodyPublishers.ofByteArray(body);
    HttpRequest req = HttpRequest.newBuilder(uri).header("Content-Type", contentType)
        .POST(track ? tracked(p) : p).build();
    HttpResponse<?> resp = client.send(req, handler);
    if (resp.statusCode() != 200) {
      throw new IllegalStateException("status " + resp.statusCode());
    }
  }

  private static volatile long progress;

  /** A progress-recording wrapper like Mailroom's. */
  private static HttpRequest.BodyPublisher tracked(HttpRequest.BodyPublisher body) {
    return new HttpRequest.BodyPublisher() {
      @Override
      public long contentLength() {
        return body.contentLength();
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
        progress = System.nanoTime();
        body.subscribe(new Flow.Subscriber<ByteBuffer>() {
          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            s.onSubscribe(subscription);
          }

          @Override
          public void onNext(ByteBuffer item) {
            progress = System.nanoTime();
            s.onNext(item);
          }

          @Override
          public void onError(Throwable t) {
            s.onError(t);
          }

          @Override
          public void onComplete() {
            progress = System.nanoTime();
            s.onComplete();
          }
        });
      }
    };
  }

  interface Task {
    void run(int i) throws Exception;
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String format(List<Double> values) {
    StringBuilder b = new StringBuilder("[");
    for (double v : values) {
      b.append(b.length() > 1 ? " " : "").append(String.format(Locale.ROOT, "%.0f", v));
    }
    return b.append(']').toString();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
