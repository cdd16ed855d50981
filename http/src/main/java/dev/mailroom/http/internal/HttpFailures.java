package dev.mailroom.http.internal;

import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.SendException;
import dev.mailroom.http.HttpDialect;
import dev.mailroom.internal.AttachmentReadException;
import dev.mailroom.internal.HttpStatuses;
import dev.mailroom.internal.TokenEndpointException;
import dev.mailroom.internal.NetworkFailures;
import dev.mailroom.internal.Redactor;
import dev.mailroom.internal.Sanitizer;
import dev.mailroom.internal.mime.Refusal;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What went wrong with one HTTP send, as a {@link Failure}: error responses through the one classifier
 * ({@link #classify}, shared with the connection diagnostics' key checks), and timeouts, lost connections,
 * refused requests and unreadable attachments by what the exchange had done ({@link Progress}). Every
 * server or exception text passes through the redactor first and the sanitizer after.
 */
public final class HttpFailures {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSender.class);
  /** The built-in provider dialects, whose error answers have a known shape. */
  private static final java.util.Set<String> PROVIDERS = java.util.Set.of("sendgrid", "mailgun", "postmark",
      "resend", "brevo");

  private final HttpDialect dialect;
  private final URI server;
  private final String host;
  private final int port;
  private final Redactor redactor;
  private final Duration readTimeout;

  HttpFailures(HttpDialect dialect, URI server, int port, Redactor redactor, Duration readTimeout) {
    this.dialect = dialect;
    this.server = server;
    this.host = server.getHost();
    this.port = port;
    this.redactor = redactor;
    this.readTimeout = readTimeout;
  }

  /**
   * Classifies an error response (not 2xx) exactly as the HTTP sender does: the dialect reads the
   * provider's explanation and error code from the body, {@link HttpStatuses} decides.
   *
   * @param dialect the dialect of the settings
   * @param response the response
   * @param server the server URL (its query is never shown)
   * @param port the server port
   * @param redactor the secrets to keep out of the failure
   * @return the failure
   */
  public static Failure.Builder classify(HttpDialect dialect, HttpDialect.Response response, URI server, int port,
      Redactor redactor) {
    Optional<String> explanation;
    try {
      explanation = dialect.errorMessage(response).filter(s -> !s.isBlank());
    } catch (RuntimeException e) {
      explanation = Optional.empty();
    }
    // a provider's API answers errors in its own shape: anything else (a proxy's page, another service
    // behind the URL) is not quoted. The form service answers in plain text, which is its error message.
    String quoted = explanation.orElse(PROVIDERS.contains(dialect.id()) ? "" : response.body());
    // redaction on the raw text, then the sanitizer: an echo cannot hide in an escape or behind the cut
    String text = Sanitizer.clean(quoted, redactor, 512);
    Optional<Duration> pluginWait;
    try {
      pluginWait = dialect.retryAfter(response);
    } catch (RuntimeException e) {
      pluginWait = Optional.empty();
    }
    String code;
    try {
      code = dialect instanceof CodedErrors ? ((CodedErrors) dialect).errorCode(response)
          .map(c -> Sanitizer.clean(c, redactor, 80)).orElse(null) : ProviderErrors.code(dialect.id(), response.body());
    } catch (RuntimeException e) {
      code = null;
    }
    HttpStatuses.Response r = new HttpStatuses.Response(response.statusCode(), dialect.id(), code, text,
        response::header, pluginWait);
    return HttpStatuses.classify(r, server.getHost(), port, Transcript.safeUri(server), redactor, Instant.now());
  }

  /** The failure of an error response of this sender's server. */
  Failure.Builder status(HttpDialect.Response response, String note) {
    return withNote(classify(dialect, response, server, port, redactor), note);
  }

  /** Builds the exception; the cause is kept only when its text cannot hold the key. */
  SendException fail(Failure.Builder b, Throwable cause) {
    Failure f = b.build();
    LOG.debug("Send to {} failed: {}", where(), f);
    return new SendException(f, cause == null ? null : SafeCause.of(cause, redactor));
  }

  /** The dialect could not build the request, or the HTTP client refused it. */
  SendException buildFailed(Throwable e, String note) {
    TokenEndpointException token = NetworkFailures.find(e, TokenEndpointException.class);
    if (token != null) {
      // Mailroom's own token suppliers: the token endpoint's refusal, already classified and redacted
      LOG.debug("Send to {} failed: {}", where(), token.failure());
      return new SendException(token.failure());
    }
    AttachmentReadException unreadable = NetworkFailures.find(e, AttachmentReadException.class);
    if (unreadable != null) {
      return attachment(unreadable, note);
    }
    SizeLimitException tooLarge = NetworkFailures.find(e, SizeLimitException.class);
    if (tooLarge != null) {
      return fail(Failure.builder(FailureCategory.MESSAGE_REJECTED).server(host, port).provider(dialect.id())
          .message(tooLarge.getMessage() + "; nothing was sent" + note)
          .hint("hint.api.size-limit", tooLarge.limit()), null);
    }
    String raw = String.valueOf(e.getMessage());
    // the JDK's message quotes the refused header value, which may be anything the dialect put there
    String why = raw.startsWith("invalid header value") || raw.startsWith("invalid header name")
        ? raw.substring(0, raw.indexOf(':') > 0 ? raw.indexOf(':') : raw.length())
            + ": a line break or other character not allowed in HTTP headers (value not shown)"
        : Sanitizer.clean(raw, redactor, 300);
    return fail(Failure.builder(FailureCategory.CONFIGURATION).server(host, port)
        .message("The message cannot be sent with the " + dialect.id() + " HTTP dialect: " + why + note)
        .hint(e instanceof Refusal ? ((Refusal) e).hintKey() : "hint.CONFIGURATION",
            e instanceof Refusal ? ((Refusal) e).detail() : why), e instanceof IllegalArgumentException ? null : e);
  }

  /** The dialect built no request, or one with a header value that holds a line break. */
  SendException badRequest(String why, String note) {
    return fail(Failure.builder(FailureCategory.CONFIGURATION).server(host, port)
        .message("The request was not sent: " + why + note)
        .hint("hint.CONFIGURATION", why), null);
  }

  SendException attachment(AttachmentReadException e, String note) {
    return fail(Failure.builder(FailureCategory.CONFIGURATION)
        .message(Sanitizer.clean(e.getMessage(), redactor, 600) + note)
        .hint("hint.attachment.unreadable", e.filename()), e);
  }

  /** The send was interrupted by the caller (not the watchdog). */
  SendException interrupted(Progress p, String note, InterruptedException e) {
    if (p.bodyDone) {
      return fail(unknownOutcome("the send was interrupted", note), e);
    }
    return fail(Failure.builder(FailureCategory.CONNECTION).server(host, port)
        .message("The send to " + where() + " was interrupted before the request was sent" + note)
        .hint("hint.connection.lost", ""), e);
  }

  /**
   * The watchdog stopped the exchange: a timeout, or the sender was closed. Returns the response when its
   * status had arrived (judged by the status), else throws.
   */
  HttpDialect.Response timedOut(Progress p, String note, boolean closed) throws SendException {
    if (closed) {
      String why = "the mailer was closed while the message was being sent";
      if (p.bodyDone && !dialect.idempotent()) {
        throw fail(unknownOutcome(why, note), null);
      }
      throw fail(Failure.builder(FailureCategory.CONNECTION).server(host, port)
          .message("The send to " + where() + " stopped: " + why + note)
          .hint("hint.connection.lost", ""), null);
    }
    String after = " within the read timeout (" + readTimeout.toMillis() + " ms)";
    LOG.debug("Timeout on {} (request sent: {}, response started: {})", where(), p.bodyDone,
        p.response != null);
    if (p.response != null) {
      // the status arrived, the body did not: judge by the status
      return new HttpDialect.Response(p.response.statusCode(), p.response.headers(), "");
    }
    if (p.bodyDone) {
      if (dialect.idempotent()) {
        throw fail(Failure.builder(FailureCategory.TIMEOUT).transientFailure(true).server(host, port)
            .message("No answer from " + where() + after + " after the request was sent; retrying is"
                + " safe because the " + dialect.id() + " API ignores repeats of the same idempotency key"
                + note)
            .hint("hint.timeout.read", ""), null);
      }
      throw fail(unknownOutcome("no answer came" + after, note), null);
    }
    String what = p.subscribed ? "stopped taking the request" : "did not accept the request";
    throw fail(Failure.builder(FailureCategory.TIMEOUT).transientFailure(true).server(host, port)
        .message("The server " + where() + " " + what + after + "; the request was not completely sent"
            + note)
        .hint("hint.timeout.read", ""), null);
  }

  private Failure.Builder unknownOutcome(String what, String note) {
    return Failure.builder(FailureCategory.OUTCOME_UNKNOWN).server(host, port)
        .message("The request was sent to " + where() + " but " + what + ": the message may or may not"
            + " have been accepted, so it is not sent again automatically" + note)
        .hint("hint.outcome-unknown", "");
  }

  /**
   * The exchange failed with an exception. Returns the response when its status had arrived (judged by the
   * status), else throws the failure: connecting, TLS, not HTTP, a stale kept-alive connection, or lost.
   */
  HttpDialect.Response failed(Throwable t, Progress p, String note) throws SendException {
    AttachmentReadException unreadable = NetworkFailures.find(t, AttachmentReadException.class);
    if (unreadable != null) {
      throw attachment(unreadable, note);
    }
    if (p.response != null) {
      // lost while reading the body: the status tells what happened
      return new HttpDialect.Response(p.response.statusCode(), p.response.headers(), "");
    }
    IOException io = t instanceof IOException ? (IOException) t : new IOException(describe(t), t);
    boolean connecting = !p.subscribed || NetworkFailures.has(t, ConnectException.class)
        || NetworkFailures.has(t, UnknownHostException.class)
        || NetworkFailures.has(t, NoRouteToHostException.class)
        || NetworkFailures.has(t, HttpConnectTimeoutException.class)
        || NetworkFailures.has(t, SSLHandshakeException.class);
    if (connecting) {
      Failure.Builder b = NetworkFailures.classify(unwrapConnect(io), host, port,
          "https".equalsIgnoreCase(server.getScheme()));
      throw fail(withNote(b, note), t);
    }
    if (isProtocolError(t)) {
      String m = String.valueOf(t.getMessage());
      boolean tls = m.contains("[\u0015\u0003") || m.contains("[\u0016\u0003");
      throw fail(Failure.builder(FailureCategory.PROTOCOL).server(host, port)
          .message(tls ? "The server " + where() + " answered with TLS, not plain HTTP: use https:// in the"
              + " server URL" + note
              : "The server " + where() + " did not answer with valid HTTP (" + describe(t) + ")" + note)
          .hint("hint.PROTOCOL", ""), t);
    }
    if (p.received.get() == 0 && isStalePooledConnection(t)) {
      // the server had closed the idle kept-alive connection just as it was reused: it cannot have read
      // the request, so sending again is safe
      throw fail(Failure.builder(FailureCategory.CONNECTION).transientFailure(true).server(host, port)
          .message("The server " + where() + " had closed the kept-alive connection when the request was sent"
              + " on it; the request was not processed" + note)
          .hint("hint.connection.lost", ""), t);
    }
    if (p.bodyDone) {
      if (dialect.idempotent()) {
        throw fail(Failure.builder(FailureCategory.CONNECTION).transientFailure(true).server(host, port)
            .message("The connection to " + where() + " was lost after the request was sent ("
                + describe(t) + "); retrying is safe because the " + dialect.id()
                + " API ignores repeats of the same idempotency key" + note)
            .hint("hint.connection.lost", ""), t);
      }
      throw fail(unknownOutcome("the connection was lost before the answer (" + describe(t) + ")", note), t);
    }
    throw fail(Failure.builder(FailureCategory.CONNECTION).transientFailure(true).server(host, port)
        .message("The connection to " + where() + " was lost while the request was sent (" + describe(t)
            + ")" + note)
        .hint("hint.connection.lost", ""), t);
  }

  /**
   * True if the JDK's connection pool closed the connection under the request: an idle pooled connection
   * that the server had closed (the pool noticed the end of stream) was handed to this request at the same
   * moment. The server closed the connection while it was idle, before this request, so it did not process
   * it. Recognised by the pool's own "connection closed locally" from {@code ConnectionPool} (JDK 17 to 21).
   */
  static boolean isStalePooledConnection(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if ("connection closed locally".equals(c.getMessage())) {
        for (StackTraceElement e : c.getStackTrace()) {
          if (e.getClassName().startsWith("jdk.internal.net.http.ConnectionPool")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** True if the server's answer could not be parsed as HTTP (not a dropped or empty answer). */
  private static boolean isProtocolError(Throwable t) {
    if (NetworkFailures.has(t, java.net.ProtocolException.class)) {
      return true;
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m = c.getMessage();
      if (m != null && (m.contains("status line") || m.startsWith("Bad header") || m.contains("Invalid status"))) {
        return true;
      }
    }
    return false;
  }

  /** The JDK wraps connect failures; classify the innermost IOException that says what happened. */
  private static IOException unwrapConnect(IOException io) {
    for (Class<? extends IOException> type : List.of(UnknownHostException.class,
        HttpConnectTimeoutException.class, ConnectException.class, NoRouteToHostException.class)) {
      IOException found = NetworkFailures.find(io, type);
      if (found != null && !(found instanceof ConnectException && found.getCause() instanceof IOException
          && NetworkFailures.has(found.getCause(), UnknownHostException.class))) {
        return found;
      }
    }
    return io;
  }

  /** Server text for a receipt: redacted, then sanitized to at most {@code max} characters. */
  String clean(String serverText, int max) {
    return Sanitizer.clean(serverText, redactor, max);
  }

  /** A throwable's class and message, redacted and sanitized. */
  String describe(Throwable t) {
    String m = t.getMessage();
    return Sanitizer.clean(t.getClass().getSimpleName() + (m == null ? "" : ": " + m), redactor, 200);
  }

  private static Failure.Builder withNote(Failure.Builder b, String note) {
    if (note.isEmpty()) {
      return b;
    }
    return b.message(b.build().message() + note);
  }

  private String where() {
    return host + ":" + port;
  }
}
