package dev.mailroom.testkit;

import dev.mailroom.EmailSettings;
import dev.mailroom.Secret;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.ScriptedSmtpServer.Action;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedMessage;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * An SMTP server for tests of failure handling: it delivers like a normal server until told to fail the
 * next send at a chosen step with a chosen reply, drop the connection, or stall, and it can play a provider
 * ({@link ProviderPersona}) that refuses the login exactly like Gmail, Microsoft 365 or Yahoo. Built on
 * {@link ScriptedSmtpServer} (available through {@link #scripted()} for anything more).
 *
 * <pre>{@code
 * @StartStop
 * static FaultySmtpServer smtp = FaultySmtpServer.create();
 *
 * @Test
 * void aRateLimitIsRetried() throws Exception {
 *   smtp.failNext(Step.MAIL, "421 4.7.0 Try again later, closing connection");
 *   try (Mailer mailer = Mailer.open(smtp.settings())) {
 *     assertEquals(2, mailer.send(invoice).attempts());
 *   }
 *   smtp.awaitReceived(1, Duration.ofSeconds(5));
 * }
 *
 * @Test
 * void aWrongPasswordIsNotRetried() {
 *   smtp.failNext(Step.AUTH, "535 5.7.8 Username and Password not accepted");
 *   ...
 * }
 * }</pre>
 *
 * <p>The server listens on {@code 127.0.0.1}, requires the login of {@link #settings()} (unless
 * {@link Builder#anyLogin()}), and offers STARTTLS with a self-signed test certificate when
 * {@link Builder#starttls()} is set. Faults are queued: each {@code failNext} call fails one more
 * occurrence of its step. Without JUnit call {@link #start()} and {@link #close()}; in JUnit 5 tests,
 * {@link dev.mailroom.testkit.junit.StartStop} as for {@link MailroomSmtpServer}: faults and received mail
 * are forgotten before each test of a {@code static} server. Thread-safe.
 */
public final class FaultySmtpServer extends ServerLifecycle<ScriptedSmtpServer> {
  private final ProviderPersona persona;
  private final boolean starttls;
  private final boolean anyLogin;
  private final String user;
  private final Secret password;
  private final Duration sessionTimeout;
  private List<ReceivedEmail> received = List.of(); // what a stopped server had accepted

  private FaultySmtpServer(Builder b) {
    super("SMTP", true);
    this.persona = b.persona;
    this.starttls = b.starttls;
    this.anyLogin = b.anyLogin;
    this.user = b.user;
    this.password = passwordOrGenerated(b.password);
    this.sessionTimeout = b.sessionTimeout;
  }

  /**
   * Creates a server that works normally until told to fail.
   *
   * @return the server, not started yet
   */
  public static FaultySmtpServer create() {
    return builder().build();
  }

  /**
   * Starts configuring a server.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the server on a free port of {@code 127.0.0.1}. Does nothing if it runs already.
   *
   * @return this server
   */
  @Override
  public FaultySmtpServer start() {
    startIfStopped();
    return this;
  }

  @Override
  ScriptedSmtpServer startServer() {
    ScriptedSmtpServer.Builder b = ScriptedSmtpServer.builder().sessionTimeout(sessionTimeout);
    if (persona != null) {
      b.hostName(persona.hostName()).greeting(persona.greeting())
          .extensions(persona.extensions().toArray(String[]::new))
          .on(persona.step(), Action.reply(persona.reply().toArray(String[]::new)));
    }
    if (starttls) {
      b.starttls(TestCertificates.selfSigned());
    }
    if (!anyLogin) {
      b.credentials(user, password.reveal());
    }
    return b.start();
  }

  @Override
  void stopServer(ScriptedSmtpServer running) {
    running.close();
    received = received();
  }

  /**
   * Returns the scripted server underneath, for scripts this class does not offer (raw bytes, slow
   * replies, TLS checks) and for the commands it received.
   *
   * @return the scripted server
   * @throws IllegalStateException if the server is not running
   */
  public ScriptedSmtpServer scripted() {
    return server();
  }

  /**
   * Returns the port.
   *
   * @return the port
   * @throws IllegalStateException if the server is not running
   */
  public int port() {
    return scripted().port();
  }

  /**
   * Returns settings for this server: SMTP on {@code 127.0.0.1}, no encryption (or STARTTLS with "Do not
   * verify TLS certificate" for {@link Builder#starttls()}), its login, connect and read timeouts of 10 s
   * (generous, so that a loaded CI machine does not turn a slow reply into a failure).
   *
   * @return the settings
   * @throws IllegalStateException if the server is not running
   */
  public EmailSettings settings() {
    return settingsBuilder().build();
  }

  /**
   * Returns a builder preset with {@link #settings()}.
   *
   * @return the builder
   * @throws IllegalStateException if the server is not running
   */
  public EmailSettings.Builder settingsBuilder() {
    return smtpSettings(port(), starttls ? TlsMode.STARTTLS : TlsMode.NONE, user, password);
  }

  // ---- faults

  /**
   * Answers the next occurrence of {@code step} with this reply, e.g. {@code failNext(Step.AUTH, "535 5.7.8
   * Username and Password not accepted")} or {@code failNext(Step.MAIL, "421 4.7.0 Try again later")}. A
   * 421 reply also closes the connection, as servers do.
   *
   * @param step the step
   * @param replyLines the reply, one or more lines with their codes ({@code "535-first"}, {@code "535 last"})
   * @return this server
   */
  public FaultySmtpServer failNext(Step step, String... replyLines) {
    Objects.requireNonNull(step, "step");
    if (replyLines.length == 0) {
      throw new IllegalArgumentException("give at least one reply line, e.g. \"535 5.7.8 Bad credentials\"");
    }
    Action a = Action.reply(replyLines);
    if (replyLines[replyLines.length - 1].startsWith("421")) {
      a = a.then(Action.drop());
    }
    scripted().onNext(step, a);
    return this;
  }

  /**
   * Closes the connection without a reply at the next occurrence of {@code step}; at
   * {@link Step#MESSAGE} (after the final dot) the sender cannot know whether the message was delivered.
   *
   * @param step the step
   * @return this server
   */
  public FaultySmtpServer dropNext(Step step) {
    scripted().onNext(Objects.requireNonNull(step, "step"), Action.drop());
    return this;
  }

  /**
   * Stops answering at the next occurrence of {@code step}, so the client's read timeout ends the attempt.
   *
   * @param step the step
   * @return this server
   */
  public FaultySmtpServer stallNext(Step step) {
    scripted().onNext(Objects.requireNonNull(step, "step"), Action.stall());
    return this;
  }

  // ---- received mail

  /**
   * Returns the messages the server accepted (answered the final dot with 2xx), oldest first.
   *
   * @return the received emails
   */
  @Override
  public List<ReceivedEmail> received() {
    synchronized (lock) {
      ScriptedSmtpServer server = serverOrNull();
      if (server == null) {
        return received;
      }
      return toEmails(server.messages());
    }
  }

  @Override
  public List<ReceivedEmail> awaitReceived(int count, Duration timeout) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1: " + count);
    }
    ScriptedSmtpServer s = scripted();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<ReceivedMessage> all = s.messages();
      List<ReceivedEmail> accepted = toEmails(all);
      if (accepted.size() >= count) {
        return accepted;
      }
      long left = deadline - System.nanoTime();
      try {
        if (left <= 0 || !s.awaitMessages(all.size() + 1, Duration.ofNanos(left))) {
          List<ReceivedEmail> now = toEmails(s.messages());
          if (now.size() >= count) {
            return now;
          }
          throw AssertionFailures.failure("expected " + count + " email(s) at " + this + " within "
              + timeout.toMillis() + " ms, but " + now.size() + " arrived: " + now);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw AssertionFailures.failure("interrupted while waiting for email at " + this);
      }
    }
  }

  @Override
  public void assertNoneReceived() {
    List<ReceivedEmail> got = received();
    if (!got.isEmpty()) {
      throw AssertionFailures.failure("expected no email at " + this + ", but " + got.size()
          + " arrived: " + got);
    }
  }

  /** Forgets received mail and queued faults (the persona stays). */
  @Override
  public void clear() {
    synchronized (lock) {
      received = List.of();
      ScriptedSmtpServer server = serverOrNull();
      if (server != null) {
        server.reset();
        if (persona != null) {
          server.on(persona.step(), Action.reply(persona.reply().toArray(String[]::new)));
        }
      }
    }
  }

  private static List<ReceivedEmail> toEmails(List<ReceivedMessage> messages) {
    List<ReceivedEmail> out = new ArrayList<>();
    Session session = Session.getInstance(new Properties());
    for (ReceivedMessage m : messages) {
      if (!m.acknowledged()) {
        continue;
      }
      try {
        MimeMessage mime = new MimeMessage(session, new ByteArrayInputStream(m.content()));
        out.add(MimeParsing.parse(mime, m.envelopeFrom(), m.recipients(), "smtp"));
      } catch (MessagingException | RuntimeException e) {
        out.add(MimeParsing.unreadable(m.envelopeFrom(), m.recipients(), "smtp", e));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    synchronized (lock) {
      ScriptedSmtpServer server = serverOrNull();
      return "FaultySmtpServer[127.0.0.1:" + (server == null ? "(stopped)" : String.valueOf(server.port()))
          + (persona == null ? "" : ", " + persona) + (starttls ? ", STARTTLS" : "") + "]";
    }
  }

  /** Configures a {@link FaultySmtpServer}. Not thread-safe. */
  public static final class Builder {
    private ProviderPersona persona;
    private boolean starttls;
    private boolean anyLogin;
    private String user = MailroomSmtpServer.DEFAULT_USER;
    private Secret password;
    private Duration sessionTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /**
     * Plays a provider: its greeting, capabilities and failure reply.
     *
     * @param value the persona
     * @return this builder
     */
    public Builder persona(ProviderPersona value) {
      this.persona = Objects.requireNonNull(value, "persona");
      return this;
    }

    /**
     * Offers STARTTLS with a self-signed test certificate; the settings then use STARTTLS with "Do not
     * verify TLS certificate".
     *
     * @return this builder
     */
    public Builder starttls() {
      this.starttls = true;
      return this;
    }

    /**
     * Accepts any login.
     *
     * @return this builder
     */
    public Builder anyLogin() {
      this.anyLogin = true;
      return this;
    }

    /**
     * Sets the login the server accepts (default {@link MailroomSmtpServer#DEFAULT_USER} with a generated
     * password).
     *
     * @param login the username, an email address
     * @param secret the password
     * @return this builder
     */
    public Builder user(String login, String secret) {
      this.user = Objects.requireNonNull(login, "login");
      this.password = Secret.of(Objects.requireNonNull(secret, "secret"));
      return this;
    }

    /**
     * Sets how long a stalled step lasts before the server closes the connection (default 10 s; the
     * client's read timeout usually ends it first).
     *
     * @param value the timeout
     * @return this builder
     */
    public Builder sessionTimeout(Duration value) {
      this.sessionTimeout = Objects.requireNonNull(value, "sessionTimeout");
      return this;
    }

    /**
     * Builds the server; it is started by {@link FaultySmtpServer#start()} or by JUnit
     * ({@link dev.mailroom.testkit.junit.StartStop}).
     *
     * @return the server
     */
    public FaultySmtpServer build() {
      return new FaultySmtpServer(this);
    }
  }
}
