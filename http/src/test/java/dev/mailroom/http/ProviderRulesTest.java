package dev.mailroom.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each HTTP API's own rules: requests validated against the providers' published API descriptions (copied
 * into test resources from shared/reference/api-specs) with a JSON-schema validator; inline images, tags,
 * metadata and an own Message-ID carried where the API has a place for them and refused before the first
 * byte where it has not; bcc-only emails and recipient lists over a provider's limit refused before
 * sending, also with streamed attachments.
 */
class ProviderRulesTest extends HttpTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
  private static final byte[] PDF = "%PDF-1.7 invoice".getBytes(StandardCharsets.US_ASCII);

  private static EmailSettings dialect(String id) {
    return settings("/").httpDialect(id).apiKey("test-key-0123456789").emailAddress("billing@acme.example")
        .build();
  }

  private static Email.Builder invoice(boolean streamed) {
    return Email.builder().to("Jane Doe <jane@customer.example>").cc("boss@customer.example")
        .bcc("auditor@acme.example").subject("Invoice 42").text("Please pay.")
        .html("<p><img src=\"cid:logo\"> Please pay.</p>")
        .inline("logo", Attachment.ofBytes("logo.png", "image/png", PNG))
        .attach(streamed ? Attachment.ofStream("INV-42.pdf", "application/pdf", () -> new ByteArrayInputStream(PDF))
            : Attachment.ofBytes("INV-42.pdf", "application/pdf", PDF))
        .tag("invoice").metadata("invoice_id", "INV-42").messageId("inv-42@acme.example");
  }

  private static JsonSchema schema(String name, SpecVersion.VersionFlag version) throws Exception {
    try (InputStream in = ProviderRulesTest.class.getResourceAsStream("/api-specs/" + name)) {
      // formats not asserted: the test addresses use the reserved .example domains, which the validator's
      // email format refuses as an unknown top-level domain
      return JsonSchemaFactory.getInstance(version).getSchema(in,
          SchemaValidatorsConfig.builder().formatAssertionsEnabled(false).build());
    }
  }

  private static JsonNode sendAndCapture(EmailSettings s, Email e) throws Exception {
    wm.resetAll();
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withBody("{\"id\":\"p-1\",\"MessageID\":\"p-1\",\"messageId\":\"<p-1>\"}")));
    try (Mailer mailer = oneAttempt(s)) {
      mailer.send(e);
    }
    List<LoggedRequest> all = requests();
    assertThat(all).hasSize(1);
    return JSON.readTree(all.get(0).getBodyAsString());
  }

  private static void assertValid(JsonSchema schema, JsonNode body) {
    Set<ValidationMessage> errors = schema.validate(body);
    assertThat(errors).as(body.toString()).isEmpty();
  }

  private static SendException refused(EmailSettings s, Email e) {
    wm.resetAll();
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{}")));
    try (Mailer mailer = oneAttempt(s)) {
      mailer.send(e);
    } catch (SendException x) {
      assertThat(requests()).as("nothing reached the server").isEmpty();
      assertThat(x.category()).isEqualTo(FailureCategory.CONFIGURATION);
      return x;
    }
    throw new AssertionError("not refused: " + e);
  }

  @Test
  void sendGridCarriesInlineImagesCategoriesCustomArgsAndTheMessageId() throws Exception {
    JsonSchema schema = schema("sendgrid-mail-send.json", SpecVersion.VersionFlag.V7);
    for (boolean streamed : List.of(false, true)) {
      JsonNode body = sendAndCapture(dialect("sendgrid"), invoice(streamed).build());
      assertValid(schema, body);
      JsonNode logo = body.get("attachments").get(1);
      assertThat(logo.get("disposition").asText()).isEqualTo("inline");
      assertThat(logo.get("content_id").asText()).isEqualTo("logo");
      assertThat(logo.get("filename").asText()).isEqualTo("logo.png");
      assertThat(body.get("categories").toString()).isEqualTo("[\"invoice\"]");
      assertThat(body.get("personalizations").get(0).get("custom_args").get("invoice_id").asText())
          .isEqualTo("INV-42");
      assertThat(body.get("headers").get("Message-ID").asText()).isEqualTo("<inv-42@acme.example>");
    }
    Email textOnly = Email.builder().to("jane@customer.example").subject("Hi").text("x").build();
    assertValid(schema, sendAndCapture(dialect("sendgrid"), textOnly));
    // the schema's subject has minLength 1: an email without one is refused, not sent as an invalid request
    assertThat(refused(dialect("sendgrid"), textOnly.toBuilder().subject("").build()).getMessage())
        .contains("requires a subject");
  }

  @Test
  void postmarkCarriesContentIdsTagMetadataAndTheMessageStream() throws Exception {
    JsonSchema schema = schema("postmark-send-email.json", SpecVersion.VersionFlag.V4);
    JsonNode body = sendAndCapture(dialect("postmark"), invoice(true)
        .header("X-PM-Message-Stream", "broadcast").build());
    assertValid(schema, body);
    assertThat(body.get("Attachments").get(1).get("ContentID").asText()).isEqualTo("cid:logo");
    assertThat(body.get("Tag").asText()).isEqualTo("invoice");
    assertThat(body.get("Metadata").get("invoice_id").asText()).isEqualTo("INV-42");
    assertThat(body.get("MessageStream").asText()).isEqualTo("broadcast");
    assertThat(body.get("Headers").toString()).contains("\"Message-ID\"").doesNotContain("X-PM-Message-Stream");
    SendException two = refused(dialect("postmark"), invoice(false).tag("march").build());
    assertThat(two.getMessage()).contains("one tag");
  }

  @Test
  void resendCarriesContentIdsAndTags() throws Exception {
    JsonSchema schema = schema("resend-send-email.json", SpecVersion.VersionFlag.V7);
    JsonNode body = sendAndCapture(dialect("resend"), invoice(true).build());
    assertValid(schema, body);
    assertThat(body.get("attachments").get(1).get("content_id").asText()).isEqualTo("logo");
    assertThat(body.get("tags").toString())
        .isEqualTo("[{\"name\":\"invoice\",\"value\":\"true\"},{\"name\":\"invoice_id\",\"value\":\"INV-42\"}]");
    assertThat(body.get("headers").get("Message-ID").asText()).isEqualTo("<inv-42@acme.example>");
    SendException dots = refused(dialect("resend"), invoice(false).metadata("note", "two words").build());
    assertThat(dots.getMessage()).contains("Resend tags take only");
  }

  @Test
  void brevoAlwaysGetsHtmlContentAndCarriesTagsAndMetadata() throws Exception {
    JsonSchema schema = schema("brevo-send-smtp-email.json", SpecVersion.VersionFlag.V4);
    Email textOnly = Email.builder().to("jane@customer.example").subject("Hi").text("Line 1\nLine <2>")
        .tag("invoice").metadata("invoice_id", "INV-42").build();
    JsonNode body = sendAndCapture(dialect("brevo"), textOnly);
    assertValid(schema, body);
    assertThat(body.get("htmlContent").asText()).contains("Line 1").contains("&lt;2&gt;");
    assertThat(body.get("textContent").asText()).isEqualTo("Line 1\nLine <2>");
    assertThat(body.get("tags").toString()).isEqualTo("[\"invoice\"]");
    assertThat(body.get("headers").get("X-Mailin-custom").asText()).isEqualTo("invoice_id:INV-42");
    assertValid(schema, sendAndCapture(dialect("brevo"), Email.builder().to("jane@customer.example").build()));
    // Brevo has no inline images and no Message-ID of one's own
    SendException inline = refused(dialect("brevo"), invoice(true).build());
    assertThat(inline.getMessage()).contains("Brevo cannot carry inline images");
    assertThat(inline.failure().hint(Locale.ENGLISH)).contains("cannot carry inline images");
    assertThat(inline.failure().hint(Locale.forLanguageTag("bn"))).contains("ইনলাইন");
    assertThat(inline.failure().hint(Locale.forLanguageTag("sw"))).contains("picha za ndani");
    SendException id = refused(dialect("brevo"), Email.builder().to("jane@customer.example")
        .messageId("x@acme.example").build());
    assertThat(id.getMessage()).contains("Message-ID");
  }

  @Test
  void mailgunCarriesInlinePartsTagsVariablesAndTheMessageId() throws Exception {
    wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{\"id\":\"<mg-1@acme.example>\"}")));
    try (Mailer mailer = oneAttempt(dialect("mailgun"))) {
      mailer.send(invoice(true).build());
    }
    List<String> parts = requests().get(0).getParts().stream()
        .map(p -> p.getName() + "=" + (p.getFileName() != null ? "file:" + p.getFileName() : p.getBody().asString()))
        .collect(Collectors.toList());
    assertThat(parts).contains("inline=file:logo", "attachment=file:INV-42.pdf", "o:tag=invoice",
        "v:invoice_id=INV-42", "h:Message-Id=<inv-42@acme.example>");
    SendException four = refused(dialect("mailgun"), invoice(false).tag("a").tag("b").tag("c").build());
    assertThat(four.getMessage()).contains("3 tags");
  }

  @Test
  void theFormProtocolRefusesWhatItCannotCarry() {
    EmailSettings form = settings("/send").build();
    Email plain = Email.builder().to("jane@customer.example").subject("Hi").html("<p>x</p>").build();
    assertThat(refused(form, plain.toBuilder().html("<img src=cid:logo>")
        .inline("logo", Attachment.ofBytes("logo.png", "image/png", PNG)).build()).getMessage())
        .contains("cannot carry inline images");
    assertThat(refused(form, plain.toBuilder().tag("invoice").build()).getMessage()).contains("tags");
    assertThat(refused(form, plain.toBuilder().metadata("k", "v").build()).getMessage()).contains("metadata");
    assertThat(refused(form, plain.toBuilder().messageId("a@acme.example").build()).getMessage())
        .contains("Message-ID");
  }

  @Test
  void bccOnlyAndTooManyRecipientsAreRefusedBeforeTheFirstByte() {
    for (String id : List.of("sendgrid", "mailgun", "postmark", "resend", "brevo")) {
      for (boolean streamed : List.of(false, true)) {
        Email bccOnly = Email.builder().bcc("a@customer.example", "b@customer.example").subject("Hi").text("x")
            .attach(streamed ? Attachment.ofStream("a.pdf", "application/pdf", () -> new ByteArrayInputStream(PDF))
                : Attachment.ofBytes("a.pdf", "application/pdf", PDF)).build();
        SendException e = refused(dialect(id), bccOnly);
        assertThat(e.getMessage()).as(id).contains("at least one To recipient");
        assertThat(e.failure().hint(Locale.ENGLISH)).contains("needs at least one To recipient");
      }
    }
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      many.add("r" + i + "@customer.example");
    }
    Email fiftyOne = Email.builder().to(many.toArray(new String[0])).subject("Hi").text("x")
        .attach(Attachment.ofStream("a.pdf", "application/pdf", () -> new ByteArrayInputStream(PDF))).build();
    assertThat(refused(dialect("resend"), fiftyOne).getMessage()).contains("at most 50 To recipients");
    assertThat(refused(dialect("postmark"), fiftyOne).getMessage()).contains("at most 50 To recipients");
    Email brevoTwoReplyTo = Email.builder().to("a@customer.example").replyTo("x@acme.example", "y@acme.example")
        .attach(Attachment.ofStream("a.pdf", "application/pdf", () -> new ByteArrayInputStream(PDF))).build();
    assertThat(refused(dialect("brevo"), brevoTwoReplyTo).getMessage()).contains("one reply-to");
  }
}
