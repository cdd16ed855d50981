package dev.mailroom;

import dev.mailroom.internal.Messages;
import dev.mailroom.internal.Text;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Why a send failed: a {@link FailureCategory}, whether retrying later can help, where it happened, what
 * the server said, and a hint for the user in their language.
 *
 * <p>Server replies are kept verbatim but sanitized (control characters removed, cut to 512
 * characters). A failure never contains a password, API key or token. Immutable and thread-safe.
 */
public final class Failure {
  private static final int MAX_REPLY = 512;

  private final FailureCategory category;
  private final boolean transientFailure;
  private final String message;
  private final Integer code;
  private final String enhancedStatus;
  private final String serverReply;
  private final String host;
  private final Integer port;
  private final String provider;
  private final Duration retryAfter;
  private static final String NO_DETAIL = ".no-detail";

  private final String hintKey;
  private final String detail;

  private Failure(Builder b) {
    this.category = b.category;
    this.transientFailure = b.transientFailure;
    this.code = b.code;
    this.enhancedStatus = b.enhancedStatus;
    this.serverReply = b.serverReply;
    this.host = b.host;
    this.port = b.port;
    this.provider = b.provider;
    this.retryAfter = b.retryAfter;
    this.hintKey = b.hintKey;
    this.detail = b.detail;
    this.message = b.message != null ? b.message : defaultMessage();
  }

  /**
   * Starts a failure of the given category. Used by {@link dev.mailroom.spi.Sender} implementations.
   *
   * @param category the category
   * @return a builder
   */
  public static Builder builder(FailureCategory category) {
    return new Builder(Objects.requireNonNull(category, "category"));
  }

  /**
   * Returns the category.
   *
   * @return the category
   */
  public FailureCategory category() {
    return category;
  }

  /**
   * Tells whether the same send may succeed if tried again later (a 4xx SMTP reply, a 429 or 5xx HTTP
   * status, a connection dropped before the message was handed over). {@link Mailer} retries only
   * transient failures. Always false for {@link FailureCategory#OUTCOME_UNKNOWN}, where a retry could
   * deliver the message twice.
   *
   * @return true if retrying later may help
   */
  public boolean isTransient() {
    return transientFailure;
  }

  /**
   * Returns what failed and where, in English, e.g. {@code Authentication failed at smtp.gmail.com:587:
   * 535 5.7.8 Username and Password not accepted}. Never contains a secret.
   *
   * @return the message
   */
  public String message() {
    return message;
  }

  /**
   * Returns the server's reply code: the SMTP reply code (e.g. 535) or the HTTP status (e.g. 429).
   *
   * @return the code, or empty when the server sent none
   */
  public OptionalInt code() {
    return code == null ? OptionalInt.empty() : OptionalInt.of(code);
  }

  /**
   * Returns the enhanced status code of RFC 3463, e.g. {@code 5.7.8}.
   *
   * @return the enhanced status, or empty
   */
  public Optional<String> enhancedStatus() {
    return Optional.ofNullable(enhancedStatus);
  }

  /**
   * Returns the server's reply text (sanitized, at most 512 characters).
   *
   * @return the reply, or empty
   */
  public Optional<String> serverReply() {
    return Optional.ofNullable(serverReply);
  }

  /**
   * Returns the host the failure happened on.
   *
   * @return the host, or empty
   */
  public Optional<String> host() {
    return Optional.ofNullable(host);
  }

  /**
   * Returns the port the failure happened on.
   *
   * @return the port, or empty
   */
  public OptionalInt port() {
    return port == null ? OptionalInt.empty() : OptionalInt.of(port);
  }

  /**
   * Returns the id of the provider preset the failure was recognized for, e.g. {@code gmail}.
   *
   * @return the provider id, or empty
   */
  public Optional<String> provider() {
    return Optional.ofNullable(provider);
  }

  /**
   * Returns how long the server asked to wait before retrying ({@code Retry-After} and similar).
   *
   * @return the delay, or empty
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * Returns the key of the hint text, e.g. {@code hint.auth.gmail-app-password-required}; stable, for
   * applications that want their own wording.
   *
   * @return the hint key
   */
  public String hintKey() {
    return hintKey != null ? hintKey : "hint." + category.name();
  }

  /**
   * Returns a short title for the category in the given language, e.g. "The server rejected the login".
   *
   * @param locale the user's locale; English is used for languages without a translation
   * @return the title
   */
  public String title(Locale locale) {
    return Messages.CORE.get(locale, "title." + category.name());
  }

  /**
   * Returns what the user should do, in the given language: the likely cause and one action, with the
   * server's reply quoted where it helps. English, Bengali ({@code bn}) and Swahili ({@code sw}) are
   * complete; any other language gets English.
   *
   * @param locale the user's locale
   * @return the hint
   */
  public String hint(Locale locale) {
    String key = Messages.CORE.has(hintKey()) ? hintKey() : "hint." + category.name();
    if ((detail == null || detail.isEmpty()) && Messages.CORE.has(key + NO_DETAIL)) {
      key = key + NO_DETAIL; // the wording for when the detail (a name, a date) is not known
    }
    return Messages.CORE.get(locale, key, host == null ? "?" : host, port == null ? "?" : port.toString(),
        detail == null ? "" : detail, serverReply == null ? "" : reply());
  }

