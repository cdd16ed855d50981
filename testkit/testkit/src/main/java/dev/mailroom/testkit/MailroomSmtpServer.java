package dev.mailroom.testkit;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailroom.EmailSettings;
import dev.mailroom.Secret;
import dev.mailroom.TlsMode;
import dev.mailroom.internal.AddressSyntax;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A real SMTP server on {@code 127.0.0.1} for tests (GreenMail underneath), with a free port chosen by the
 * system, that hands out {@link EmailSettings} pointing at itself and collects what it receives.
 *
 * <pre>{@code
 * class InvoiceMailTest {
 *   @StartStop
 *   static MailroomSmtpServer smtp = MailroomSmtpServer.create();
 *
 *   @Test
 *   void emailsTheInvoice() throws Exception {
 *     EmailSettings settings = smtp.settingsBuilder().copyTo("archive@acme.test").build();
 *     new InvoiceService(settings).email("INV-1");
 *
 *     MailAssertions.assertThat(smtp.awaitOne(Duration.ofSeconds(5)))
 *         .hasSubject("Invoice INV-1")
 *         .copiedTo("archive@acme.test")
 *         .hasAttachment("INV-1.pdf");
 *   }
 * }
 * }</pre>
 *
 * <p>A plain {@link AutoCloseable} that needs no test framework: call {@link #start()} and {@link #close()}
 * (try-with-resources). In JUnit 5 tests annotate the field with {@link dev.mailroom.testkit.junit.StartStop}:
 * in a {@code static} field it starts before the first test of the class and stops after the last, and
 * forgets received mail before each test (unless {@link Builder#clearBetweenTests(boolean)} is false); in an
 * instance field it runs for one test only; a test method parameter of this type gets a server of its own.
 * {@code @Nested} classes share their outer class's server. Every instance has its own port, so test
 * classes can run in parallel; test methods that run in parallel within one class should use an instance
 * field, since they would otherwise see each other's mail.
 *
 * <p>By default the server requires a login: {@link #settings()} carries a generated username and
 * password that it accepts, so the sender's AUTH step is exercised. Thread-safe.
 */
public final class MailroomSmtpServer extends ServerLifecycle<GreenMail> {
  /** The host the server listens on. */
  public static final String HOST = "127.0.0.1";
  /** The default login, also the default sender address. */
  public static final String DEFAULT_USER = "sender@mailroom.test";

  private final boolean tls;
  private final String user;
  private final Secret password;
  private final boolean anyLogin;
  private final Inbox inbox = new Inbox();
  private int port;
  private MovingMessage lastRecorded;

  private MailroomSmtpServer(Builder b) {
    super("SMTP", b.clearBetweenTests);
    this.tls = b.tls;
    this.user = b.user;
    this.password = passwordOrGenerated(b.password);
    this.anyLogin = b.anyLogin;
  }

  /**
   * Creates a plain SMTP server that requires the login of {@link #settings()}.
   *
   * @return the server, not started yet
   */
  public static MailroomSmtpServer create() {
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
  public MailroomSmtpServer start() {
    startIfStopped();
    return this;
  }

  private String email() {
    return AddressSyntax.isAddrSpec(user) ? user : DEFAULT_USER;
  }

  /** How long starting the GreenMail server may take. */
  private static final long STARTUP_TIMEOUT_MILLIS = 20_000;

  @Override
  GreenMail startServer() {
    ServerSetup setup = new ServerSetup(0, HOST, tls ? ServerSetup.PROTOCOL_SMTPS : ServerSetup.PROTOCOL_SMTP)
        .dynamicPort();
    // GreenMail's 2 s default is too short on a busy machine (a TLS server generates its key first)
    setup.setServerStartupTimeout(STARTUP_TIMEOUT_MILLIS);
    GreenMail gm = new GreenMail(setup);
    GreenMailConfiguration config = GreenMailConfiguration.aConfig();
    config = anyLogin ? config.withDisabledAuthentication() : config.withUser(email(), user, password.reveal());
    gm.withConfiguration(config);
    gm.start();
    UserManager users = gm.getUserManager();
    MessageDeliveryHandler delegate = users.getMessageDeliveryHandler();
    users.setMessageDeliveryHandler((msg, address) -> {
      record(msg);
      return delegate.handle(msg, address);
    });
    port = tls ? gm.getSmtps().getPort() : gm.getSmtp().getPort();
    return gm;
  }

  private void record(MovingMessage msg) {
    synchronized (lock) {
      if (msg == lastRecorded) {
        return; // GreenMail calls the handler once per recipient of the same message
      }
      lastRecorded = msg;
    }
    List<String> recipients = new ArrayList<>();
    for (MailAddress a : msg.getToAddresses()) {
      recipients.add(a.getEmail());
    }
    String envelopeFrom = msg.getReturnPath() == null ? null : msg.getReturnPath().getEmail();
    ReceivedEmail email;
    try {
      email = MimeParsing.parse(msg.getMessage(), envelopeFrom, recipients, "smtp");
    } catch (RuntimeException e) {
      email = MimeParsing.unreadable(envelopeFrom, recipients, "smtp", e);
    }
    inbox.add(email);
  }

  @Override
  void stopServer(GreenMail running) {
    running.stop();
    lastRecorded = null;
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the port
   * @throws IllegalStateException if the server is not running
   */
  public int port() {
    synchronized (lock) {
      server();
      return port;
    }
  }

  /**
   * Returns settings for this server: SMTP on {@code 127.0.0.1} and its port, no encryption (or SSL/TLS
   * with "Do not verify TLS certificate", for {@link Builder#tls(boolean)}), the server's login, sender
   * {@link #DEFAULT_USER} (or the login when it is an address), connect and read timeouts of 10 s
   * (generous, so that a loaded CI machine does not turn a slow reply into a failure).
   *
   * @return the settings
   * @throws IllegalStateException if the server is not running
   */
  public EmailSettings settings() {
    return settingsBuilder().build();
  }

  /**
   * Returns a builder preset with {@link #settings()}, to add a copy-to address, a sender name and so on.
   *
   * @return the builder
   * @throws IllegalStateException if the server is not running
   */
  public EmailSettings.Builder settingsBuilder() {
    EmailSettings.Builder b = smtpSettings(port(), tls ? TlsMode.IMPLICIT : TlsMode.NONE, user, password);
    if (!AddressSyntax.isAddrSpec(user)) {
      b.emailAddress(DEFAULT_USER);
    }
    return b;
  }

  /**
   * Returns the password this server accepts (generated unless {@link Builder#user(String, String)} set
   * one).
   *
   * @return the password
   */
  public Secret password() {
    return password;
  }

  /**
   * Returns the GreenMail instance underneath, for what this class does not cover (IMAP, users).
   *
   * @return GreenMail
   * @throws IllegalStateException if the server is not running
   */
  public GreenMail greenMail() {
    return server();
  }

  @Override
  public List<ReceivedEmail> received() {
    return inbox.all();
  }

  @Override
  public List<ReceivedEmail> awaitReceived(int count, Duration timeout) {
    return inbox.await(count, timeout, where());
  }

  @Override
  public void assertNoneReceived() {
    inbox.assertEmpty(where());
  }

  /** Forgets received mail, here and in GreenMail's mailboxes. */
  @Override
  public void clear() {
    inbox.clear();
    synchronized (lock) {
      GreenMail greenMail = serverOrNull();
      if (greenMail != null) {
        try {
          greenMail.purgeEmailFromAllMailboxes();
        } catch (FolderException e) {
          throw new IllegalStateException("cannot clear GreenMail's mailboxes: " + e.getMessage(), e);
        }
      }
    }
  }

  private String where() {
    synchronized (lock) {
      return "the SMTP server " + HOST + ":" + (serverOrNull() == null ? "(stopped)" : String.valueOf(port));
    }
  }

  @Override
  public String toString() {
    return "MailroomSmtpServer[" + where() + (tls ? ", SSL/TLS" : "") + "]";
  }

  /** Configures a {@link MailroomSmtpServer}. Not thread-safe. */
  public static final class Builder {
    private boolean tls;
    private String user = DEFAULT_USER;
    private Secret password;
    private boolean anyLogin;
    private boolean clearBetweenTests = true;

    private Builder() {}

    /**
     * Serves SMTP with SSL/TLS from the first byte (like port 465), with GreenMail's self-signed
     * certificate; {@link MailroomSmtpServer#settings()} then turns certificate verification off.
     *
     * @param value true for SSL/TLS
     * @return this builder
     */
    public Builder tls(boolean value) {
      this.tls = value;
      return this;
    }

    /**
     * Sets the login the server accepts (default {@link #DEFAULT_USER} with a generated password).
     *
     * @param login the username; an email address is also the sender
     * @param secret the password
     * @return this builder
     */
    public Builder user(String login, String secret) {
      this.user = Objects.requireNonNull(login, "login");
      this.password = Secret.of(Objects.requireNonNull(secret, "secret"));
      return this;
    }

    /**
     * Accepts any username and password (GreenMail without authentication checks).
     *
     * @param value true to accept any login
     * @return this builder
     */
    public Builder anyLogin(boolean value) {
      this.anyLogin = value;
      return this;
    }

    /**
     * Sets whether a server that runs already, such as one in a {@code static} {@code @StartStop} field,
     * forgets received mail before each test (default true); see {@link MailroomSmtpServer#clearsBetweenTests()}.
     *
     * @param value false to keep mail across tests
     * @return this builder
     */
    public Builder clearBetweenTests(boolean value) {
      this.clearBetweenTests = value;
      return this;
    }

    /**
     * Builds the server; it is started by {@link MailroomSmtpServer#start()} or by JUnit
     * ({@link dev.mailroom.testkit.junit.StartStop}).
     *
     * @return the server
     */
    public MailroomSmtpServer build() {
      return new MailroomSmtpServer(this);
    }
  }
}
