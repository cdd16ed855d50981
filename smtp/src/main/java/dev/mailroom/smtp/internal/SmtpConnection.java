package dev.mailroom.smtp.internal;

import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.Secret;
import dev.mailroom.TlsMode;
import dev.mailroom.internal.Destinations;
import dev.mailroom.internal.NetworkFailures;
import dev.mailroom.internal.SmtpReplies.Reply;
import dev.mailroom.internal.TokenEndpointException;
import dev.mailroom.internal.SmtpReplies.Stage;
import dev.mailroom.smtp.internal.Wire.Exchange;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import dev.mailroom.AttemptTimings;
import dev.mailroom.ConnectionUse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP connection: an Angus transport over Mailroom's guarded sockets. Used by one thread at a time.
 */
final class SmtpConnection {
  private static final Logger LOG = LoggerFactory.getLogger(SmtpConnection.class);

  private final SmtpConfig cfg;
  private final Wire wire;
  private final MailroomTransport transport;
  private final boolean utf8;
  private static final AtomicLong IDS = new AtomicLong();

  private final long id = IDS.incrementAndGet();
  private final long openedAt = System.nanoTime();
  private int messages;
  private long lastUsed;
  private boolean closed;

  private SmtpConnection(SmtpConfig cfg, Wire wire, MailroomTransport transport, boolean utf8) {
    this.cfg = cfg;
    this.wire = wire;
    this.transport = transport;
    this.utf8 = utf8;
    this.lastUsed = System.nanoTime();
  }

  /**
   * Connects, secures and signs in. The OAuth2 token is asked for here, for every new connection.
   *
   * @param utf8 whether this connection sends SMTPUTF8 messages
   * @throws SendException if any step fails; nothing is left open
   */
  static SmtpConnection open(SmtpConfig cfg, boolean utf8) throws SendException {
    if (cfg.settings().oauth2().isEmpty()) {
      return open(cfg, utf8, null);
    }
    // XOAUTH2: a refused token is forgotten by its supplier and the sign-in tried once more with a fresh one
    Secret token = token(cfg);
    try {
      return open(cfg, utf8, token);
    } catch (TokenRefused refused) {
      cfg.settings().oauth2().get().invalidate(token);
      Secret fresh = token(cfg);
      if (fresh.equals(token)) {
        throw refused.failure;
      }
      LOG.debug("{}:{} refused the OAuth2 access token; signing in once more with a fresh one", cfg.host(),
          cfg.port());
      try {
        return open(cfg, utf8, fresh);
      } catch (TokenRefused again) {
        throw again.failure;
      }
    }
  }

  /** The server refused the XOAUTH2 token: the failure to report if a fresh token does not help. */
  private static final class TokenRefused extends SendException {
    private static final long serialVersionUID = 1L;
    final transient SendException failure;

    TokenRefused(SendException failure) {
      super(failure.failure(), failure.getCause());
      this.failure = failure;
    }
  }

  private static SmtpConnection open(SmtpConfig cfg, boolean utf8, Secret token) throws SendException {
    Wire wire = new Wire(cfg);
    MailroomTransport transport = new MailroomTransport(cfg.session(utf8), wire);
    String user = cfg.settings().username().orElse(null);
    String secret = null;
    if (cfg.settings().password().isPresent()) {
      secret = cfg.settings().password().get().reveal();
    } else if (token != null) {
      secret = token.reveal();
    }
    if (secret != null) {
      wire.redactor.addSecret(secret);
    }
    try {
      // the destination policy sees every address of the server before anything connects (issue 11)
      wire.destinations(Destinations.resolve(cfg.destinationPolicy(), cfg.asciiHost(), cfg.port()));
    } catch (IOException e) {
      throw new SendException(NetworkFailures.classify(e, cfg.host(), cfg.port(),
          cfg.tlsMode() == TlsMode.IMPLICIT).build(), e);
    }
    SmtpConnection c = new SmtpConnection(cfg, wire, transport, utf8);
    Wire.CURRENT.set(wire);
    wire.connectStarted = System.nanoTime();
    try {
      transport.connect(cfg.asciiHost(), cfg.port(), user, secret);
    } catch (MessagingException | RuntimeException e) {
      SendException failure = Failures.of(wire, e);
      c.abort();
      LOG.debug("Connecting to {}:{} failed: {}", cfg.host(), cfg.port(), failure.getMessage());
      if (token != null && wire.authAttempted() && !wire.authenticated()
          && failure.category() == FailureCategory.AUTHENTICATION) {
        throw new TokenRefused(failure);
      }
      throw failure;
    } finally {
      Wire.CURRENT.remove();
    }
    if (cfg.hasCredentials() && !wire.authenticated()) {
      c.close();
      throw new SendException(Failures.notSupported(cfg).build());
    }
    LOG.debug("Connected to {}:{} ({}{})", cfg.host(), cfg.port(), wire.tls() ? "TLS" : "plain",
        wire.authenticated() ? ", signed in" : "");
    return c;
  }

