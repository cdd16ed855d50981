package dev.mailroom;

import dev.mailroom.internal.HostNames;
import dev.mailroom.internal.Messages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The SMTP settings of a known email provider, such as Gmail or Microsoft 365, with what a user has to
 * know to sign in. Apply one with {@link EmailSettings.Builder#preset(ProviderPreset)}; find one with
 * {@link Presets}. Plugin authors create their own with {@link #builder(String)} and publish them through
 * {@link dev.mailroom.spi.PresetProvider}.
 *
 * @param id a stable lower-case id such as {@code gmail}
 * @param displayName the name shown to users, e.g. "Gmail"
 * @param host the SMTP server
 * @param port the recommended port
 * @param tlsMode the encryption on that port
 * @param domains the email domains the provider serves, lower case (empty for services with custom
 *     domains)
 * @param appPasswordRequired whether a normal account password is refused and an app-specific password
 *     (usually with 2-step verification) is needed
 * @param oauth2Supported whether XOAUTH2 sign-in works
 * @param passwordSupported whether any password sign-in works (false for OAuth2-only providers)
 * @param authNotes how to sign in, in English
 * @param setupSteps the steps to set the account up, in English
 * @param sourceUrl where these settings are documented
 * @param limits the provider's published sending limits, with their source ({@link SendingLimits#none()}
 *     when it publishes none); a {@link Mailer} paces its sends to them
 */
public record ProviderPreset(
    String id,
    String displayName,
    String host,
    int port,
    TlsMode tlsMode,
    List<String> domains,
    boolean appPasswordRequired,
    boolean oauth2Supported,
    boolean passwordSupported,
    String authNotes,
    List<String> setupSteps,
    String sourceUrl,
    SendingLimits limits) {

  private static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");

  /**
   * Validates and copies the components.
   *
   * @throws IllegalArgumentException if the id, host, port or a domain is not valid
      * @param id see the record component
   * @param displayName see the record component
   * @param host see the record component
   * @param port see the record component
   * @param tlsMode see the record component
   * @param domains see the record component
   * @param appPasswordRequired see the record component
   * @param oauth2Supported see the record component
   * @param passwordSupported see the record component
   * @param authNotes see the record component
   * @param setupSteps see the record component
   * @param sourceUrl see the record component
   * @param limits see the record component
   */
  public ProviderPreset {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tlsMode, "tlsMode");
    Objects.requireNonNull(authNotes, "authNotes");
    Objects.requireNonNull(sourceUrl, "sourceUrl");
    Objects.requireNonNull(limits, "limits");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("preset id must be lower-case letters, digits and '-': \"" + id + "\"");
    }
    String hostProblem = HostNames.check("preset host", host);
    if (hostProblem != null) {
      throw new IllegalArgumentException(hostProblem);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("preset port must be between 1 and 65535: " + port);
    }
    domains = List.copyOf(domains);
    for (String d : domains) {
      if (!d.equals(d.toLowerCase(Locale.ROOT)) || HostNames.hostNameProblem(d) != null) {
        throw new IllegalArgumentException("preset domain must be a lower-case domain name: \"" + d + "\"");
      }
    }
    setupSteps = List.copyOf(setupSteps);
  }

  /**
   * Creates a preset without sending limits (the form before presets carried limits).
   *
   * @param id see the record component
   * @param displayName see the record component
   * @param host see the record component
   * @param port see the record component
   * @param tlsMode see the record component
   * @param domains see the record component
   * @param appPasswordRequired see the record component
   * @param oauth2Supported see the record component
   * @param passwordSupported see the record component
   * @param authNotes see the record component
   * @param setupSteps see the record component
   * @param sourceUrl see the record component
   * @throws IllegalArgumentException if the id, host, port or a domain is not valid
   */
  public ProviderPreset(String id, String displayName, String host, int port, TlsMode tlsMode,
      List<String> domains, boolean appPasswordRequired, boolean oauth2Supported, boolean passwordSupported,
      String authNotes, List<String> setupSteps, String sourceUrl) {
    this(id, displayName, host, port, tlsMode, domains, appPasswordRequired, oauth2Supported, passwordSupported,
        authNotes, setupSteps, sourceUrl, SendingLimits.none());
  }

  /**
   * Starts a preset for a plugin.
   *
   * @param id a stable id: lower-case letters, digits and '-'
   * @return a builder
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * Returns the setup steps in the user's language where Mailroom has a translation (Gmail and Yahoo in
   * Bengali and Swahili, from the settings form's help page), otherwise {@link #setupSteps()}.
   *
   * @param locale the user's locale
   * @return the steps
   */
  public List<String> setupSteps(Locale locale) {
    String key = "preset." + id + ".steps";
    String text = Messages.CORE.raw(locale, key);
    if (text == null || !Presets.isBuiltIn(this)) {
      return setupSteps;
    }
    return List.copyOf(Arrays.asList(Messages.CORE.get(locale, key).split("\\|")));
  }

  /**
   * Returns the OAuth2 token endpoint and delegated scopes for signing in to this provider's SMTP server:
   * Microsoft 365, Outlook.com and Gmail; see {@link OAuth2#tokenEndpoint(ProviderPreset, String)}.
   *
   * @param tenant the Microsoft 365 tenant id or domain (ignored for the others; may be null)
   * @return the endpoint, or empty for providers whose token endpoint Mailroom does not know
   */
  public java.util.Optional<OAuth2.TokenEndpoint> tokenEndpoint(String tenant) {
    return OAuth2.tokenEndpoint(this, tenant);
  }

  /**
   * Tells whether this preset serves the domain of an email address.
   *
   * @param domain a domain, any case
   * @return true if {@link #domains()} contains it
   */
  public boolean servesDomain(String domain) {
    return domains.contains(domain.toLowerCase(Locale.ROOT));
  }

  /** Builds a {@link ProviderPreset}. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private String displayName;
    private String host;
    private int port;
    private TlsMode tlsMode;
    private final List<String> domains = new ArrayList<>();
    private boolean appPasswordRequired;
    private boolean oauth2Supported;
    private boolean passwordSupported = true;
    private String authNotes = "";
    private final List<String> setupSteps = new ArrayList<>();
    private String sourceUrl = "";
    private SendingLimits limits = SendingLimits.none();

    private Builder(String id) {
      this.id = Objects.requireNonNull(id, "id");
      this.displayName = id;
    }

    /**
     * Sets the name shown to users.
     *
     * @param value the name
     * @return this builder
     */
    public Builder displayName(String value) {
      this.displayName = Objects.requireNonNull(value, "displayName");
      return this;
    }

    /**
     * Sets the SMTP server, port and encryption.
     *
     * @param hostName the server
     * @param portNumber the port
     * @param mode the encryption
     * @return this builder
     */
    public Builder smtp(String hostName, int portNumber, TlsMode mode) {
      this.host = Objects.requireNonNull(hostName, "host");
      this.port = portNumber;
      this.tlsMode = Objects.requireNonNull(mode, "tlsMode");
      return this;
    }

    /**
     * Adds email domains the provider serves.
     *
     * @param values lower-case domains
     * @return this builder
     */
    public Builder domains(String... values) {
      domains.addAll(Arrays.asList(values));
      return this;
    }

    /**
     * Says that an app-specific password is needed.
     *
     * @param value true if a normal password is refused
     * @return this builder
     */
    public Builder appPasswordRequired(boolean value) {
      this.appPasswordRequired = value;
      return this;
    }

    /**
     * Says whether XOAUTH2 works.
     *
     * @param value true if OAuth2 is supported
     * @return this builder
     */
    public Builder oauth2Supported(boolean value) {
      this.oauth2Supported = value;
      return this;
    }

    /**
     * Says whether password sign-in works at all (default true).
     *
     * @param value false for OAuth2-only providers
     * @return this builder
     */
    public Builder passwordSupported(boolean value) {
      this.passwordSupported = value;
      return this;
    }

    /**
     * Sets how to sign in.
     *
     * @param value the notes, in English
     * @return this builder
     */
    public Builder authNotes(String value) {
      this.authNotes = Objects.requireNonNull(value, "authNotes");
      return this;
    }

    /**
     * Adds setup steps.
     *
     * @param steps the steps, in English
     * @return this builder
     */
    public Builder setupSteps(String... steps) {
      setupSteps.addAll(Arrays.asList(steps));
      return this;
    }

    /**
     * Sets where the settings are documented.
     *
     * @param value a URL
     * @return this builder
     */
    public Builder sourceUrl(String value) {
      this.sourceUrl = Objects.requireNonNull(value, "sourceUrl");
      return this;
    }

    /**
     * Sets the provider's published sending limits.
     *
     * @param value the limits, with their source
     * @return this builder
     */
    public Builder limits(SendingLimits value) {
      this.limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    /**
     * Builds the preset.
     *
     * @return the preset
     * @throws IllegalStateException if {@link #smtp(String, int, TlsMode)} was not called
     * @throws IllegalArgumentException if a value is not valid
     */
    public ProviderPreset build() {
      if (host == null) {
        throw new IllegalStateException("preset " + id + " needs smtp(host, port, tlsMode)");
      }
      return new ProviderPreset(id, displayName, host, port, tlsMode, domains, appPasswordRequired,
          oauth2Supported, passwordSupported, authNotes, setupSteps, sourceUrl, limits);
    }
  }
}
