package dev.mailroom.testkit;

import dev.mailroom.EmailSettings;
import dev.mailroom.Protocol;
import dev.mailroom.Secret;
import dev.mailroom.TlsMode;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the test servers ({@link MailroomSmtpServer}, {@link MailroomHttpServer}, {@link FaultySmtpServer})
 * share: the server underneath, started and stopped under one lock, and the JUnit 5 lifecycle. The JUnit
 * context that started the server (a test class for a {@code static} field, a test for an instance field)
 * owns it and stops it when it ends; a {@code @Nested} class or a test finds it running and leaves it
 * alone, apart from forgetting earlier mail before each test. The public subclasses document these
 * methods as their own.
 *
 * @param <T> the server underneath (GreenMail, WireMock, the scripted server)
 */
abstract class ServerExtension<T>
    implements MailSink, BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, AutoCloseable {
  /** The connect and read timeout of the settings the servers hand out: generous, for a loaded CI machine. */
  static final Duration SETTINGS_TIMEOUT = Duration.ofSeconds(10);

  /** Guards the server underneath and the subclass's state that goes with it. */
  final Object lock = new Object();
  private final String kind;
  private final boolean clearBetweenTests;
  private T server;
  private String owner;

  /**
   * Creates the lifecycle of one server.
   *
   * @param kind {@code "SMTP"} or {@code "HTTP"}, for the message when the server is not running
   * @param clearBetweenTests whether a server that already runs forgets earlier mail before each test
   */
  ServerExtension(String kind, boolean clearBetweenTests) {
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
  public abstract ServerExtension<T> start();

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
  public final boolean isRunning() {
    synchronized (lock) {
      return server != null;
    }
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
        throw new IllegalStateException("the " + kind + " server is not running: register it with"
            + " @RegisterExtension or call start()");
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

  // ---- JUnit

  /**
   * Starts the server for a test class ({@code static} field).
   *
   * @param context the JUnit context
   */
  @Override
  public final void beforeAll(ExtensionContext context) {
    startOwnedBy(context);
  }

  /**
   * Stops the server after the test class that started it.
   *
   * @param context the JUnit context
   */
  @Override
  public final void afterAll(ExtensionContext context) {
    stopIfOwner(context);
  }

  /**
   * Starts the server for one test (instance field). A server that runs already ({@code static} field)
   * forgets what earlier tests left, as {@link #clear()} does, unless it was built with
   * {@code clearBetweenTests(false)}.
   *
   * @param context the JUnit context
   */
  @Override
  public final void beforeEach(ExtensionContext context) {
    if (!startOwnedBy(context) && clearBetweenTests) {
      clear();
    }
  }

  /**
   * Stops the server after the test that started it.
   *
   * @param context the JUnit context
   */
  @Override
  public final void afterEach(ExtensionContext context) {
    stopIfOwner(context);
  }

  private boolean startOwnedBy(ExtensionContext context) {
    synchronized (lock) {
      if (server != null) {
        return false;
      }
      startIfStopped();
      owner = context.getUniqueId();
      return true;
    }
  }

  private void stopIfOwner(ExtensionContext context) {
    synchronized (lock) {
      if (Objects.equals(owner, context.getUniqueId())) {
        stop();
        owner = null;
      }
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
