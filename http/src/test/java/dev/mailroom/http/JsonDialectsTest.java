package dev.mailroom.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.http.internal.Json;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The JSON and Mailgun dialects: exact request shape, authentication, success and error parsing. */
class JsonDialectsTest extends HttpTestSupport {
  private static final String KEY = "test-key-0123456789";
  private static final byte[] PDF = "%PDF-1.7 invoice INV-1".getBytes(StandardCharsets.US_ASCII);
  private static final String PDF_B64 = Base64.getEncoder().encodeToString(PDF);

  private static EmailSettings dialect(String dialect) {
    return settings("/").httpDialect(dialect).apiKey(KEY).copyTo("archive@acme.example").build();
  }

  private static Email invoice(boolean streamed) {
    return Email.builder()
        .to("Jane Doe <jane@customer.example>")
        .cc("boss@customer.example")
        .bcc("auditor@acme.example")
        .subject("Invoice INV-1")
        .text("Please pay.")
        .html("<p>Please pay.</p>")
        .header("X-Invoice-Number", "INV-1")
        .attach(streamed
            ? Attachment.ofStream("INV-1.pdf", "application/pdf", () -> new ByteArrayInputStream(PDF))
            : Attachment.ofBytes("INV-1.pdf", "application/pdf", PDF))
        .idempotencyKey("key-1")
        .build();
  }

  private static LoggedRequest only() {
    List<LoggedRequest> all = requests();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private static Object json(LoggedRequest r) {
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/json");
    return Json.parse(r.getBodyAsString()).orElseThrow();
  }

  private static SendReceipt send(EmailSettings s, Email e) throws SendException {
    try (Mailer mailer = oneAttempt(s)) {
      return mailer.send(e);
    }
  }

  private static SendException failure(EmailSettings s) {
    try (Mailer mailer = oneAttempt(s)) {
      mailer.send(invoice(false));
    } catch (SendException e) {
      return e;
    }
    throw new AssertionError("the send did not fail");
  }

  // ---- SendGrid

  @Test
  void sendGridRequestShape() throws Exception {
    for (boolean streamed : List.of(false, true)) {
      wm.resetAll();
      wm.stubFor(post(urlEqualTo("/v3/mail/send")).willReturn(aResponse().withStatus(202)
          .withHeader("X-Message-Id", "sg-id-1")));
      SendReceipt receipt = send(dialect("sendgrid"), invoice(streamed));
      assertThat(receipt.messageId()).isEqualTo("sg-id-1");
      assertThat(receipt.acceptedRecipients()).containsExactly("jane@customer.example", "boss@customer.example",
          "auditor@acme.example", "archive@acme.example");
      LoggedRequest r = only();
      assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + KEY);
      assertThat(r.containsHeader("Transfer-Encoding")).as("streamed: chunked").isEqualTo(streamed);
      assertThat(json(r)).isEqualTo(Map.of(
          "personalizations", List.of(Map.of(
              "to", List.of(Map.of("email", "jane@customer.example", "name", "Jane Doe")),
              "cc", List.of(Map.of("email", "boss@customer.example")),
              "bcc", List.of(Map.of("email", "auditor@acme.example"), Map.of("email", "archive@acme.example")))),
          "from", Map.of("email", "billing@acme.example", "name", "Acme Ltd"),
          "reply_to", Map.of("email", "billing@acme.example"),
          "subject", "Invoice INV-1",
          "content", List.of(Map.of("type", "text/plain", "value", "Please pay."),
              Map.of("type", "text/html", "value", "<p>Please pay.</p>")),
          "attachments", List.of(Map.of("filename", "INV-1.pdf", "type", "application/pdf",
              "disposition", "attachment", "content", PDF_B64)),
          "headers", Map.of("X-Invoice-Number", "INV-1")));
    }
  }

