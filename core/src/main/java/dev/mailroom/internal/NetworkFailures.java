package dev.mailroom.internal;

import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Turns the exceptions of connecting and of the TLS handshake into {@link Failure}s with the right
 * category and hint, the same for SMTP and HTTP. Messages name host and port and never include a secret
 * (these exceptions carry none).
 */
public final class NetworkFailures {
  private NetworkFailures() {}

  /**
   * Classifies a failure to connect or to set up TLS.
   *
   * @param e the exception
   * @param host the server host
   * @param port the server port
   * @param implicitTls whether TLS was started on connect (SMTP port 465, https)
   * @return the failure builder, for the caller to add details
   */
  public static Failure.Builder classify(IOException e, String host, int port, boolean implicitTls) {
    String where = host + ":" + port;
    Destinations.DestinationRefusedException refused = find(e, Destinations.DestinationRefusedException.class);
    if (refused != null) {
      return refused.failure();
    }
    if (e instanceof UnknownHostException) {
      return Failure.builder(FailureCategory.CONNECTION).server(host, port)
          .message("Cannot find server " + host + ": the name does not resolve")
          .hint("hint.connection.unknown-host", "");
    }
    if (e instanceof HttpConnectTimeoutException
        || (e instanceof SocketTimeoutException
            && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("connect timed out"))) {
      return Failure.builder(FailureCategory.CONNECTION).server(host, port)
          .message("No answer from " + where + " within the connect timeout")
          .hint("hint.connection.connect-timeout", "");
    }
    if (e instanceof ConnectException || e instanceof NoRouteToHostException
        || has(e, ConnectException.class) || has(e, NoRouteToHostException.class)) {
      return Failure.builder(FailureCategory.CONNECTION).server(host, port)
          .message(where + " refused the connection")
          .hint("hint.connection.refused", "");
    }
    SSLException ssl = find(e, SSLException.class);
    if (ssl != null) {
      return classifyTls(e, ssl, host, port, implicitTls);
    }
    if (e instanceof SocketTimeoutException) {
      return Failure.builder(FailureCategory.TIMEOUT).server(host, port).transientFailure(true)
          .message("No reply from " + where + " within the read timeout")
          .hint("hint.timeout.read", "");
    }
    if (e instanceof EOFException || e instanceof SocketException) {
      return Failure.builder(FailureCategory.CONNECTION).server(host, port).transientFailure(true)
          .message("The connection to " + where + " was lost: " + Text.sanitize(e.getMessage(), 200))
          .hint("hint.connection.lost", "");
    }
    return Failure.builder(FailureCategory.CONNECTION).server(host, port).transientFailure(true)
        .message("Connection to " + where + " failed: " + Text.sanitize(String.valueOf(e), 200))
        .hint("hint.CONNECTION", "");
  }