  /**
   * Returns the settings form's troubleshooting steps in the given language: re-check server, port and
   * authentication; check username and password (app-specific passwords); check that no firewall or
   * antivirus blocks SMTP; try the same settings in another mail client such as Thunderbird.
   *
   * @param locale the user's locale
   * @return the four steps
   */
  public static List<String> troubleshooting(Locale locale) {
    List<String> steps = new ArrayList<>(4);
    for (int i = 1; i <= 4; i++) {
      steps.add(Messages.CORE.get(locale, "troubleshooting." + i));
    }
    return List.copyOf(steps);
  }

  private String reply() {
    StringBuilder b = new StringBuilder();
    if (code != null && !serverReply.startsWith(code.toString())) {
      b.append(code).append(' ');
    }
    if (enhancedStatus != null && !serverReply.contains(enhancedStatus)) {
      b.append(enhancedStatus).append(' ');
    }
    return b.append(serverReply).toString();
  }

  private String defaultMessage() {
    StringBuilder b = new StringBuilder(title(Locale.ENGLISH));
    if (host != null) {
      b.append(" (").append(host);
      if (port != null) {
        b.append(':').append(port);
      }
      b.append(')');
    }
    if (serverReply != null) {
      b.append(": ").append(reply());
    } else if (detail != null && !detail.isEmpty()) {
      b.append(": ").append(detail);
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "Failure[" + category + (transientFailure ? ", transient" : ", permanent") + ", " + message + "]";
  }

  /** Builds a {@link Failure}. Not thread-safe. */
  public static final class Builder {
    private final FailureCategory category;
    private boolean transientFailure;
    private String message;
    private Integer code;
    private String enhancedStatus;
    private String serverReply;
    private String host;
    private Integer port;
    private String provider;
    private Duration retryAfter;
    private String hintKey;
    private String detail;

    private Builder(FailureCategory category) {
      this.category = category;
    }

    /**
     * Sets whether retrying later may help. Ignored (false) for {@link FailureCategory#OUTCOME_UNKNOWN}.
     *
     * @param value true if transient
     * @return this builder
     */
    public Builder transientFailure(boolean value) {
      this.transientFailure = value && category != FailureCategory.OUTCOME_UNKNOWN;
      return this;
    }

    /**
     * Sets the English message; without one, a message is made from the title, host, port and reply.
     *
     * @param value the message; must not contain a secret
     * @return this builder
     */
    public Builder message(String value) {
      this.message = Text.sanitize(Objects.requireNonNull(value, "message"), 2000);
      return this;
    }

    /**
     * Sets the server's reply code (SMTP code or HTTP status).
     *
     * @param value the code
     * @return this builder
     */
    public Builder code(int value) {
      this.code = value;
      return this;
    }

    /**
     * Sets the RFC 3463 enhanced status code, e.g. {@code 5.7.8}.
     *
     * @param value the code
     * @return this builder
     */
    public Builder enhancedStatus(String value) {
      this.enhancedStatus = Text.sanitize(Objects.requireNonNull(value, "enhancedStatus"), 16);
      return this;
    }

    /**
     * Sets the server's reply text; it is sanitized and cut to 512 characters.
     *
     * @param value the reply; must not contain a secret
     * @return this builder
     */
    public Builder serverReply(String value) {
      String s = Text.sanitize(Objects.requireNonNull(value, "serverReply"), MAX_REPLY);
      this.serverReply = s.isEmpty() ? null : s;
      return this;
    }

    /**
     * Sets where the failure happened.
     *
     * @param hostName the server host
     * @param portNumber the server port
     * @return this builder
     */
    public Builder server(String hostName, int portNumber) {
      this.host = Objects.requireNonNull(hostName, "host");
      this.port = portNumber;
      return this;
    }

    /**
     * Sets the id of the provider preset this failure was recognized for.
     *
     * @param id the preset id
     * @return this builder
     */
    public Builder provider(String id) {
      this.provider = Objects.requireNonNull(id, "provider");
      return this;
    }

    /**
     * Sets how long the server asked to wait before retrying.
     *
     * @param value the delay
     * @return this builder
     */
    public Builder retryAfter(Duration value) {
      this.retryAfter = Objects.requireNonNull(value, "retryAfter");
      return this;
    }

    /**
     * Sets the hint: a key of Mailroom's hint texts (e.g. {@code hint.auth.yahoo}) and the detail that
     * the text may quote (a recipient, a certificate name...). An unknown key falls back to the
     * category's hint.
     *
     * @param key the hint key
     * @param detailText the detail, or empty
     * @return this builder
     */
    public Builder hint(String key, String detailText) {
      this.hintKey = Objects.requireNonNull(key, "key");
      this.detail = Text.sanitize(Objects.requireNonNull(detailText, "detail"), MAX_REPLY);
      return this;
    }

    /**
     * Builds the failure.
     *
     * @return the failure
     */
    public Failure build() {
      return new Failure(this);
    }
  }
}
