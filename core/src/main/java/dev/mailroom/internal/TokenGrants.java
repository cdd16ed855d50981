package dev.mailroom.internal;

import dev.mailroom.OAuth2;
import dev.mailroom.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth2 grants Mailroom speaks: what each sends to the token endpoint, which values are secrets, and
 * the RS256 JWTs of the certificate and service-account grants (signed with the JDK's
 * {@code SHA256withRSA}).
 */
public final class TokenGrants {
  private static final Logger LOG = LoggerFactory.getLogger(TokenGrants.class);
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  private static final String CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  private TokenGrants() {}

  /** One grant: the endpoint, the form it posts, and the secrets that must never show. */
  public interface Grant {
    /** The endpoint and scopes. */
    OAuth2.TokenEndpoint endpoint();

    /** A short name for messages: "refresh token", "client credentials", "service account". */
    String kind();

    /** The form fields of one token request (a signed assertion is made fresh for each). */
    Map<String, String> form() throws IOException;

    /** Values to redact from anything the endpoint echoes. */
    List<String> secrets();

    /** Called with the refresh token of an answer, if it has one. */
    default void refreshTokenIssued(Secret token) {}
  }

  /** The refresh-token grant. */
  public static Grant refreshToken(OAuth2.TokenEndpoint endpoint, String clientId, Secret clientSecret,
      Secret refreshToken, Consumer<Secret> onRotated) {
    return new Grant() {
      private volatile Secret current = refreshToken;

      @Override
      public OAuth2.TokenEndpoint endpoint() {
        return endpoint;
      }

      @Override
      public String kind() {
        return "refresh token";
      }

      @Override
      public Map<String, String> form() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "refresh_token");
        f.put("refresh_token", current.reveal());
        f.put("client_id", clientId);
        if (clientSecret != null) {
          f.put("client_secret", clientSecret.reveal());
        }
        if (!endpoint.scopes().isEmpty()) {
          f.put("scope", String.join(" ", endpoint.scopes()));
        }
        return f;
      }

      @Override
      public List<String> secrets() {
        List<String> s = new ArrayList<>();
        s.add(current.reveal());
        s.add(refreshToken.reveal());
        if (clientSecret != null) {
          s.add(clientSecret.reveal());
        }
        return s;
      }

      @Override
      public void refreshTokenIssued(Secret token) {
        if (token.equals(current)) {
          return;
        }
        current = token;
        LOG.debug("The OAuth2 token endpoint {} rotated the refresh token", endpoint.uri().getHost());
        if (onRotated != null) {
          try {
            onRotated.accept(token);
          } catch (RuntimeException e) {
            LOG.warn("The application's callback for a rotated refresh token failed ({}); the new refresh"
                + " token is used but may not have been stored", e.getClass().getName());
          }
        }
      }

