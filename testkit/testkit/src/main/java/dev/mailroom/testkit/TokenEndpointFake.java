package dev.mailroom.testkit;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import dev.mailroom.Secret;
import dev.mailroom.internal.TokenJson;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The OAuth2 token endpoints of {@link MailroomHttpServer}: Microsoft's {@code /{tenant}/oauth2/v2.0/token}
 * and Google's {@code /token}, speaking the refresh-token, client-credentials (secret or certificate
 * assertion) and JWT-bearer grants, with their real error answers. Assertions are verified with the keys
 * this fake made. Thread-safe.
 */
final class TokenEndpointFake {
  static final String TENANT = "mailroom-test-tenant";
  static final String MICROSOFT_PATH = "/" + TENANT + "/oauth2/v2.0/token";
  static final String GOOGLE_PATH = "/token";
  static final String SERVICE_ACCOUNT = "mailroom-fake@mailroom-test.iam.gserviceaccount.com";

  final String clientId = "client-" + UUID.randomUUID();
  final Secret clientSecret = Secret.of("secret-" + UUID.randomUUID());
  private volatile Secret refreshToken = Secret.of("refresh-" + UUID.randomUUID());
  private final boolean rotate;
  private final Duration lifetime;
  private final Map<String, Long> issued = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final Deque<ResponseDefinition> faults = new ArrayDeque<>();
  private final Deque<Duration> delays = new ArrayDeque<>();
  private final KeyPair serviceAccountKey;
  private final KeyPair clientKey;
  private final X509Certificate clientCertificate;

