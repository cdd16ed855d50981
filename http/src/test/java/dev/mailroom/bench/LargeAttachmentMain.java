package dev.mailroom.bench;

import com.sun.net.httpserver.HttpServer;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.SendReceipt;
import dev.mailroom.http.HttpSenderProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends one email with a large attachment to a local server that discards the body, and prints the peak
 * heap. Run in a JVM of its own with a small heap ({@code -Xmx64m}), on the module path, by
 * {@code dev.mailroom.http.LargeAttachmentTest} and the benchmark script. Its package is not the module's,
 * so that it can live on the class path next to the named modules.
 *
 * <p>Arguments: dialect ({@code form} or a JSON dialect), size in bytes, {@code file} or {@code stream},
 * a directory for the file.
 */
public final class LargeAttachmentMain {
  private LargeAttachmentMain() {}

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
    String dialect = args[0];
    long size = Long.parseLong(args[1]);
    boolean file = args[2].equals("file");
    Path dir = Path.of(args[3]);

    AtomicLong received = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "discarding-server");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", exchange -> {
      byte[] buf = new byte[64 * 1024];
      long n = 0;
      try (InputStream in = exchange.getRequestBody()) {
        for (int r; (r = in.read(buf)) >= 0; ) {
          n += r;
        }
      }
      received.addAndGet(n);
      byte[] answer = "{\"id\":\"big-1\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.getResponseHeaders().add("X-Message-Id", "big-1");
      exchange.sendResponseHeaders(dialect.equals("brevo") ? 201 : 200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    });
    server.start();

    Attachment attachment;
    if (file) {
      Path f = dir.resolve("big-" + size + ".bin");
      if (!Files.exists(f) || Files.size(f) != size) {
        try (OutputStream out = Files.newOutputStream(f)) {
          Random random = new Random(1);
          byte[] chunk = new byte[1 << 20];
          for (long left = size; left > 0; left -= chunk.length) {
            random.nextBytes(chunk);
            out.write(chunk, 0, (int) Math.min(chunk.length, left));
          }
        }
      }
      attachment = Attachment.ofFile(f);
    } else {
      attachment = Attachment.ofStream("big.bin", "application/octet-stream", () -> new Generated(size));
    }

    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    EmailSettings settings = EmailSettings.builder().protocol(Protocol.HTTP)
        .httpServer("http://127.0.0.1:" + server.getAddress().getPort() + "/")
        .replyTo("billing@acme.example").senderName("Acme Ltd").httpDialect(dialect)
        .apiKey(dialect.equals("form") ? null : "bench-key").build();
    long start = System.nanoTime();
    SendReceipt receipt;
    try (Mailer mailer = Mailer.open(settings, MailerOptions.builder().maxAttempts(1).build())) {
      receipt = mailer.send(Email.builder().to("jane@customer.example").subject("Big").text("See attachment.")
          .attach(attachment).build());
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    server.stop(0);
    System.out.println("OK dialect=" + dialect + " attachment=" + size + " (" + args[2] + ") received=" + received.get()
        + " messageId=" + receipt.messageId() + " ms=" + millis + " peakHeap=" + peak + " maxHeap="
        + Runtime.getRuntime().maxMemory() + " modulePath=" + Mailer.class.getModule().isNamed()
        + " httpModule=" + HttpSenderProvider.class.getModule().getName());
  }

  /** Pseudo-random bytes, generated while read. */
  private static final class Generated extends InputStream {
    private final Random random = new Random(2);
    private long left;

    Generated(long size) {
      this.left = size;
    }

    @Override
    public int read() {
      return left-- > 0 ? random.nextInt(256) : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      byte[] chunk = new byte[n];
      random.nextBytes(chunk);
      System.arraycopy(chunk, 0, b, off, n);
      left -= n;
      return n;
    }
  }
}
