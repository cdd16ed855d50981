package dev.mailroom.diagnostics;

import dev.mailroom.DestinationPolicy;
import dev.mailroom.internal.AddressSyntax;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link ConnectionDiagnostics} runs: whether to send a test email and to whom, the language of the
 * test email and of {@link DiagnosticReport#toText()}, whether to keep a transcript, whether to look up
 * MX records and to probe the other encryption mode after a port/mode mistake.
 *
 * <pre>{@code
 * DiagnosticOptions options = DiagnosticOptions.builder()
 *     .testRecipient("me@acme.example")   // send a test email; without it nothing is sent
 *     .locale(Locale.forLanguageTag("sw"))
 *     .transcript(true)
 *     .build();
 * }</pre>
 *
 * <p>Defaults ({@link #ofDefaults()}): no test recipient, English, no transcript, MX lookup on (skipped for
 * reserved domains such as {@code example.com} and {@code .test}), probe on, DNS timeout
 * {@value #DEFAULT_DNS_TIMEOUT_MILLIS} ms, the system's DNS servers, the JVM's trust store, every
 * destination allowed ({@link DestinationPolicy#ANY}). Immutable and thread-safe.
 */
public final class DiagnosticOptions {
  /** The default limit for a DNS lookup, in milliseconds. */
  public static final int DEFAULT_DNS_TIMEOUT_MILLIS = 3000;

  private static final DiagnosticOptions DEFAULTS = builder().build();

  private final String testRecipient;
  private final Locale locale;
  private final boolean transcript;
  private final boolean mxLookup;
  private final boolean probe;
  private final Duration dnsTimeout;
  private final List<String> dnsServers;
  private final KeyStore trustStore;
  private final DestinationPolicy destinationPolicy;

  private DiagnosticOptions(Builder b) {
    this.testRecipient = b.testRecipient;
    this.locale = b.locale;
    this.transcript = b.transcript;
    this.mxLookup = b.mxLookup;
    this.probe = b.probe;
    this.dnsTimeout = b.dnsTimeout;
    this.dnsServers = List.copyOf(b.dnsServers);
    this.trustStore = b.trustStore;
    this.destinationPolicy = b.destinationPolicy;
  }

  /**
   * Returns the default options: nothing is sent.
   *
   * @return the defaults
   */
  public static DiagnosticOptions ofDefaults() {
    return DEFAULTS;
  }

  /**
   * Starts options with the defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder with these options.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.testRecipient = testRecipient;
    b.locale = locale;
    b.transcript = transcript;
    b.mxLookup = mxLookup;
    b.probe = probe;
    b.dnsTimeout = dnsTimeout;
    b.dnsServers.addAll(dnsServers);
    b.trustStore = trustStore;
    b.destinationPolicy = destinationPolicy;
    return b;
  }

  /**
   * Returns where the test email goes; without one, the diagnostics stop after signing in and send nothing.
   *
   * @return the test recipient, or empty
   */
  public Optional<String> testRecipient() {
    return Optional.ofNullable(testRecipient);
  }

  /**
   * Returns the language of the test email and of {@link DiagnosticReport#toText()}.
   *
   * @return the locale, English by default
   */
  public Locale locale() {
    return locale;
  }

  /**
   * Tells whether the report keeps a transcript of the conversation (secrets redacted).
   *
   * @return true if a transcript is kept; false by default
   */
  public boolean transcript() {
    return transcript;
  }

  /**
   * Tells whether the MX records of the sender's domain are looked up to recognize the provider (e.g. a
   * company domain hosted by Google or Microsoft).
   *
   * @return true by default
   */
  public boolean mxLookup() {
    return mxLookup;
  }

  /**
   * Tells whether a port/mode mistake is probed with the other encryption mode ("did you mean").
   *
   * @return true by default
   */
  public boolean probe() {
    return probe;
  }

  /**
   * Returns the limit for each DNS lookup.
   *
   * @return the timeout
   */
  public Duration dnsTimeout() {
    return dnsTimeout;
  }

  /**
   * Returns the DNS servers for the MX lookup as {@code host[:port]}.
   *
   * @return the servers; empty means the system's
   */
  public List<String> dnsServers() {
    return dnsServers;
  }

  /**
   * Returns the trust store used instead of the JVM's default one.
   *
   * @return the trust store, or empty
   */
  public Optional<KeyStore> trustStore() {
    return Optional.ofNullable(trustStore);
  }

  /**
   * Returns which server addresses the diagnostics may connect to: every step and probe asks it about every
   * address of the server before connecting, as the senders do.
   *
   * @return the policy, {@link DestinationPolicy#ANY} unless set
   */
  public DestinationPolicy destinationPolicy() {
    return destinationPolicy;
  }

  @Override
  public String toString() {
    return "DiagnosticOptions[testRecipient=" + testRecipient + ", locale=" + locale.toLanguageTag()
        + ", transcript=" + transcript + ", mxLookup=" + mxLookup + ", probe=" + probe + ", dnsTimeout="
        + dnsTimeout + (dnsServers.isEmpty() ? "" : ", dnsServers=" + dnsServers)
        + (trustStore == null ? "" : ", trustStore=custom")
        + (destinationPolicy == DestinationPolicy.ANY ? "" : ", destinationPolicy=" + destinationPolicy) + "]";
  }

  /** Builds {@link DiagnosticOptions}. Not thread-safe. */
  public static final class Builder {
    private String testRecipient;
    private Locale locale = Locale.ENGLISH;
    private boolean transcript;
    private boolean mxLookup = true;
    private boolean probe = true;
    private Duration dnsTimeout = Duration.ofMillis(DEFAULT_DNS_TIMEOUT_MILLIS);
    private final List<String> dnsServers = new ArrayList<>();
    private KeyStore trustStore;
    private DestinationPolicy destinationPolicy = DestinationPolicy.ANY;

    private Builder() {}

    /**
     * Sets which servers the diagnostics may connect to, e.g. {@link DestinationPolicy#publicInternetOnly()}
     * in a hosted application where tenants type their own settings; use the same policy as the
     * application's {@link dev.mailroom.MailerOptions}. A refused server fails the connect step (or the
     * resolve step, for a name refused without a lookup) with a {@code CONFIGURATION} failure, and nothing
     * connects to it.
     *
     * @param value the policy; {@link DestinationPolicy#ANY} (the default) allows every server
     * @return this builder
     */
    public Builder destinationPolicy(DestinationPolicy value) {
      this.destinationPolicy = Objects.requireNonNull(value, "destinationPolicy");
      return this;
    }

    /**
     * Sends a test email to this address after signing in (SMTP), or through the API (HTTP).
     *
     * @param address an email address; null or blank sends nothing
     * @return this builder
     * @throws IllegalArgumentException if the address is not valid
     */
    public Builder testRecipient(String address) {
      if (address == null || address.isBlank()) {
        this.testRecipient = null;
        return this;
      }
      String a = address.strip();
      if (!AddressSyntax.isAddrSpec(a)) {
        throw new IllegalArgumentException("testRecipient is not a valid email address: "
            + dev.mailroom.internal.Text.quote(a));
      }
      this.testRecipient = a;
      return this;
    }

    /**
     * Sets the language of the test email and the default language of the report text.
     *
     * @param value the locale; English, Bengali ({@code bn}) and Swahili ({@code sw}) are available
     * @return this builder
     */
    public Builder locale(Locale value) {
      this.locale = Objects.requireNonNull(value, "locale");
      return this;
    }

    /**
     * Keeps a swaks-style transcript in the report; passwords, AUTH payloads and tokens show as
     * {@code ******}.
     *
     * @param value true to keep it
     * @return this builder
     */
    public Builder transcript(boolean value) {
      this.transcript = value;
      return this;
    }

    /**
     * Turns the MX lookup of the sender's domain on or off.
     *
     * @param value true to look up
     * @return this builder
     */
    public Builder mxLookup(boolean value) {
      this.mxLookup = value;
      return this;
    }

    /**
     * Turns the "did you mean" probe on or off.
     *
     * @param value true to probe
     * @return this builder
     */
    public Builder probe(boolean value) {
      this.probe = value;
      return this;
    }

    /**
     * Sets the limit for each DNS lookup.
     *
     * @param value more than zero, at most one minute
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder dnsTimeout(Duration value) {
      Objects.requireNonNull(value, "dnsTimeout");
      if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("dnsTimeout must be more than 0 and at most 1 minute: " + value);
      }
      this.dnsTimeout = value;
      return this;
    }

    /**
     * Uses these DNS servers for the MX lookup instead of the system's, e.g. {@code 127.0.0.1:5353}.
     *
     * @param servers {@code host[:port]} entries; none restores the system's
     * @return this builder
     * @throws IllegalArgumentException if an entry contains characters other than letters, digits,
     *     {@code .}, {@code -}, {@code :}, {@code [} and {@code ]}
     */
    public Builder dnsServers(String... servers) {
      dnsServers.clear();
      for (String s : servers) {
        Objects.requireNonNull(s, "dns server");
        if (!s.matches("[A-Za-z0-9.\\-:\\[\\]]+")) {
          throw new IllegalArgumentException("a DNS server must be host[:port]: " + dev.mailroom.internal.Text.quote(s));
        }
        dnsServers.add(s);
      }
      return this;
    }

    /**
     * Verifies certificates against this trust store instead of the JVM's default one, e.g. when the
     * application runs with its own trust store. Without it the diagnostics trust exactly what the senders
     * trust: the JVM's trust store ({@code javax.net.ssl.trustStore}), or, when the application replaced the
     * JVM's default context with {@code SSLContext.setDefault} (to trust its company CA, say), that context,
     * with the policy's protocol, key and subjectAltName floors added. Set this only to match what your
     * application's JVM trusts; when set, it wins over both.
     *
     * @param value the trust store; null restores the default
     * @return this builder
     */
    public Builder trustStore(KeyStore value) {
      this.trustStore = value;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public DiagnosticOptions build() {
      return new DiagnosticOptions(this);
    }
  }
}