  TokenEndpointFake(Duration lifetime, boolean rotate) {
    this.lifetime = lifetime;
    this.rotate = rotate;
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      this.serviceAccountKey = g.generateKeyPair();
      this.clientKey = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make an RSA key", e);
    }
    this.clientCertificate = TestCertificates.rsaClientCertificate("Mailroom test application", clientKey);
  }

  boolean handles(Request r) {
    String path = r.getUrl().split("\\?")[0];
    return RequestMethod.POST.equals(r.getMethod())
        && (path.equals(GOOGLE_PATH) || path.matches("/[^/]+/oauth2/v2\\.0/token"));
  }

  Secret refreshToken() {
    return refreshToken;
  }

  int requests() {
    return requests.get();
  }

  int tokensIssued() {
    return tokensIssued.get();
  }

  X509Certificate clientCertificate() {
    return clientCertificate;
  }

  java.security.PrivateKey clientCertificateKey() {
    return clientKey.getPrivate();
  }

  Secret serviceAccountKey(String tokenUri) {
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(serviceAccountKey.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("type", "service_account");
    key.put("project_id", "mailroom-test");
    key.put("private_key_id", "fake-key-1");
    key.put("private_key", pem);
    key.put("client_email", SERVICE_ACCOUNT);
    key.put("client_id", "1000000000001");
    key.put("token_uri", tokenUri);
    return Secret.of(new String(TokenJson.writeObject(key), StandardCharsets.UTF_8));
  }

  boolean valid(String accessToken) {
    Long expires = issued.get(accessToken);
    return expires != null && System.nanoTime() - expires < 0;
  }

  void revokeAccessTokens() {
    issued.clear();
  }

  void failNext(ResponseDefinition d) {
    synchronized (faults) {
      faults.add(d);
    }
  }

  void delayNext(Duration delay) {
    synchronized (faults) {
      delays.add(delay);
    }
  }

  void clear() {
    synchronized (faults) {
      faults.clear();
      delays.clear();
    }
  }

  ResponseDefinition answer(Request r) {
    requests.incrementAndGet();
    Duration delay;
    synchronized (faults) {
      delay = delays.poll();
    }
    ResponseDefinition a = answerNow(r);
    return delay == null ? a : ResponseDefinitionBuilder.like(a).withFixedDelay((int) Math.min(60_000,
        delay.toMillis())).build();
  }

  private ResponseDefinition answerNow(Request r) {
    ResponseDefinition fault;
    synchronized (faults) {
      fault = faults.poll();
    }
    if (fault != null) {
      return fault;
    }
    String path = r.getUrl().split("\\?")[0];
    boolean microsoft = !path.equals(GOOGLE_PATH);
    if (microsoft && !path.equals(MICROSOFT_PATH)) {
      return error(400, "invalid_request", "AADSTS90002: Tenant '" + path.split("/")[1].replaceAll("[^A-Za-z0-9.-]", "")
          + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct"
          + " cloud.", 90002);
    }
    Map<String, String> form = form(r.getBodyAsString());
    String grant = form.getOrDefault("grant_type", "");
    String tokenUri = (r.getAbsoluteUrl().split("\\?")[0]);
    switch (grant) {
      case "refresh_token":
        if (!clientId.equals(form.get("client_id"))) {
          return unknownClient(microsoft);
        }
        if (form.containsKey("client_secret") && !clientSecret.reveal().equals(form.get("client_secret"))) {
          return badSecret(microsoft);
        }
        if (!refreshToken.reveal().equals(form.get("refresh_token"))) {
          return microsoft
              ? error(400, "invalid_grant", "AADSTS70008: The provided authorization code or refresh token has"
                  + " expired due to inactivity. Send a new interactive authorization request for this user and"
                  + " resource.", 70008)
              : error(400, "invalid_grant", "Token has been expired or revoked.", 0);
        }
        return issue(rotate ? Secret.of("refresh-" + UUID.randomUUID()) : null);
      case "client_credentials":
        if (!clientId.equals(form.get("client_id"))) {
          return unknownClient(microsoft);
        }
        if (form.containsKey("client_assertion")) {
          if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))
              || !verify(form.get("client_assertion"), clientCertificate.getPublicKey(),
                  Map.of("iss", clientId, "sub", clientId, "aud", tokenUri))) {
            return error(401, "invalid_client", "AADSTS700027: The certificate with identifier used to sign the"
                + " client assertion is not registered on application.", 700027);
          }
        } else if (!clientSecret.reveal().equals(form.get("client_secret"))) {
          return badSecret(microsoft);
        }
        if (!form.getOrDefault("scope", "").endsWith("/.default")) {
          return error(400, "invalid_scope", "AADSTS1002012: The provided value for scope "
              + form.getOrDefault("scope", "").replaceAll("[^A-Za-z0-9:/._ -]", "")
              + " is not valid. Client credential flows must have a scope value with /.default suffixed to the"
              + " resource identifier (application ID URI).", 1002012);
        }
        return issue(null);
      case "urn:ietf:params:oauth:grant-type:jwt-bearer":
        if (!verify(form.get("assertion"), serviceAccountKey.getPublic(),
            Map.of("iss", SERVICE_ACCOUNT, "aud", tokenUri))) {
          return error(400, "invalid_grant", "Invalid JWT Signature.", 0);
        }
        return issue(null);
      default:
        return error(400, "unsupported_grant_type", "The grant type is not supported.", 0);
    }
  }

  private ResponseDefinition issue(Secret newRefresh) {
    String token = "at-" + UUID.randomUUID();
    issued.put(token, System.nanoTime() + lifetime.toNanos());
    tokensIssued.incrementAndGet();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token_type", "Bearer");
    body.put("expires_in", lifetime.toSeconds());
    body.put("access_token", token);
    if (newRefresh != null) {
      refreshToken = newRefresh;
      body.put("refresh_token", newRefresh.reveal());
    }
    return json(200, new String(TokenJson.writeObject(body), StandardCharsets.UTF_8));
  }

  private ResponseDefinition unknownClient(boolean microsoft) {
    return microsoft
        ? error(400, "unauthorized_client", "AADSTS700016: Application with identifier was not found in the"
            + " directory '" + TENANT + "'. This can happen if the application has not been installed by the"
            + " administrator of the tenant.", 700016)
        : error(401, "invalid_client", "The OAuth client was not found.", 0);
  }

  private ResponseDefinition badSecret(boolean microsoft) {
    return microsoft
        ? error(401, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being"
            + " sent in the request is the client secret value, not the client secret ID.", 7000215)
        : error(401, "invalid_client", "Unauthorized", 0);
  }

  static ResponseDefinition error(int status, String error, String description, int code) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    String json = new String(TokenJson.writeObject(body), StandardCharsets.UTF_8);
    if (code != 0) {
      json = json.substring(0, json.length() - 1) + ",\"error_codes\":[" + code + "],\"timestamp\":\""
          + Instant.now() + "\",\"trace_id\":\"" + UUID.randomUUID() + "\"}";
    }
    return json(status, json);
  }

  static ResponseDefinition json(int status, String body) {
    return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withHeader("Cache-Control", "no-store").withBody(body).build();
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    if (body == null || body.isEmpty()) {
      return out;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** Verifies an RS256 JWT's signature, lifetime and the given claims. */
  private static boolean verify(String jwt, PublicKey key, Map<String, String> claims) {
    if (jwt == null) {
      return false;
    }
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      return false;
    }
    try {
      Base64.Decoder d = Base64.getUrlDecoder();
      Map<String, String> header = TokenJson.readObject(new String(d.decode(parts[0]), StandardCharsets.UTF_8));
      Map<String, String> body = TokenJson.readObject(new String(d.decode(parts[1]), StandardCharsets.UTF_8));
      if (!"RS256".equals(header.get("alg"))) {
        return false;
      }
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(key);
      s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!s.verify(d.decode(parts[2]))) {
        return false;
      }
      long now = Instant.now().getEpochSecond();
      long exp = new BigInteger(body.getOrDefault("exp", "0")).longValue();
      if (exp < now || exp > now + 3700) {
        return false;
      }
      for (Map.Entry<String, String> c : claims.entrySet()) {
        if (!c.getValue().equals(body.get(c.getKey()))) {
          return false;
        }
      }
      return true;
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
