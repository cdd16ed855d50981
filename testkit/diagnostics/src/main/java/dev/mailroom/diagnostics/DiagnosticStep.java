package dev.mailroom.diagnostics;

import dev.mailroom.diagnostics.internal.Texts;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One step of {@link ConnectionDiagnostics}, like one stage of swaks: its {@link #name()}, whether it
 * worked, how long it took and what it found (e.g. the server's greeting, the capabilities, the TLS
 * version).
 *
 * <p>SMTP steps, in order: {@value #RESOLVE}, {@value #CONNECT}, {@value #TLS} (implicit TLS, port 465),
 * {@value #GREETING}, {@value #EHLO}, {@value #STARTTLS}, {@value #EHLO_TLS}, {@value #AUTH}, {@value #SEND}
 * (only with a test recipient), {@value #QUIT}, and {@value #PROBE} when a port/mode mistake was probed.
 * HTTP steps: {@value #RESOLVE}, {@value #CONNECT}, {@value #TLS}, {@value #REQUEST}, {@value #SEND}.
 * Steps that do not apply, or that did not run because an earlier one failed, are
 * {@link Status#SKIPPED}.
 *
 * <p>Immutable and thread-safe. Never contains a password, token or API key.
 */
public final class DiagnosticStep {
  /** Looking up the server's addresses. */
  public static final String RESOLVE = "resolve";
  /** Opening the TCP connection. */
  public static final String CONNECT = "connect";
  /** The TLS handshake right after connecting (SMTP port 465, https). */
  public static final String TLS = "tls";
  /** The server's greeting (SMTP 220). */
  public static final String GREETING = "greeting";
  /** EHLO and the server's capabilities. */
  public static final String EHLO = "ehlo";
  /** The STARTTLS command and its TLS handshake. */
  public static final String STARTTLS = "starttls";
  /** EHLO again, inside TLS. */
  public static final String EHLO_TLS = "ehlo-tls";
  /**
   * Getting an OAuth2 access token from the token endpoint, before signing in (SMTP XOAUTH2) or before the
   * key check of an API that takes a bearer token (Microsoft Graph, the Gmail API); a refusal names the cause
   * (refresh token expired, client secret wrong or expired, admin consent missing, wrong tenant...).
   */
  public static final String ACCESS_TOKEN = "access-token";
  /** Signing in (SMTP AUTH). */
  public static final String AUTH = "auth";
  /** Sending the test email to the test recipient. */
  public static final String SEND = "send";
  /** Ending the session (SMTP QUIT). */
  public static final String QUIT = "quit";
  /** Trying the other encryption mode after a port/mode mistake ("did you mean"). */
  public static final String PROBE = "probe";
  /** An HTTP API request that checks the key without sending mail. */
  public static final String REQUEST = "request";

  /** The outcome of a step. */
  public enum Status {
    /** The step worked. */
    OK,
    /** The step worked, but something deserves attention. */
    WARNING,
    /** The step failed; later steps are skipped. */
    FAILED,
    /** The step did not apply or did not run. */
    SKIPPED
  }

  private final String name;
  private final Status status;
  private final Duration duration;
  private final String detailKey;
  private final List<String> detailArgs;

  DiagnosticStep(String name, Status status, Duration duration, String detailKey, List<String> detailArgs) {
    this.name = Objects.requireNonNull(name);
    this.status = Objects.requireNonNull(status);
    this.duration = Objects.requireNonNull(duration);
    this.detailKey = Objects.requireNonNull(detailKey);
    this.detailArgs = List.copyOf(detailArgs);
  }

  /**
   * Returns the step's stable name, one of the constants of this class, e.g. {@value #AUTH}.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the step's name for users, e.g. "Sign in (AUTH)".
   *
   * @param locale the user's locale; English, Bengali and Swahili are available
   * @return the title
   */
  public String title(Locale locale) {
    return Texts.get(locale, "step." + name);
  }

  /**
   * Returns the outcome.
   *
   * @return the status
   */
  public Status status() {
    return status;
  }

  /**
   * Returns how long the step took; zero for skipped steps.
   *
   * @return the duration
   */
  public Duration duration() {
    return duration;
  }

  /**
   * Returns what the step found, in English, e.g. {@code 220 smtp.example.com ESMTP ready}.
   *
   * @return the detail, possibly empty
   */
  public String detail() {
    return detail(Locale.ENGLISH);
  }

  /**
   * Returns what the step found in the user's language (server replies are quoted as they are).
   *
   * @param locale the user's locale
   * @return the detail, possibly empty
   */
  public String detail(Locale locale) {
    return Texts.get(locale, detailKey, detailArgs.toArray());
  }

  /**
   * Returns the key of the detail text, e.g. {@code detail.auth.ok}; stable, for applications with their
   * own wording.
   *
   * @return the key
   */
  public String detailKey() {
    return detailKey;
  }

  @Override
  public String toString() {
    return name + " " + status + " " + duration.toMillis() + " ms: " + detail();
  }
}
