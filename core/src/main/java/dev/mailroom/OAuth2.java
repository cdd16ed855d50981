package dev.mailroom;

import dev.mailroom.internal.HostNames;
import dev.mailroom.internal.RenewingToken;
import dev.mailroom.internal.TokenGrants;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * OAuth2 access tokens that renew themselves: the token suppliers for Microsoft 365, Outlook.com and Google
 * that applications need instead of passwords.
 *
 * <pre>{@code
 * // Microsoft 365, app-only (client credentials): SMTP with XOAUTH2
 * AccessTokenSupplier token = OAuth2.clientCredentials(Presets.OFFICE365, "contoso.onmicrosoft.com",
 *     clientId, Secret.of(clientSecret));
 * EmailSettings settings = EmailSettings.builder().preset(Presets.OFFICE365)
 *     .username("billing@contoso.com").oauth2(token).build();
 * }</pre>
 *
 * <p>Every supplier made here
 * <ul>
 *   <li>caches the access token until shortly before it expires (a tenth of its lifetime, at most five
 *       minutes, before), then renews it;
 *   <li>renews it once for all concurrent callers: the others wait for that one request and share its
 *       result, token or failure;
 *   <li>retries a transient token-endpoint failure (connection refused or reset, timeout, HTTP 429 or 5xx)
 *       twice, after 0.5 s and 1 s (or the endpoint's {@code Retry-After}, at most 10 s);
 *   <li>forgets a token that a server refused ({@link AccessTokenSupplier#invalidate(Secret)}), so the
 *       sender's one retry gets a fresh one;
 *   <li>hands a rotated refresh token to the application's callback so that it can be stored;
 *   <li>fails with an {@link IOException} whose message says what the token endpoint refused and what to
 *       do; a send then fails with {@link FailureCategory#AUTHENTICATION} and a hint in the user's
 *       language (refresh token expired or revoked, client secret expired or wrong, admin consent missing,
 *       wrong tenant, domain-wide delegation missing).
 * </ul>
 *
 * <p>Client secrets, refresh tokens, private keys and access tokens are {@link Secret}s: never in logs,
 * {@code toString()}, exceptions or transcripts. Token endpoints are reached over {@code java.net.http}
 * with certificate and host name checks, a 10 s connect and 30 s request timeout, and no redirects; they
 * must be {@code https} (plain {@code http} only on loopback, for tests). Suppliers are thread-safe.
 */
public final class OAuth2 {
  /** Microsoft's scope for SMTP with a signed-in user (delegated). */
  public static final String MICROSOFT_SMTP_SCOPE = "https://outlook.office.com/SMTP.Send";
  /** Microsoft's scope for SMTP with the application's own identity (client credentials). */
  public static final String MICROSOFT_SMTP_APP_SCOPE = "https://outlook.office365.com/.default";
  /** Microsoft Graph's scope for sending mail as a signed-in user (delegated). */
  public static final String GRAPH_SCOPE = "https://graph.microsoft.com/Mail.Send";
  /** Microsoft Graph's scope with the application's own identity (client credentials, {@code Mail.Send}). */
  public static final String GRAPH_APP_SCOPE = "https://graph.microsoft.com/.default";
  /** Microsoft's scope that makes the token endpoint hand out a refresh token. */
  public static final String OFFLINE_ACCESS = "offline_access";
  /** Google's scope for SMTP and IMAP (XOAUTH2). */
  public static final String GOOGLE_MAIL_SCOPE = "https://mail.google.com/";
  /** The Gmail API's scope for sending only. */
  public static final String GMAIL_SEND_SCOPE = "https://www.googleapis.com/auth/gmail.send";
  /** Google's token endpoint. */
  public static final String GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";

  private static final Pattern TENANT = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$");

  private OAuth2() {}

  /**
   * Where tokens come from: the token endpoint and the scopes to ask for.
   *
   * @param uri the token endpoint; {@code https}, or {@code http} on a loopback address (tests)
   * @param scopes the scopes, possibly none (Google's refresh-token grant needs none)
   */
  public record TokenEndpoint(URI uri, List<String> scopes) {
    /**
     * Validates and copies.
     *
     * @param uri see the record component
     * @param scopes see the record component
     * @throws IllegalArgumentException if the URI is not an absolute https URI (or http on loopback), has
     *     user information or a fragment, or a scope is blank or holds a space or control character
     */
    public TokenEndpoint {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!uri.isAbsolute() || uri.getHost() == null
          || !(scheme.equals("https") || (scheme.equals("http") && HostNames.isLoopback(uri.getHost())))) {
        throw new IllegalArgumentException("the token endpoint must be an https URL (http only on loopback): "
            + safe(uri));
      }
      if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
        throw new IllegalArgumentException("the token endpoint must not hold user information or a fragment: "
            + safe(uri));
      }
      scopes = List.copyOf(scopes);
      for (String s : scopes) {
        if (s.isBlank() || !s.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
          throw new IllegalArgumentException("an OAuth2 scope must be printable ASCII without spaces: \""
              + s.replaceAll("\\p{Cntrl}", "?") + "\"");
        }
      }
    }

    /**
     * Makes an endpoint from a URL.
     *
     * @param uri the token endpoint URL
     * @param scopes the scopes
     * @return the endpoint
     * @throws IllegalArgumentException as the constructor
     */
    public static TokenEndpoint of(String uri, String... scopes) {
      return new TokenEndpoint(URI.create(Objects.requireNonNull(uri, "uri")), Arrays.asList(scopes));
    }

    /**
     * Returns the same endpoint asking for other scopes.
     *
     * @param newScopes the scopes
     * @return a new endpoint
     */
    public TokenEndpoint withScopes(String... newScopes) {
      return new TokenEndpoint(uri, Arrays.asList(newScopes));
    }

    private static String safe(URI uri) {
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
          + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
  }

  /**
   * The Microsoft identity platform's v2.0 token endpoint of a tenant.
   *
   * @param tenant the tenant: its id (a GUID), a verified domain such as {@code contoso.onmicrosoft.com},
   *     or {@code organizations}, {@code common}, {@code consumers}
   * @param scopes the scopes, e.g. {@link #MICROSOFT_SMTP_APP_SCOPE} or {@link #GRAPH_APP_SCOPE}
   * @return the endpoint
   * @throws IllegalArgumentException if the tenant is not a GUID, domain or one of the three words
   */
  public static TokenEndpoint microsoft(String tenant, String... scopes) {
    Objects.requireNonNull(tenant, "tenant");
    if (!TENANT.matcher(tenant).matches()) {
      throw new IllegalArgumentException("the Microsoft tenant must be its id (a GUID) or a domain such as"
          + " contoso.onmicrosoft.com: \"" + tenant.replaceAll("\\p{Cntrl}", "?") + "\"");
    }
    return TokenEndpoint.of("https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/token", scopes);
  }

  /**
   * Google's token endpoint.
   *
   * @param scopes the scopes, e.g. {@link #GOOGLE_MAIL_SCOPE} or {@link #GMAIL_SEND_SCOPE}
   * @return the endpoint
   */
  public static TokenEndpoint google(String... scopes) {
    return TokenEndpoint.of(GOOGLE_TOKEN_URI, scopes);
  }

  /**
   * The token endpoint and delegated (signed-in user) scopes of a preset for SMTP: Microsoft 365
   * ({@code office365}: the tenant's endpoint, {@link #MICROSOFT_SMTP_SCOPE} and {@link #OFFLINE_ACCESS}),
   * Outlook.com ({@code outlook}: the {@code consumers} endpoint, same scopes) and Gmail ({@code gmail}:
   * {@link #GOOGLE_TOKEN_URI}, {@link #GOOGLE_MAIL_SCOPE}).
   *
   * @param preset the preset
   * @param tenant the Microsoft 365 tenant (ignored for Outlook.com and Gmail; may then be null)
   * @return the endpoint, or empty if Mailroom does not know the preset's token endpoint
   */
  public static Optional<TokenEndpoint> tokenEndpoint(ProviderPreset preset, String tenant) {
    if (!Presets.isBuiltIn(Objects.requireNonNull(preset, "preset"))) {
      return Optional.empty();
    }
    switch (preset.id()) {
      case "office365":
        return Optional.of(microsoft(tenant == null ? "organizations" : tenant, MICROSOFT_SMTP_SCOPE,
            OFFLINE_ACCESS));
      case "outlook":
        return Optional.of(microsoft("consumers", MICROSOFT_SMTP_SCOPE, OFFLINE_ACCESS));
      case "gmail":
        return Optional.of(google(GOOGLE_MAIL_SCOPE));
      default:
        return Optional.empty();
    }
  }

  private static TokenEndpoint requireEndpoint(ProviderPreset preset, String tenant) {
    return tokenEndpoint(preset, tenant).orElseThrow(() -> new IllegalArgumentException("Mailroom knows no"
        + " OAuth2 token endpoint for the preset " + preset.id() + "; give an OAuth2.TokenEndpoint instead"));
  }

  // ---- refresh token

  /**
   * The refresh-token grant (RFC 6749 section 6): a user signed in once, the application stored the
   * refresh token; Google and Microsoft delegated access.
   *
   * @param endpoint the token endpoint and scopes
   * @param clientId the application (client) id
   * @param clientSecret the client secret, or null for a public client
   * @param refreshToken the refresh token
   * @return a supplier that renews the access token itself
   */
  public static AccessTokenSupplier refreshToken(TokenEndpoint endpoint, String clientId, Secret clientSecret,
      Secret refreshToken) {
    return refreshToken(endpoint, clientId, clientSecret, refreshToken, null);
  }

  /**
   * The refresh-token grant, handing a rotated refresh token (Microsoft issues a new one with most
   * answers) to {@code onRotated} so the application can store it; the supplier uses the new one from then
   * on. The callback runs on the renewing thread; an exception it throws is logged (without the token) and
   * otherwise ignored.
   *
   * @param endpoint the token endpoint and scopes
   * @param clientId the application (client) id
   * @param clientSecret the client secret, or null for a public client
   * @param refreshToken the refresh token
   * @param onRotated receives each new refresh token; may be null
   * @return a supplier that renews the access token itself
   */
  public static AccessTokenSupplier refreshToken(TokenEndpoint endpoint, String clientId, Secret clientSecret,
      Secret refreshToken, Consumer<Secret> onRotated) {
    return new RenewingToken(TokenGrants.refreshToken(Objects.requireNonNull(endpoint, "endpoint"),
        requireClientId(clientId), clientSecret, Objects.requireNonNull(refreshToken, "refreshToken"),
        onRotated));
  }

  /**
   * The refresh-token grant at a preset's token endpoint ({@link #tokenEndpoint(ProviderPreset, String)}).
   *
   * @param preset Microsoft 365, Outlook.com or Gmail
   * @param tenant the Microsoft 365 tenant (null for Outlook.com and Gmail)
   * @param clientId the application (client) id
   * @param clientSecret the client secret, or null for a public client
   * @param refreshToken the refresh token
   * @param onRotated receives each new refresh token; may be null
   * @return a supplier that renews the access token itself
   * @throws IllegalArgumentException if Mailroom knows no token endpoint for the preset
   */
  public static AccessTokenSupplier refreshToken(ProviderPreset preset, String tenant, String clientId,
      Secret clientSecret, Secret refreshToken, Consumer<Secret> onRotated) {
    return refreshToken(requireEndpoint(preset, tenant), clientId, clientSecret, refreshToken, onRotated);
  }

  // ---- client credentials

  /**
   * The client-credentials grant with a client secret: the application's own identity (Microsoft
   * app-only access, for SMTP with {@link #MICROSOFT_SMTP_APP_SCOPE} or Graph with {@link #GRAPH_APP_SCOPE}).
   *
   * @param endpoint the token endpoint and scopes
   * @param clientId the application (client) id
   * @param clientSecret the client secret
   * @return a supplier that renews the access token itself
   */
  public static AccessTokenSupplier clientCredentials(TokenEndpoint endpoint, String clientId,
      Secret clientSecret) {
    return new RenewingToken(TokenGrants.clientSecret(Objects.requireNonNull(endpoint, "endpoint"),
        requireClientId(clientId), Objects.requireNonNull(clientSecret, "clientSecret")));
  }

  /**
   * The client-credentials grant with a certificate: a client assertion (RFC 7523) signed RS256 with the
   * certificate's private key, its SHA-256 and SHA-1 thumbprints in the header, as Microsoft documents for
   * certificate credentials. The key never leaves the JVM.
   *
   * @param endpoint the token endpoint and scopes
   * @param clientId the application (client) id
   * @param privateKey the certificate's RSA private key
   * @param certificate the certificate uploaded to the app registration
   * @return a supplier that renews the access token itself
   * @throws IllegalArgumentException if the key is not an RSA key
   */
  public static AccessTokenSupplier clientCredentials(TokenEndpoint endpoint, String clientId,
      PrivateKey privateKey, X509Certificate certificate) {
    return new RenewingToken(TokenGrants.clientCertificate(Objects.requireNonNull(endpoint, "endpoint"),
        requireClientId(clientId), Objects.requireNonNull(privateKey, "privateKey"),
        Objects.requireNonNull(certificate, "certificate")));
  }

  /**
   * The client-credentials grant with a client secret at a preset's endpoint, with the app-only scope:
   * Microsoft 365 ({@link #MICROSOFT_SMTP_APP_SCOPE} at the tenant's endpoint). For Microsoft Graph use
   * {@code clientCredentials(OAuth2.microsoft(tenant, OAuth2.GRAPH_APP_SCOPE), clientId, clientSecret)}.
   *
   * @param preset Microsoft 365
   * @param tenant the tenant id or domain
   * @param clientId the application (client) id
   * @param clientSecret the client secret
   * @return a supplier that renews the access token itself
   * @throws IllegalArgumentException if the preset is not Microsoft 365 (app-only access exists there only)
   */
  public static AccessTokenSupplier clientCredentials(ProviderPreset preset, String tenant, String clientId,
      Secret clientSecret) {
    if (!Presets.isBuiltIn(Objects.requireNonNull(preset, "preset")) || !"office365".equals(preset.id())) {
      throw new IllegalArgumentException("the client-credentials grant works with the Microsoft 365 preset"
          + " (office365), not " + preset.id());
    }
    return clientCredentials(microsoft(Objects.requireNonNull(tenant, "tenant"), MICROSOFT_SMTP_APP_SCOPE),
        clientId, clientSecret);
  }

  // ---- Google service account

  /**
   * The JWT-bearer grant (RFC 7523) of a Google service account with domain-wide delegation: signs, RS256
   * with the JDK, an assertion that the account acts for {@code subject}, and trades it for a token at the
   * key's {@code token_uri}.
   *
   * @param keyJson the service account's JSON key, as downloaded from the Google Cloud console
   * @param subject the Workspace user to act for (the sender), e.g. {@code billing@example.com}
   * @param scopes the scopes; none means {@link #GOOGLE_MAIL_SCOPE}
   * @return a supplier that renews the access token itself
   * @throws IllegalArgumentException if the key is not a service-account key (the message names the missing
   *     field, never a value)
   */
  public static AccessTokenSupplier googleServiceAccount(Secret keyJson, String subject, String... scopes) {
    Objects.requireNonNull(keyJson, "keyJson");
    Objects.requireNonNull(subject, "subject");
    if (subject.isBlank() || !subject.contains("@")) {
      throw new IllegalArgumentException("the subject must be the email address of the user to act for");
    }
    List<String> s = scopes.length == 0 ? List.of(GOOGLE_MAIL_SCOPE) : Arrays.asList(scopes);
    return new RenewingToken(TokenGrants.googleServiceAccount(keyJson, subject, s));
  }

  /**
   * {@link #googleServiceAccount(Secret, String, String...)} with the key read from a file.
   *
   * @param keyFile the JSON key file
   * @param subject the Workspace user to act for
   * @param scopes the scopes; none means {@link #GOOGLE_MAIL_SCOPE}
   * @return a supplier that renews the access token itself
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if the key is not a service-account key
   */
  public static AccessTokenSupplier googleServiceAccount(Path keyFile, String subject, String... scopes)
      throws IOException {
    return googleServiceAccount(Secret.of(Files.readString(keyFile, StandardCharsets.UTF_8)), subject, scopes);
  }

  private static String requireClientId(String clientId) {
    Objects.requireNonNull(clientId, "clientId");
    if (clientId.isBlank() || !clientId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("the client id must be printable ASCII without spaces");
    }
    return clientId;
  }
}
