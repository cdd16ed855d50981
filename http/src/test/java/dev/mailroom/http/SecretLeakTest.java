package dev.mailroom.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.testing.Canary;
import dev.mailroom.testing.LogCapture;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The canary API key goes through every failure path of every dialect, with all logs captured at every
 * level and a transcript: it must appear nowhere, in plain, base64 or URL-encoded form.
 */
class SecretLeakTest extends HttpTestSupport {
  private static final String KEY = Canary.API_KEY;
  private static final String B64 = Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8));
  private static final String BASIC = Base64.getEncoder().encodeToString(("api:" + KEY).getBytes(StandardCharsets.UTF_8));

  private final List<String> transcript = new CopyOnWriteArrayList<>();
  private final StringBuilder seen = new StringBuilder();

  private Mailer mailer(EmailSettings s) {
    return Mailer.open(s, MailerOptions.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(5))
        .maxBackoff(Duration.ofMillis(50)).transcript(transcript::add).build());
  }

  private static Email email(Attachment... attachments) {
    Email.Builder b = Email.builder().to("jane@customer.example").subject("Invoice").text("Please pay.");
    for (Attachment a : attachments) {
      b.attach(a);
    }
    return b.build();
  }

  private void record(Mailer m, Email e) {
    try {
      SendReceipt r = m.send(e);
      seen.append(r).append('\n');
    } catch (SendException x) {
      seen.append(Canary.describe(x)).append('\n').append(x.failure()).append('\n')
          .append(x.failure().message()).append('\n').append(x.failure().serverReply().orElse("")).append('\n');
      for (Locale l : List.of(Locale.ENGLISH, Locale.forLanguageTag("bn"), Locale.forLanguageTag("sw"))) {
        seen.append(x.hint(l)).append('\n').append(x.failure().title(l)).append('\n');
      }
    } catch (RuntimeException x) {
      seen.append(Canary.describe(x)).append('\n');
    }
  }

  private static List<ResponseDefinitionBuilder> hostileResponses(String dialect) {
    String echo = "invalid key " + KEY + " (Bearer " + KEY + ", api-key: " + KEY + ", Basic " + BASIC + ", b64 "
        + B64 + ", url " + URLEncoder.encode(KEY, StandardCharsets.UTF_8) + ")";
    List<ResponseDefinitionBuilder> list = new ArrayList<>();
    for (int status : List.of(400, 401, 403, 413, 422, 429, 500, 503)) {
      list.add(aResponse().withStatus(status).withHeader("Retry-After", "0").withBody(echo));
      list.add(aResponse().withStatus(status).withBody("{\"message\":\"" + echo + "\",\"Message\":\"" + echo
          + "\",\"errors\":[{\"field\":\"" + KEY + "\",\"message\":\"" + echo + "\"}],\"name\":\"" + KEY + "\"}"));
    }
    list.add(aResponse().withStatus(302).withHeader("Location", "https://evil.example/?key=" + KEY));
    list.add(aResponse().withStatus(200).withHeader("X-Message-Id", KEY)
        .withBody("{\"id\":\"" + KEY + "\",\"MessageID\":\"" + KEY + "\",\"messageId\":\"" + KEY + "\"}"));
    list.add(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    list.add(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE));
    if (dialect.equals("form") || dialect.equals("resend")) {
      list.add(aResponse().withStatus(200).withFixedDelay(1500)); // timeout: outcome unknown, and retried
    }
    return list;
  }

  @Test
  void theApiKeyNeverAppearsInLogsExceptionsOrTranscripts() throws IOException {
    try (LogCapture logs = LogCapture.start()) {
      for (String dialect : List.of("form", "sendgrid", "mailgun", "postmark", "resend", "brevo")) {
        EmailSettings s = settings("/").httpDialect(dialect).apiKey(KEY).readTimeout(Duration.ofSeconds(1))
            .copyTo("archive@acme.example").build();
        for (ResponseDefinitionBuilder response : hostileResponses(dialect)) {
          wm.resetAll();
          wm.stubFor(any(anyUrl()).willReturn(response));
          try (Mailer m = mailer(s)) {
            record(m, email(Attachment.ofBytes("a.pdf", "application/pdf", new byte[] {1, 2, 3})));
          }
        }
        // an attachment that cannot be read
        try (Mailer m = mailer(s)) {
          record(m, email(Attachment.ofStream("b.pdf", "application/pdf", () -> {
            throw new IOException("cannot render " + "b.pdf");
          })));
        }
      }
      // TLS failure (self-signed), TLS off, refused connection
      EmailSettings tls = EmailSettings.builder().protocol(Protocol.HTTP)
          .httpServer("https://127.0.0.1:" + wm.httpsPort() + "/send").replyTo("billing@acme.example")
          .apiKey(KEY).httpDialect("sendgrid").readTimeout(Duration.ofSeconds(1)).build();
      wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401).withBody(KEY)));
      try (Mailer m = mailer(tls)) {
        record(m, email());
      }
      try (Mailer m = mailer(tls.toBuilder().verifyTlsCertificate(false).build())) {
        record(m, email());
      }
      int port;
      try (ServerSocket free = new ServerSocket(0)) {
        port = free.getLocalPort();
      }
      try (Mailer m = mailer(tls.toBuilder().httpServer("http://127.0.0.1:" + port + "/").build())) {
        record(m, email());
        seen.append(m.settings()).append('\n').append(m.options()).append('\n');
      }
      String logText = logs.text();
      assertThat(logText).contains("DEBUG dev.mailroom.http.internal.HttpSender -> POST");
      assertThat(transcript).anyMatch(l -> l.startsWith("-> Authorization: ******"));
      assertThat(transcript).anyMatch(l -> l.equals("-> api-key: ******"));
      Canary.assertAbsent(logText, KEY);
      Canary.assertAbsent(String.join("\n", transcript), KEY);
      Canary.assertAbsent(seen.toString(), KEY);
      // the key did reach the server where it belongs
      assertThat(wm.getAllServeEvents()).isNotEmpty();
    }
  }
}
