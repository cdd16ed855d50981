package dev.mailroom.smtp.internal;

import dev.mailroom.internal.Sanitizer;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.SendException;
import dev.mailroom.TlsMode;
import dev.mailroom.internal.AttachmentReadException;
import dev.mailroom.internal.NetworkFailures;
import dev.mailroom.internal.SmtpReplies;
import dev.mailroom.internal.SmtpReplies.Reply;
import dev.mailroom.internal.SmtpReplies.Stage;
import dev.mailroom.internal.Text;
import dev.mailroom.smtp.internal.Wire.Exchange;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Turns what went wrong on a connection into a {@link SendException}. The {@link Wire} knows more than
 * Angus's exceptions: which command was waiting, every reply, whether the end of the message went out and
 * whether a rule was broken. In order: a broken rule, an unreadable attachment, a negative reply to the
 * last command that mattered (every refused recipient counts), a network failure by stage (after the
 * final {@code .}: outcome unknown), then what is left (missing STARTTLS, authentication impossible).
 *
 * <p>The cause attached is the underlying network or TLS exception, never an Angus exception (whose text
 * quotes the server verbatim).
 */
final class Failures {
  private static final Set<String> HOUSEKEEPING = Set.of("RSET", "QUIT", "NOOP");

  private Failures() {}

  static SendException of(Wire w, Throwable t) {
    IOException cause = rootIo(t, w);
    return new SendException(classify(w, t, cause).build(), cause);
  }

  private static Failure.Builder classify(Wire w, Throwable t, IOException io) {
    SmtpConfig c = w.cfg;
    GuardException g = w.violation();
    if (g != null) {
      return Failure.builder(g.category()).server(c.host(), c.port()).hint(g.hintKey(), g.detail())
          .message(g.getMessage() + " (" + c.host() + ":" + c.port() + ")");
    }
    AttachmentReadException ar = NetworkFailures.find(t, AttachmentReadException.class);
    if (ar != null) {
      return Failure.builder(FailureCategory.CONFIGURATION).hint("hint.attachment.unreadable", ar.filename())
          .message("The attachment " + Text.quote(ar.filename()) + " could not be read; the message was not sent"
              + (ar.getCause() == null ? "" : ": " + Text.sanitize(String.valueOf(ar.getCause().getMessage()), 200)));
    }
    MailroomTransport.MessageTooLarge big = NetworkFailures.find(t, MailroomTransport.MessageTooLarge.class);
    if (big != null) {
      String limit = megabytes(big.limit) + " (" + big.limit + " bytes)";
      return Failure.builder(FailureCategory.MESSAGE_REJECTED).server(c.host(), c.port())
          .hint("hint.message.size-limit", limit)
          .message("The message (about " + megabytes(big.size) + ") is larger than the " + limit + " that "
              + c.host() + ":" + c.port() + " accepts (SIZE); it was not sent");
    }
    Failure.Builder reply = fromReplies(w);
    if (reply != null) {
      return reply;
    }
    if (io != null) {
      return network(w, io);
    }
    if (c.tlsMode() == TlsMode.STARTTLS && !w.tls() && !w.starttlsSent()) {
      return Failure.builder(FailureCategory.TLS).server(c.host(), c.port())
          .hint("hint.tls.starttls-missing", "")
          .message(c.host() + ":" + c.port() + " does not offer STARTTLS; nothing was sent unencrypted");
    }
    if (c.tlsMode() == TlsMode.STARTTLS && !w.tls() && w.starttlsSent()) {
      // STARTTLS answered with a reply that is neither 220 nor negative (250, 354...): no TLS, so nothing more
      Exchange last = w.lastExchange();
      Failure.Builder b = Failure.builder(FailureCategory.TLS).server(c.host(), c.port())
          .hint("hint.tls.starttls-refused", "")
          .message(c.host() + ":" + c.port() + " did not agree to start encryption (STARTTLS); nothing was sent"
              + " unencrypted");
      if (last != null && last.stage() == Stage.STARTTLS) {
        b.code(last.code()).serverReply(last.reply().text().isEmpty() ? String.valueOf(last.code())
            : last.reply().text());
      }
      return b;
    }
    if (c.hasCredentials() && !w.authenticated()) {
      if (w.authAttempted() && c.settings().oauth2().isPresent()) {
        return Failure.builder(FailureCategory.AUTHENTICATION).server(c.host(), c.port())
            .hint("hint.auth.token", "")
            .message("The server " + c.host() + ":" + c.port() + " rejected the OAuth2 access token");
      }
      if (!w.authAttempted()) {
        return notSupported(c);
      }
      return Failure.builder(FailureCategory.AUTHENTICATION).server(c.host(), c.port())
          .hint("hint.auth.bad-credentials", "")
          .message("Authentication failed at " + c.host() + ":" + c.port());
    }
    String what = t == null ? "unknown" : Sanitizer.clean(String.valueOf(t.getMessage()), w.redactor, 300);
    return Failure.builder(FailureCategory.PROTOCOL).server(c.host(), c.port()).hint("hint.PROTOCOL", "")
        .message("SMTP with " + c.host() + ":" + c.port() + " failed: " + what);
  }

