package dev.mailroom.testkit;

import dev.mailroom.EmailSettings;
import dev.mailroom.Protocol;
import dev.mailroom.Secret;
import dev.mailroom.TlsMode;
import java.time.Duration;
import java.util.UUID;

/**
 * What the test servers ({@link MailroomSmtpServer}, {@link MailroomHttpServer}, {@link FaultySmtpServer})
 * share: the server underneath, started and stopped under one lock. No test framework type appears here or
 * in the subclasses: the servers work without JUnit on the class path, and the JUnit 5 extension
 * ({@code dev.mailroom.testkit.junit}) drives them through {@link TestServer} only, keeping its own state
 * in JUnit's store. The public subclasses document these methods as their own.
 *
 * @param <T> the server underneath (GreenMail, WireMock, the scripted server)
 */
abstract class ServerLifecycle<T> implements TestServer {
  /** The connect and read timeout of the settings the servers hand out: generous, for a loaded CI machine. */
  static final Duration SETTINGS_TIMEOUT = Duration.ofSeconds(10);

  /** Guards the server underneath and the subclass's state that goes with it. */
  final Object lock = new Object();
  private final String kind;
  private final boolean clearBetweenTests;
  private T server;

  /**
   * Creates the lifecycle of one server.
   *
   * @param kind {@code "SMTP"} or {@code "HTTP"}, for the message when the server is not running
   * @param clearBetweenTests whether a server that already runs forgets earlier mail before each test
   */
  ServerLifecycle(String kind, boolean clearBetweenTests) {
    this.kind = kind;
    this.clearBetweenTests = clearBetweenTests;
  }

  /**
   * Starts the server underneath; called holding {@link #lock}, only when it does not run.
   *
   * @return the started server
   */
  abstract T startServer();

  /**
   * Stops the server underneath; called holding {@link #lock}, only when it runs.
   *
   * @param running the server to stop, still returned by {@link #serverOrNull()} until this returns
   */
  abstract void stopServer(T running);

  /**
   * Starts the server on a free port of {@code 127.0.0.1}. Does nothing if it runs already.
   *
   * @return this server
   */
  @Override
  public abstract ServerLifecycle<T> start();

  /** Starts the server unless it runs: what {@link #start()} does. */
  final void startIfStopped() {
    synchronized (lock) {
      if (server == null) {
        server = startServer();
      }
    }
  }

  /**
   * Stops the server, closing its connections. Received mail stays readable. Does nothing if it is not
   * running.
   */
  @Override
  public final void stop() {
    synchronized (lock) {
      if (server != null) {
        stopServer(server);
        server = null;
      }
    }
  }

  /** Stops the server; same as {@link #stop()}. */
  @Override
  public final void close() {
    stop();
  }

  /**
   * Tells whether the server is running.
   *
   * @return true between {@link #start()} and {@link #stop()}
   */
  @Override
  public final boolean isRunning() {
    synchronized (lock) {
      return server != null;
    }
  }

  /**
   * Tells whether the JUnit extension makes a running server forget earlier mail before each test.
   *
   * @return false if built with {@code clearBetweenTests(false)}
   */
  @Override
  public final boolean clearsBetweenTests() {
    return clearBetweenTests;
  }

  /**
   * Returns the running server underneath.
   *
   * @return the server
   * @throws IllegalStateException if it does not run
   */
  final T server() {
    synchronized (lock) {
      if (server == null) {
        throw new IllegalStateException("the " + kind + " server is not running: call start(), or in a JUnit 5"
            + " test annotate its field with @StartStop (dev.mailroom.testkit.junit)");
      }
      return server;
    }
  }

  /**
   * Returns the server underneath if it runs; hold {@link #lock} to use it afterwards.
   *
   * @return the server, or null when stopped
   */
  final T serverOrNull() {
    synchronized (lock) {
      return server;
    }
  }

  // ---- what the servers hand out

  /**
   * Returns the password a server accepts: the one its builder set, or a generated one.
   *
   * @param configured the builder's password, or null
   * @return the password
   */
  static Secret passwordOrGenerated(Secret configured) {
    return configured != null ? configured : Secret.of("pw-" + UUID.randomUUID());
  }

  /**
   * Returns settings for an SMTP server on {@code 127.0.0.1}: certificate verification only without TLS
   * (the test servers' certificates are self-signed), the login, and {@link #SETTINGS_TIMEOUT}.
   *
   * @param port the server's port
   * @param tlsMode how the server encrypts
   * @param user the login
   * @param password the password
   * @return a builder with these settings
   */
  static EmailSettings.Builder smtpSettings(int port, TlsMode tlsMode, String user, Secret password) {
    return withTimeouts(EmailSettings.builder()
        .protocol(Protocol.SMTP)
        .host(MailroomSmtpServer.HOST)
        .port(port)
        .tlsMode(tlsMode)
        .verifyTlsCertificate(tlsMode == TlsMode.NONE)
        .username(user)
        .password(password));
  }

  /**
   * Sets the connect and read timeouts to {@link #SETTINGS_TIMEOUT}.
   *
   * @param b the settings
   * @return {@code b}
   */
  static EmailSettings.Builder withTimeouts(EmailSettings.Builder b) {
    return b.connectTimeout(SETTINGS_TIMEOUT).readTimeout(SETTINGS_TIMEOUT);
  }
}
