package dev.mailroom.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormDialectTest extends HttpTestSupport {
  private static final String OK_BODY = "{\"ok\":true}";

  private static Email invoice(Attachment... attachments) {
    Email.Builder b = Email.builder()
        .to("Jane Doe <jane@customer.example>", "ops@customer.example")
        .subject("Invoice INV-1 für März")
        .html("<p>Please find <b>INV-1</b> attached.</p>");
    for (Attachment a : attachments) {
      b.attach(a);
    }
    return b.build();
  }

  private static String field(LoggedRequest r, String name) {
    Request.Part p = r.getPart(name);
    assertThat(p).as("part %s", name).isNotNull();
    return new String(p.getBody().asBytes(), StandardCharsets.UTF_8);
  }

  private static List<Request.Part> files(LoggedRequest r) {
    return r.getParts().stream().filter(p -> p.getFileName() != null).collect(Collectors.toList());
  }

  @Test
  void sendsTheFormFieldsAsMultipart(@TempDir Path dir) throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200).withBody(OK_BODY)));
    Path pdf = dir.resolve("INV-1.pdf");
    Files.write(pdf, "%PDF-1.7 invoice".getBytes(StandardCharsets.US_ASCII));
    try (Mailer mailer = oneAttempt(settings("/send").build())) {
      SendReceipt receipt = mailer.send(invoice(Attachment.ofFile(pdf),
          Attachment.ofBytes("Stückliste \"2024\".csv", "text/csv", "a;b\n1;2\n".getBytes(StandardCharsets.UTF_8))));
      assertThat(receipt.acceptedRecipients()).containsExactly("jane@customer.example", "ops@customer.example");
      assertThat(receipt.serverReply()).hasValue("HTTP 200 " + OK_BODY);
    }
    List<LoggedRequest> all = requests();
    assertThat(all).hasSize(1);
    LoggedRequest r = all.get(0);
    assertThat(r.getMethod().getName()).isEqualTo("POST");
    assertThat(r.getHeader("Content-Type")).startsWith("multipart/form-data; boundary=");
    assertThat(r.containsHeader("Authorization")).isFalse();
    assertThat(field(r, "from")).isEqualTo("Acme Ltd");
    assertThat(field(r, "reply_to")).isEqualTo("billing@acme.example");
    assertThat(field(r, "to")).isEqualTo("jane@customer.example, ops@customer.example");
    assertThat(field(r, "subject")).isEqualTo("Invoice INV-1 für März");
    assertThat(field(r, "body")).isEqualTo("<p>Please find <b>INV-1</b> attached.</p>");

    List<Request.Part> files = files(r);
    assertThat(files).hasSize(2);
    assertThat(files.get(0).getFileName()).isEqualTo("INV-1.pdf");
    assertThat(files.get(0).getHeader("Content-Type").firstValue()).isEqualTo("application/pdf");
    assertThat(files.get(0).getBody().asBytes()).isEqualTo(Files.readAllBytes(pdf));
    assertThat(files.get(1).getHeader("Content-Type").firstValue()).isEqualTo("text/csv");
    assertThat(files.get(1).getBody().asString()).isEqualTo("a;b\n1;2\n");
    // part names: random, unique, UUIDs
    assertThat(files.get(0).getName()).matches("[0-9a-f-]{36}").isNotEqualTo(files.get(1).getName());

    // on the wire: every name and filename quoted; the quote in a filename as %22, UTF-8 as is
    String raw = new String(r.getBody(), StandardCharsets.UTF_8);
    for (String name : List.of("from", "reply_to", "to", "subject", "body")) {
      assertThat(raw).contains("Content-Disposition: form-data; name=\"" + name + "\"\r\n");
    }
    assertThat(raw).contains("Content-Disposition: form-data; name=\"" + files.get(0).getName()
        + "\"; filename=\"INV-1.pdf\"\r\n");
    assertThat(raw).contains("; filename=\"Stückliste %222024%22.csv\"\r\n");
    assertThat(raw).doesNotContainPattern("name=[^\"]");
  }

  @Test
  void sendsBearerOnlyWithAnApiKey() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(201)));
    try (Mailer mailer = oneAttempt(settings("/send").apiKey("form-key-123").build())) {
      mailer.send(invoice());
    }
    assertThat(requests().get(0).getHeader("Authorization")).isEqualTo("Bearer form-key-123");
  }

  @Test
  void customHeadersCannotTravelAndAWarningNamesThemOnce() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    String name = "X-Invoice-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    Email withHeader = invoice().toBuilder().header(name, "INV-1 secret-value").build();
    try (dev.mailroom.testing.LogCapture logs = dev.mailroom.testing.LogCapture.start();
        Mailer mailer = oneAttempt(settings("/send").build())) {
      mailer.send(withHeader);
      mailer.send(withHeader);
      List<String> warnings = logs.lines().stream().filter(l -> l.contains(name)).collect(Collectors.toList());
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).contains("has no custom headers").doesNotContain("secret-value");
    }
    assertThat(requests()).hasSize(2);
    assertThat(requests().get(0).getBodyAsString()).doesNotContain(name).doesNotContain("secret-value");
  }

  @Test
  void fromIsTheAddressWithoutSenderName() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(204)));
    try (Mailer mailer = oneAttempt(settings("/send").senderName(null).build())) {
      mailer.send(invoice());
    }
    // without a sender name and without a username, the sender address is the reply-to address
    assertThat(field(requests().get(0), "from")).isEqualTo("billing@acme.example");
  }

  @Test
  void convertsATextBodyToEscapedHtml() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    try (Mailer mailer = oneAttempt(settings("/send").build())) {
      mailer.send(Email.builder().to("jane@customer.example").subject("Hi")
          .text("Dear Jane,\r\n\r\nInvoice <INV-1> & \"more\"\nThanks").build());
    }
    assertThat(field(requests().get(0), "body"))
        .isEqualTo("<p>Dear Jane,</p>\n<p>Invoice &lt;INV-1&gt; &amp; &quot;more&quot;<br>\nThanks</p>");
  }

  @Test
  void fieldContentCannotAddParts() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    String injected = "Hello\r\n--mailroom-00000000000000000000000000000000\r\nContent-Disposition: form-data;"
        + " name=\"to\"\r\n\r\nevil@attacker.example\r\n--mailroom-00000000000000000000000000000000--\r\n";
    try (Mailer mailer = oneAttempt(settings("/send").build())) {
      mailer.send(Email.builder().to("jane@customer.example").subject("x").html(injected).build());
    }
    LoggedRequest r = requests().get(0);
    assertThat(r.getParts()).extracting(Request.Part::getName)
        .containsExactly("from", "reply_to", "to", "subject", "body");
    assertThat(field(r, "to")).isEqualTo("jane@customer.example");
    assertThat(field(r, "body")).isEqualTo(injected);
  }

  @Test
  void putsCcIntoToAndSendsBlindCopiesSeparately() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    try (Mailer mailer = oneAttempt(settings("/send").copyTo("archive@acme.example").build())) {
      SendReceipt receipt = mailer.send(Email.builder().to("jane@customer.example").cc("boss@customer.example")
          .bcc("auditor@acme.example").subject("Invoice").text("Hello").build());
      assertThat(receipt.acceptedRecipients()).containsExactly("jane@customer.example", "boss@customer.example",
          "auditor@acme.example", "archive@acme.example");
    }
    List<LoggedRequest> all = requests();
    assertThat(all).hasSize(3);
    List<String> to = new ArrayList<>();
    for (LoggedRequest r : all) {
      to.add(field(r, "to"));
      assertThat(field(r, "subject")).isEqualTo("Invoice");
      assertThat(field(r, "body")).isEqualTo("<p>Hello</p>");
    }
    // no request reveals a blind recipient to another recipient
    assertThat(to).containsExactlyInAnyOrder("jane@customer.example, boss@customer.example",
        "auditor@acme.example", "archive@acme.example");
  }

  @Test
  void copyToAVisibleRecipientIsNotSentTwice() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    try (Mailer mailer = oneAttempt(settings("/send").copyTo("jane@customer.example").build())) {
      mailer.send(Email.builder().to("jane@customer.example").subject("x").text("y").build());
    }
    assertThat(requests()).hasSize(1);
  }

  @Test
  void aFailedCopyIsRetriedAloneAndSaysTheMainMessageWentOut() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    wm.stubFor(post(urlEqualTo("/send")).withMultipartRequestBody(
            com.github.tomakehurst.wiremock.client.WireMock.aMultipart("to")
                .withBody(com.github.tomakehurst.wiremock.client.WireMock.equalTo("archive@acme.example")))
        .willReturn(aResponse().withStatus(503).withBody("maintenance")));
    Email email = Email.builder().to("jane@customer.example").subject("x").text("y").build();
    try (Mailer mailer = retrying(settings("/send").copyTo("archive@acme.example").build(), 2)) {
      assertThatThrownBy(() -> mailer.send(email))
          .isInstanceOfSatisfying(SendException.class, e -> {
            assertThat(e.category()).isEqualTo(FailureCategory.SERVER_ERROR);
            assertThat(e.attempts()).isEqualTo(2);
            assertThat(e.failure().message()).isEqualTo("The mail service at 127.0.0.1:" + wm.port()
                + " had an error of its own (HTTP 503): maintenance [already delivered to"
                + " jane@customer.example; only the separate copy to archive@acme.example failed]");
          });
    }
    List<String> to = requests().stream().map(r -> field(r, "to")).collect(Collectors.toList());
    // attempt 1: main + copy; attempt 2: the copy only
    assertThat(to).containsExactlyInAnyOrder("jane@customer.example", "archive@acme.example",
        "archive@acme.example");
  }

  @Test
  void anySuccessStatusIsSuccessWithTheLocalMessageId() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(202).withBody("queued")));
    Email email = Email.builder().to("jane@customer.example").subject("x").text("y").idempotencyKey("abc-1").build();
    try (Mailer mailer = oneAttempt(settings("/send").build())) {
      SendReceipt receipt = mailer.send(email);
      assertThat(receipt.messageId()).isEqualTo("abc-1@acme.example");
      assertThat(receipt.serverReply()).hasValue("HTTP 202 queued");
      assertThat(receipt.attempts()).isEqualTo(1);
    }
  }

  @Test
  void anErrorShowsTheSanitisedTruncatedBody() throws Exception {
    String body = "Sender\r\nnot\u0000allowed " + "x".repeat(2000);
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(400).withBody(body)));
    try (Mailer mailer = oneAttempt(settings("/send").build())) {
      assertThatThrownBy(() -> mailer.send(invoice())).isInstanceOfSatisfying(SendException.class, e -> {
        assertThat(e.category()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
        assertThat(e.isTransient()).isFalse();
        assertThat(e.failure().code()).hasValue(400);
        String reply = e.failure().serverReply().orElseThrow();
        assertThat(reply).startsWith("Sender not\\u0000allowed xxx").endsWith("...").hasSizeLessThanOrEqualTo(512);
        assertThat(reply).doesNotContain("\r", "\n", "\u0000");
        assertThat(e.failure().hint(Locale.ENGLISH)).startsWith("The server refused the message. The server"
            + " responded: 400 Sender not\\u0000allowed");
      });
    }
  }
}
