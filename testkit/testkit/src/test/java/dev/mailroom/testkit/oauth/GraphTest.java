package dev.mailroom.testkit.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.OAuth2;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.Secret;
import dev.mailroom.testkit.MailAssertions;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.ReceivedEmail;
import dev.mailroom.testkit.junit.StartStop;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Microsoft Graph sendMail (dialect graph) against the test kit's fake, with tokens from its token endpoint. */
@Timeout(120)
class GraphTest {
  @StartStop
  static MailroomHttpServer graph = MailroomHttpServer.builder().dialect("graph").build();

  static final byte[] PDF = "%PDF-1.4 invoice".getBytes(StandardCharsets.US_ASCII);

  static Email invoice() {
    return Email.builder()
        .to("Jane Doe <jane@customer.test>")
        .cc("boss@customer.test")
        .subject("Invoice INV-1")
        .html("<p>Please find the invoice attached.</p>")
        .header("X-Invoice-Number", "INV-1")
        .attach(Attachment.ofBytes("INV-1.pdf", "application/pdf", PDF))
        .build();
  }

  static MailerOptions once() {
    return MailerOptions.builder().maxAttempts(1).build();
  }

  @Test
  void sendsTheJsonMessageWithABearerTokenFromTheTokenEndpoint() throws Exception {
    SendReceipt r;
    try (Mailer mailer = Mailer.open(graph.settingsBuilder().copyTo("archive@acme.test").build(), once())) {
      r = mailer.send(invoice());
      assertThat(r.messageId()).isNotBlank();
    }
    ReceivedEmail got = graph.awaitOne(Duration.ofSeconds(10));
    assertThat(got.via()).isEqualTo("http:graph");
    // Graph's 202 names no id: the receipt's is the internetMessageId the message was sent with
    assertThat(got.messageId()).hasValue(r.messageId());
    MailAssertions.assertThat(got)
        .hasSubject("Invoice INV-1")
        .isFrom(MailroomHttpServer.SENDER)
        .sentTo("jane@customer.test", "boss@customer.test")
        .copiedTo("archive@acme.test")
        .hasReplyTo(MailroomHttpServer.REPLY_TO)
        .hasAttachment("INV-1.pdf", PDF);
    assertThat(got.html()).hasValue("<p>Please find the invoice attached.</p>");
    assertThat(got.header("X-Invoice-Number")).hasValue("INV-1");
    assertThat(got.header("x-mailroom-save-to-sent-items")).hasValue("true");
  }

  @Test
  void saveToSentItemsCanBeTurnedOff() throws Exception {
    String url = graph.settings().httpServer().orElseThrow() + "?saveToSentItems=false";
    try (Mailer mailer = Mailer.open(graph.settingsBuilder().httpServer(url).build(), once())) {
      mailer.send(invoice());
    }
    assertThat(graph.awaitOne(Duration.ofSeconds(10)).header("x-mailroom-save-to-sent-items")).hasValue("false");
  }

  @Test
  void oneTokenServesManySends() throws Exception {
    int before = graph.tokensIssued();
    try (Mailer mailer = Mailer.open(graph.settings(), once())) {
      for (int i = 0; i < 5; i++) {
        mailer.send(invoice());
      }
    }
    assertThat(graph.awaitReceived(5, Duration.ofSeconds(10))).hasSize(5);
    assertThat(graph.tokensIssued() - before).isEqualTo(1);
  }

  @Test
  void aRevokedTokenIsReplacedAndTheSendRetriedOnce() throws Exception {
    try (Mailer mailer = Mailer.open(graph.settings(), once())) {
      mailer.send(invoice());
      graph.revokeAccessTokens(); // e.g. the admin revoked sessions: Graph answers 401 to the cached token
      int before = graph.tokensIssued();
      mailer.send(invoice());
      assertThat(graph.tokensIssued() - before).isEqualTo(1);
    }
    assertThat(graph.awaitReceived(2, Duration.ofSeconds(10))).hasSize(2);
  }

