package dev.mailroom;

import dev.mailroom.internal.AddressSyntax;
import dev.mailroom.internal.HostNames;
import dev.mailroom.internal.Text;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What a user enters in an email settings form, validated: the protocol (SMTP or HTTP), the server, the
 * login, the sender, the copy and reply-to addresses, and whether to verify the server's certificate.
 *
 * <pre>{@code
 * EmailSettings settings = EmailSettings.builder()
 *     .protocol(Protocol.SMTP)
 *     .host("smtp.gmail.com")
 *     .port(587)                       // STARTTLS, required
 *     .username("billing@acme.example")
 *     .password(appPassword)
 *     .senderName("Acme Ltd")
 *     .copyTo("archive@acme.example")
 *     .build();
 * }</pre>
 *
 * <p>An instance exists only when its settings are valid: {@link Builder#build()} checks every field and
 * throws {@link InvalidSettingsException} listing all problems at once. Defaults: port 465 uses
 * {@link TlsMode#IMPLICIT}, every other port {@link TlsMode#STARTTLS} (required, never a silent fallback);
 * {@link TlsMode#NONE} only when set. Certificates are verified unless
 * {@link Builder#verifyTlsCertificate(boolean)} is false. Connect timeout {@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} s,
 * read timeout {@value #DEFAULT_READ_TIMEOUT_SECONDS} s.
 *
 * <p>Settings also come from a URL ({@link #fromUrl(String)}, e.g.
 * {@code smtp://billing@smtp.gmail.com:587?from=billing@acme.example}) and go to and from
 * {@link Properties} ({@link #toProperties(boolean)}, {@link #fromProperties(Properties)}).
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the password or API key.
 */
public final class EmailSettings {
  /** The default connect timeout in seconds. */
  public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
  /** The default read timeout in seconds. */
  public static final int DEFAULT_READ_TIMEOUT_SECONDS = 30;
  /** The default connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS);
  /** The default read timeout. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(DEFAULT_READ_TIMEOUT_SECONDS);

  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
  private static final Pattern DIALECT = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
  private static final java.util.Set<String> SECRET_PARAMS = java.util.Set.of("key", "secret", "token", "pass",
      "pwd", "auth", "authorization", "sig", "sign", "jwt", "bearer", "session", "sessionid", "sid", "code",
      "otp", "hash", "hmac");

  private final Protocol protocol;
  private final String host;
  private final int port;
  private final TlsMode tlsMode;
  private final String username;
  private final Secret password;
  private final String emailAddress;
  private final String senderName;
  private final String copyTo;
  private final String replyTo;
  private final boolean verifyTlsCertificate;
  private final URI httpServer;
  private final String httpDialect;
  private final Secret apiKey;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final ProviderPreset preset;
  private final AccessTokenSupplier oauth2;
  private final boolean tlsModeExplicit;
  private final Dkim dkim;

  private EmailSettings(Builder b, Protocol protocol, String host, int port, TlsMode tlsMode, URI httpServer) {
    this.protocol = protocol;
    this.host = host;
    this.port = port;
    this.tlsMode = tlsMode;
    this.username = b.username;
    this.password = b.password;
    // addresses are stored normalized once (IDNA): what toString() shows is what the envelope uses
    this.emailAddress = normalizedAddress(b.emailAddress);
    this.senderName = b.senderName;
    this.copyTo = normalizedAddress(b.copyTo);
    this.replyTo = normalizedAddress(b.replyTo);
    this.verifyTlsCertificate = b.verifyTlsCertificate;
    this.httpServer = httpServer;
    this.httpDialect = b.httpDialect;
    this.apiKey = b.apiKey;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.preset = b.preset;
    this.oauth2 = b.oauth2;
    this.tlsModeExplicit = b.tlsModeExplicit;
    this.dkim = b.dkim;
  }

  private static String normalizedAddress(String addrSpec) {
    return addrSpec == null ? null : AddressSyntax.normalizeAddrSpec(addrSpec);
  }

  /**
   * Starts empty settings.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder with these settings, e.g. to change one field.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.protocol = protocol;
    b.host = host;
    b.port = protocol == Protocol.SMTP ? Integer.valueOf(port) : b.port;
    b.tlsMode = tlsModeExplicit ? tlsMode : null;
    b.tlsModeExplicit = tlsModeExplicit;
    b.username = username;
    b.password = password;
    b.emailAddress = emailAddress;
    b.senderName = senderName;
    b.copyTo = copyTo;
    b.replyTo = replyTo;
    b.verifyTlsCertificate = verifyTlsCertificate;
    b.httpServer = httpServer == null ? null : httpServer.toString();
    b.httpDialect = httpDialect;
    b.apiKey = apiKey;
    b.connectTimeout = connectTimeout;
    b.readTimeout = readTimeout;
    b.preset = preset;
    b.oauth2 = oauth2;
    b.dkim = dkim;
    return b;
  }

  /**
   * Parses settings from a URL: {@code smtp://user@host:587?from=billing@acme.example},
   * {@code smtps://user:password@host:465} or {@code https://mail.example.com/send?reply-to=...}. See
   * {@link Builder#url(String)} for the parameters.
   *
   * @param url the URL
   * @return the settings
   * @throws InvalidSettingsException if the URL or the settings it gives are not valid
   */
  public static EmailSettings fromUrl(String url) {
    return builder().url(url).build();
  }

  /**
   * Reads settings from properties written by {@link #toProperties(boolean)}.
   *
   * @param properties the properties
   * @return the settings
   * @throws InvalidSettingsException if a key is unknown or the settings are not valid
   */
  public static EmailSettings fromProperties(Properties properties) {
    return builder().properties(properties, "").build();
  }

  /**
   * Writes these settings as properties (keys {@code protocol}, {@code host}, {@code port},
   * {@code tls-mode}, {@code username}, {@code email-address}, {@code sender-name}, {@code copy-to},
   * {@code reply-to}, {@code verify-tls-certificate}, {@code http-server}, {@code http-dialect},
   * {@code connect-timeout}, {@code read-timeout}, {@code preset} and, only when asked,
   * {@code password} and {@code api-key}). An OAuth2 token supplier cannot be written.
   *
   * @param includeSecrets whether to write the password and API key; store the result securely if so
   * @return new properties
   */
  public Properties toProperties(boolean includeSecrets) {
    return SettingsText.toProperties(this, includeSecrets);
  }

  boolean tlsModeExplicit() {
    return tlsModeExplicit;
  }

  /**
   * Returns the protocol.
   *
   * @return SMTP or HTTP
   */
  public Protocol protocol() {
    return protocol;
  }

  /**
   * Returns the SMTP server name (for HTTP, the HTTP server's host).
   *
   * @return the host, e.g. {@code smtp.gmail.com}
   */
  public Optional<String> host() {
    return Optional.ofNullable(host);
  }

  /**
   * Returns the SMTP port (for HTTP, the HTTP server's port, 443 or 80 when the URL has none).
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Returns the encryption: for SMTP as set or derived from the port; for HTTP {@code IMPLICIT} for
   * https and {@code NONE} for http.
   *
   * @return the TLS mode
   */
  public TlsMode tlsMode() {
    return tlsMode;
  }

  /**
   * Returns the login name.
   *
   * @return the username, or empty when the server needs no login
   */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /**
   * Returns the password.
   *
   * @return the password, or empty
   */
  public Optional<Secret> password() {
    return Optional.ofNullable(password);
  }

  /**
   * Returns the sender address entered because the username is not an email address.
   *
   * @return the email address, or empty
   */
  public Optional<String> emailAddress() {
    return Optional.ofNullable(emailAddress);
  }

  /**
   * Returns the sender's display name, e.g. the business name.
   *
   * @return the name, or empty
   */
  public Optional<String> senderName() {
    return Optional.ofNullable(senderName);
  }

  /**
   * Returns the address that gets a copy of every email (an envelope recipient no header shows).
   *
   * @return the address, or empty
   */
  public Optional<String> copyTo() {
    return Optional.ofNullable(copyTo);
  }

  /**
   * Returns where replies go when an email sets no reply-to of its own.
   *
   * @return the address, or empty
   */
  public Optional<String> replyTo() {
    return Optional.ofNullable(replyTo);
  }

  /**
   * Tells whether the server's certificate and host name are verified (the default). False is the form's
   * "Do not verify TLS certificate", meant only for one's own server with a self-signed certificate.
   *
   * @return true if certificates are verified
   */
  public boolean verifyTlsCertificate() {
    return verifyTlsCertificate;
  }

  /**
   * Returns the HTTP mail service URL.
   *
   * @return the URL, present for HTTP
   */
  public Optional<URI> httpServer() {
    return Optional.ofNullable(httpServer);
  }

  /**
   * Returns the id of the HTTP dialect, e.g. {@code form} or {@code sendgrid}.
   *
   * @return the dialect id, or empty to infer it from the server URL
   */
  public Optional<String> httpDialect() {
    return Optional.ofNullable(httpDialect);
  }

  /**
   * Returns the API key for HTTP APIs.
   *
   * @return the key, or empty
   */
  public Optional<Secret> apiKey() {
    return Optional.ofNullable(apiKey);
  }

  /**
   * Returns the connect timeout.
   *
   * @return the timeout, 10 seconds by default
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * Returns the read timeout: how long to wait for each server reply.
   *
   * @return the timeout, 30 seconds by default
   */
  public Duration readTimeout() {
    return readTimeout;
  }

  /**
   * Returns the provider preset these settings were made from.
   *
   * @return the preset, or empty
   */
  public Optional<ProviderPreset> preset() {
    return Optional.ofNullable(preset);
  }

  /**
   * Returns the OAuth2 access token supplier used instead of a password.
   *
   * @return the supplier, or empty
   */
  public Optional<AccessTokenSupplier> oauth2() {
    return Optional.ofNullable(oauth2);
  }

  /**
   * Returns the DKIM key that SMTP messages are signed with.
   *
   * @return the key, or empty to send unsigned (or signed by the server)
   */
  public Optional<Dkim> dkim() {
    return Optional.ofNullable(dkim);
  }

  /**
   * Returns the sender address: the {@link #emailAddress()}, else the username when it is an email
   * address, else (HTTP) the reply-to address.
   *
   * @return the sender address
   */
  public String fromAddress() {
    if (emailAddress != null) {
      return emailAddress;
    }
    if (username != null && AddressSyntax.isAddrSpec(username)) {
      return AddressSyntax.normalizeAddrSpec(username.strip());
    }
    return replyTo;
  }

  /**
   * Returns the sender as an {@link Address}: {@link #fromAddress()} with the {@link #senderName()}.
   *
   * @return the sender
   */
  public Address sender() {
    return senderName == null ? Address.of(fromAddress()) : Address.of(fromAddress(), senderName);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof EmailSettings)) {
      return false;
    }
    EmailSettings s = (EmailSettings) o;
    return protocol == s.protocol && port == s.port && verifyTlsCertificate == s.verifyTlsCertificate
        && Objects.equals(host, s.host) && tlsMode == s.tlsMode && Objects.equals(username, s.username)
        && Objects.equals(password, s.password) && Objects.equals(emailAddress, s.emailAddress)
        && Objects.equals(senderName, s.senderName) && Objects.equals(copyTo, s.copyTo)
        && Objects.equals(replyTo, s.replyTo) && Objects.equals(httpServer, s.httpServer)
        && Objects.equals(httpDialect, s.httpDialect) && Objects.equals(apiKey, s.apiKey)
        && connectTimeout.equals(s.connectTimeout) && readTimeout.equals(s.readTimeout)
        && Objects.equals(preset, s.preset) && Objects.equals(oauth2, s.oauth2) && Objects.equals(dkim, s.dkim);
  }

  @Override
  public int hashCode() {
    return Objects.hash(protocol, host, port, tlsMode, username, emailAddress, senderName, copyTo, replyTo,
        verifyTlsCertificate, httpServer, httpDialect, connectTimeout, readTimeout);
  }

  /** Describes the settings; the password and API key show as {@code ******}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("EmailSettings[protocol=").append(protocol);
    if (protocol == Protocol.SMTP) {
      b.append(", host=").append(host).append(", port=").append(port).append(", tlsMode=").append(tlsMode);
    } else {
      b.append(", httpServer=").append(httpServer);
      if (httpDialect != null) {
        b.append(", httpDialect=").append(httpDialect);
      }
    }
    append(b, "username", username);
    if (password != null) {
      b.append(", password=").append(password);
    }
    if (apiKey != null) {
      b.append(", apiKey=").append(apiKey);
    }
    if (oauth2 != null) {
      b.append(", oauth2=").append("******");
    }
    if (dkim != null) {
      b.append(", dkim=").append(dkim);
    }
    append(b, "emailAddress", emailAddress);
    append(b, "senderName", senderName);
    append(b, "copyTo", copyTo);
    append(b, "replyTo", replyTo);
    if (!verifyTlsCertificate) {
      b.append(", verifyTlsCertificate=false");
    }
    if (preset != null) {
      b.append(", preset=").append(preset.id());
    }
    if (!connectTimeout.equals(DEFAULT_CONNECT_TIMEOUT)) {
      b.append(", connectTimeout=").append(connectTimeout);
    }
    if (!readTimeout.equals(DEFAULT_READ_TIMEOUT)) {
      b.append(", readTimeout=").append(readTimeout);
    }
    return b.append(']').toString();
  }

  private static void append(StringBuilder b, String name, String value) {
    if (value != null) {
      b.append(", ").append(name).append('=').append(value);
    }
  }

  /**
   * Builds {@link EmailSettings}. Setters only store values; {@link #build()} checks them all and reports
   * every problem at once. For the string setters, {@code null} or a blank value clears the field, so a
   * form can pass its fields as they are; values are trimmed. Not thread-safe.
   */
  public static final class Builder {
    private Protocol protocol;
    private String host;
    private Integer port;
    private String portText;
    private TlsMode tlsMode;
    private boolean tlsModeExplicit;
    private String username;
    private Secret password;
    private String emailAddress;
    private String senderName;
    private String copyTo;
    private String replyTo;
    private boolean verifyTlsCertificate = true;
    private String httpServer;
    private String httpDialect;
    private Secret apiKey;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private ProviderPreset preset;
    private AccessTokenSupplier oauth2;
    private Dkim dkim;
    private final List<SettingsProblem> parseProblems = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the protocol. Required.
     *
     * @param value SMTP or HTTP; null clears
     * @return this builder
     */
    public Builder protocol(Protocol value) {
      this.protocol = value;
      return this;
    }

    /**
     * Sets the SMTP server name, e.g. {@code smtp.gmail.com}: a host name or IP address, without scheme,
     * port or spaces. Required for SMTP.
     *
     * @param value the host
     * @return this builder
     */
    public Builder host(String value) {
      this.host = clean(value);
      return this;
    }

    /**
     * Sets the SMTP port, 1 to 65535: 465 (SSL/TLS), 587 (STARTTLS) or 25 (not recommended). Required for
     * SMTP.
     *
     * @param value the port
     * @return this builder
     */
    public Builder port(int value) {
      this.port = value;
      this.portText = null;
      return this;
    }

    /**
     * Sets the encryption explicitly; without it, port 465 uses {@code IMPLICIT} and every other port
     * {@code STARTTLS}.
     *
     * @param value the mode; null goes back to deriving it from the port
     * @return this builder
     */
    public Builder tlsMode(TlsMode value) {
      this.tlsMode = value;
      this.tlsModeExplicit = value != null;
      return this;
    }

    /**
     * Sets the login name, often the email address.
     *
     * @param value the username
     * @return this builder
     */
    public Builder username(String value) {
      this.username = clean(value);
      return this;
    }

    /**
     * Sets the password of the username (often an app-specific password). Not trimmed.
     *
     * @param value the password; null or empty clears
     * @return this builder
     */
    public Builder password(String value) {
      this.password = value == null || value.isEmpty() ? null : Secret.of(value);
      return this;
    }

    /**
     * Sets the password of the username.
     *
     * @param value the password; null clears
     * @return this builder
     */
    public Builder password(Secret value) {
      this.password = value;
      return this;
    }

    /**
     * Sets the sender address. Required when the username is not an email address (or there is none).
     *
     * @param value the address, e.g. {@code billing@acme.example}
     * @return this builder
     */
    public Builder emailAddress(String value) {
      this.emailAddress = clean(value);
      return this;
    }

    /**
     * Sets the sender's display name, e.g. the business name.
     *
     * @param value the name
     * @return this builder
     */
    public Builder senderName(String value) {
      this.senderName = clean(value);
      return this;
    }

    /**
     * Sets the address that gets a copy of every email sent, e.g. an archive. It is added as an envelope
     * recipient; no header shows it to the other recipients.
     *
     * @param value one address
     * @return this builder
     */
    public Builder copyTo(String value) {
      this.copyTo = clean(value);
      return this;
    }

    /**
     * Sets where replies go when an email has no reply-to of its own. Required for HTTP.
     *
     * @param value one address
     * @return this builder
     */
    public Builder replyTo(String value) {
      this.replyTo = clean(value);
      return this;
    }

    /**
     * Sets whether to verify the server's certificate and host name; default true. False is the form's
     * "Do not verify TLS certificate": only for your own server with a self-signed certificate, never for
     * Gmail, Yahoo or Office 365. Senders log a warning when it is off.
     *
     * @param value false to accept any certificate
     * @return this builder
     */
    public Builder verifyTlsCertificate(boolean value) {
      this.verifyTlsCertificate = value;
      return this;
    }

    /**
     * Sets the URL of the HTTP mail service. Must be {@code https://}; {@code http://} only for
     * localhost. A URL without a scheme gets {@code https://}. Required for HTTP.
     *
     * @param value the URL
     * @return this builder
     */
    public Builder httpServer(String value) {
      this.httpServer = clean(value);
      return this;
    }

    /**
     * Sets the HTTP dialect by id ({@code form}, {@code sendgrid}, {@code mailgun}...); without it the
     * HTTP sender infers it from the server URL.
     *
     * @param value the dialect id
     * @return this builder
     */
    public Builder httpDialect(String value) {
      String v = clean(value);
      this.httpDialect = v == null ? null : v.toLowerCase(Locale.ROOT);
      return this;
    }

    /**
     * Sets the API key of an HTTP API.
     *
     * @param value the key; null or empty clears
     * @return this builder
     */
    public Builder apiKey(String value) {
      String v = value == null ? null : value.strip();
      this.apiKey = v == null || v.isEmpty() ? null : Secret.of(v);
      return this;
    }

    /**
     * Sets the API key of an HTTP API.
     *
     * @param value the key; null clears
     * @return this builder
     */
    public Builder apiKey(Secret value) {
      this.apiKey = value;
      return this;
    }

    /**
     * Sets how long to wait for a connection; default 10 seconds, at most 10 minutes.
     *
     * @param value the timeout
     * @return this builder
     */
    public Builder connectTimeout(Duration value) {
      this.connectTimeout = Objects.requireNonNull(value, "connectTimeout");
      return this;
    }

    /**
     * Sets how long to wait for each reply of the server; default 30 seconds, at most 10 minutes.
     *
     * @param value the timeout
     * @return this builder
     */
    public Builder readTimeout(Duration value) {
      this.readTimeout = Objects.requireNonNull(value, "readTimeout");
      return this;
    }

    /**
     * Applies a provider preset: sets the protocol to SMTP and the host, port and encryption to the
     * preset's. Later calls to {@link #host(String)}, {@link #port(int)} or {@link #tlsMode(TlsMode)}
     * override them.
     *
     * @param value the preset; null removes the preset reference (host and port stay)
     * @return this builder
     */
    public Builder preset(ProviderPreset value) {
      this.preset = value;
      if (value != null) {
        this.protocol = Protocol.SMTP;
        this.host = value.host();
        this.port = value.port();
        this.portText = null;
        this.tlsMode = null;
        this.tlsModeExplicit = false;
      }
      return this;
    }

    /**
     * Signs in with OAuth2 (XOAUTH2) instead of a password: Gmail, Microsoft 365 and Outlook.com. The
     * supplier is asked for a token on every new connection. Needs a username.
     *
     * @param value the token supplier; null clears
     * @return this builder
     */
    public Builder oauth2(AccessTokenSupplier value) {
      this.oauth2 = value;
      return this;
    }

    /**
     * Signs every SMTP message with this DKIM key (see {@link Dkim}). Only for protocol SMTP: HTTP APIs sign
     * with the keys configured in the provider's dashboard, so with HTTP this is a settings problem (field
     * {@code dkim}).
     *
     * @param value the key; null clears
     * @return this builder
     */
    public Builder dkim(Dkim value) {
      this.dkim = value;
      return this;
    }

    /**
     * Applies a settings URL. SMTP: {@code smtp://[user[:password]@]host[:port][?params]} (port 587 and
     * STARTTLS by default) or {@code smtps://...} (port 465, SSL/TLS); user and password are
     * percent-decoded. HTTP: {@code https://host/path?params} (or {@code http://} for localhost); the URL
     * without Mailroom's parameters becomes the server URL. Parameters: {@code from} (email address),
     * {@code name} (sender name), {@code copy-to}, {@code reply-to}, {@code verify-tls} ({@code true} or
     * {@code false}), {@code tls} ({@code implicit}, {@code starttls}, {@code none}),
     * {@code connect-timeout}, {@code read-timeout} (e.g. {@code 10s}, {@code 500ms}, {@code PT1M}),
     * {@code preset} (an id), {@code dialect} and {@code api-key} (HTTP). Unknown parameters are problems
     * for SMTP and stay in the server URL for HTTP.
     *
     * @param value the URL
     * @return this builder
     */
    public Builder url(String value) {
      SettingsText.applyUrl(this, Objects.requireNonNull(value, "url"));
      return this;
    }

    /**
     * Applies properties as written by {@link EmailSettings#toProperties(boolean)}, with an optional key
     * prefix such as {@code "mail."}. Keys with the prefix that Mailroom does not know are problems.
     *
     * @param properties the properties
     * @param prefix the key prefix, or empty
     * @return this builder
     */
    public Builder properties(Properties properties, String prefix) {
      SettingsText.applyProperties(this, Objects.requireNonNull(properties, "properties"),
          Objects.requireNonNull(prefix, "prefix"));
      return this;
    }

    // package-private hooks for SettingsText's parsers
    void portText(String text) {
      this.port = null;
      this.portText = text;
    }

    void problem(String field, String code, String message) {
      parseProblems.add(new SettingsProblem(field, code, message));
    }

    /**
     * Checks every field and builds the settings.
     *
     * @return the settings
     * @throws InvalidSettingsException listing every problem, field by field
     */
    public EmailSettings build() {
      List<SettingsProblem> problems = new ArrayList<>(parseProblems);
      if (protocol == null) {
        problems.add(new SettingsProblem("protocol", SettingsProblem.REQUIRED,
            "Choose a protocol: SMTP or HTTP."));
      }
      String h = null;
      int p = 0;
      TlsMode tls = null;
      URI server = null;
      if (protocol == Protocol.SMTP) {
        h = checkHost(problems);
        p = checkPort(problems);
        tls = checkTls(problems, p);
        checkCredentials(problems, h, tls);
        checkSender(problems);
        if (apiKey != null) {
          problems.add(new SettingsProblem("apiKey", SettingsProblem.CONFLICT,
              "apiKey is only used with HTTP; for SMTP put the key in password."));
        }
      } else if (protocol == Protocol.HTTP) {
        server = checkHttpServer(problems);
        if (server != null) {
          h = server.getHost();
          p = server.getPort() > 0 ? server.getPort() : "https".equals(server.getScheme()) ? 443 : 80;
          tls = "https".equals(server.getScheme()) ? TlsMode.IMPLICIT : TlsMode.NONE;
        }
        if (replyTo == null) {
          problems.add(new SettingsProblem("replyTo", SettingsProblem.REQUIRED,
              "replyTo is required for HTTP: enter the address where replies should go, usually your"
                  + " business address."));
        }
        if (httpDialect != null && !DIALECT.matcher(httpDialect).matches()) {
          problems.add(new SettingsProblem("httpDialect", SettingsProblem.INVALID,
              "httpDialect must be an id of lower-case letters, digits and '-', such as form or sendgrid: "
                  + Text.quote(httpDialect)));
        }
        checkSecretChars(problems, "apiKey", apiKey);
        if (dkim != null) {
          problems.add(new SettingsProblem("dkim", SettingsProblem.CONFLICT,
              "dkim is only used with SMTP: HTTP email APIs sign with the DKIM keys set up in the provider's"
                  + " dashboard. Remove the DKIM key from these settings and set up DKIM there."));
        }
        if (emailAddress != null) {
          checkAddress(problems, "emailAddress", emailAddress);
        }
      }
      if (copyTo != null) {
        checkAddress(problems, "copyTo", copyTo);
      }
      if (replyTo != null) {
        checkAddress(problems, "replyTo", replyTo);
      }
      if (senderName != null) {
        int bad = Text.firstForbidden(senderName);
        if (bad >= 0) {
          problems.add(new SettingsProblem("senderName", SettingsProblem.INVALID,
              Text.forbiddenMessage("senderName", senderName, bad, true)));
        } else if (Text.hasDangerousEncodedWord(senderName)) {
          problems.add(new SettingsProblem("senderName", SettingsProblem.INVALID,
              "senderName must not contain an encoded word that decodes to a line break: "
                  + Text.quote(senderName)));
        } else if (Text.disguisingProblem("senderName", senderName) != null) {
          problems.add(new SettingsProblem("senderName", SettingsProblem.INVALID,
              Text.disguisingProblem("senderName", senderName)));
        } else if (senderName.length() > 200) {
          problems.add(new SettingsProblem("senderName", SettingsProblem.INVALID,
              "senderName must be at most 200 characters long: " + senderName.length()));
        }
      }
      checkTimeout(problems, "connectTimeout", connectTimeout);
      checkTimeout(problems, "readTimeout", readTimeout);
      if (!problems.isEmpty()) {
        throw new InvalidSettingsException(problems);
      }
      return new EmailSettings(this, protocol, h, p, tls, server);
    }

    private String checkHost(List<SettingsProblem> problems) {
      if (host == null) {
        problems.add(new SettingsProblem("host", SettingsProblem.REQUIRED,
            "Enter the SMTP server name from your email provider, e.g. smtp.gmail.com."));
        return null;
      }
      String problem = HostNames.check("host", host);
      if (problem != null) {
        problems.add(new SettingsProblem("host", SettingsProblem.INVALID, problem));
        return null;
      }
      return host;
    }

    private int checkPort(List<SettingsProblem> problems) {
      if (portText != null) {
        return 0; // reported by the parser
      }
      if (port == null) {
        problems.add(new SettingsProblem("port", SettingsProblem.REQUIRED,
            "Enter the SMTP port: 465 (SSL/TLS) or 587 (STARTTLS)."));
        return 0;
      }
      if (port < 1 || port > 65535) {
        problems.add(new SettingsProblem("port", SettingsProblem.OUT_OF_RANGE,
            "port must be between 1 and 65535: " + port));
        return 0;
      }
      return port;
    }

    private TlsMode checkTls(List<SettingsProblem> problems, int p) {
      TlsMode mode;
      if (tlsModeExplicit && tlsMode != null) {
        mode = tlsMode;
      } else if (preset != null && p == preset.port()) {
        mode = preset.tlsMode();
      } else {
        mode = p == 465 ? TlsMode.IMPLICIT : TlsMode.STARTTLS;
      }
      if (mode == TlsMode.IMPLICIT && p == 587) {
        problems.add(new SettingsProblem("tlsMode", SettingsProblem.LIKELY_MISTAKE,
            "port 587 uses STARTTLS, not IMPLICIT TLS: set tlsMode STARTTLS, or use port 465 for IMPLICIT"));
      } else if (mode == TlsMode.STARTTLS && p == 465) {
        problems.add(new SettingsProblem("tlsMode", SettingsProblem.LIKELY_MISTAKE,
            "port 465 expects IMPLICIT TLS from the first byte, not STARTTLS: set tlsMode IMPLICIT, or use"
                + " port 587 for STARTTLS"));
      }
      return mode;
    }

    private void checkCredentials(List<SettingsProblem> problems, String h, TlsMode tls) {
      if (username != null) {
        int bad = Text.firstForbidden(username);
        if (bad >= 0) {
          problems.add(new SettingsProblem("username", SettingsProblem.INVALID,
              Text.forbiddenMessage("username", username, bad, true)));
        }
      }
      checkSecretChars(problems, "password", password);
      if (password != null && oauth2 != null) {
        problems.add(new SettingsProblem("password", SettingsProblem.CONFLICT,
            "Set either a password or oauth2, not both."));
      }
      if (username == null && (password != null || oauth2 != null)) {
        problems.add(new SettingsProblem("username", SettingsProblem.REQUIRED,
            "username is required when a password or OAuth2 token is set."));
      }
      if (username != null && password == null && oauth2 == null) {
        problems.add(new SettingsProblem("password", SettingsProblem.REQUIRED,
            "password is required for username " + Text.quote(username)
                + "; leave the username empty if the server needs no login."));
      }
      if (tls == TlsMode.NONE && (password != null || oauth2 != null) && h != null
          && !HostNames.isLoopback(h)) {
        problems.add(new SettingsProblem("tlsMode", SettingsProblem.INSECURE,
            "tlsMode NONE would send the password unencrypted to " + h
                + ": choose STARTTLS or IMPLICIT (plain text is only allowed to localhost)."));
      }
    }

    private void checkSender(List<SettingsProblem> problems) {
      if (emailAddress != null) {
        checkAddress(problems, "emailAddress", emailAddress);
      } else if (username == null) {
        problems.add(new SettingsProblem("emailAddress", SettingsProblem.REQUIRED,
            "emailAddress is required when there is no username: enter the sender's email address."));
      } else if (!AddressSyntax.isAddrSpec(username)) {
        problems.add(new SettingsProblem("emailAddress", SettingsProblem.REQUIRED,
            "emailAddress is required because the username " + Text.quote(username)
                + " is not an email address: enter the sender's email address."));
      }
    }

    private URI checkHttpServer(List<SettingsProblem> problems) {
      if (httpServer == null) {
        problems.add(new SettingsProblem("httpServer", SettingsProblem.REQUIRED,
            "Enter the URL of the HTTP mail service, e.g. https://email.example.com."));
        return null;
      }
      String text = httpServer.contains("://") ? httpServer : "https://" + httpServer;
      int authStart = text.indexOf("://") + 3;
      int authEnd = authStart;
      while (authEnd < text.length() && "/?#".indexOf(text.charAt(authEnd)) < 0) {
        authEnd++;
      }
      if (text.substring(authStart, authEnd).indexOf('@') >= 0) {
        problems.add(new SettingsProblem("httpServer", SettingsProblem.INSECURE,
            "httpServer must not contain a user name or password: put the key in apiKey."));
        return null;
      }
      URI uri;
      try {
        uri = new URI(text);
      } catch (java.net.URISyntaxException e) {
        // not echoed: a malformed URL may hold a secret anywhere
        problems.add(new SettingsProblem("httpServer", SettingsProblem.INVALID,
            "httpServer is not a valid URL: " + e.getReason().replaceAll("[^A-Za-z ]", "").strip()));
        return null;
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("https") && !scheme.equals("http")) {
        problems.add(new SettingsProblem("httpServer", SettingsProblem.INVALID,
            "httpServer must start with https://"
                + (uri.getScheme() == null ? "" : ", not " + Text.quote(uri.getScheme() + "://"))));
        return null;
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        problems.add(new SettingsProblem("httpServer", SettingsProblem.INVALID,
            "httpServer has no valid host name"));
        return null;
      }
      if (uri.getRawUserInfo() != null) {
        problems.add(new SettingsProblem("httpServer", SettingsProblem.INSECURE,
            "httpServer must not contain a user name or password: put the key in apiKey."));
        return null;
      }
      if (uri.getRawFragment() != null) {
        problems.add(new SettingsProblem("httpServer", SettingsProblem.INVALID,
            "httpServer must not contain a '#' fragment"));
        return null;
      }
      String hostProblem = HostNames.check("the host of httpServer", uri.getHost());
      if (hostProblem != null) {
        problems.add(new SettingsProblem("httpServer", SettingsProblem.INVALID, hostProblem));
        return null;
      }
      String secretParam = secretQueryParameter(uri.getRawQuery());
      if (secretParam != null) {
        // refused rather than masked: a URL is copied into logs, reports and screens in too many ways
        problems.add(new SettingsProblem("httpServer", SettingsProblem.INSECURE,
            "httpServer must not carry a secret in its query (parameter " + Text.quote(secretParam)
                + "): remove it from the URL and put the key in apiKey(...), which is never shown or logged."));
        return null;
      }
      if (scheme.equals("http") && !HostNames.isLoopback(uri.getHost())) {
        problems.add(new SettingsProblem("httpServer", SettingsProblem.INSECURE,
            "httpServer must use https:// (plain http:// is only allowed for localhost): "
                + Text.quote("http://" + uri.getHost())));
        return null;
      }
      try {
        return new URI(scheme, null, uri.getHost(), uri.getPort(),
            uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath(), uri.getQuery(), null);
      } catch (java.net.URISyntaxException e) {
        problems.add(new SettingsProblem("httpServer", SettingsProblem.INVALID,
            "httpServer is not a valid URL: " + e.getReason().replaceAll("[^A-Za-z ]", "").strip()));
        return null;
      }
    }

    /** The name of the first query parameter that looks like it holds a secret, or null. */
    private static String secretQueryParameter(String rawQuery) {
      if (rawQuery == null || rawQuery.isEmpty()) {
        return null;
      }
      for (String pair : rawQuery.split("[&;]")) {
        int eq = pair.indexOf('=');
        String rawName = eq < 0 ? pair : pair.substring(0, eq);
        String name;
        try {
          name = java.net.URLDecoder.decode(rawName, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          name = rawName;
        }
        String n = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (SECRET_PARAMS.contains(n) || n.endsWith("key") || n.endsWith("token") || n.endsWith("secret")
            || n.contains("password") || n.contains("passwd") || n.endsWith("signature")
            || n.endsWith("credential") || n.endsWith("credentials")) {
          return name.length() > 40 ? name.substring(0, 40) : name;
        }
      }
      return null;
    }

    private static void checkAddress(List<SettingsProblem> problems, String field, String value) {
      try {
        AddressSyntax.parseAddrSpec(value);
      } catch (AddressSyntax.AddressFormatException e) {
        String why = e.getMessage();
        boolean list = why.contains("not a list");
        problems.add(new SettingsProblem(field, SettingsProblem.INVALID, list
            ? field + " must be a single email address: " + Text.quote(value)
            : field + " is not a valid email address (" + why + "): " + Text.quote(value)));
      }
    }

    private static void checkSecretChars(List<SettingsProblem> problems, String field, Secret secret) {
      if (secret != null) {
        String v = secret.reveal();
        for (int i = 0; i < v.length(); i++) {
          char c = v.charAt(i);
          if (c < 0x20 || c == 0x7f) {
            problems.add(new SettingsProblem(field, SettingsProblem.INVALID,
                field + " must not contain line breaks or control characters."));
            return;
          }
        }
      }
    }

    private static void checkTimeout(List<SettingsProblem> problems, String field, Duration value) {
      if (value.isNegative() || value.isZero() || value.compareTo(MAX_TIMEOUT) > 0) {
        problems.add(new SettingsProblem(field, SettingsProblem.OUT_OF_RANGE,
            field + " must be more than 0 and at most 10 minutes: " + value));
      }
    }

    private static String clean(String value) {
      if (value == null) {
        return null;
      }
      String v = value.strip();
      return v.isEmpty() ? null : v;
    }
  }
}
