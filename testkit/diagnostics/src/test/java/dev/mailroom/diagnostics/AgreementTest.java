package dev.mailroom.diagnostics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.Action;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One engine: the providers' documented error answers (every status the five key-checking dialects
 * document, with their error bodies and rate-limit headers) are served by a real HTTP server on loopback,
 * once to the diagnostics' key check ("Test email settings") and once to a real send through the HTTP
 * sender, and both must tell the user the same thing: category, transience, code, title, hint (en, bn, sw),
 * provider and wait.
 */
class AgreementTest {
  private static final String KEY = "agreement-test-key-7c1f0e";
  private static WireMockServer server;

  /** One documented answer. */
  record Case(String dialect, int status, String body, String header, String headerValue, FailureCategory expected) {
    @Override
    public String toString() {
      return dialect + " " + status + " " + (body.length() > 40 ? body.substring(0, 40) + "..." : body);
    }
  }

  @BeforeAll
  static void start() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  static Case c(String dialect, int status, String body, FailureCategory expected) {
    return new Case(dialect, status, body, null, null, expected);
  }

  static Case c(String dialect, int status, String body, String header, String value, FailureCategory expected) {
    return new Case(dialect, status, body, header, value, expected);
  }

  static final FailureCategory AUTH = FailureCategory.AUTHENTICATION;
  static final FailureCategory MSG = FailureCategory.MESSAGE_REJECTED;
  static final FailureCategory RCPT = FailureCategory.RECIPIENT_REJECTED;
  static final FailureCategory SENDER = FailureCategory.SENDER_REJECTED;
  static final FailureCategory CONF = FailureCategory.CONFIGURATION;
  static final FailureCategory RATE = FailureCategory.RATE_LIMITED;
  static final FailureCategory SERVER = FailureCategory.SERVER_ERROR;