  private static Failure.Builder classifyTls(IOException e, SSLException ssl, String host, int port,
      boolean implicitTls) {
    String where = host + ":" + port;
    String all = messages(e).toLowerCase(Locale.ROOT);
    if (all.contains("weak key:")) {
      java.util.regex.Matcher key = WEAK_KEY.matcher(all);
      if (!key.find()) {
        return tls(host, port, "The certificate of " + where + " has a key that is too short to be safe",
            "hint.tls.weak-key", "");
      }
      String type = key.group(2).toUpperCase(Locale.ROOT);
      return tls(host, port, "The certificate of " + where + " has a key that is too short to be safe: a "
          + key.group(1) + "-bit " + type + " key; at least "
          + ("EC".equals(type) ? TlsPolicy.MIN_EC_BITS : TlsPolicy.MIN_RSA_BITS) + " bits are required",
          "hint.tls.weak-key", type + " " + key.group(1));
    }
    if (all.contains("only in the subject cn") || all.contains("no subject alternative names present")) {
      // the policy's refusal of a certificate without subjectAltName (or the JDK's, for an IP address)
      return tls(host, port, "The certificate of " + where + " names the server only in its subject (CN), not in"
          + " subjectAltName, so the host name cannot be checked", "hint.tls.no-subject-alt-name", "");
    }
    CertificateExpiredException expired = find(e, CertificateExpiredException.class);
    if (expired != null || all.contains("certificate expired") || all.contains("validity check failed")) {
      String when = expired == null ? "" : Text.sanitize(expired.getMessage(), 100);
      // the JDK's text is English and not a date the user can read: the hint says it without a date
      return tls(host, port, "The certificate of " + where + " has expired" + (when.isEmpty() ? "" : ": " + when),
          "hint.tls.expired", "");
    }
    if (find(e, CertificateNotYetValidException.class) != null) {
      return tls(host, port, "The certificate of " + where + " is not valid yet", "hint.tls.untrusted", "");
    }
    if (all.contains("no subject alternative") || all.contains("no name matching")
        || all.contains("subject alternative names") || e instanceof SSLPeerUnverifiedException) {
      // the JDK's message does not name the certificate's hosts; the diagnostics show them
      return tls(host, port, "The certificate of " + where + " does not match the host name " + host,
          "hint.tls.hostname-mismatch", "");
    }
    if (all.contains("pkix path") || all.contains("unable to find valid certification path")
        || find(e, CertPathValidatorException.class) != null || all.contains("self signed")
        || all.contains("self-signed") || all.contains("unknown_ca") || all.contains("trustanchors")) {
      return tls(host, port, "The certificate of " + where + " is not trusted (self-signed, an unknown"
          + " issuer, or an antivirus or proxy intercepting TLS)", "hint.tls.untrusted", "");
    }
    if (all.contains("unrecognized ssl message") || all.contains("plaintext connection")
        || all.contains("unsupported or unrecognized ssl message") || all.contains("wrong version number")) {
      return tls(host, port, "TLS was started on " + where + ", but the server there does not speak TLS"
          + " from the first byte (it probably expects STARTTLS)", "hint.tls.tls-on-plain-port", "");
    }
    if (all.contains("protocol_version") || all.contains("no appropriate protocol")) {
      return tls(host, port, where + " offers only TLS versions older than TLS 1.2, which Mailroom does not"
          + " accept (the server's encryption is outdated)", "hint.tls.old-protocol", "");
    }
    if (all.contains("handshake_failure") || all.contains("insufficient_security")) {
      return tls(host, port, "No common TLS version or cipher with " + where
          + " (the server's encryption is outdated)", "hint.tls.old-protocol", "");
    }
    if (find(e, SocketException.class) != null || find(e, EOFException.class) != null
        || all.contains("remote host terminated") || all.contains("connection reset")
        || all.contains("closed")) {
      return Failure.builder(FailureCategory.CONNECTION).server(host, port).transientFailure(true)
          .message("The connection to " + where + " was closed during the TLS handshake")
          .hint("hint.connection.lost", "");
    }
    return tls(host, port, "The TLS handshake with " + where + " failed: "
        + Text.sanitize(ssl.getMessage(), 200), "hint.TLS", "");
  }

  /** The key in {@link TlsPolicy#checkKey}'s refusal, lower case: bits and algorithm. */
  private static final java.util.regex.Pattern WEAK_KEY = java.util.regex.Pattern.compile(
      "weak key: the server's certificate has a (\\d{1,6})-bit (rsa|dsa|ec) key");

  private static Failure.Builder tls(String host, int port, String message, String hint, String detail) {
    return Failure.builder(FailureCategory.TLS).server(host, port).message(message).hint(hint, detail);
  }

  /** Formats a certificate date for hints. */
  public static String date(java.util.Date d) {
    return DateTimeFormatter.ISO_LOCAL_DATE.format(d.toInstant().atZone(ZoneOffset.UTC));
  }

  /** True if {@code type} occurs in the cause chain of {@code t}. */
  public static boolean has(Throwable t, Class<? extends Throwable> type) {
    return find(t, type) != null;
  }

  /** The first throwable of {@code type} in the cause chain of {@code t}, or null. */
  public static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** All messages of the cause chain, joined. */
  public static String messages(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      b.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" | ");
    }
    return b.toString();
  }

  /** True if {@code e} is an {@link SSLHandshakeException} or has one as a cause. */
  public static boolean isHandshake(Throwable e) {
    return has(e, SSLHandshakeException.class);
  }
}
