package dev.mailroom.http;

import dev.mailroom.EmailSettings;
import dev.mailroom.spi.SendRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP email API: how a message becomes a request and how the response is read. The HTTP sender does
 * everything around it (timeouts, TLS, retries, mapping HTTP statuses to failure categories, keeping the
 * API key out of logs); a dialect only knows the provider's wire format.
 *
 * <p>Built-in dialects: {@code form} (the settings form's own HTTP mail service, the default),
 * {@code sendgrid}, {@code mailgun}, {@code postmark}, {@code resend} and {@code brevo}; see
 * {@link HttpDialects}. {@link EmailSettings#httpDialect()} chooses one by {@link #id()}; without it the
 * dialect whose {@link #matchesHost(String)} accepts the server URL's host is used, else {@code form}.
 *
 * <p>Plugin authors add dialects through {@link java.util.ServiceLoader}: register the implementation in
 * {@code module-info.java} ({@code provides dev.mailroom.http.HttpDialect with ...}) and in
 * {@code META-INF/services/dev.mailroom.http.HttpDialect}. Implementations need a public no-argument
 * constructor, must be stateless or thread-safe, and must never put the API key anywhere but the request.
 *
 * <p>How the sender reads a response: any 2xx status is success and {@link #messageId(Response)} gives
 * the provider's id. Otherwise the status decides the {@link dev.mailroom.FailureCategory}: 401 and 403
 * authentication; 400, 413, 422 and the other 4xx message rejected; 404, 405, 410 and redirects (never
 * followed) configuration; these are permanent. 429 (rate limited), 408 (timeout) and 5xx are transient.
 * {@link #errorMessage(Response)} gives the provider's explanation, and the {@code Retry-After} header or
 * {@link #retryAfter(Response)} says when to retry. The API key is removed from every server text before it
 * goes into a failure.
 */
public interface HttpDialect {
  /**
   * Returns the id by which settings choose this dialect: lower-case letters, digits and '-', e.g.
   * {@code sendgrid}.
   *
   * @return the id
   */
  String id();

  /**
   * Tells whether this dialect is the API served at a host, for settings that name no dialect, e.g.
   * {@code api.sendgrid.com} for SendGrid. The default matches no host.
   *
   * @param host the server URL's host, lower case
   * @return true if the host serves this API
   */
  default boolean matchesHost(String host) {
    return false;
  }

  /**
   * Checks that the settings can work with this API, e.g. that an API key is set. Called when a
   * {@link dev.mailroom.Mailer} is opened. The default accepts all settings.
   *
   * @param settings valid HTTP settings
   * @throws IllegalArgumentException if they cannot work; the message names the field and what to do
   */
  default void checkSettings(EmailSettings settings) {}

  /**
   * Tells whether the API can send blind copies (bcc) in the same request. If not, the sender sends the
   * message once to the visible recipients and once more to each blind recipient (the email's bcc and
   * the settings' copy address), addressed to that recipient alone, so that no recipient sees a blind
   * one. The default is true.
   *
   * @return true if one request can carry blind copies
   */
  default boolean blindCopies() {
    return true;
  }

  /**
   * Tells whether a repeated request with the same {@link dev.mailroom.Email#idempotencyKey()} is
   * delivered at most once by the provider (for example through an {@code Idempotency-Key} header). If so,
   * a request whose answer was lost (timeout or dropped connection after the request was sent) is safe to
   * retry; otherwise it is reported as {@link dev.mailroom.FailureCategory#OUTCOME_UNKNOWN} and never
   * retried. The default is false.
   *
   * @return true if the provider deduplicates by the idempotency key
   */
  default boolean idempotent() {
    return false;
  }

  /**
   * Builds the request for one message. Attachments must be streamed (see
   * {@link Context#streamingBody(BodyWriter)}), never read into memory whole. Header values must not contain
   * line breaks; the sender refuses such a request before sending it.
   *
   * @param request the message with its envelope; its email has its sender set
   * @param context the settings and helpers of this sender
   * @return the request
   * @throws IOException if an attachment cannot be read
   * @throws IllegalArgumentException if the message cannot be expressed in this API; the message says why
   *     and never contains the API key
   */
  HttpRequest request(SendRequest request, Context context) throws IOException;

  /**
   * Reads the provider's message id from a successful (2xx) response. The default finds none; the sender
   * then reports the email's own message id.
   *
   * @param response the response
   * @return the provider's id, or empty
   */
  default Optional<String> messageId(Response response) {
    return Optional.empty();
  }

  /**
   * Reads the provider's explanation from an error response, e.g. the field messages of a validation
   * error. The default finds none; the sender then shows the response body, sanitized and shortened.
   *
   * @param response the error response
   * @return the explanation, or empty
   */
  default Optional<String> errorMessage(Response response) {
    return Optional.empty();
  }

  /**
   * Reads a provider-specific "retry later" signal, for responses without a {@code Retry-After} header,
   * e.g. a rate-limit reset time. The default finds none.
   *
   * @param response the error response
   * @return how long to wait before retrying, or empty
   */
  default Optional<Duration> retryAfter(Response response) {
    return Optional.empty();
  }

  /**
   * What a dialect gets from the sender to build requests. Implemented by the sender; thread-safe.
   */
  interface Context {
    /**
     * Returns the settings of the mailer.
     *
     * @return the settings
     */
    EmailSettings settings();

    /**
     * Returns the server URL of the settings.
     *
     * @return the URL
     */
    URI server();

    /**
     * Starts a request to the server URL, or to {@code defaultPath} on the server when the URL has no
     * path of its own (only {@code /}). The builder has the HTTP version and the {@code User-Agent}
     * header set; the dialect adds the method, the body and its own headers.
     *
     * @param defaultPath the API's path such as {@code /v3/mail/send}, or empty to always use the URL
     * @return a new request builder
     */
    HttpRequest.Builder newRequest(String defaultPath);

    /**
     * Makes a request body that {@code writer} writes while the request is sent, on a thread of the
     * sender, with a bounded buffer: memory use does not grow with the body's size. For JSON bodies
     * with base64 attachments. The length is unknown, so HTTP/1.1 sends it chunked.
     *
     * @param writer writes the whole body; called once per request
     * @return the body publisher
     */
    HttpRequest.BodyPublisher streamingBody(BodyWriter writer);
  }

  /**
   * Writes a request body to a stream; see {@link Context#streamingBody(BodyWriter)}.
   */
  @FunctionalInterface
  interface BodyWriter {
    /**
     * Writes the whole body. Need not close the stream.
     *
     * @param out where the body goes
     * @throws IOException if the content cannot be read or the request was cancelled
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * A response as a dialect sees it.
   *
   * @param statusCode the HTTP status
   * @param headers the response headers
   * @param body the body decoded as UTF-8 (malformed bytes replaced), cut after its first
   *     {@value #MAX_BODY_BYTES} bytes; empty when there is none
   */
  record Response(int statusCode, HttpHeaders headers, String body) {
    /** The most bytes of a response body that the sender reads; the rest is discarded. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /**
     * Validates the components.
     *
     * @param statusCode the HTTP status
     * @param headers the response headers
     * @param body the response body, cut to {@value #MAX_BODY_BYTES} bytes
     * @throws NullPointerException if {@code headers} or {@code body} is null
     */
    public Response {
      Objects.requireNonNull(headers, "headers");
      Objects.requireNonNull(body, "body");
    }

    /**
     * Returns the first value of a header, ignoring the name's case.
     *
     * @param name the header name
     * @return the value, or empty
     */
    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }
}
