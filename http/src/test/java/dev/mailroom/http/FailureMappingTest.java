package dev.mailroom.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HTTP statuses to failure categories, Retry-After and the providers' reset headers, and retries. */
class FailureMappingTest extends HttpTestSupport {
  private static Email email() {
    return Email.builder().to("jane@customer.example").subject("Invoice").text("Please pay.")
        .idempotencyKey("idem-42").build();
  }

  private static SendException fail(Mailer mailer) {
    try {
      mailer.send(email());
    } catch (SendException e) {
      return e;
    }
    throw new AssertionError("the send did not fail");
  }

  private static SendException failOnce(EmailSettings s) {
    try (Mailer m = oneAttempt(s)) {
      return fail(m);
    }
  }

  private static void stub(ResponseDefinitionBuilder response) {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(response));
  }

  @ParameterizedTest
  @CsvSource({
      "401, AUTHENTICATION, false, hint.http.api-key-rejected",
      "403, AUTHENTICATION, false, hint.http.api-key-rejected",
      "400, MESSAGE_REJECTED, false, hint.message.rejected",
      "422, MESSAGE_REJECTED, false, hint.message.rejected",
      "413, MESSAGE_REJECTED, false, hint.message.too-large",
      "409, MESSAGE_REJECTED, false, hint.message.rejected",
      "415, MESSAGE_REJECTED, false, hint.message.rejected",
      "429, RATE_LIMITED, true, hint.rate-limited",
      "408, TIMEOUT, true, hint.timeout.read",
      "500, SERVER_ERROR, true, hint.http.server-error",
      "502, SERVER_ERROR, true, hint.http.server-error",
      "503, SERVER_ERROR, true, hint.http.server-error",
      "504, SERVER_ERROR, true, hint.http.server-error",
      "404, CONFIGURATION, false, hint.http.not-found",
      "405, CONFIGURATION, false, hint.http.not-found",
      "301, CONFIGURATION, false, hint.http.redirect",
      "308, CONFIGURATION, false, hint.http.redirect"})
  void mapsEveryStatus(int status, FailureCategory category, boolean transientFailure, String hint) {
    stub(aResponse().withStatus(status).withHeader("Location", "https://elsewhere.example/send")
        .withBody("reason " + status));
    SendException e = failOnce(settings("/send").build());
    assertThat(e.category()).isEqualTo(category);
    assertThat(e.isTransient()).isEqualTo(transientFailure);
    assertThat(e.failure().hintKey()).isEqualTo(hint);
    assertThat(e.failure().code()).hasValue(status);
    assertThat(e.failure().host()).hasValue("127.0.0.1");
    assertThat(e.failure().port()).hasValue(wm.port());
    assertThat(e.failure().serverReply()).hasValue("reason " + status);
    assertThat(requests()).hasSize(1);
  }

  @Test
  void messagesSayWhatFailedAndWhere() {
    stub(aResponse().withStatus(401).withBody("{\"error\":\"bad key\"}"));
    SendException e = failOnce(settings("/send").build());
    assertThat(e.getMessage()).isEqualTo("The mail service at 127.0.0.1:" + wm.port() + " refused the request:"
        + " the API key is missing, wrong or not allowed to send (HTTP 401): {\"error\":\"bad key\"}");
    assertThat(e.hint(Locale.ENGLISH)).isEqualTo("The mail service 127.0.0.1 refused the API key. Check the API"
        + " key in your email settings and that it is allowed to send email. The server responded: 401"
        + " {\"error\":\"bad key\"}");

    stub(aResponse().withStatus(302).withHeader("Location", "https://mail.example.com/send"));
    e = failOnce(settings("/send").build());
    assertThat(e.getMessage()).isEqualTo("The server 127.0.0.1:" + wm.port() + " redirects the request to"
        + " https://mail.example.com/send; redirects are not followed, so the message was not sent (HTTP 302)");
    assertThat(e.hint(Locale.ENGLISH)).isEqualTo("The server 127.0.0.1 sends the request on to"
        + " https://mail.example.com/send. Enter the right address as the HTTP server URL in your email settings.");

    stub(aResponse().withStatus(404).withBody("Not Found"));
    e = failOnce(settings("/send").build());
    assertThat(e.getMessage()).isEqualTo("There is no mail service at http://127.0.0.1:" + wm.port()
        + "/send (form dialect) (HTTP 404): Not Found");
  }

  @Test
  void permanentFailuresAreNeverRetried() {
    for (int status : List.of(400, 401, 403, 404, 409, 413, 422)) {
      wm.resetAll();
      stub(aResponse().withStatus(status));
      try (Mailer m = retrying(settings("/send").build(), 3)) {
        SendException e = fail(m);
        assertThat(e.attempts()).isEqualTo(1);
      }
      assertThat(requests()).as("status %d", status).hasSize(1);
    }
  }

  @Test
  void retriesAfter429WithRetryAfterWithTheSameIdempotencyKey() throws Exception {
    wm.stubFor(post(urlEqualTo("/emails")).inScenario("limit").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
            .withBody("{\"statusCode\":429,\"message\":\"Too many requests\",\"name\":\"rate_limit_exceeded\"}"))
        .willSetStateTo("open"));
    wm.stubFor(post(urlEqualTo("/emails")).inScenario("limit").whenScenarioStateIs("open")
        .willReturn(aResponse().withStatus(200).withBody("{\"id\":\"re-1\"}")));
    try (Mailer m = retrying(settings("/").httpDialect("resend").apiKey("k-1").build(), 3)) {
      SendReceipt receipt = m.send(email());
      assertThat(receipt.messageId()).isEqualTo("re-1");
      assertThat(receipt.attempts()).isEqualTo(2);
      // the server's Retry-After was honoured (a lower bound, which sleeping guarantees)
      assertThat(receipt.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }
    List<String> keys = requests().stream().map(r -> r.getHeader("Idempotency-Key")).collect(Collectors.toList());
    assertThat(keys).containsExactly("idem-42", "idem-42");
  }

  @Test
  void retriesA503ThenSucceeds() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).inScenario("down").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
    wm.stubFor(post(urlEqualTo("/send")).inScenario("down").whenScenarioStateIs("up")
        .willReturn(aResponse().withStatus(200)));
    try (Mailer m = retrying(settings("/send").build(), 3)) {
      assertThat(m.send(email()).attempts()).isEqualTo(2);
    }
    assertThat(requests()).hasSize(2);
  }

  @Test
  void doesNotRetryWhenAskedToWaitLongerThanTheBackoffAllows() {
    stub(aResponse().withStatus(429).withHeader("Retry-After", "3600"));
    try (Mailer m = retrying(settings("/send").build(), 3)) {
      SendException e = fail(m);
      assertThat(e.category()).isEqualTo(FailureCategory.RATE_LIMITED);
      assertThat(e.failure().retryAfter()).hasValue(Duration.ofHours(1));
    }
    assertThat(requests()).hasSize(1);
  }

  @Test
  void readsRetryAfterAsAnHttpDate() {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));
    stub(aResponse().withStatus(503).withHeader("Retry-After", date));
    Duration d = failOnce(settings("/send").build()).failure().retryAfter().orElseThrow();
    assertThat(d).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(120));
  }

  @Test
  void ignoresGarbageRetryAfter() {
    stub(aResponse().withStatus(429).withHeader("Retry-After", "soon, maybe"));
    SendException e = failOnce(settings("/send").build());
    assertThat(e.category()).isEqualTo(FailureCategory.RATE_LIMITED);
    assertThat(e.failure().retryAfter()).isEmpty();
  }

  @Test
  void readsTheProvidersResetHeaders() {
    long reset = System.currentTimeMillis() / 1000 + 30;
    wm.stubFor(post(urlEqualTo("/v3/mail/send")).willReturn(aResponse().withStatus(429)
        .withHeader("X-RateLimit-Reset", Long.toString(reset))));
    Duration sendgrid = failOnce(settings("/").httpDialect("sendgrid").apiKey("k").build())
        .failure().retryAfter().orElseThrow();
    assertThat(sendgrid).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30));

    wm.stubFor(post(urlEqualTo("/v3/smtp/email")).willReturn(aResponse().withStatus(429)
        .withHeader("x-sib-ratelimit-reset", "7")));
    assertThat(failOnce(settings("/").httpDialect("brevo").apiKey("k").build()).failure().retryAfter())
        .hasValue(Duration.ofSeconds(7));

    wm.stubFor(post(urlEqualTo("/emails")).willReturn(aResponse().withStatus(429)
        .withHeader("retry-after", "2").withHeader("ratelimit-reset", "9")));
    assertThat(failOnce(settings("/").httpDialect("resend").apiKey("k").build()).failure().retryAfter())
        .hasValue(Duration.ofSeconds(2));
  }
}
