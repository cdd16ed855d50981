package dev.mailroom.diagnostics;

import dev.mailroom.diagnostics.internal.Texts;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Something risky the diagnostics noticed even though the test may have passed: an unencrypted
 * connection, certificate checks turned off for a well-known provider, a sender address the provider will
 * refuse, a certificate re-signed by an antivirus or proxy.
 *
 * <p>Immutable and thread-safe.
 */
public final class DiagnosticWarning {
  /** Port 25 without encryption: the password and mail travel in plain text, and many networks block it. */
  public static final String UNENCRYPTED_PORT_25 = "unencrypted-port-25";
  /** No encryption on a server that is not on this computer. */
  public static final String UNENCRYPTED = "unencrypted";
  /** The server offers STARTTLS but the settings do not use it. */
  public static final String STARTTLS_AVAILABLE = "starttls-available";
  /** "Do not verify TLS certificate" is on for a well-known provider (never needed there). */
  public static final String VERIFY_OFF_WELL_KNOWN = "verify-off-well-known-provider";
  /** "Do not verify TLS certificate" is on (acceptable only for one's own server). */
  public static final String VERIFY_OFF = "verify-off";
  /** The sender address is on another domain than the login, which the provider refuses or rewrites. */
  public static final String SENDER_DOMAIN_MISMATCH = "sender-domain-mismatch";
  /** The certificate's issuer looks like an antivirus or proxy intercepting TLS. */
  public static final String TLS_INTERCEPTED = "tls-intercepted";
  /** The certificate expires within 14 days. */
  public static final String CERTIFICATE_EXPIRES_SOON = "certificate-expires-soon";
  /** Nothing was sent and the HTTP service has no check without sending: give a test recipient. */
  public static final String NOT_VERIFIED_WITHOUT_RECIPIENT = "not-verified-without-recipient";
  /** The server offers no sign-in although the settings have a username. */
  public static final String NO_AUTH_OFFERED = "no-auth-offered";

  private final String code;
  private final List<String> args;

  DiagnosticWarning(String code, List<String> args) {
    this.code = Objects.requireNonNull(code);
    this.args = List.copyOf(args);
  }

  /**
   * Returns the stable code, one of the constants of this class.
   *
   * @return the code
   */
  public String code() {
    return code;
  }

  /**
   * Returns the warning in English.
   *
   * @return the message
   */
  public String message() {
    return message(Locale.ENGLISH);
  }

  /**
   * Returns the warning in the user's language.
   *
   * @param locale the user's locale; English, Bengali and Swahili are available
   * @return the message
   */
  public String message(Locale locale) {
    return Texts.get(locale, "warning." + code, args.toArray());
  }

  @Override
  public String toString() {
    return code + ": " + message();
  }
}