  static List<Case> matrix() {
    String reset = Long.toString(Instant.now().getEpochSecond() + 120);
    List<Case> m = new ArrayList<>();
    // SendGrid v3 mail send
    m.add(c("sendgrid", 400, "{\"errors\":[{\"message\":\"The from email does not contain a valid address.\",\"field\":\"from.email\"}]}", MSG));
    m.add(c("sendgrid", 401, "{\"errors\":[{\"message\":\"The provided authorization grant is invalid, expired, or revoked\",\"field\":null,\"help\":null}]}", AUTH));
    m.add(c("sendgrid", 403, "{\"errors\":[{\"message\":\"access forbidden\"}]}", AUTH));
    m.add(c("sendgrid", 403, "{\"errors\":[{\"message\":\"The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.\",\"field\":\"from\"}]}", SENDER));
    m.add(c("sendgrid", 404, "{\"errors\":[{\"message\":\"not found\"}]}", CONF));
    m.add(c("sendgrid", 405, "{\"errors\":[{\"message\":\"method not allowed\"}]}", CONF));
    m.add(c("sendgrid", 413, "{\"errors\":[{\"message\":\"Payload Too Large\"}]}", MSG));
    m.add(c("sendgrid", 429, "{\"errors\":[{\"message\":\"too many requests\"}]}", "X-RateLimit-Reset", reset, RATE));
    m.add(c("sendgrid", 500, "{\"errors\":[{\"message\":\"internal error\"}]}", SERVER));
    m.add(c("sendgrid", 503, "", SERVER));
    m.add(c("sendgrid", 301, "", "Location", "https://api.sendgrid.com/v3/mail/send", CONF));
    m.add(c("sendgrid", 422, "{\"errors\":[{\"message\":\"unprocessable\"}]}", MSG));
    // Mailgun
    m.add(c("mailgun", 400, "{\"message\":\"'to' parameter is not a valid address. please check documentation\"}", MSG));
    m.add(c("mailgun", 401, "Forbidden", AUTH));
    m.add(c("mailgun", 402, "{\"message\":\"Payment required: your account is disabled\"}", CONF));
    m.add(c("mailgun", 403, "{\"message\":\"Domain sandbox123.mailgun.org is not allowed to send: Free accounts are for test purposes only. Please upgrade or add the address to authorized recipients in Account Settings.\"}", RCPT));
    m.add(c("mailgun", 403, "{\"message\":\"Forbidden\"}", AUTH));
    m.add(c("mailgun", 404, "{\"message\":\"Domain not found: acme.test\"}", CONF));
    m.add(c("mailgun", 405, "", CONF));
    m.add(c("mailgun", 413, "{\"message\":\"request too large\"}", MSG));
    m.add(c("mailgun", 429, "{\"message\":\"Too many requests\"}", "Retry-After", "30", RATE));
    m.add(c("mailgun", 500, "{\"message\":\"Internal error\"}", SERVER));
    m.add(c("mailgun", 503, "Service Unavailable", SERVER));
    m.add(c("mailgun", 409, "{\"message\":\"conflict\"}", MSG));
    // Postmark
    m.add(c("postmark", 401, "{\"ErrorCode\":10,\"Message\":\"Bad or missing Server API token.\"}", AUTH));
    m.add(c("postmark", 422, "{\"ErrorCode\":300,\"Message\":\"Invalid email request\"}", MSG));
    m.add(c("postmark", 422, "{\"ErrorCode\":406,\"Message\":\"You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: jane@customer.test.\"}", RCPT));
    m.add(c("postmark", 422, "{\"ErrorCode\":412,\"Message\":\"Your account is pending approval: you can only send to addresses on your own domain.\"}", MSG));
    m.add(c("postmark", 422, "{\"ErrorCode\":400,\"Message\":\"The 'From' address you supplied is not a Sender Signature on your account.\"}", MSG));
    m.add(c("postmark", 400, "{\"ErrorCode\":402,\"Message\":\"Invalid JSON\"}", MSG));
    m.add(c("postmark", 404, "", CONF));
    m.add(c("postmark", 405, "", CONF));
    m.add(c("postmark", 413, "{\"ErrorCode\":300,\"Message\":\"too large\"}", MSG));
    m.add(c("postmark", 429, "{\"ErrorCode\":429,\"Message\":\"Rate limit exceeded\"}", RATE));
    m.add(c("postmark", 500, "{\"ErrorCode\":500,\"Message\":\"Internal Server Error\"}", SERVER));
    m.add(c("postmark", 503, "", SERVER));
    // Resend
    m.add(c("resend", 400, "{\"statusCode\":400,\"message\":\"Invalid idempotency key\",\"name\":\"invalid_idempotency_key\"}", MSG));
    m.add(c("resend", 401, "{\"statusCode\":401,\"message\":\"Missing API key in the authorization header.\",\"name\":\"missing_api_key\"}", AUTH));
    m.add(c("resend", 403, "{\"statusCode\":403,\"message\":\"API key is invalid\",\"name\":\"invalid_api_key\"}", AUTH));
    m.add(c("resend", 403, "{\"statusCode\":403,\"message\":\"The acme.test domain is not verified. Please, add and verify your domain on https://resend.com/domains\",\"name\":\"validation_error\"}", SENDER));
    m.add(c("resend", 403, "{\"statusCode\":403,\"message\":\"You can only send testing emails to your own email address (me@acme.test).\",\"name\":\"validation_error\"}", RCPT));
    m.add(c("resend", 404, "{\"statusCode\":404,\"message\":\"The requested endpoint does not exist.\",\"name\":\"not_found\"}", CONF));
    m.add(c("resend", 405, "{\"statusCode\":405,\"message\":\"Method is not allowed for the requested path.\",\"name\":\"method_not_allowed\"}", CONF));
    m.add(c("resend", 409, "{\"statusCode\":409,\"message\":\"Same idempotency key used while original request is still in progress.\",\"name\":\"concurrent_idempotent_requests\"}", RATE));
    m.add(c("resend", 409, "{\"statusCode\":409,\"message\":\"Same idempotency key used with a different request payload.\",\"name\":\"invalid_idempotent_request\"}", MSG));
    m.add(c("resend", 422, "{\"statusCode\":422,\"message\":\"Invalid `from` field.\",\"name\":\"validation_error\"}", MSG));
    m.add(c("resend", 429, "{\"statusCode\":429,\"message\":\"Too many requests. You can only make 2 requests per second.\",\"name\":\"rate_limit_exceeded\"}", "retry-after", "1", RATE));
    m.add(c("resend", 429, "{\"statusCode\":429,\"message\":\"You have reached your daily email sending quota.\",\"name\":\"daily_quota_exceeded\"}", RATE));
    m.add(c("resend", 429, "{\"statusCode\":429,\"message\":\"You have reached your monthly email sending quota.\",\"name\":\"monthly_quota_exceeded\"}", RATE));
    m.add(c("resend", 500, "{\"statusCode\":500,\"message\":\"An unexpected error occurred.\",\"name\":\"internal_server_error\"}", SERVER));
    m.add(c("resend", 503, "", SERVER));
    // Brevo
    m.add(c("brevo", 400, "{\"code\":\"invalid_parameter\",\"message\":\"email is not valid in to\"}", MSG));
    m.add(c("brevo", 400, "{\"code\":\"missing_parameter\",\"message\":\"sender is missing\"}", MSG));
    m.add(c("brevo", 401, "{\"code\":\"unauthorized\",\"message\":\"Key not found\"}", AUTH));
    m.add(c("brevo", 402, "{\"code\":\"not_enough_credits\",\"message\":\"Not enough credits\"}", CONF));
    m.add(c("brevo", 403, "{\"code\":\"permission_denied\",\"message\":\"Unable to send email. Your SMTP account is not yet activated. Please contact us at contact@brevo.com to get it activated.\"}", CONF));
    m.add(c("brevo", 403, "{\"code\":\"permission_denied\",\"message\":\"Permission denied\"}", AUTH));
    m.add(c("brevo", 404, "{\"code\":\"document_not_found\",\"message\":\"not found\"}", CONF));
    m.add(c("brevo", 405, "{\"code\":\"method_not_allowed\",\"message\":\"POST is not allowed\"}", CONF));
    m.add(c("brevo", 406, "{\"code\":\"not_acceptable\",\"message\":\"Not Acceptable\"}", MSG));
    m.add(c("brevo", 422, "{\"code\":\"duplicate_parameter\",\"message\":\"duplicate\"}", MSG));
    m.add(c("brevo", 429, "{\"code\":\"too_many_requests\",\"message\":\"rate limited\"}", "x-sib-ratelimit-reset", "12", RATE));
    m.add(c("brevo", 500, "{\"code\":\"internal_error\",\"message\":\"oops\"}", SERVER));
    m.add(c("brevo", 503, "", SERVER));
    return m;
  }