  @Test
  void aTokenRefusedTwiceIsAnAuthenticationFailure() {
    try (Mailer mailer = Mailer.open(graph.settings(), once())) {
      graph.failNextAsProvider(401).failNextAsProvider(401);
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(invoice()));
      assertThat(e.category()).isEqualTo(FailureCategory.AUTHENTICATION);
      assertThat(e.failure().hintKey()).isEqualTo("hint.auth.token");
      assertThat(e.getMessage()).contains("InvalidAuthenticationToken");
    }
    graph.assertNoneReceived();
  }

  @ParameterizedTest
  @CsvSource({
      "403, AUTHENTICATION, hint.graph.access-denied, false",
      "404, CONFIGURATION, hint.graph.mailbox-not-enabled, false",
      "413, MESSAGE_REJECTED, hint.message.too-large, false",
      "429, RATE_LIMITED, hint.rate-limited, true",
      "503, SERVER_ERROR, hint.http.server-error, true",
  })
  void graphsFaultMatrixIsClassified(int status, FailureCategory category, String hint, boolean transientFailure) {
    try (Mailer mailer = Mailer.open(graph.settings(), once())) {
      graph.failNextAsProvider(status);
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(invoice()));
      assertThat(e.category()).isEqualTo(category);
      assertThat(e.failure().hintKey()).isEqualTo(hint);
      assertThat(e.isTransient()).isEqualTo(transientFailure);
      assertThat(e.failure().code()).hasValue(status);
      assertThat(e.failure().hint(Locale.forLanguageTag("sw"))).doesNotStartWith("hint.");
      if (status == 429) {
        assertThat(e.failure().retryAfter()).hasValue(Duration.ofSeconds(1));
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
      "ErrorInvalidRecipients, RECIPIENT_REJECTED, hint.api.invalid-recipients",
      "ErrorSendAsDenied, SENDER_REJECTED, hint.api.send-as-denied",
      "MailboxNotEnabledForRESTAPI, CONFIGURATION, hint.graph.mailbox-not-enabled",
      "ErrorMessageSizeExceeded, MESSAGE_REJECTED, hint.message.too-large",
  })
  void graphsErrorCodesAreClassified(String code, FailureCategory category, String hint) {
    try (Mailer mailer = Mailer.open(graph.settings(), once())) {
      graph.failNext(400, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"refused\"}}");
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(invoice()));
      assertThat(e.category()).isEqualTo(category);
      assertThat(e.failure().hintKey()).isEqualTo(hint);
      assertThat(e.getMessage()).contains(code);
    }
  }

  @Test
  void theTokenEndpointsRefusalIsTheSendsFailure() {
    try (Mailer mailer = Mailer.open(graph.settingsBuilder().oauth2(OAuth2.clientCredentials(
        graph.tokenEndpoint(OAuth2.GRAPH_APP_SCOPE), graph.clientId(), Secret.of("wrong-secret"))).build(), once())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(invoice()));
      assertThat(e.category()).isEqualTo(FailureCategory.AUTHENTICATION);
      assertThat(e.failure().hintKey()).isEqualTo("hint.oauth.client-secret-wrong");
      assertThat(e.getMessage()).doesNotContain("wrong-secret");
    }
    graph.assertNoneReceived();
  }

  @Test
  void attachmentsOverThreeMegabytesGoThroughADraftAndAnUploadSession() throws Exception {
    byte[] big = new byte[5 * 1024 * 1024 + 12345];
    new Random(7).nextBytes(big);
    Email e = invoice().toBuilder().attach(Attachment.ofBytes("scan.pdf", "application/pdf", big)).build();
    try (Mailer mailer = Mailer.open(graph.settings(), once())) {
      mailer.send(e);
    }
    ReceivedEmail got = graph.awaitOne(Duration.ofSeconds(10));
    MailAssertions.assertThat(got).hasAttachment("INV-1.pdf", PDF).hasAttachment("scan.pdf", big)
        .sentTo("jane@customer.test", "boss@customer.test");
    assertThat(got.header("X-Invoice-Number")).hasValue("INV-1");
  }

  @Test
  void anAttachmentOfUnknownSizeIsCountedThenUploaded() throws Exception {
    byte[] data = new byte[4 * 1024 * 1024];
    new Random(3).nextBytes(data);
    Email e = invoice().toBuilder().attach(Attachment.ofStream("report.pdf", "application/pdf",
        () -> new java.io.ByteArrayInputStream(data))).build();
    try (Mailer mailer = Mailer.open(graph.settings(), once())) {
      mailer.send(e);
    }
    ReceivedEmail got = graph.awaitOne(Duration.ofSeconds(10));
    assertThat(MessageDigest.getInstance("SHA-256").digest(got.attachment("report.pdf").orElseThrow().bytes()))
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void withoutAnOAuth2TokenTheSettingsAreRefusedBeforeSending() {
    try (Mailer mailer = Mailer.open(graph.settingsBuilder().oauth2(null).build(), once())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(invoice()));
      assertThat(e.category()).isEqualTo(FailureCategory.CONFIGURATION);
      assertThat(e.getMessage()).contains("OAuth2");
    } catch (IllegalArgumentException refusedAtOpen) {
      assertThat(refusedAtOpen.getMessage()).contains("OAuth2");
    }
    graph.assertNoneReceived();
  }
}