      @Override
      public String toString() {
        return "refresh token grant at " + endpoint.uri().getHost();
      }
    };
  }

  /** The client-credentials grant with a client secret. */
  public static Grant clientSecret(OAuth2.TokenEndpoint endpoint, String clientId, Secret clientSecret) {
    return new Grant() {
      @Override
      public OAuth2.TokenEndpoint endpoint() {
        return endpoint;
      }

      @Override
      public String kind() {
        return "client credentials";
      }

      @Override
      public Map<String, String> form() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "client_credentials");
        f.put("client_id", clientId);
        f.put("client_secret", clientSecret.reveal());
        f.put("scope", String.join(" ", endpoint.scopes()));
        return f;
      }

      @Override
      public List<String> secrets() {
        return List.of(clientSecret.reveal());
      }

      @Override
      public String toString() {
        return "client credentials grant at " + endpoint.uri().getHost();
      }
    };
  }

  /** The client-credentials grant with a certificate (a signed client assertion, RFC 7523 section 2.2). */
  public static Grant clientCertificate(OAuth2.TokenEndpoint endpoint, String clientId, PrivateKey key,
      X509Certificate certificate) {
    if (!"RSA".equalsIgnoreCase(key.getAlgorithm())) {
      throw new IllegalArgumentException("the certificate's private key must be an RSA key, not "
          + key.getAlgorithm());
    }
    String x5t;
    String x5tS256;
    try {
      byte[] der = certificate.getEncoded();
      x5t = B64URL.encodeToString(MessageDigest.getInstance("SHA-1").digest(der));
      x5tS256 = B64URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalArgumentException("cannot read the certificate: " + e.getClass().getSimpleName());
    }
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "RS256");
    header.put("typ", "JWT");
    header.put("x5t", x5t);
    header.put("x5t#S256", x5tS256);
    return new SignedGrant(endpoint, "client credentials (certificate)", header, key) {
      @Override
      Map<String, Object> claims(long now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", endpoint.uri().toString());
        claims.put("iss", clientId);
        claims.put("sub", clientId);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("nbf", now - 60);
        claims.put("iat", now);
        claims.put("exp", now + 600);
        return claims;
      }

      @Override
      Map<String, String> form(String assertion) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "client_credentials");
        f.put("client_id", clientId);
        f.put("client_assertion_type", CLIENT_ASSERTION_TYPE);
        f.put("client_assertion", assertion);
        f.put("scope", String.join(" ", endpoint.scopes()));
        return f;
      }
    };
  }

  /** The JWT-bearer grant of a Google service account (RFC 7523 section 2.1, domain-wide delegation). */
  public static Grant googleServiceAccount(Secret keyJson, String subject, List<String> scopes) {
    Map<String, String> keyFile;
    try {
      keyFile = TokenJson.readObject(keyJson.reveal());
    } catch (IOException e) {
      throw new IllegalArgumentException("the service-account key is not a JSON object");
    }
    if (keyFile.containsKey("type") && !"service_account".equals(keyFile.get("type"))) {
      throw new IllegalArgumentException("the key is not a service-account key (its type is \""
          + Text.sanitize(keyFile.get("type"), 40) + "\", not \"service_account\")");
    }
    for (String field : List.of("client_email", "private_key")) {
      if (keyFile.getOrDefault(field, "").isBlank()) {
        throw new IllegalArgumentException("the service-account key has no " + field);
      }
    }
    String clientEmail = keyFile.get("client_email");
    String keyId = keyFile.get("private_key_id");
    PrivateKey key = pkcs8(keyFile.get("private_key"));
    OAuth2.TokenEndpoint endpoint = new OAuth2.TokenEndpoint(
        java.net.URI.create(keyFile.getOrDefault("token_uri", OAuth2.GOOGLE_TOKEN_URI)), scopes);
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "RS256");
    header.put("typ", "JWT");
    if (keyId != null && !keyId.isBlank()) {
      header.put("kid", keyId);
    }
    return new SignedGrant(endpoint, "service account", header, key) {
      @Override
      Map<String, Object> claims(long now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", clientEmail);
        claims.put("sub", subject);
        claims.put("scope", String.join(" ", scopes));
        claims.put("aud", endpoint.uri().toString());
        claims.put("iat", now);
        claims.put("exp", now + 3600);
        return claims;
      }

      @Override
      Map<String, String> form(String assertion) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", JWT_BEARER);
        f.put("assertion", assertion);
        return f;
      }
    };
  }

  /** A grant that posts an RS256 assertion, made fresh for each request. */
  private abstract static class SignedGrant implements Grant {
    private final OAuth2.TokenEndpoint endpoint;
    private final String kind;
    private final Map<String, Object> header;
    private final PrivateKey key;
    private volatile String lastAssertion = "";

    SignedGrant(OAuth2.TokenEndpoint endpoint, String kind, Map<String, Object> header, PrivateKey key) {
      this.endpoint = endpoint;
      this.kind = kind;
      this.header = header;
      this.key = key;
    }

    abstract Map<String, Object> claims(long nowSeconds);

    abstract Map<String, String> form(String assertion);

    @Override
    public OAuth2.TokenEndpoint endpoint() {
      return endpoint;
    }

    @Override
    public String kind() {
      return kind;
    }

    @Override
    public Map<String, String> form() throws IOException {
      String assertion = jwt(header, claims(Instant.now().getEpochSecond()), key);
      lastAssertion = assertion;
      return form(assertion);
    }

    @Override
    public List<String> secrets() {
      return List.of(lastAssertion);
    }

    @Override
    public String toString() {
      return kind + " grant at " + endpoint.uri().getHost();
    }
  }

  /** A compact JWS, RS256. */
  public static String jwt(Map<String, ?> header, Map<String, ?> claims, PrivateKey key) throws IOException {
    String signingInput = B64URL.encodeToString(TokenJson.writeObject(header)) + "."
        + B64URL.encodeToString(TokenJson.writeObject(claims));
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key);
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64URL.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot sign the OAuth2 assertion (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** An RSA private key from PEM ({@code -----BEGIN PRIVATE KEY-----}, PKCS #8). */
  static PrivateKey pkcs8(String pem) {
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(body);
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException("the service-account key's private_key is not a PKCS #8 RSA key in PEM");
    }
  }
}
