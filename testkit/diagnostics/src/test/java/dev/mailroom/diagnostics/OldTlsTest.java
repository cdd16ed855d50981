package dev.mailroom.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.TestCertificates;
import dev.mailroom.testkit.TestCertificates.Authority;
import dev.mailroom.testkit.TestCertificates.ServerCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 6 (and issue 10's finding): in a JVM whose {@code jdk.tls.disabledAlgorithms} re-enables
 * TLS 1.0 and 1.1, a server that speaks only those is still refused by every path: the SMTP sender (STARTTLS
 * and implicit TLS), the HTTP sender, and the diagnostics' SMTP and HTTP checks, each as a TLS failure with the
 * "outdated encryption" hint, and the server never completes a handshake (so gets no application byte). A
 * plain JDK client in the same JVM does negotiate TLS 1.0 with that server: the proof that the re-enabling
 * worked, so that this test can fail. The security property is read once per JVM, so all of this runs in a
 * child JVM ({@link Child}) with {@code -Djava.security.properties}. The server's certificate is trusted
 * through {@code javax.net.ssl.trustStore} (the policy's own trust manager), so only the protocol is wrong.
 */
class OldTlsTest {
  private static final String[] PATHS = {"smtp-starttls", "smtp-implicit", "http", "diagnostics-smtp-starttls",
      "diagnostics-smtp-implicit", "diagnostics-http"};

  @Test
  @Timeout(240)
  void everyPathRefusesATls10ServerInAJvmThatReEnabledTls10(@TempDir Path dir) throws Exception {
    String disabled = Arrays.stream(Security.getProperty("jdk.tls.disabledAlgorithms").split(","))
        .map(String::trim).filter(a -> !a.equals("TLSv1") && !a.equals("TLSv1.1"))
        .collect(Collectors.joining(", "));
    Path security = dir.resolve("old-tls.security");
    Files.writeString(security, "jdk.tls.disabledAlgorithms=" + disabled + "\n", StandardCharsets.ISO_8859_1);
    Path log = dir.resolve("child.log");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.security.properties=" + security, "-Djava.net.preferIPv4Stack=true", "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), Child.class.getName(), dir.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("the child JVM did not finish within 180 s:\n" + Files.readString(log));
    }
    String output = Files.readString(log);
    System.out.println(output); // kept in the test's report (surefire-reports/...-output.txt)
    assertThat(p.exitValue()).as(output).isZero();
    Map<String, String[]> results = new LinkedHashMap<>();
    for (String line : output.split("\\R")) {
      if (line.startsWith("RESULT ")) {
        String[] f = line.substring(7).split(" ");
        results.put(f[0], f);
      }
    }
    // the proof that the child JVM really allows TLS 1.0: a plain JDK client negotiated it with the server
    assertThat(results.get("plain-jdk-client")).as(output).isNotNull();
    assertThat(results.get("plain-jdk-client")[1]).as(output).isEqualTo("TLSv1");
    for (String path : PATHS) {
      String[] r = results.get(path);
      assertThat(r).as(path + "\n" + output).isNotNull();
      // RESULT <path> <category> <hint key> <handshakes the server completed> <application bytes it read>
      assertThat(r[1]).as(path + "\n" + output).isEqualTo("TLS");
      assertThat(r[2]).as(path + "\n" + output).isEqualTo("hint.tls.old-protocol");
      assertThat(r[3]).as(path + "\n" + output).isEqualTo("handshakes=0");
      assertThat(r[4]).as(path + "\n" + output).isEqualTo("bytes=0");
    }
  }

  /**
   * The child JVM: a TLS 1.0/1.1-only server on 127.0.0.1 (one port with implicit TLS, one with SMTP
   * STARTTLS), each path against it, one {@code RESULT} line per path.
   */
  public static final class Child {
    private Child() {}

    /**
     * Runs the paths.
     *
     * @param args a directory for the trust store file
     * @throws Exception if the set-up fails
     */
    public static void main(String[] args) throws Exception {
      Authority ca = TestCertificates.authority("Mailroom old TLS CA");
      Path trustStore = Path.of(args[0], "trust.p12");
      ca.writeTrustStore(trustStore);
      // before anything uses TLS: the JVM's default trust store is the test authority
      System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
      System.setProperty("javax.net.ssl.trustStorePassword", TestCertificates.KEY_STORE_PASSWORD);
      System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
      System.out.println("disabled: " + Security.getProperty("jdk.tls.disabledAlgorithms"));
      try (OldServer server = new OldServer(ca.issue("localhost", "127.0.0.1"))) {
        plainClient(server);
        Email email = Email.builder().to("customer@example.com").subject("Invoice 42").text("Please pay.").build();
        EmailSettings starttls = smtp(server.starttlsPort, TlsMode.STARTTLS);
        EmailSettings implicit = smtp(server.implicitPort, TlsMode.IMPLICIT);
        EmailSettings http = EmailSettings.builder().protocol(Protocol.HTTP)
            .httpServer("https://127.0.0.1:" + server.implicitPort + "/api/send").httpDialect("form")
            .emailAddress("billing@acme.test").replyTo("office@acme.test").connectTimeout(Duration.ofSeconds(5))
            .readTimeout(Duration.ofSeconds(5)).build();
        send(server, "smtp-starttls", starttls, email);
        send(server, "smtp-implicit", implicit, email);
        send(server, "http", http, email);
        DiagnosticOptions options = DiagnosticOptions.builder().mxLookup(false).probe(false).build();
        diagnose(server, "diagnostics-smtp-starttls", starttls, options);
        diagnose(server, "diagnostics-smtp-implicit", implicit, options);
        diagnose(server, "diagnostics-http", http, options);
      }
      System.out.flush();
      System.exit(0); // the senders' shared clients keep daemon threads only, but do not wait for them
    }

    private static EmailSettings smtp(int port, TlsMode mode) {
      return EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1").port(port).tlsMode(mode)
          .username("billing@acme.test").password("secret-password").emailAddress("billing@acme.test")
          .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(5)).build();
    }

    private static void plainClient(OldServer server) {
      try (SSLSocket s = (SSLSocket) SSLContext.getDefault().getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), server.implicitPort)) {
        s.setSoTimeout(5000);
        s.setEnabledProtocols(new String[] {"TLSv1"});
        s.startHandshake();
        System.out.println("RESULT plain-jdk-client " + s.getSession().getProtocol());
      } catch (Exception e) {
        System.out.println("RESULT plain-jdk-client failed: " + e);
      }
      server.settle(1);
      server.reset();
    }

    private static void send(OldServer server, String path, EmailSettings settings, Email email) {
      try (Mailer mailer = Mailer.open(settings, MailerOptions.builder().maxAttempts(1).build())) {
        mailer.send(email);
        System.out.println("RESULT " + path + " SENT - " + server.counts());
      } catch (SendException e) {
        Failure f = e.failure();
        System.out.println("RESULT " + path + " " + f.category() + " " + f.hintKey() + " " + server.counts()
            + " " + f.message());
      }
      server.reset();
    }

    private static void diagnose(OldServer server, String path, EmailSettings settings, DiagnosticOptions o) {
      DiagnosticReport r = ConnectionDiagnostics.run(settings, o);
      Failure f = r.failure().orElse(null);
      System.out.println("RESULT " + path + " " + (f == null ? "OK -" : f.category() + " " + f.hintKey()) + " "
          + server.counts() + " " + r.failedStep().map(DiagnosticStep::name).orElse("-"));
      server.reset();
    }
  }

  /** A server that speaks only TLS 1.0 and 1.1; counts completed handshakes and the bytes read after them. */
  static final class OldServer implements AutoCloseable {
    private static final String[] OLD = {"TLSv1", "TLSv1.1"};
    final int implicitPort;
    final int starttlsPort;
    private final ServerSocket implicit;
    private final ServerSocket starttls;
    private final SSLSocketFactory tls;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    OldServer(ServerCertificate cert) throws IOException {
      this.tls = cert.serverContext().getSocketFactory();
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      this.implicit = new ServerSocket(0, 10, loopback);
      this.starttls = new ServerSocket(0, 10, loopback);
      this.implicitPort = implicit.getLocalPort();
      this.starttlsPort = starttls.getLocalPort();
      accept(implicit, false);
      accept(starttls, true);
    }

    private void accept(ServerSocket listener, boolean smtp) {
      Thread t = new Thread(() -> {
        while (!listener.isClosed()) {
          try {
            Socket s = listener.accept();
            connections.incrementAndGet();
            Thread h = new Thread(() -> serve(s, smtp), "old-tls-connection");
            h.setDaemon(true);
            h.start();
          } catch (IOException e) {
            return; // closed
          }
        }
      }, "old-tls-accept");
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }

    private void serve(Socket plain, boolean smtp) {
      try (Socket s = plain) {
        s.setSoTimeout(5000);
        if (smtp && !startTls(s)) {
          return;
        }
        SSLSocket ssl = (SSLSocket) tls.createSocket(s, "127.0.0.1", s.getPort(), false);
        ssl.setUseClientMode(false);
        ssl.setEnabledProtocols(OLD);
        ssl.startHandshake();
        handshakes.incrementAndGet();
        InputStream in = ssl.getInputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
          bytes.addAndGet(n);
        }
      } catch (IOException e) {
        // a refused handshake, a timeout or a closed connection: the counts tell
      } finally {
        finished.incrementAndGet();
      }
    }

    /** The plain part of an SMTP session up to STARTTLS; false if the client went away. */
    private static boolean startTls(Socket s) throws IOException {
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write("220 localhost ESMTP old TLS\r\n".getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < 10; i++) {
        String line = readLine(in);
        if (line == null) {
          return false;
        }
        String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        if (verb.equals("EHLO")) {
          out.write("250-localhost\r\n250 STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
        } else if (verb.equals("STARTTLS")) {
          out.write("220 2.0.0 Ready to start TLS\r\n".getBytes(StandardCharsets.US_ASCII));
          return true;
        } else {
          out.write("502 5.5.1 Not here\r\n".getBytes(StandardCharsets.US_ASCII));
        }
      }
      return false;
    }

    private static String readLine(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b; (b = in.read()) >= 0 && line.size() < 1000; ) {
        if (b == '\n') {
          return line.toString(StandardCharsets.US_ASCII).trim();
        }
        line.write(b);
      }
      return null;
    }

    /** Waits (at most 10 s) until the connections made so far have ended. */
    void settle(int atLeast) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((finished.get() < connections.get() || connections.get() < atLeast) && System.nanoTime() < end) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    String counts() {
      settle(0);
      return "handshakes=" + handshakes.get() + " bytes=" + bytes.get();
    }

    void reset() {
      settle(0);
      handshakes.set(0);
      bytes.set(0);
    }

    @Override
    public void close() throws IOException {
      implicit.close();
      starttls.close();
    }
  }
}
