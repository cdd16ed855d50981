package dev.mailroom.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Dropped connections, timeouts and unreadable attachments. */
class FaultTest extends HttpTestSupport {
  private static Email email() {
    return Email.builder().to("jane@customer.example").subject("Invoice").text("Please pay.")
        .idempotencyKey("idem-7").build();
  }

  /** An attachment of {@code size} bytes generated on the fly. */
  static Attachment big(long size) {
    return Attachment.ofStream("big.bin", "application/octet-stream", () -> new InputStream() {
      long left = size;

      @Override
      public int read() {
        return left-- > 0 ? 'x' : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + n, (byte) 'x');
        left -= n;
        return n;
      }
    });
  }

  private static SendException fail(Mailer m, Email e) {
    try {
      m.send(e);
    } catch (SendException x) {
      return x;
    }
    throw new AssertionError("the send did not fail");
  }

  private static EmailSettings scripted(ScriptedServer s, String dialect) {
    return EmailSettings.builder().protocol(Protocol.HTTP).httpServer("http://127.0.0.1:" + s.port() + "/")
        .replyTo("billing@acme.example").httpDialect(dialect).apiKey("k-1")
        .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(1)).build();
  }

  @Test
  void aResetAfterTheRequestWasSentIsOutcomeUnknownAndNotRetried() {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    try (Mailer m = retrying(settings("/send").build(), 3)) {
      SendException e = fail(m, email());
      assertThat(e.category()).isEqualTo(FailureCategory.OUTCOME_UNKNOWN);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.getMessage()).startsWith("The request was sent to 127.0.0.1:" + wm.port() + " but the"
          + " connection was lost before the answer (").endsWith("): the message may or may not have been"
          + " accepted, so it is not sent again automatically");
      assertThat(e.failure().hintKey()).isEqualTo("hint.outcome-unknown");
    }
    assertThat(requests()).hasSize(1);
  }

  @Test
  void anEmptyResponseIsOutcomeUnknown() {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
    try (Mailer m = oneAttempt(settings("/send").build())) {
      assertThat(fail(m, email()).category()).isEqualTo(FailureCategory.OUTCOME_UNKNOWN);
    }
  }

  @Test
  void garbageInsteadOfHttpIsAProtocolFailure() {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
    try (Mailer m = retrying(settings("/send").build(), 3)) {
      SendException e = fail(m, email());
      assertThat(e.category()).isEqualTo(FailureCategory.PROTOCOL);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.getMessage()).startsWith("The server 127.0.0.1:" + wm.port() + " did not answer with valid HTTP (");
    }
    assertThat(requests()).hasSize(1);
  }

  @Test
  void aResetIsRetriedSafelyWithAnIdempotencyKey() throws Exception {
    wm.stubFor(post(urlEqualTo("/emails")).inScenario("reset").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("ok"));
    wm.stubFor(post(urlEqualTo("/emails")).inScenario("reset").whenScenarioStateIs("ok")
        .willReturn(aResponse().withStatus(200).withBody("{\"id\":\"re-2\"}")));
    try (Mailer m = retrying(settings("/").httpDialect("resend").apiKey("k-1").build(), 3)) {
      SendReceipt r = m.send(email());
      assertThat(r.attempts()).isEqualTo(2);
      assertThat(r.messageId()).isEqualTo("re-2");
    }
    assertThat(requests().stream().map(r -> r.getHeader("Idempotency-Key")).collect(Collectors.toList()))
        .containsExactly("idem-7", "idem-7");
  }

  @Test
  void aStatusLineFollowedByGarbageCountsByItsStatus() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)
        .withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
    try (Mailer m = oneAttempt(settings("/send").build())) {
      SendReceipt r = m.send(email());
      assertThat(r.messageId()).isEqualTo("idem-7@acme.example");
    }
  }

  @Test
  void aResetWhileTheRequestIsSentIsTransient() throws Exception {
    try (ScriptedServer s = new ScriptedServer(socket -> {
      ScriptedServer.readHead(socket.getInputStream());
      socket.getInputStream().readNBytes(1000);
      ScriptedServer.reset(socket);
    })) {
      try (Mailer m = retrying(scripted(s, "form"), 2)) {
        SendException e = fail(m, Email.builder().to("jane@customer.example").subject("x").text("y")
            .attach(big(8_000_000)).build());
        assertThat(e.category()).isEqualTo(FailureCategory.CONNECTION);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.attempts()).isEqualTo(2);
        assertThat(e.getMessage()).startsWith("The connection to 127.0.0.1:" + s.port()
            + " was lost while the request was sent (");
      }
      assertThat(s.connections.get()).isEqualTo(2);
    }
  }

  @Test
  void aRefusedConnectionIsAConnectionFailure() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    EmailSettings s = EmailSettings.builder().protocol(Protocol.HTTP).httpServer("http://127.0.0.1:" + port + "/s")
        .replyTo("billing@acme.example").connectTimeout(Duration.ofSeconds(2)).build();
    try (Mailer m = oneAttempt(s)) {
      SendException e = fail(m, email());
      assertThat(e.category()).isEqualTo(FailureCategory.CONNECTION);
      assertThat(e.failure().hintKey()).isEqualTo("hint.connection.refused");
      assertThat(e.getMessage()).isEqualTo("127.0.0.1:" + port + " refused the connection");
    }
  }

  @Test
  void noAnswerAfterTheRequestIsOutcomeUnknownWithoutAnIdempotencyKey() {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
    try (Mailer m = retrying(settings("/send").readTimeout(Duration.ofSeconds(1)).build(), 3)) {
      SendException e = fail(m, email());
      assertThat(e.category()).isEqualTo(FailureCategory.OUTCOME_UNKNOWN);
      assertThat(e.getMessage()).isEqualTo("The request was sent to 127.0.0.1:" + wm.port() + " but no answer"
          + " came within the read timeout (1000 ms): the message may or may not have been accepted, so it is"
          + " not sent again automatically");
    }
    assertThat(requests()).hasSize(1);
  }

  @Test
  void noAnswerIsATransientTimeoutWithAnIdempotencyKey() {
    wm.stubFor(post(urlEqualTo("/emails")).willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
    try (Mailer m = oneAttempt(settings("/").httpDialect("resend").apiKey("k").readTimeout(Duration.ofSeconds(1))
        .build())) {
      SendException e = fail(m, email());
      assertThat(e.category()).isEqualTo(FailureCategory.TIMEOUT);
      assertThat(e.isTransient()).isTrue();
    }
  }

  @Test
  void aServerThatStopsReadingTimesOutAndTheBodyWriterStops() throws Exception {
    try (ScriptedServer s = new ScriptedServer(socket -> {
      ScriptedServer.readHead(socket.getInputStream());
      Thread.sleep(10_000); // never reads the body
    })) {
      for (String dialect : List.of("form", "sendgrid")) {
        try (Mailer m = oneAttempt(scripted(s, dialect))) {
          SendException e = fail(m, Email.builder().to("jane@customer.example").subject("x").text("y")
              .attach(big(64_000_000)).build());
          assertThat(e.category()).as(dialect).isEqualTo(FailureCategory.TIMEOUT);
          assertThat(e.isTransient()).isTrue();
          assertThat(e.getMessage()).isEqualTo("The server 127.0.0.1:" + s.port() + " stopped taking the request"
              + " within the read timeout (1000 ms); the request was not completely sent");
        }
      }
    }
    for (int i = 0; i < 50 && !threads("-body-").isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertThat(threads("-body-")).isEmpty();
  }

  @Test
  void aStatusWhoseBodyNeverComesCountsByItsStatus() throws Exception {
    try (ScriptedServer s = new ScriptedServer(socket -> {
      InputStream in = socket.getInputStream();
      String head = ScriptedServer.readHead(in);
      int length = Integer.parseInt(head.replaceAll("(?s).*[Cc]ontent-[Ll]ength: (\\d+).*", "$1"));
      in.readNBytes(length);
      OutputStream out = socket.getOutputStream();
      out.write("HTTP/1.1 202 Accepted\r\nContent-Length: 100\r\n\r\n{\"id\":".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(10_000);
    })) {
      try (Mailer m = oneAttempt(scripted(s, "form"))) {
        assertThat(m.send(email()).serverReply()).hasValue("HTTP 202");
      }
    }
  }

  @Test
  void anUnreadableAttachmentIsAPermanentLocalFailure() {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    wm.stubFor(post(urlEqualTo("/v3/mail/send")).willReturn(aResponse().withStatus(202)));
    Attachment broken = Attachment.ofStream("INV-9.pdf", "application/pdf", () -> {
      throw new IOException("renderer crashed");
    });
    Attachment failsLater = Attachment.ofStream("INV-10.pdf", "application/pdf", () -> new InputStream() {
      int n;

      @Override
      public int read() throws IOException {
        if (n++ > 100_000) {
          throw new IOException("disk error");
        }
        return 'p';
      }
    });
    for (EmailSettings s : List.of(settings("/send").build(),
        settings("/").httpDialect("sendgrid").apiKey("k").build())) {
      for (Attachment a : List.of(broken, failsLater)) {
        wm.resetRequests();
        try (Mailer m = retrying(s, 3)) {
          SendException e = fail(m, Email.builder().to("jane@customer.example").subject("x").text("y")
              .attach(a).build());
          assertThat(e.category()).isEqualTo(FailureCategory.CONFIGURATION);
          assertThat(e.isTransient()).isFalse();
          assertThat(e.attempts()).isEqualTo(1);
          assertThat(e.failure().hintKey()).isEqualTo("hint.attachment.unreadable");
          assertThat(e.getMessage()).startsWith("Cannot read attachment \"" + a.filename() + "\": ");
        }
        // never a truncated request that the server takes as complete
        assertThat(requests()).isEmpty();
      }
    }
  }

  @Test
  void aStreamedJsonBodyThatFailsHalfWayIsNeverSentAsComplete() {
    wm.stubFor(post(urlEqualTo("/v3/mail/send")).willReturn(aResponse().withStatus(202)));
    try (Mailer m = oneAttempt(settings("/").httpDialect("sendgrid").apiKey("k").build())) {
      for (int i = 0; i < 30; i++) {
        int failAt = 1000 * (i + 1) * (i + 1);
        Attachment a = Attachment.ofStream("INV-" + i + ".pdf", "application/pdf", () -> new InputStream() {
          int n;

          @Override
          public int read() throws IOException {
            if (n++ >= failAt) {
              throw new IOException("disk error");
            }
            return 'p';
          }
        });
        SendException e = fail(m, Email.builder().to("jane@customer.example").subject("x").text("y").attach(a)
            .build());
        assertThat(e.category()).isEqualTo(FailureCategory.CONFIGURATION);
      }
    }
    assertThat(requests()).isEmpty();
  }

  @Test
  void theWatchdogNeverLeavesAnInterruptBehind() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200)));
    try (Mailer m = oneAttempt(settings("/send").readTimeout(Duration.ofMillis(200)).build())) {
      for (int i = 0; i < 50; i++) {
        try {
          m.send(email());
        } catch (SendException e) {
          // on a loaded machine an answer may take longer than 200 ms: a timeout is fine, an interrupt is not
          assertThat(e.category()).isEqualTo(FailureCategory.OUTCOME_UNKNOWN);
        }
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
      }
    }
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200).withFixedDelay(1000)));
    try (Mailer m = oneAttempt(settings("/send").readTimeout(Duration.ofMillis(200)).build())) {
      SendException e = fail(m, email());
      assertThat(e.category()).isEqualTo(FailureCategory.OUTCOME_UNKNOWN);
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
  }

  @Test
  void anInterruptedCallerGetsAFailureAndKeepsItsInterrupt() {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200).withFixedDelay(1000)));
    try (Mailer m = oneAttempt(settings("/send").build())) {
      Thread.currentThread().interrupt();
      SendException e = fail(m, email());
      assertThat(e.category()).isEqualTo(FailureCategory.CONNECTION);
      assertThat(e.getMessage()).isEqualTo("The send to 127.0.0.1:" + wm.port()
          + " was interrupted before the request was sent");
      assertThat(Thread.interrupted()).isTrue();
    }
  }

  @Test
  void closingTheSenderEndsSendsThatAreStillWaiting() throws Exception {
    wm.stubFor(post(urlEqualTo("/send")).willReturn(aResponse().withStatus(200).withFixedDelay(5000)));
    dev.mailroom.spi.Sender sender = new HttpSenderProvider().open(settings("/send")
        .readTimeout(Duration.ofSeconds(30)).build(), dev.mailroom.MailerOptions.ofDefaults().senderContext());
    Email e = Email.builder().from("billing@acme.example").to("jane@customer.example").subject("x").text("y").build();
    java.util.concurrent.CompletableFuture<SendException> result = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        sender.send(new dev.mailroom.spi.SendRequest(e, e.from().orElseThrow(), e.recipients(),
            java.util.Optional.empty(), 1));
        return null;
      } catch (SendException x) {
        return x;
      }
    });
    for (int i = 0; i < 100 && requests().isEmpty(); i++) {
      Thread.sleep(20);
    }
    sender.close();
    SendException x = result.get(3, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(x.category()).isEqualTo(FailureCategory.OUTCOME_UNKNOWN);
    assertThat(x.getMessage()).contains("the mailer was closed while the message was being sent");
  }

  @Test
  void closeReleasesEveryThread() throws Exception {
    wm.stubFor(post(urlEqualTo("/v3/mail/send")).willReturn(aResponse().withStatus(202)));
    try (Mailer m = Mailer.open(settings("/").httpDialect("sendgrid").apiKey("k").build())) {
      for (int i = 0; i < 3; i++) {
        m.sendAsync(Email.builder().to("jane@customer.example").subject("x").text("y")
            .attach(big(1_000_000)).build()).get();
      }
      assertThat(threads("mailroom-http-")).isNotEmpty();
    }
    for (int i = 0; i < 50 && !threads("mailroom-http-").isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertThat(threads("mailroom-http-")).isEmpty();
  }

  static List<String> threads(String part) {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.contains(part))
        .collect(Collectors.toList());
  }
}