  @Test
  void sendGridErrors() {
    wm.stubFor(post(urlEqualTo("/v3/mail/send")).willReturn(aResponse().withStatus(400).withBody(
        "{\"errors\":[{\"message\":\"The from address does not match a verified Sender Identity.\","
            + "\"field\":\"from\",\"help\":null},{\"message\":\"Invalid subject\",\"field\":null}]}")));
    SendException e = failure(dialect("sendgrid"));
    assertThat(e.category()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
    assertThat(e.failure().provider()).hasValue("sendgrid");
    assertThat(e.failure().serverReply()).hasValue(
        "from: The from address does not match a verified Sender Identity.; Invalid subject");
  }

  // ---- Mailgun

  @Test
  void mailgunRequestShape() throws Exception {
    wm.stubFor(post(urlEqualTo("/v3/acme.example/messages")).willReturn(aResponse().withStatus(200)
        .withBody("{\"id\":\"<20240101.1@acme.example>\",\"message\":\"Queued. Thank you.\"}")));
    SendReceipt receipt = send(dialect("mailgun"), invoice(true));
    assertThat(receipt.messageId()).isEqualTo("20240101.1@acme.example");
    LoggedRequest r = only();
    assertThat(r.getHeader("Authorization")).isEqualTo("Basic "
        + Base64.getEncoder().encodeToString(("api:" + KEY).getBytes(StandardCharsets.UTF_8)));
    assertThat(r.getHeader("Content-Type")).startsWith("multipart/form-data; boundary=");
    List<String> parts = r.getParts().stream()
        .map(p -> p.getName() + "=" + (p.getFileName() != null ? "file:" + p.getFileName() + ":"
            + p.getHeader("Content-Type").firstValue() : p.getBody().asString()))
        .collect(Collectors.toList());
    assertThat(parts).containsExactly(
        "from=\"Acme Ltd\" <billing@acme.example>",
        "to=\"Jane Doe\" <jane@customer.example>",
        "cc=boss@customer.example",
        "bcc=auditor@acme.example",
        "bcc=archive@acme.example",
        "subject=Invoice INV-1",
        "text=Please pay.",
        "html=<p>Please pay.</p>",
        "h:Reply-To=billing@acme.example",
        "h:X-Invoice-Number=INV-1",
        "attachment=file:INV-1.pdf:application/pdf");
    Request.Part file = r.getPart("attachment");
    assertThat(file.getBody().asBytes()).isEqualTo(PDF);
  }

  @Test
  void mailgunErrors() {
    wm.stubFor(post(urlEqualTo("/v3/acme.example/messages")).willReturn(aResponse().withStatus(400)
        .withBody("{\"message\":\"'to' parameter is not a valid address. please check documentation\"}")));
    SendException e = failure(dialect("mailgun"));
    assertThat(e.category()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
    assertThat(e.failure().serverReply()).hasValue("'to' parameter is not a valid address. please check documentation");
  }

  @Test
  void mailgunUsesTheServerPathWhenGiven() throws Exception {
    wm.stubFor(post(urlEqualTo("/v3/mg.acme.example/messages")).willReturn(aResponse().withStatus(200)
        .withBody("{\"id\":\"<x@y>\"}")));
    send(settings("/v3/mg.acme.example/messages").httpDialect("mailgun").apiKey(KEY).build(), invoice(false));
    assertThat(only().getUrl()).isEqualTo("/v3/mg.acme.example/messages");
  }

  // ---- Postmark

  @Test
  void postmarkRequestShape() throws Exception {
    wm.stubFor(post(urlEqualTo("/email")).willReturn(aResponse().withStatus(200).withBody(
        "{\"To\":\"jane@customer.example\",\"SubmittedAt\":\"2024-01-01T00:00:00Z\","
            + "\"MessageID\":\"b7bc2f4a-e38e-4336-af7d-e6c392c2f817\",\"ErrorCode\":0,\"Message\":\"OK\"}")));
    SendReceipt receipt = send(dialect("postmark"), invoice(false));
    assertThat(receipt.messageId()).isEqualTo("b7bc2f4a-e38e-4336-af7d-e6c392c2f817");
    LoggedRequest r = only();
    assertThat(r.getHeader("X-Postmark-Server-Token")).isEqualTo(KEY);
    assertThat(r.containsHeader("Authorization")).isFalse();
    assertThat(r.getHeader("Accept")).isEqualTo("application/json");
    assertThat(json(r)).isEqualTo(Map.of(
        "From", "\"Acme Ltd\" <billing@acme.example>",
        "To", "\"Jane Doe\" <jane@customer.example>",
        "Cc", "boss@customer.example",
        "Bcc", "auditor@acme.example, archive@acme.example",
        "ReplyTo", "billing@acme.example",
        "Subject", "Invoice INV-1",
        "TextBody", "Please pay.",
        "HtmlBody", "<p>Please pay.</p>",
        "Headers", List.of(Map.of("Name", "X-Invoice-Number", "Value", "INV-1")),
        "Attachments", List.of(Map.of("Name", "INV-1.pdf", "ContentType", "application/pdf", "Content", PDF_B64))));
  }

  @Test
  void postmarkErrors() {
    wm.stubFor(post(urlEqualTo("/email")).willReturn(aResponse().withStatus(422)
        .withBody("{\"ErrorCode\":300,\"Message\":\"Invalid 'From' address: 'billing@acme.example'.\"}")));
    SendException e = failure(dialect("postmark"));
    assertThat(e.category()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
    assertThat(e.failure().code()).hasValue(422);
    assertThat(e.failure().serverReply()).hasValue("ErrorCode 300: Invalid 'From' address: 'billing@acme.example'.");
  }

  // ---- Resend

  @Test
  void resendRequestShape() throws Exception {
    wm.stubFor(post(urlEqualTo("/emails")).willReturn(aResponse().withStatus(200)
        .withBody("{\"id\":\"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794\"}")));
    SendReceipt receipt = send(dialect("resend"), invoice(true));
    assertThat(receipt.messageId()).isEqualTo("49a3999c-0ce1-4ea6-ab68-afcd6dc2e794");
    LoggedRequest r = only();
    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(r.getHeader("Idempotency-Key")).isEqualTo("key-1");
    assertThat(json(r)).isEqualTo(Map.of(
        "from", "\"Acme Ltd\" <billing@acme.example>",
        "to", List.of("\"Jane Doe\" <jane@customer.example>"),
        "cc", List.of("boss@customer.example"),
        "bcc", List.of("auditor@acme.example", "archive@acme.example"),
        "reply_to", List.of("billing@acme.example"),
        "subject", "Invoice INV-1",
        "text", "Please pay.",
        "html", "<p>Please pay.</p>",
        "headers", Map.of("X-Invoice-Number", "INV-1"),
        "attachments", List.of(Map.of("filename", "INV-1.pdf", "content_type", "application/pdf",
            "content", PDF_B64))));
  }

  @Test
  void resendErrors() {
    wm.stubFor(post(urlEqualTo("/emails")).willReturn(aResponse().withStatus(422).withBody(
        "{\"statusCode\":422,\"message\":\"Invalid `to` field.\",\"name\":\"validation_error\"}")));
    SendException e = failure(dialect("resend"));
    assertThat(e.category()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
    assertThat(e.failure().serverReply()).hasValue("validation_error: Invalid `to` field.");
  }

  // ---- Brevo

  @Test
  void brevoRequestShape() throws Exception {
    wm.stubFor(post(urlEqualTo("/v3/smtp/email")).willReturn(aResponse().withStatus(201)
        .withBody("{\"messageId\":\"<201798300811.5787683@relay.domain.com>\"}")));
    SendReceipt receipt = send(dialect("brevo"), invoice(false));
    assertThat(receipt.messageId()).isEqualTo("201798300811.5787683@relay.domain.com");
    LoggedRequest r = only();
    assertThat(r.getHeader("api-key")).isEqualTo(KEY);
    assertThat(r.containsHeader("Authorization")).isFalse();
    assertThat(json(r)).isEqualTo(Map.of(
        "sender", Map.of("email", "billing@acme.example", "name", "Acme Ltd"),
        "to", List.of(Map.of("email", "jane@customer.example", "name", "Jane Doe")),
        "cc", List.of(Map.of("email", "boss@customer.example")),
        "bcc", List.of(Map.of("email", "auditor@acme.example"), Map.of("email", "archive@acme.example")),
        "replyTo", Map.of("email", "billing@acme.example"),
        "subject", "Invoice INV-1",
        "textContent", "Please pay.",
        "htmlContent", "<p>Please pay.</p>",
        "headers", Map.of("X-Invoice-Number", "INV-1"),
        "attachment", List.of(Map.of("name", "INV-1.pdf", "content", PDF_B64))));
  }

  @Test
  void brevoRefusesSeveralReplyToAddressesBeforeSendingInsteadOfDroppingThem() {
    Email twoReplyTo = invoice(false).toBuilder().replyTo("billing@acme.example", "accounts@acme.example").build();
    try (Mailer mailer = oneAttempt(dialect("brevo"))) {
      SendException e = org.assertj.core.api.Assertions.catchThrowableOfType(() -> mailer.send(twoReplyTo),
          SendException.class);
      assertThat(e.category()).isEqualTo(FailureCategory.CONFIGURATION);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.getMessage()).contains("Brevo accepts one reply-to address, this email has 2; give it one");
      assertThat(e.failure().hint(java.util.Locale.ENGLISH)).contains("give it one");
    }
    assertThat(requests()).isEmpty();
  }

  @Test
  void brevoErrors() {
    wm.stubFor(post(urlEqualTo("/v3/smtp/email")).willReturn(aResponse().withStatus(400)
        .withBody("{\"code\":\"invalid_parameter\",\"message\":\"email is not valid in to\"}")));
    SendException e = failure(dialect("brevo"));
    assertThat(e.category()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
    assertThat(e.failure().serverReply()).hasValue("invalid_parameter: email is not valid in to");
  }

  // ---- shared

  @Test
  void aBodyThatIsNotTheProvidersErrorShapeIsNotQuoted() {
    // issue 10: only a provider's own error message is quoted; whatever else answers is not repeated
    wm.stubFor(post(urlEqualTo("/emails")).willReturn(aResponse().withStatus(422)
        .withBody("{\"message\": [[[[ not json")));
    SendException e = failure(dialect("resend"));
    assertThat(e.category()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
    assertThat(e.failure().serverReply()).isEmpty();
    assertThat(e.getMessage()).doesNotContain("not json");
  }

  @Test
  void aDeeplyNestedErrorBodyDoesNotBreakTheParser() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    wm.stubFor(post(urlEqualTo("/emails")).willReturn(aResponse().withStatus(400).withBody(deep)));
    SendException e = failure(dialect("resend"));
    assertThat(e.category()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
    assertThat(e.failure().serverReply()).isEmpty();
  }

  @Test
  void aHugeErrorBodyIsReadOnlyInPart() {
    String huge = "{\"message\":\"" + "y".repeat(5_000_000) + "\"}";
    wm.stubFor(post(urlEqualTo("/emails")).willReturn(aResponse().withStatus(400).withBody(huge)));
    SendException e = failure(dialect("resend"));
    assertThat(e.category()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
    // only the first 64 KiB were read: not valid JSON any more, so nothing of it is quoted
    assertThat(e.failure().serverReply()).isEmpty();
  }
}
