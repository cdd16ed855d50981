package dev.mailroom.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mailroom.Email;
import dev.mailroom.internal.mime.Refusal;
import dev.mailroom.internal.mime.TagHeaders;
import dev.mailroom.spi.SendRequest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Brevo ({@code POST /v3/smtp/email}, {@code api-key} header, 201 {@code {"messageId"}}; errors
 * {@code {"code","message"}}; 429 with {@code x-sib-ratelimit-reset} in seconds).
 */
public final class BrevoDialect extends JsonDialect {
  /** Creates the dialect. */
  public BrevoDialect() {}

  @Override
  public String id() {
    return "brevo";
  }

  @Override
  String providerName() {
    return "Brevo";
  }

  @Override
  public boolean matchesHost(String host) {
    return DialectSupport.hostIn(host, "api.brevo.com", "api.sendinblue.com");
  }

  @Override
  String defaultPath(SendRequest request) {
    return "/v3/smtp/email";
  }

  @Override
  void authenticate(HttpRequest.Builder b, String apiKey) {
    b.header("api-key", apiKey);
  }

  @Override
  void check(SendRequest r) {
    DialectSupport.refuseUncarried(r, "Brevo", false, true, true);
    DialectSupport.requireTo(r, "Brevo");
    // Brevo's headers are "custom headers (not the standard headers)": no Message-ID of one's own
    DialectSupport.refuseMessageId(r, "Brevo");
    TagHeaders.brevoCustom(r.email().metadata());
    if (r.email().replyTo().size() > 1) {
      // Brevo's replyTo is one address: refuse before sending rather than drop the others without a word
      throw new Refusal(Refusal.LIMIT, "Brevo accepts one reply-to address; give it one", "Brevo accepts one reply-to"
          + " address, this email has " + r.email().replyTo().size() + "; give it one");
    }
  }

  @Override
  void write(JsonGenerator g, SendRequest r) throws IOException {
    Email e = r.email();
    g.writeStartObject();
    g.writeFieldName("sender");
    addressObject(g, r.from(), "email", "name");
    addressObjects(g, "to", e.to());
    addressObjects(g, "cc", e.cc());
    addressObjects(g, "bcc", DialectSupport.bccWithCopy(r));
    if (!e.replyTo().isEmpty()) {
      g.writeFieldName("replyTo");
      addressObject(g, e.replyTo().get(0), "email", "name");
    }
    g.writeStringField("subject", e.subject());
    optional(g, "textContent", e.text());
    // htmlContent is mandatory without a template: a text-only email gets its text as HTML
    g.writeStringField("htmlContent", e.html().orElseGet(() -> Html.fromText(e.text().orElse(""))));
    Map<String, String> headers = e.headers();
    if (!e.metadata().isEmpty()) {
      headers = new LinkedHashMap<>(headers);
      headers.put("X-Mailin-custom", TagHeaders.brevoCustom(e.metadata()));
    }
    headerObject(g, "headers", headers);
    attachmentObjects(g, "attachment", e, "name", null, "content", null, null, null);
    if (!e.tags().isEmpty()) {
      g.writeArrayFieldStart("tags");
      for (String t : e.tags()) {
        g.writeString(t);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  @Override
  public Optional<String> messageId(Response response) {
    return jsonString(response.body(), "messageId").map(DialectSupport::stripAngles);
  }

  @Override
  public Optional<String> errorMessage(Response response) {
    return codedMessage(response.body(), "message", "code", "");
  }

}
