package dev.mailroom.testkit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.mailroom.EmailSettings;
import dev.mailroom.Protocol;
import dev.mailroom.Secret;
import dev.mailroom.internal.Text;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A fake HTTP mail API on {@code 127.0.0.1} for tests (WireMock underneath) that speaks one dialect of
 * the HTTP sender: the settings form's own protocol ({@code form}), SendGrid, Mailgun, Postmark, Resend,
 * Brevo, Microsoft Graph ({@code graph}) or the Gmail API ({@code gmail}), both with OAuth2 token endpoints, or
 * Amazon SES v2 ({@code ses}, Signature Version 4 checked). It answers like the real API (status codes,
 * message ids, the API key check), turns every
 * accepted request into a {@link ReceivedEmail}, and hands out {@link EmailSettings} pointing at itself.
 *
 * <pre>{@code
 * @StartStop
 * static MailroomHttpServer api = MailroomHttpServer.builder().dialect("sendgrid").build();
 *
 * @Test
 * void retriesAfterRateLimit() throws Exception {
 *   api.failNext(429, Duration.ofSeconds(1));               // one 429 with Retry-After: 1
 *   try (Mailer mailer = Mailer.open(api.settings())) {
 *     mailer.send(invoice);
 *   }
 *   MailAssertions.assertThat(api.awaitOne(Duration.ofSeconds(5))).hasAttachment("INV-1.pdf");
 * }
 * }</pre>
 *
 * <p>Dialects without blind copies ({@code form}) get one request per blind recipient, so the settings'
 * copy address arrives as a {@link ReceivedEmail} of its own. Inline images arrive as attachments with their
 * {@link ReceivedAttachment#contentId()}; Graph's {@code internetMessageId} as the Message-ID; each of SES's
 * {@code EmailTags} as a header {@code x-mailroom-ses-email-tag: Name=Value}. Without JUnit call
 * {@link #start()} and {@link #close()}; in JUnit 5 tests, {@link dev.mailroom.testkit.junit.StartStop} as for
 * {@link MailroomSmtpServer}: a {@code static} field serves a test class (mail is forgotten before each
 * test), an instance field one test. Thread-safe.
 */
public final class MailroomHttpServer extends ServerLifecycle<WireMockServer> {
  /** The dialects this server speaks. */
  public static final List<String> DIALECTS = List.of("form", "sendgrid", "mailgun", "postmark", "resend", "brevo",
      "graph", "gmail", "ses");
  /** The dialects whose fake takes OAuth2 bearer tokens from this server's token endpoints, not an API key. */
  private static final Set<String> OAUTH_DIALECTS = Set.of("graph", "gmail");
  /** The path the {@code form} dialect posts to. */
  public static final String FORM_PATH = "/api/send";
  /** The sender address of {@link #settings()}. */
  public static final String SENDER = "sender@mailroom.test";
  /** The reply-to address of {@link #settings()}, required for HTTP. */
  public static final String REPLY_TO = "office@mailroom.test";

  private final String dialect;
  private final Secret apiKey;
  private final TestCertificates.ServerCertificate certificate;
  private Path keyStoreFile;
  private final Inbox inbox = new Inbox();
  private final Deque<ResponseDefinition> faults = new ArrayDeque<>();
  private final TokenEndpointFake tokens;
  private final GraphFake graph;
  private final RawMailFake raw;
  private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

  private MailroomHttpServer(Builder b) {
    super("HTTP", b.clearBetweenTests);
    this.dialect = b.dialect;
    this.tokens = new TokenEndpointFake(b.tokenLifetime, b.rotateRefreshTokens);
    this.graph = new GraphFake(tokens::valid, path -> base() + path);
    this.raw = new RawMailFake(b.dialect, tokens::valid, path -> base() + path);
    this.certificate = b.certificate != null ? b.certificate : b.tls ? TestCertificates.selfSigned() : null;
    this.apiKey = b.apiKey != null ? b.apiKey
        : b.dialect.equals("form") || OAUTH_DIALECTS.contains(b.dialect) ? null
        : b.dialect.equals("ses") ? Secret.of(raw.accessKeyId + ":" + raw.secretAccessKey.reveal())
        : Secret.of("key-" + UUID.randomUUID());
  }

  /**
   * Creates a fake of the settings form's own HTTP mail service (dialect {@code form}, no API key).
   *
   * @return the server, not started yet
   */
  public static MailroomHttpServer create() {
    return builder().build();
  }

  /**
   * Starts configuring a server.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the server on a free port of {@code 127.0.0.1}. Does nothing if it runs already.
   *
   * @return this server
   */
  @Override
  public MailroomHttpServer start() {
    startIfStopped();
    return this;
  }

  @Override
  WireMockServer startServer() {
    WireMockConfiguration options = WireMockConfiguration.options()
        .bindAddress(MailroomSmtpServer.HOST)
        .containerThreads(16)
        .disableRequestJournal()
        .extensions(new Api());
    if (certificate == null) {
      options.dynamicPort();
    } else {
      try {
        keyStoreFile = Files.createTempFile("mailroom-https-", ".p12");
        certificate.writeKeyStore(keyStoreFile);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the HTTPS key store", e);
      }
      options.httpDisabled(true).dynamicHttpsPort()
          .keystoreType("PKCS12").keystorePath(keyStoreFile.toString())
          .keystorePassword(TestCertificates.KEY_STORE_PASSWORD)
          .keyManagerPassword(TestCertificates.KEY_STORE_PASSWORD);
    }
    WireMockServer s = new WireMockServer(options);
    s.start();
    s.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(WireMock.aResponse().withStatus(404)));
    return s;
  }

  @Override
  void stopServer(WireMockServer running) {
    running.stop();
    if (keyStoreFile != null) {
      try {
        Files.deleteIfExists(keyStoreFile);
      } catch (IOException e) {
        keyStoreFile.toFile().deleteOnExit();
      }
      keyStoreFile = null;
    }
  }

  /**
   * Returns the port.
   *
   * @return the port
   * @throws IllegalStateException if the server is not running
   */
  public int port() {
    synchronized (lock) {
      return certificate == null ? server().port() : server().httpsPort();
    }
  }

  /**
   * Returns the certificate this server presents over HTTPS: the self-signed one made for {@code localhost}
   * and {@code 127.0.0.1} ({@link Builder#tls(boolean)}), or the one given to
   * {@link Builder#tls(TestCertificates.ServerCertificate)}.
   *
   * @return the certificate, or empty for plain HTTP
   */
  public java.util.Optional<TestCertificates.ServerCertificate> certificate() {
    return java.util.Optional.ofNullable(certificate);
  }

  /**
   * Returns the dialect this server speaks.
   *
   * @return the dialect id
   */
  public String dialect() {
    return dialect;
  }

  /**
   * Returns the API key this server accepts.
   *
   * @return the key, or empty for the {@code form} dialect without a key
   */
  public java.util.Optional<Secret> apiKey() {
    return java.util.Optional.ofNullable(apiKey);
  }

  /**
   * Returns settings for this server: HTTP, {@code http://127.0.0.1:<port>} (plus {@link #FORM_PATH} for
   * {@code form}; {@code https://} with "Do not verify TLS certificate" for {@link Builder#tls(boolean)}), the dialect, the API key, sender {@link #SENDER}, reply-to {@link #REPLY_TO}, connect
   * and read timeouts of 10 s (generous, so that a loaded CI machine does not turn a slow reply into a
   * failure).
   *
   * @return the settings
   * @throws IllegalStateException if the server is not running
   */
  public EmailSettings settings() {
    return settingsBuilder().build();
  }

  /**
   * Returns a builder preset with {@link #settings()}.
   *
   * @return the builder
   * @throws IllegalStateException if the server is not running
   */
  public EmailSettings.Builder settingsBuilder() {
    String url = (certificate == null ? "http://" : "https://") + MailroomSmtpServer.HOST + ":" + port() + (dialect.equals("form") ? FORM_PATH : "");
    EmailSettings.Builder b = withTimeouts(EmailSettings.builder()
        .protocol(Protocol.HTTP)
        .httpServer(url)
        .httpDialect(dialect)
        .emailAddress(SENDER)
        .replyTo(REPLY_TO));
    if (certificate != null) {
      b.verifyTlsCertificate(false);
    }
    if (apiKey != null) {
      b.apiKey(apiKey);
    }
    if (dialect.equals("graph")) {
      b.oauth2(dev.mailroom.OAuth2.clientCredentials(tokenEndpoint(dev.mailroom.OAuth2.GRAPH_APP_SCOPE), clientId(),
          clientSecret()));
    } else if (dialect.equals("gmail")) {
      b.oauth2(dev.mailroom.OAuth2.googleServiceAccount(serviceAccountKey(), SENDER,
          dev.mailroom.OAuth2.GMAIL_SEND_SCOPE));
    } else if (dialect.equals("ses")) {
      b.httpServer(url + "?region=" + RawMailFake.SES_REGION);
    }
    return b;
  }

  // ---- OAuth2 token endpoints

  private String base() {
    return (certificate == null ? "http://" : "https://") + MailroomSmtpServer.HOST + ":" + port();
  }

  /**
   * Returns this server's fake of the Microsoft identity platform's token endpoint,
   * {@code /mailroom-test-tenant/oauth2/v2.0/token}, asking for {@code scopes}. It speaks the
   * refresh-token grant ({@link #clientId()}, {@link #clientSecret()}, {@link #refreshToken()}) and the
   * client-credentials grant (the secret, or a client assertion signed with {@link #clientCertificateKey()}),
   * and answers refusals as Microsoft does ({@code AADSTS70008}, {@code AADSTS7000215}, {@code AADSTS700016},
   * {@code AADSTS90002} for another tenant in the path, {@code AADSTS1002012}). Only over plain HTTP: the
   * token suppliers verify certificates.
   *
   * @param scopes the scopes to ask for (client credentials need one ending in {@code /.default})
   * @return the endpoint
   * @throws IllegalStateException if the server is not running
   */
  public dev.mailroom.OAuth2.TokenEndpoint tokenEndpoint(String... scopes) {
    return dev.mailroom.OAuth2.TokenEndpoint.of(base() + TokenEndpointFake.MICROSOFT_PATH, scopes);
  }

  /**
   * Returns this server's fake of Google's token endpoint, {@code /token}: the refresh-token grant and the
   * JWT-bearer grant of {@link #serviceAccountKey()}, with Google's refusals ({@code invalid_grant "Token has
   * been expired or revoked."}, {@code invalid_client}).
   *
   * @param scopes the scopes to ask for
   * @return the endpoint
   * @throws IllegalStateException if the server is not running
   */
  public dev.mailroom.OAuth2.TokenEndpoint googleTokenEndpoint(String... scopes) {
    return dev.mailroom.OAuth2.TokenEndpoint.of(base() + TokenEndpointFake.GOOGLE_PATH, scopes);
  }

  /**
   * Returns the Microsoft tenant of {@link #tokenEndpoint(String...)}.
   *
   * @return {@code mailroom-test-tenant}
   */
  public String tenant() {
    return TokenEndpointFake.TENANT;
  }

  /**
   * Returns the client (application) id the token endpoints accept.
   *
   * @return the client id
   */
  public String clientId() {
    return tokens.clientId;
  }

  /**
   * Returns the client secret the token endpoints accept.
   *
   * @return the secret
   */
  public Secret clientSecret() {
    return tokens.clientSecret;
  }

  /**
   * Returns the refresh token the token endpoints accept now (a new one after each use with
   * {@link Builder#rotateRefreshTokens(boolean)}).
   *
   * @return the refresh token
   */
  public Secret refreshToken() {
    return tokens.refreshToken();
  }

  /**
   * Returns the RSA private key of the application certificate the Microsoft token endpoint accepts client
   * assertions from.
   *
   * @return the key
   */
  public java.security.PrivateKey clientCertificateKey() {
    return tokens.clientCertificateKey();
  }

  /**
   * Returns the application certificate of {@link #clientCertificateKey()}.
   *
   * @return the certificate
   */
  public java.security.cert.X509Certificate clientCertificate() {
    return tokens.clientCertificate();
  }

  /**
   * Returns a Google service-account JSON key whose {@code token_uri} is {@link #googleTokenEndpoint}: the
   * fake verifies the signature of the assertions made with it.
   *
   * @return the key file's content
   * @throws IllegalStateException if the server is not running
   */
  public Secret serviceAccountKey() {
    return tokens.serviceAccountKey(base() + TokenEndpointFake.GOOGLE_PATH);
  }

  /**
   * Returns how many HTTP requests of any kind reached this server (sends, uploads, key checks, the token
   * endpoints) since it started or was last cleared: zero after an email was refused before its first byte.
   *
   * @return the count
   */
  public int requestCount() {
    return requests.get();
  }

  /**
   * Returns how many requests reached the token endpoints.
   *
   * @return the count
   */
  public int tokenRequests() {
    return tokens.requests();
  }

  /**
   * Returns how many access tokens the token endpoints issued.
   *
   * @return the count
   */
  public int tokensIssued() {
    return tokens.tokensIssued();
  }

  /**
   * Tells whether an access token was issued here and has not expired or been revoked.
   *
   * @param accessToken the token
   * @return true if the APIs of this server accept it
   */
  public boolean isValidAccessToken(Secret accessToken) {
    return tokens.valid(accessToken.reveal());
  }

  /**
   * Revokes every access token issued so far: the APIs answer 401 to them, as after a password reset.
   *
   * @return this server
   */
  public MailroomHttpServer revokeAccessTokens() {
    tokens.revokeAccessTokens();
    return this;
  }

  /**
   * Makes the next token request fail with this status and body (queued), e.g. {@code failNextToken(400,
   * "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50173: ...\"}")} or {@code (503, "")}.
   *
   * @param status the HTTP status
   * @param body the answer, usually the endpoint's JSON error
   * @return this server
   */
  public MailroomHttpServer failNextToken(int status, String body) {
    tokens.failNext(ResponseDefinitionBuilder.responseDefinition().withStatus(status)
        .withHeader("Content-Type", body.startsWith("{") ? "application/json" : "text/plain").withBody(body)
        .build());
    return this;
  }

  /**
   * Makes the next token request end with a connection reset (queued).
   *
   * @return this server
   */
  public MailroomHttpServer dropNextToken() {
    tokens.failNext(ResponseDefinitionBuilder.responseDefinition().withFault(Fault.CONNECTION_RESET_BY_PEER)
        .build());
    return this;
  }

  /**
   * Makes the next token request answer only after a delay (queued), so that concurrent callers overlap.
   *
   * @param delay the delay
   * @return this server
   */
  public MailroomHttpServer delayNextToken(Duration delay) {
    tokens.delayNext(delay);
    return this;
  }

  // ---- fault injection

  /**
   * Makes the next send request fail with this status and body (queued: call again for more).
   *
   * @param status the HTTP status, e.g. 500
   * @param body the response body, e.g. the provider's JSON error
   * @return this server
   */
  public MailroomHttpServer failNext(int status, String body) {
    return queue(ResponseDefinitionBuilder.responseDefinition().withStatus(status)
        .withHeader("Content-Type", body.startsWith("{") ? "application/json" : "text/plain")
        .withBody(body).build());
  }

  /**
   * Makes the next send request fail with this status and a {@code Retry-After} header in seconds, e.g.
   * {@code failNext(429, Duration.ofSeconds(2))}.
   *
   * @param status the HTTP status, usually 429 or 503
   * @param retryAfter the delay the server asks for
   * @return this server
   */
  public MailroomHttpServer failNext(int status, Duration retryAfter) {
    return queue(ResponseDefinitionBuilder.responseDefinition().withStatus(status)
        .withHeader("Retry-After", String.valueOf(Math.max(0, retryAfter.toSeconds())))
        .withHeader("Content-Type", "application/json")
        .withBody("{\"message\":\"Too many requests\"}").build());
  }

  /**
   * Makes the next send request fail as the provider's API does for this status, with its error body and
   * headers: for {@code graph} 401 {@code InvalidAuthenticationToken}, 403 {@code ErrorAccessDenied}, 404
   * {@code MailboxNotEnabledForRESTAPI}, 413 {@code ErrorMessageSizeExceeded}, 429 {@code ApplicationThrottled}
   * with {@code Retry-After: 1}, 5xx {@code ServiceUnavailable}. For the other dialects the status with a
   * generic JSON message.
   *
   * @param status the HTTP status
   * @return this server
   */
  public MailroomHttpServer failNextAsProvider(int status) {
    if (dialect.equals("graph")) {
      return queue(GraphFake.providerError(status));
    }
    if (dialect.equals("gmail") || dialect.equals("ses")) {
      return queue(raw.providerError(status));
    }
    return failNext(status, "{\"message\":\"HTTP " + status + "\"}");
  }

  /**
   * Makes the next send request fail with the provider's error code in the provider's shape: Graph's
   * {@code error.code}, the Gmail API's {@code error.errors[0].reason}, SES's {@code x-amzn-ErrorType}
   * header (e.g. {@code failNextWithError(400, "MailFromDomainNotVerifiedException", "...")}). Other dialects
   * get {@code {"code": ..., "message": ...}}.
   *
   * @param status the HTTP status
   * @param code the provider's error code
   * @param message the error message
   * @return this server
   */
  public MailroomHttpServer failNextWithError(int status, String code, String message) {
    String safeCode = code.replaceAll("[^A-Za-z0-9_.-]", "");
    String safeMessage = Text.sanitize(message, 300).replace("\\", "").replace("\"", "'");
    if (dialect.equals("graph")) {
      return queue(GraphFake.error(status, safeCode, safeMessage));
    }
    if (dialect.equals("gmail") || dialect.equals("ses")) {
      return queue(raw.error(status, safeCode, safeMessage));
    }
    return failNext(status, "{\"code\":\"" + safeCode + "\",\"message\":\"" + safeMessage + "\"}");
  }

  /**
   * Makes the next send request end with a connection reset, before any response.
   *
   * @return this server
   */
  public MailroomHttpServer dropNext() {
    return queue(ResponseDefinitionBuilder.responseDefinition().withFault(Fault.CONNECTION_RESET_BY_PEER).build());
  }

  /**
   * Makes the next send request succeed only after a delay (to exceed the client's read timeout). The
   * email counts as received.
   *
   * @param delay how long to wait before answering
   * @return this server
   */
  public MailroomHttpServer delayNext(Duration delay) {
    ResponseDefinition ok = success(null);
    return queue(ResponseDefinitionBuilder.like(ok).withFixedDelay((int) Math.min(Integer.MAX_VALUE,
        delay.toMillis())).build());
  }

  private MailroomHttpServer queue(ResponseDefinition d) {
    synchronized (faults) {
      faults.add(d);
    }
    return this;
  }

  // ---- received mail

  @Override
  public List<ReceivedEmail> received() {
    return inbox.all();
  }

  @Override
  public List<ReceivedEmail> awaitReceived(int count, Duration timeout) {
    return inbox.await(count, timeout, where());
  }

  @Override
  public void assertNoneReceived() {
    inbox.assertEmpty(where());
  }

  /** Forgets received mail and queued faults. */
  @Override
  public void clear() {
    inbox.clear();
    requests.set(0);
    tokens.clear();
    graph.clear();
    raw.clear();
    synchronized (faults) {
      faults.clear();
    }
  }

  private String where() {
    synchronized (lock) {
      WireMockServer server = serverOrNull();
      return "the " + dialect + (certificate == null ? " HTTP API " : " HTTPS API ") + MailroomSmtpServer.HOST + ":"
          + (server == null ? "(stopped)" : String.valueOf(certificate == null ? server.port() : server.httpsPort()));
    }
  }

  // ---- the API

  private String sendPath() {
    switch (dialect) {
      case "sendgrid":
        return "/v3/mail/send";
      case "postmark":
        return "/email";
      case "resend":
        return "/emails";
      case "brevo":
        return "/v3/smtp/email";
      case "mailgun":
        return "/v3/*/messages";
      default:
        return FORM_PATH;
    }
  }

  private boolean isSend(Request r) {
    String path = r.getUrl().split("\\?")[0];
    if (!RequestMethod.POST.equals(r.getMethod())) {
      return false;
    }
    return dialect.equals("mailgun") ? path.matches("/v3/[^/]+/messages") : path.equals(sendPath());
  }

  private boolean isCheck(Request r) {
    String path = r.getUrl().split("\\?")[0];
    if (!RequestMethod.GET.equals(r.getMethod())) {
      return false;
    }
    switch (dialect) {
      case "sendgrid":
        return path.equals("/v3/scopes");
      case "postmark":
        return path.equals("/server");
      case "resend":
        return path.equals("/domains");
      case "brevo":
        return path.equals("/v3/account");
      case "mailgun":
        return path.matches("/v3/domains/[^/]+");
      default:
        return false;
    }
  }

  private boolean authorized(Request r) {
    if (apiKey == null) {
      return true;
    }
    String key = apiKey.reveal();
    switch (dialect) {
      case "postmark":
        return key.equals(r.getHeader("X-Postmark-Server-Token"));
      case "brevo":
        return key.equals(r.getHeader("api-key"));
      case "mailgun":
        return ("Basic " + Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8)))
            .equals(r.getHeader("Authorization"));
      default:
        return ("Bearer " + key).equals(r.getHeader("Authorization"));
    }
  }

  private ResponseDefinition unauthorized() {
    String body;
    switch (dialect) {
      case "sendgrid":
        body = "{\"errors\":[{\"message\":\"The provided authorization grant is invalid, expired, or revoked\","
            + "\"field\":null,\"help\":null}]}";
        break;
      case "postmark":
        body = "{\"ErrorCode\":10,\"Message\":\"The Server Token you provided in the X-Postmark-Server-Token request"
            + " header was invalid. Please verify that you are using a valid token.\"}";
        break;
      case "resend":
        body = "{\"statusCode\":401,\"name\":\"validation_error\",\"message\":\"API key is invalid\"}";
        break;
      case "brevo":
        body = "{\"code\":\"unauthorized\",\"message\":\"Key not found\"}";
        break;
      case "mailgun":
        body = "{\"message\":\"Invalid private key\"}";
        break;
      default:
        body = "Unauthorized";
    }
    return ResponseDefinitionBuilder.responseDefinition().withStatus(401)
        .withHeader("Content-Type", body.startsWith("{") ? "application/json" : "text/plain").withBody(body).build();
  }

  private ResponseDefinition success(ReceivedEmail email) {
    String id = UUID.randomUUID().toString();
    ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition();
    switch (dialect) {
      case "sendgrid":
        return b.withStatus(202).withHeader("X-Message-Id", id).build();
      case "mailgun":
        return json(b, 200, "{\"id\":\"<" + id + "@mailroom.test>\",\"message\":\"Queued. Thank you.\"}");
      case "postmark":
        return json(b, 200, "{\"To\":\"\",\"SubmittedAt\":\"" + java.time.Instant.now() + "\",\"MessageID\":\"" + id
            + "\",\"ErrorCode\":0,\"Message\":\"OK\"}");
      case "resend":
        return json(b, 200, "{\"id\":\"" + id + "\"}");
      case "brevo":
        return json(b, 201, "{\"messageId\":\"<" + id + "@mailroom.test>\"}");
      default:
        return b.withStatus(200).withHeader("Content-Type", "text/plain").withBody("OK").build();
    }
  }

  private ResponseDefinition checkAnswer(Request r) {
    ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition();
    switch (dialect) {
      case "sendgrid":
        return json(b, 200, "{\"scopes\":[\"mail.send\"]}");
      case "postmark":
        return json(b, 200, "{\"ID\":1,\"Name\":\"Mailroom fake\"}");
      case "resend":
        return json(b, 200, "{\"data\":[]}");
      case "brevo":
        return json(b, 200, "{\"email\":\"" + SENDER + "\"}");
      default:
        String domain = r.getUrl().substring(r.getUrl().lastIndexOf('/') + 1);
        return json(b, 200, "{\"domain\":{\"name\":\"" + Text.sanitize(domain, 100).replace("\"", "") + "\"}}");
    }
  }

  private static ResponseDefinition json(ResponseDefinitionBuilder b, int status, String body) {
    return b.withStatus(status).withHeader("Content-Type", "application/json").withBody(body).build();
  }

  /** Answers every request: checks, sends (with queued faults), 404 for anything else. */
  private final class Api implements ResponseDefinitionTransformerV2 {
    @Override
    public ResponseDefinition transform(ServeEvent event) {
      Request r = event.getRequest();
      requests.incrementAndGet();
      if (tokens.handles(r)) {
        return tokens.answer(r);
      }
      if (dialect.equals("graph")) {
        return graphAnswer(r);
      }
      if (dialect.equals("gmail") || dialect.equals("ses")) {
        return rawAnswer(r);
      }
      if (isCheck(r)) {
        return authorized(r) ? checkAnswer(r) : unauthorized();
      }
      if (!isSend(r)) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(404).withBody("Not found").build();
      }
      if (!authorized(r)) {
        return unauthorized();
      }
      ResponseDefinition fault;
      synchronized (faults) {
        fault = faults.poll();
      }
      boolean delivered = fault == null || (fault.getStatus() >= 200 && fault.getStatus() < 300
          && fault.getFault() == null);
      if (delivered) {
        ReceivedEmail email;
        try {
          email = HttpRequests.parse(dialect, r);
        } catch (IOException | RuntimeException e) {
          return ResponseDefinitionBuilder.responseDefinition().withStatus(400).withHeader("Content-Type",
              "application/json").withBody("{\"message\":\"cannot read the request: "
                  + Text.sanitize(String.valueOf(e.getMessage()), 200).replace("\"", "'") + "\"}").build();
        }
        inbox.add(email);
      }
      return fault != null ? fault : success(null);
    }

    @Override
    public boolean applyGlobally() {
      return true;
    }

    @Override
    public String getName() {
      return "mailroom-http-api";
    }
  }

  private ResponseDefinition rawAnswer(Request r) {
    RawMailFake.Kind kind = raw.kind(r);
    if (kind == RawMailFake.Kind.NONE) {
      return raw.providerError(404);
    }
    ResponseDefinition refused = raw.refusal(r);
    if (refused != null) {
      return refused;
    }
    if (kind == RawMailFake.Kind.CHECK) {
      return raw.check();
    }
    ResponseDefinition invalid = raw.invalid(r);
    if (invalid != null) {
      return invalid;
    }
    if (kind == RawMailFake.Kind.START) {
      return raw.start(r);
    }
    ResponseDefinition fault;
    synchronized (faults) {
      fault = faults.poll();
    }
    if (fault == null || (fault.getStatus() / 100 == 2 && fault.getFault() == null)) {
      try {
        inbox.add(raw.received(r));
      } catch (IOException | RuntimeException e) {
        return raw.error(400, dialect.equals("ses") ? "BadRequestException" : "invalidArgument",
            "Cannot read the request: " + Text.sanitize(String.valueOf(e.getMessage()), 100).replace("\"", "'"));
      }
    }
    return fault != null ? fault : raw.accepted();
  }

  private ResponseDefinition graphAnswer(Request r) {
    GraphFake.Kind kind = graph.kind(r);
    if (kind == GraphFake.Kind.NONE) {
      return GraphFake.error(404, "ResourceNotFound", "Resource not found for the segment.");
    }
    if (!graph.authorized(r)) {
      return GraphFake.unauthorized();
    }
    ResponseDefinition invalid = GraphFake.invalid(r);
    if (invalid != null) {
      return invalid;
    }
    if (kind == GraphFake.Kind.CALL) {
      return graph.call(r);
    }
    ResponseDefinition fault;
    synchronized (faults) {
      fault = faults.poll();
    }
    if (fault == null || (fault.getStatus() / 100 == 2 && fault.getFault() == null)) {
      ReceivedEmail email;
      try {
        email = graph.received(r);
      } catch (IOException | RuntimeException e) {
        return GraphFake.error(400, "ErrorInvalidRequest", "Cannot read the request.");
      }
      if (email == null) {
        return GraphFake.error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
      }
      inbox.add(email);
    }
    return fault != null ? fault : GraphFake.accepted();
  }

  @Override
  public String toString() {
    return "MailroomHttpServer[" + where() + "]";
  }

  /** Configures a {@link MailroomHttpServer}. Not thread-safe. */
  public static final class Builder {
    private static final Set<String> KNOWN = Set.copyOf(DIALECTS);
    private String dialect = "form";
    private Secret apiKey;
    private boolean tls;
    private TestCertificates.ServerCertificate certificate;
    private boolean clearBetweenTests = true;
    private Duration tokenLifetime = Duration.ofHours(1);
    private boolean rotateRefreshTokens;

    private Builder() {}

    /**
     * Sets how long the access tokens of the fake token endpoints live (default one hour), e.g. two seconds
     * to see a supplier renew its token.
     *
     * @param value the lifetime, at least one second
     * @return this builder
     */
    public Builder tokenLifetime(Duration value) {
      if (value.toSeconds() < 1) {
        throw new IllegalArgumentException("tokenLifetime must be at least 1 s: " + value);
      }
      this.tokenLifetime = value;
      return this;
    }

    /**
     * Makes the refresh-token grant hand out a new refresh token with every access token (as Microsoft
     * does), so that tests see the rotation callback (default false).
     *
     * @param value true to rotate
     * @return this builder
     */
    public Builder rotateRefreshTokens(boolean value) {
      this.rotateRefreshTokens = value;
      return this;
    }

    /**
     * Serves HTTPS instead of plain HTTP, with a self-signed certificate for {@code localhost} and
     * {@code 127.0.0.1} made for this server; {@link MailroomHttpServer#settings()} then turns certificate
     * verification off (the form's "Do not verify TLS certificate"). Use it to test the TLS path, e.g. that
     * settings which do verify certificates fail against this server.
     *
     * @param value true for HTTPS
     * @return this builder
     */
    public Builder tls(boolean value) {
      this.tls = value;
      if (!value) {
        this.certificate = null;
      }
      return this;
    }

    /**
     * Serves HTTPS with the given certificate instead of a self-signed one, e.g. one issued by a test
     * {@link TestCertificates.Authority} with a weak key or without subjectAltName, to test the client's TLS
     * policy. {@link MailroomHttpServer#settings()} still turns certificate verification off; set
     * {@code verifyTlsCertificate(true)} (and make the client trust the authority) to test verification.
     *
     * @param value the certificate the server presents
     * @return this builder
     */
    public Builder tls(TestCertificates.ServerCertificate value) {
      this.certificate = java.util.Objects.requireNonNull(value, "certificate");
      this.tls = true;
      return this;
    }

    /**
     * Sets the dialect: {@code form} (default), {@code sendgrid}, {@code mailgun}, {@code postmark},
     * {@code resend}, {@code brevo}, {@code graph} (Microsoft Graph) or {@code gmail} (the Gmail API), whose
     * settings carry an OAuth2 token from this server's token endpoints instead of an API key, or {@code ses}
     * (Amazon SES v2, region {@code eu-west-1}; the API key is {@code ACCESS_KEY_ID:SECRET_ACCESS_KEY} and every
     * request's Signature Version 4 is checked).
     *
     * @param id the dialect id
     * @return this builder
     * @throws IllegalArgumentException for another id
     */
    public Builder dialect(String id) {
      if (!KNOWN.contains(Objects.requireNonNull(id, "dialect"))) {
        throw new IllegalArgumentException("dialect must be one of " + DIALECTS + ": " + Text.quote(id));
      }
      this.dialect = id;
      return this;
    }

    /**
     * Sets the API key the server accepts (default: generated for the provider dialects, none for
     * {@code form}; with a key, {@code form} requires {@code Authorization: Bearer}).
     *
     * @param key the key
     * @return this builder
     */
    public Builder apiKey(String key) {
      this.apiKey = Secret.of(Objects.requireNonNull(key, "key"));
      return this;
    }

    /**
     * Sets whether a server that runs already, such as one in a {@code static} {@code @StartStop} field,
     * forgets received mail and queued faults before each test (default true); see
     * {@link MailroomHttpServer#clearsBetweenTests()}.
     *
     * @param value false to keep them
     * @return this builder
     */
    public Builder clearBetweenTests(boolean value) {
      this.clearBetweenTests = value;
      return this;
    }

    /**
     * Builds the server; it is started by {@link MailroomHttpServer#start()} or by JUnit
     * ({@link dev.mailroom.testkit.junit.StartStop}).
     *
     * @return the server
     */
    public MailroomHttpServer build() {
      return new MailroomHttpServer(this);
    }
  }
}