  static Stream<Arguments> cases() {
    return matrix().stream().map(Arguments::of);
  }

  /** One SMTP reply at one stage of the conversation. */
  record SmtpCase(Step step, String reply) {
    @Override
    public String toString() {
      return step + " " + reply;
    }
  }

  static List<SmtpCase> smtpMatrix() {
    return List.of(
        new SmtpCase(Step.GREETING, "554 5.7.1 No SMTP service here"),
        new SmtpCase(Step.GREETING, "421 4.3.2 Service not available, closing channel"),
        new SmtpCase(Step.AUTH, "535 5.7.8 Username and Password not accepted. For more information, go to"
            + " https://support.google.com/mail/?p=BadCredentials gsmtp"),
        new SmtpCase(Step.AUTH, "534 5.7.9 Application-specific password required. gsmtp"),
        new SmtpCase(Step.AUTH, "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled"
            + " for the Tenant."),
        new SmtpCase(Step.AUTH, "454 4.7.0 Temporary authentication failure"),
        new SmtpCase(Step.AUTH, "504 5.5.4 Unrecognized authentication type"),
        new SmtpCase(Step.MAIL, "550 5.7.60 SMTP; Client does not have permissions to send as this sender"),
        new SmtpCase(Step.MAIL, "552 5.3.4 Message size exceeds fixed maximum message size"),
        new SmtpCase(Step.MAIL, "451 4.3.0 Mail server temporarily rejected message"),
        new SmtpCase(Step.MAIL, "553 5.7.1 Sender address rejected: not owned by user"),
        new SmtpCase(Step.RCPT, "550 5.1.1 The email account that you tried to reach does not exist. gsmtp"),
        new SmtpCase(Step.RCPT, "450 4.2.1 The user you are trying to contact is receiving mail too quickly"),
        new SmtpCase(Step.RCPT, "452 4.5.3 Too many recipients"),
        new SmtpCase(Step.RCPT, "554 5.7.1 Relay access denied"),
        new SmtpCase(Step.DATA, "554 5.5.1 No valid recipients"),
        new SmtpCase(Step.DATA, "451 4.7.0 Temporary server error. Please try again later"),
        new SmtpCase(Step.MESSAGE, "552 5.3.4 Message too big"),
        new SmtpCase(Step.MESSAGE, "550 5.7.26 This mail has been blocked because the sender is unauthenticated"
            + " (DMARC)."),
        new SmtpCase(Step.MESSAGE, "421 4.7.0 Try again later, closing connection."));
  }

  static Stream<Arguments> smtpCases() {
    return smtpMatrix().stream().map(Arguments::of);
  }