  private static Secret token(SmtpConfig cfg) throws SendException {
    try {
      Secret token = cfg.settings().oauth2().get().accessToken();
      if (token == null) {
        throw new IOException("the access token supplier returned no token");
      }
      return token;
    } catch (TokenEndpointException e) {
      // Mailroom's own suppliers: the token endpoint's refusal, classified and redacted
      throw new SendException(e.failure());
    } catch (IOException | RuntimeException e) {
      throw new SendException(Failure.builder(FailureCategory.AUTHENTICATION).server(cfg.host(), cfg.port())
          .hint("hint.auth.token", "")
          // the supplier's message is not quoted: it is user code and may hold the token or a refresh token
          .message("Could not get an OAuth2 access token for " + cfg.host() + " (the token supplier threw "
              + e.getClass().getSimpleName() + ")")
          .build());
    }
  }

  /** Whether the server offered SMTPUTF8 after the last EHLO. */
  boolean supportsSmtpUtf8() {
    return transport.supportsExtension("SMTPUTF8");
  }

  boolean utf8() {
    return utf8;
  }

  /**
   * Sends one message.
   *
   * @throws SendException if the server refused it or the connection failed; {@link #reusable()} then says
   *     whether this connection may carry the next message
   */
  SendReceipt send(PreparedMessage p) throws SendException {
    wire.beginOperation();
    try {
      transport.send(p);
    } catch (MessagingException | RuntimeException e) {
      SendException failure = Failures.of(wire, e);
      if (!reusable()) {
        abort();
      }
      throw failure;
    } finally {
      lastUsed = System.nanoTime();
    }
    messages++;
    Reply r = wire.finalReply();
    return new SendReceipt(p.messageId, p.recipients, Optional.ofNullable(r).map(Reply::toString), 1,
        Duration.ZERO);
  }

  /**
   * After a failed send: true only if the server refused the message cleanly and accepted the RSET that
   * followed. A connection that timed out, broke a rule, was dropped or answered 421 is never reused.
   */
  boolean reusable() {
    if (closed || wire.violation() != null || wire.ioFailureSeen() != null || wire.socket() == null
        || wire.socket().isClosed()) {
      return false;
    }
    List<Exchange> ex = wire.exchanges();
    for (Exchange e : ex) {
      if (e.code() == 421) {
        return false;
      }
    }
    Exchange last = wire.lastExchange();
    return last != null && last.verb().equals("RSET") && last.code() == 250;
  }

  /**
   * After a failed send on a kept connection: true if the server had closed it in the meantime (end of
   * stream, reset or 421 at the first command), so that a new connection can carry the same message.
   */
  boolean stale() {
    if (wire.violation() != null) {
      return false;
    }
    List<Exchange> ex = wire.exchanges();
    if (ex.isEmpty()) {
      IOException io = wire.ioFailureSeen();
      return !(io instanceof SocketTimeoutException);
    }
    Exchange first = ex.get(0);
    return first.stage() == Stage.MAIL && first.code() == 421;
  }

  /** Checks a kept connection with NOOP; false (and closed) if it is dead. */
  boolean alive() {
    wire.beginOperation();
    try {
      boolean ok = transport.isConnected();
      if (!ok) {
        abort();
      }
      return ok;
    } catch (RuntimeException e) {
      abort();
      return false;
    } finally {
      lastUsed = System.nanoTime();
    }
  }

  int messages() {
    return messages;
  }

  long id() {
    return id;
  }

  Duration openFor() {
    return Duration.ofNanos(System.nanoTime() - openedAt);
  }

  /** The timings of an attempt: opening this connection (when it is new) and the transfer. */
  AttemptTimings timings(boolean fresh, long transferNanos) {
    Optional<Duration> transfer = Optional.of(Duration.ofNanos(Math.max(0, transferNanos)));
    if (!fresh) {
      return new AttemptTimings(ConnectionUse.REUSED, Optional.empty(), Optional.empty(), Optional.empty(), transfer);
    }
    return new AttemptTimings(ConnectionUse.NEW, span(wire.connectStarted, wire.tcpConnected),
        span(wire.tlsStarted, wire.tlsEnded), span(wire.authStarted, wire.authEnded), transfer);
  }

  private static Optional<Duration> span(long from, long to) {
    return from == 0 || to < from ? Optional.empty() : Optional.of(Duration.ofNanos(to - from));
  }

  long idleNanos(long now) {
    return now - lastUsed;
  }

  /** Ends the session politely: QUIT, then close (waiting at most 2 s for the reply). */
  void close() {
    if (closed) {
      return;
    }
    wire.quitting();
    quitThenAbort(transport::close);
  }

  /** Sends QUIT without waiting for the reply, then closes: for idle connections closed by the watchdog. */
  void closeWithoutWaiting() {
    if (closed) {
      return;
    }
    quitThenAbort(transport::quitWithoutWaiting);
  }

  /** Ends the session with {@code quit}, then closes the socket whatever happened. */
  private void quitThenAbort(Quit quit) {
    try {
      quit.run();
    } catch (MessagingException | RuntimeException e) {
      LOG.debug("QUIT to {}:{} failed: {}", cfg.host(), cfg.port(), e.getMessage());
    } finally {
      abort();
    }
  }

  /** A way to say QUIT: Angus's close (waits for the reply) or {@link MailroomTransport#quitWithoutWaiting()}. */
  @FunctionalInterface
  private interface Quit {
    void run() throws MessagingException;
  }

  /** Closes the socket at once. */
  void abort() {
    closed = true;
    TcpSocket s = wire.socket();
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  boolean isClosed() {
    return closed;
  }
}