  private static String megabytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }

  static Failure.Builder notSupported(SmtpConfig c) {
    return Failure.builder(FailureCategory.AUTHENTICATION).server(c.host(), c.port())
        .hint("hint.auth.not-supported", "")
        .message("The server " + c.host() + ":" + c.port() + " offers no sign-in method Mailroom can use ("
            + (c.settings().oauth2().isPresent() ? "XOAUTH2" : "PLAIN or LOGIN") + ")");
  }

  /**
   * The failure from a negative reply, or null. In a transaction: a refused MAIL, else the worst refused
   * RCPT (permanent before transient), else a refused DATA or end of data. Outside one (connecting): the
   * last command that mattered, if it was refused (an EHLO refused and a HELO accepted is no failure).
   */
  private static Failure.Builder fromReplies(Wire w) {
    Exchange bad = null;
    List<Exchange> tx = w.transaction();
    if (!tx.isEmpty() && tx.get(0).stage() == Stage.MAIL) {
      Exchange rcpt = null;
      for (Exchange e : tx) {
        if (!e.reply().isNegative() || HOUSEKEEPING.contains(e.verb())) {
          continue;
        }
        if (e.stage() == Stage.MAIL) {
          bad = e;
          break;
        }
        if (e.stage() == Stage.RCPT) {
          if (rcpt == null || (rcpt.reply().isTransient() && !e.reply().isTransient())) {
            rcpt = e;
          }
        } else if (bad == null) {
          bad = e;
        }
      }
      if (bad == null || bad.stage() != Stage.MAIL) {
        bad = rcpt != null ? rcpt : bad;
      }
    } else {
      List<Exchange> all = w.exchanges();
      for (int i = all.size() - 1; i >= 0; i--) {
        if (!HOUSEKEEPING.contains(all.get(i).verb())) {
          bad = all.get(i).reply().isNegative() ? all.get(i) : null;
          break;
        }
      }
    }
    if (bad == null) {
      return null;
    }
    SmtpConfig c = w.cfg;
    String detail = bad.argument();
    if (bad.stage() == Stage.MAIL && detail.isEmpty()) {
      detail = c.settings().fromAddress();
    }
    if (bad.stage() != Stage.MAIL && bad.stage() != Stage.RCPT) {
      detail = "";
    }
    Failure.Builder b = SmtpReplies.failure(bad.stage(), bad.reply(), c.host(), c.port(), c.presetId(), detail);
    if (bad.stage() == Stage.AUTH && c.settings().oauth2().isPresent()) {
      b.hint(SmtpReplies.xoauth2Hint(bad.reply()), "");
    }
    return b;
  }

  private static Failure.Builder network(Wire w, IOException io) {
    SmtpConfig c = w.cfg;
    String where = c.host() + ":" + c.port();
    if (w.socket() == null || NetworkFailures.find(io, SSLException.class) != null) {
      return NetworkFailures.classify(io, c.host(), c.port(), c.tlsMode() == TlsMode.IMPLICIT);
    }
    Stage stage = w.currentStage();
    String verb = w.pendingVerb();
    boolean timeout = io instanceof SocketTimeoutException;
    if (w.outcomeUnknown()) {
      return Failure.builder(FailureCategory.OUTCOME_UNKNOWN).server(c.host(), c.port())
          .hint("hint.outcome-unknown", "")
          .message((timeout ? "No reply from " + where + " within the read timeout" : "The connection to " + where
              + " was lost") + " after the whole message was sent: it may or may not have been delivered");
    }
    if (timeout) {
      long secs = TimeUnit.NANOSECONDS.toMillis(c.readTimeoutNanos());
      if (stage == Stage.GREETING) {
        if (c.port() == 465 && c.tlsMode() != TlsMode.IMPLICIT) {
          return Failure.builder(FailureCategory.TLS).server(c.host(), c.port())
              .hint("hint.tls.plain-on-implicit-port", "")
              .message(where + " did not greet within " + secs + " ms: port 465 expects TLS from the first byte");
        }
        return Failure.builder(FailureCategory.TIMEOUT).server(c.host(), c.port()).transientFailure(true)
            .hint("hint.timeout.greeting", "")
            .message(where + " accepted the connection but sent no greeting within " + secs + " ms");
      }
      String msg = io.getMessage() != null && io.getMessage().startsWith("Write")
          ? "The server " + where + " stopped accepting data for " + secs + " ms"
          : "No reply from " + where + (verb == null ? "" : " to " + verb) + " within " + secs + " ms";
      return Failure.builder(FailureCategory.TIMEOUT).server(c.host(), c.port()).transientFailure(true)
          .hint("hint.timeout.read", "").message(msg);
    }
    if (stage == Stage.GREETING) {
      return Failure.builder(FailureCategory.CONNECTION).server(c.host(), c.port()).transientFailure(true)
          .hint("hint.connection.lost", "")
          .message(where + " closed the connection before greeting");
    }
    String how = io instanceof EOFException ? "closed by the server" : "lost ("
        + Text.sanitize(String.valueOf(io.getMessage()), 100) + ")";
    return Failure.builder(FailureCategory.CONNECTION).server(c.host(), c.port()).transientFailure(true)
        .hint("hint.connection.lost", "")
        .message("The connection to " + where + " was " + how + (verb == null ? "" : " during " + verb)
            + "; the message was not delivered");
  }

  /**
   * The network failure: a TLS failure from the chain (the handshake runs in the socket factory), else
   * what our streams saw (timeouts, end of stream, read errors), else the deepest IOException in the chain
   * (Angus wraps the real one, e.g. a reset while writing).
   */
  private static IOException rootIo(Throwable t, Wire w) {
    IOException deepest = null;
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      if (t instanceof IOException && !(t instanceof GuardException) && !(t instanceof AttachmentReadException)) {
        deepest = (IOException) t;
      }
    }
    if (deepest instanceof SSLException) {
      return deepest;
    }
    return w.ioFailureSeen() != null ? w.ioFailureSeen() : deepest;
  }
}