  @Test
  void theMatrixHasAtLeastSixtyDocumentedAnswers() {
    assertThat(matrix().size() + smtpMatrix().size()).isGreaterThanOrEqualTo(80);
    assertThat(matrix()).hasSizeGreaterThanOrEqualTo(60);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("smtpCases")
  void theButtonAndARealSendSayTheSameOverSmtp(SmtpCase c) {
    Failure button;
    Failure send;
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().extensions("AUTH PLAIN LOGIN")
        .credentials("billing@acme.test", KEY).on(c.step(), Action.reply(c.reply())).start()) {
      EmailSettings settings = EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1").port(s.port())
          .tlsMode(TlsMode.NONE).username("billing@acme.test").password(KEY)
          .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(10)).build();
      DiagnosticReport report = ConnectionDiagnostics.run(settings, DiagnosticOptions.builder().mxLookup(false)
          .testRecipient("jane@customer.test").build());
      button = report.failure().orElseThrow(() -> new AssertionError("the check passed: " + report.toText()));
      try (Mailer mailer = Mailer.open(settings, MailerOptions.builder().maxAttempts(1).build())) {
        mailer.send(Email.builder().to("jane@customer.test").subject("Invoice").text("Attached.").build());
        throw new AssertionError("the send succeeded");
      } catch (SendException e) {
        send = e.failure();
      }
      assertThat(report.toText() + report.toJson()).doesNotContain(KEY);
    }
    assertSame(button, send);
  }

  private static void assertSame(Failure button, Failure send) {
    assertThat(button.category()).as("category").isEqualTo(send.category());
    assertThat(button.isTransient()).as("transient").isEqualTo(send.isTransient());
    assertThat(button.code()).as("code").isEqualTo(send.code());
    assertThat(button.enhancedStatus()).as("enhanced status").isEqualTo(send.enhancedStatus());
    assertThat(button.provider()).as("provider").isEqualTo(send.provider());
    assertThat(button.hintKey()).as("hint").isEqualTo(send.hintKey());
    for (Locale l : List.of(Locale.ENGLISH, Locale.forLanguageTag("bn"), Locale.forLanguageTag("sw"))) {
      assertThat(button.title(l)).as("title").isEqualTo(send.title(l));
    }
  }

  private static EmailSettings settings(String dialect) {
    return EmailSettings.builder().protocol(Protocol.HTTP).httpServer("http://127.0.0.1:" + server.port())
        .httpDialect(dialect).apiKey(KEY).emailAddress("billing@acme.test").replyTo("office@acme.test")
        .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(10)).build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theButtonAndARealSendSayTheSame(Case c) {
    server.resetAll();
    ResponseDefinitionBuilder answer = aResponse().withStatus(c.status()).withBody(c.body());
    if (!c.body().isEmpty() && c.body().startsWith("{")) {
      answer = answer.withHeader("Content-Type", "application/json");
    }
    if (c.header() != null) {
      answer = answer.withHeader(c.header(), c.headerValue());
    }
    server.stubFor(any(anyUrl()).willReturn(answer));
    EmailSettings settings = settings(c.dialect());

    DiagnosticReport report = ConnectionDiagnostics.run(settings, DiagnosticOptions.builder().mxLookup(false)
        .build());
    Failure button = report.failure().orElseThrow(() -> new AssertionError("the check passed: " + report.toText()));
    assertThat(report.failedStep().orElseThrow().name()).isEqualTo(DiagnosticStep.REQUEST);

    Failure send;
    try (Mailer mailer = Mailer.open(settings, MailerOptions.builder().maxAttempts(1).build())) {
      mailer.send(Email.builder().to("jane@customer.test").subject("Invoice").text("Attached.").build());
      throw new AssertionError("the send succeeded");
    } catch (SendException e) {
      send = e.failure();
    }

    assertThat(button.category()).as("category").isEqualTo(c.expected()).isEqualTo(send.category());
    assertThat(button.isTransient()).as("transient").isEqualTo(send.isTransient());
    assertThat(button.code()).as("code").isEqualTo(send.code()).hasValue(c.status());
    assertThat(button.enhancedStatus()).isEqualTo(send.enhancedStatus());
    assertThat(button.provider()).as("provider").isEqualTo(send.provider());
    assertThat(button.serverReply()).as("server reply").isEqualTo(send.serverReply());
    assertThat(button.hintKey()).as("hint").isEqualTo(send.hintKey());
    for (Locale l : List.of(Locale.ENGLISH, Locale.forLanguageTag("bn"), Locale.forLanguageTag("sw"))) {
      assertThat(button.title(l)).isEqualTo(send.title(l));
      assertThat(button.hint(l)).isEqualTo(send.hint(l));
    }
    assertThat(button.retryAfter().isPresent()).as("wait").isEqualTo(send.retryAfter().isPresent());
    button.retryAfter().ifPresent(w -> assertThat(w).isCloseTo(send.retryAfter().orElseThrow(),
        Duration.ofSeconds(5)));
    assertThat(button.hint(Locale.ENGLISH) + button.message() + report.toText() + report.toJson()
        + send.message()).doesNotContain(KEY);
  }
}
