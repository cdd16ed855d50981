package dev.mailroom.testkit.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.testkit.MailAssertions;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.ReceivedAttachment;
import dev.mailroom.testkit.ReceivedEmail;
import dev.mailroom.testkit.junit.StartStop;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Invoice-grade messages through Microsoft Graph, the Gmail API and Amazon SES v2 (issue 12's rule for the
 * issue 13 dialects): inline images, tags, metadata and an own Message-ID carried as each API's fields, or
 * the email refused before the first byte (no request at all reaches the fake, not even for a token).
 */
@Timeout(120)
class ProviderApiRulesTest {
  @StartStop
  static MailroomHttpServer graph = MailroomHttpServer.builder().dialect("graph").build();
  @StartStop
  static MailroomHttpServer gmail = MailroomHttpServer.builder().dialect("gmail").build();
  @StartStop
  static MailroomHttpServer ses = MailroomHttpServer.builder().dialect("ses").build();

  static final byte[] PDF = "%PDF-1.4 invoice".getBytes(StandardCharsets.US_ASCII);
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3};

  /** An invoice with the company logo inline and its own Message-ID. */
  static Email.Builder invoice() {
    return Email.builder()
        .to("Jane Doe <jane@customer.test>")
        .subject("Invoice INV-42")
        .text("Please pay.")
        .html("<p><img src=\"cid:logo\" alt=\"Acme\"> Please find invoice INV-42 attached.</p>")
        .inline("logo", Attachment.ofBytes("logo.png", "image/png", PNG))
        .attach(Attachment.ofBytes("INV-42.pdf", "application/pdf", PDF))
        .messageId("inv-42@acme.test");
  }

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static MailerOptions once() {
    return MailerOptions.builder().maxAttempts(1).build();
  }

  private static SendReceipt send(MailroomHttpServer api, Email e) throws Exception {
    try (Mailer mailer = Mailer.open(api.settings(), once())) {
      return mailer.send(e);
    }
  }

  /** The email is refused as a configuration problem and nothing reached the fake. */
  private static SendException refused(MailroomHttpServer api, Email e) {
    api.clear();
    SendException x;
    try (Mailer mailer = Mailer.open(api.settings(), once())) {
      x = catchThrowableOfType(SendException.class, () -> mailer.send(e));
    }
    assertThat(x).as(api.dialect() + " refuses " + e).isNotNull();
    assertThat(x.category()).isEqualTo(FailureCategory.CONFIGURATION);
    assertThat(x.isTransient()).isFalse();
    assertThat(api.requestCount()).as("requests that reached the " + api.dialect() + " fake").isZero();
    api.assertNoneReceived();
    return x;
  }

  private static ReceivedAttachment attachment(ReceivedEmail got, String name) {
    return got.attachment(name).orElseThrow(() -> new AssertionError("no " + name + " in " + got));
  }

  // ---- Microsoft Graph

  @Test
  void graphCarriesTheInlineLogoWithItsContentIdAndTheOwnMessageId() throws Exception {
    SendReceipt r = send(graph, invoice().build());
    ReceivedEmail got = graph.awaitOne(Duration.ofSeconds(10));
    assertThat(graph.requestCount()).as("the count that refusals expect to stay at zero").isPositive();
    MailAssertions.assertThat(got).hasAttachment("logo.png", PNG).hasAttachment("INV-42.pdf", PDF);
    assertThat(attachment(got, "logo.png").contentId()).hasValue("logo");
    assertThat(attachment(got, "INV-42.pdf").contentId()).isEmpty();
    assertThat(got.html().orElseThrow()).contains("cid:logo");
    assertThat(got.messageId()).hasValue("inv-42@acme.test");
    assertThat(r.messageId()).isEqualTo("inv-42@acme.test");
  }

  @Test
  void graphCarriesInlineImagesInTheDraftAndThroughTheUploadSession() throws Exception {
    byte[] scan = random(5 * 1024 * 1024 + 17, 11);
    byte[] photo = random(3 * 1024 * 1024 + 5, 12);
    Email e = invoice()
        .html("<p><img src=\"cid:logo\"><img src=\"cid:photo\"></p>")
        .inline("photo", Attachment.ofStream("photo.jpg", "image/jpeg", () -> new ByteArrayInputStream(photo)))
        .attach(Attachment.ofBytes("scan.pdf", "application/pdf", scan))
        .build();
    SendReceipt r = send(graph, e);
    ReceivedEmail got = graph.awaitOne(Duration.ofSeconds(20));
    // the small logo travels in the draft, the large photo and scan through upload sessions
    MailAssertions.assertThat(got).hasAttachment("logo.png", PNG).hasAttachment("photo.jpg", photo)
        .hasAttachment("scan.pdf", scan).hasAttachment("INV-42.pdf", PDF);
    assertThat(attachment(got, "logo.png").contentId()).hasValue("logo");
    assertThat(attachment(got, "photo.jpg").contentId()).hasValue("photo");
    assertThat(attachment(got, "scan.pdf").contentId()).isEmpty();
    assertThat(got.messageId()).hasValue("inv-42@acme.test");
    assertThat(r.messageId()).isEqualTo("inv-42@acme.test");
  }

  @Test
  void graphRefusesTagsAndMetadataBeforeTheFirstByteInBothPaths() {
    Email small = invoice().tag("invoice").build();
    SendException tags = refused(graph, small);
    assertThat(tags.getMessage()).contains("Microsoft Graph cannot carry").contains("tags").contains("invoice");
    assertThat(tags.failure().hintKey()).isEqualTo("hint.message.tags-not-carried");
    assertThat(tags.failure().hint(Locale.ENGLISH)).contains("Microsoft Graph has no tags");
    // the staged path (draft and upload session) refuses before its first request too
    Email staged = invoice().metadata("invoice_id", "INV-42")
        .attach(Attachment.ofBytes("scan.pdf", "application/pdf", random(4 * 1024 * 1024, 13))).build();
    assertThat(refused(graph, staged).getMessage()).contains("metadata").contains("invoice_id");
    Email unknownSize = invoice().metadata("invoice_id", "INV-42")
        .attach(Attachment.ofStream("a.pdf", "application/pdf", () -> new ByteArrayInputStream(PDF))).build();
    assertThat(refused(graph, unknownSize).getMessage()).contains("metadata");
  }

  // ---- Gmail API

  @Test
  void gmailCarriesInlineImagesAndTheMessageIdInTheMessage() throws Exception {
    send(gmail, invoice().build());
    ReceivedEmail got = gmail.awaitOne(Duration.ofSeconds(10));
    MailAssertions.assertThat(got).hasAttachment("logo.png", PNG).hasAttachment("INV-42.pdf", PDF);
    assertThat(attachment(got, "logo.png").contentId()).hasValue("logo");
    assertThat(got.messageId()).hasValue("inv-42@acme.test");
    assertThat(new String(got.raw().orElseThrow(), StandardCharsets.US_ASCII)).contains("multipart/related");
  }

  @Test
  void gmailRefusesTagsAndMetadataBeforeTheFirstByteInBothPaths() {
    SendException tags = refused(gmail, invoice().tag("invoice").build());
    assertThat(tags.getMessage()).contains("The Gmail API cannot carry").contains("tags");
    assertThat(tags.failure().hintKey()).isEqualTo("hint.message.tags-not-carried");
    // over 5 MB: the resumable upload refuses before its session, and before the token
    Email large = invoice().metadata("invoice_id", "INV-42")
        .attach(Attachment.ofBytes("scan.pdf", "application/pdf", random(6 * 1024 * 1024, 14))).build();
    assertThat(refused(gmail, large).getMessage()).contains("metadata").contains("invoice_id");
  }

  // ---- Amazon SES v2

  @Test
  void sesCarriesTagsAndMetadataAsEmailTagsAndTheRestInTheRawMessage() throws Exception {
    Email e = invoice().tag("invoice").tag("march-2026").metadata("invoice_id", "INV-42")
        .metadata("tenant", "acme_ltd").build();
    SendReceipt r = send(ses, e);
    ReceivedEmail got = ses.awaitOne(Duration.ofSeconds(10));
    assertThat(got.headers().get("x-mailroom-ses-email-tag"))
        .containsExactly("invoice=true", "march-2026=true", "invoice_id=INV-42", "tenant=acme_ltd");
    // the SMTP header is not written into an API send: the tags travel once, as the API's field
    assertThat(got.header("X-SES-MESSAGE-TAGS")).isEmpty();
    assertThat(attachment(got, "logo.png").contentId()).hasValue("logo");
    assertThat(got.messageId()).hasValue("inv-42@acme.test");
    assertThat(r.messageId()).startsWith("0100018c");
    // a streamed (unknown size) attachment takes the same JSON
    send(ses, e.toBuilder().attach(Attachment.ofStream("b.pdf", "application/pdf",
        () -> new ByteArrayInputStream(PDF))).build());
    assertThat(ses.awaitReceived(2, Duration.ofSeconds(10)).get(1).headers().get("x-mailroom-ses-email-tag"))
        .hasSize(4);
  }

  @Test
  void sesRefusesATagItsRuleDoesNotAllowBeforeTheFirstByte() {
    for (Email e : List.of(invoice().tag("two words").build(), invoice().metadata("note", "a.b").build(),
        invoice().metadata("invoice_id", "INV-42").tag("ünïcode").build())) {
      SendException x = refused(ses, e);
      assertThat(x.getMessage()).contains("Amazon SES message tags take only ASCII letters, digits");
      assertThat(x.failure().hintKey()).isEqualTo("hint.message.provider-limit");
    }
  }
}
