package dev.mailroom.internal;

import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one classifier of HTTP error responses of mail services, shared by the HTTP sender and the
 * connection diagnostics (their key checks), so that the button and a real send always say the same thing:
 * the HTTP status, the provider's error code and message (read by the provider's dialect from its JSON
 * error body), and the "retry later" headers ({@link RetryAfter#fromHeaders}) decide the category, whether
 * a retry can help, the hint and the wait.
 *
 * <p>Rules: 401 authentication (the key); 403 authentication unless the provider says it is about
 * something else (Mailgun's free plan sending only to authorized recipients, Resend's unverified domain or
 * test-address restriction, Brevo's account not yet activated, SendGrid's unverified sender identity);
 * 402 the account has no credits left; 400 and 422 the message (Postmark's error 406, an inactive
 * recipient, is the recipient); 413 too large; 404, 405, 410 and redirects (never followed) the settings;
 * 408 a timeout; Resend's 409 {@code concurrent_idempotent_requests} is transient; 429 the rate or a quota (Resend's daily and monthly quotas say when they reset); 5xx an error
 * of the service itself, transient; any other 4xx the message; anything else a protocol error.
 */
public final class HttpStatuses {
  private HttpStatuses() {}

  /**
   * One HTTP error response, as far as the classifier needs it.
   *
   * @param status the HTTP status
   * @param provider the dialect id ({@code sendgrid}, {@code mailgun}...; {@code form} or null for the
   *     form's own service)
   * @param errorCode the provider's error code or name from the body (Postmark {@code ErrorCode}, Resend
   *     {@code name}, Brevo {@code code}), or null
   * @param text the provider's explanation or the body, redacted and sanitized, or empty
   * @param header the response's headers by name (first value), case-insensitive
   * @param dialectWait a wait a plugin dialect read from the response, used when the headers name none
   */
  public record Response(int status, String provider, String errorCode, String text,
      Function<String, Optional<String>> header, Optional<Duration> dialectWait) {
    /** Checks the components. */
    public Response {
      text = text == null ? "" : text;
      header = header == null ? name -> Optional.empty() : header;
      dialectWait = dialectWait == null ? Optional.empty() : dialectWait;
    }
  }

  /**
   * Classifies an error response (not 2xx).
   *
   * @param r the response
   * @param host the server host
   * @param port the server port
   * @param url the server URL without query, for the "no mail service here" message
   * @param redactor removes the key from the redirect target
   * @param now the current time, for reset times
   * @return the failure, with the message "what happened (HTTP status): text"
   */
  public static Failure.Builder classify(Response r, String host, int port, String url, Redactor redactor,
      Instant now) {
    int status = r.status();
    String provider = r.provider() == null || r.provider().equals("form") ? null : r.provider();
    String code = r.errorCode() == null ? "" : r.errorCode().toLowerCase(Locale.ROOT);
    String t = r.text().toLowerCase(Locale.ROOT);
    String where = host + ":" + port;
    Optional<Duration> retryAfter = RetryAfter.fromHeaders(r.header(), provider, now);
    if (retryAfter.isEmpty()) {
      retryAfter = r.dialectWait().filter(d -> !d.isNegative());
    }
    FailureCategory category;
    boolean transientFailure = false;
    String hint;
    String detail = "";
    String what;
    if (status == 401) {
      category = FailureCategory.AUTHENTICATION;
      hint = "hint.http.api-key-rejected";
      what = "The mail service at " + where + " refused the request: the API key is missing, wrong or not"
          + " allowed to send";
    } else if (status == 403) {
      if ("mailgun".equals(provider) && (t.contains("authorized recipients") || t.contains("free account")
          || t.contains("sandbox"))) {
        category = FailureCategory.RECIPIENT_REJECTED;
        hint = "hint.http.mailgun-authorized-recipients";
        what = "Mailgun at " + where + " sends only to authorized recipients on this plan or sandbox domain";
      } else if ("resend".equals(provider) && (t.contains("not verified") || t.contains("verify your domain"))) {
        category = FailureCategory.SENDER_REJECTED;
        hint = "hint.http.resend-domain-unverified";
        what = "Resend at " + where + " refused the sender: its domain is not verified";
      } else if ("resend".equals(provider) && t.contains("testing emails")) {
        category = FailureCategory.RECIPIENT_REJECTED;
        hint = "hint.http.resend-testing-only";
        what = "Resend at " + where + " sends test emails only to the account's own address until a domain"
            + " is verified";
      } else if ("brevo".equals(provider) && (t.contains("not yet activated") || t.contains("not activated")
          || code.contains("account_under_validation") || t.contains("under validation"))) {
        category = FailureCategory.CONFIGURATION;
        hint = "hint.http.brevo-not-activated";
        what = "Brevo at " + where + " refused to send: the account is not activated for sending yet";
      } else if ("sendgrid".equals(provider) && t.contains("sender identity")) {
        category = FailureCategory.SENDER_REJECTED;
        hint = "hint.http.sender-unverified";
        what = "SendGrid at " + where + " refused the sender: the From address is not a verified sender";
      } else {
        category = FailureCategory.AUTHENTICATION;
        hint = "hint.http.api-key-rejected";
        what = "The mail service at " + where + " refused the request: the API key is missing, wrong or not"
            + " allowed to send";
      }
    } else if (status == 402) {
      category = FailureCategory.CONFIGURATION;
      hint = "hint.http.no-credits";
      what = "The mail service at " + where + " refused to send: the account has no sending credits left";
    } else if (status == 413) {
      category = FailureCategory.MESSAGE_REJECTED;
      hint = "hint.message.too-large";
      what = "The mail service at " + where + " refused the message as too large";
    } else if ((status == 400 || status == 422) && "postmark".equals(provider) && code.equals("406")) {
      category = FailureCategory.RECIPIENT_REJECTED;
      hint = "hint.recipient.inactive";
      what = "Postmark at " + where + " refused a recipient marked inactive (after a hard bounce or a spam"
          + " complaint)";
    } else if (status == 400 || status == 422) {
      category = FailureCategory.MESSAGE_REJECTED;
      hint = "hint.message.rejected";
      what = "The mail service at " + where + " refused the message";
    } else if (status == 409 && code.equals("concurrent_idempotent_requests")) {
      category = FailureCategory.RATE_LIMITED;
      transientFailure = true;
      hint = "hint.http.concurrent-request";
      what = "The mail service at " + where + " is still processing a request with the same idempotency key";
      if (retryAfter.isEmpty()) {
        retryAfter = Optional.of(Duration.ofSeconds(1));
      }
    } else if (status == 429 && (code.contains("daily_quota") || t.contains("daily email sending quota")
        || t.contains("daily quota"))) {
      Instant reset = retryAfter.map(now::plus)
          .orElseGet(() -> LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC)
              .toInstant());
      retryAfter = Optional.of(Duration.between(now, reset));
      category = FailureCategory.RATE_LIMITED;
      transientFailure = true;
      hint = "hint.http.daily-quota";
      detail = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
          .format(reset.atZone(ZoneOffset.UTC));
      what = "The mail service at " + where + " refused to send more today: the daily sending quota is used up"
          + " (it resets at " + detail + ")";
    } else if (status == 429 && (code.contains("monthly_quota") || t.contains("monthly"))) {
      category = FailureCategory.RATE_LIMITED;
      hint = "hint.http.monthly-quota";
      what = "The mail service at " + where + " refused to send more this month: the monthly quota is used up";
    } else if (status == 429) {
      category = FailureCategory.RATE_LIMITED;
      transientFailure = true;
      hint = "hint.rate-limited";
      what = "The mail service at " + where + " is limiting the rate of sending"
          + retryAfter.map(d -> " (retry after " + d.toSeconds() + " s)").orElse("");
    } else if (status == 408) {
      category = FailureCategory.TIMEOUT;
      transientFailure = true;
      hint = "hint.timeout.read";
      what = "The mail service at " + where + " timed out waiting for the request";
    } else if (status >= 500 && status < 600) {
      category = FailureCategory.SERVER_ERROR;
      transientFailure = true;
      hint = "hint.http.server-error";
      what = "The mail service at " + where + " had an error of its own";
    } else if (status == 404 || status == 405 || status == 410) {
      category = FailureCategory.CONFIGURATION;
      hint = "hint.http.not-found";
      what = "There is no mail service at " + url + " (" + (r.provider() == null ? "form" : r.provider())
          + " dialect)";
    } else if (status >= 300 && status < 400) {
      category = FailureCategory.CONFIGURATION;
      hint = "hint.http.redirect";
      detail = r.header().apply("Location").map(l -> Sanitizer.clean(l, redactor, 200)).orElse("another address");
      what = "The server " + where + " redirects the request to " + detail
          + "; redirects are not followed, so the message was not sent";
    } else if (status >= 400 && status < 500) {
      category = FailureCategory.MESSAGE_REJECTED;
      hint = "hint.message.rejected";
      what = "The mail service at " + where + " refused the request";
    } else {
      category = FailureCategory.PROTOCOL;
      hint = "hint.http.unexpected-status";
      what = "The server " + where + " answered with an unexpected status";
    }
    // the APIs that name their errors (Graph, Gmail, SES): the code decides where the status alone cannot
    Optional<ApiErrors.Verdict> api = provider == null ? Optional.empty()
        : ApiErrors.classify(provider, status, r.errorCode() == null ? "" : r.errorCode(), r.text());
    if (api.isPresent()) {
      category = api.get().category();
      transientFailure = api.get().transientFailure();
      hint = api.get().hintKey();
      detail = "";
      String apiCode = r.errorCode() == null || r.errorCode().isEmpty() ? "" : " (" + r.errorCode() + ")";
      what = category == FailureCategory.RATE_LIMITED
          ? "The " + provider + " API at " + where + " is limiting the rate of sending" + apiCode
              + retryAfter.map(d -> " (retry after " + d.toSeconds() + " s)").orElse("")
          : "The " + provider + " API at " + where + " refused the request" + apiCode;
    }
    String text = r.text();
    Failure.Builder b = Failure.builder(category).transientFailure(transientFailure).server(host, port)
        .code(status)
        .message(what + " (HTTP " + status + ")" + (text.isEmpty() ? "" : ": " + text))
        .hint(hint, detail);
    if (!text.isEmpty()) {
      b.serverReply(text);
    }
    retryAfter.ifPresent(b::retryAfter);
    if (provider != null) {
      b.provider(provider);
    }
    return b;
  }
}
