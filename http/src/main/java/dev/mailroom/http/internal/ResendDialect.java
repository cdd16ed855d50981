package dev.mailroom.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mailroom.Email;
import dev.mailroom.internal.Text;
import dev.mailroom.internal.mime.Refusal;
import dev.mailroom.internal.mime.TagHeaders;
import dev.mailroom.spi.SendRequest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.Optional;

/**
 * Resend ({@code POST /emails}, {@code Authorization: Bearer KEY}, {@code Idempotency-Key} = the email's
 * idempotency key on every attempt, 200 {@code {"id"}}; errors {@code {"statusCode","message","name"}};
 * 429 with {@code retry-after}).
 */
public final class ResendDialect extends JsonDialect {
  /** Creates the dialect. */
  public ResendDialect() {}

  @Override
  public String id() {
    return "resend";
  }

  @Override
  String providerName() {
    return "Resend";
  }

  @Override
  public boolean matchesHost(String host) {
    return DialectSupport.hostIn(host, "api.resend.com");
  }

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  String defaultPath(SendRequest request) {
    return "/emails";
  }

  @Override
  void authenticate(HttpRequest.Builder b, String apiKey) {
    b.header("Authorization", "Bearer " + apiKey);
  }

  @Override
  void extraHeaders(HttpRequest.Builder b, SendRequest request) {
    b.header("Idempotency-Key", request.email().idempotencyKey());
  }

  @Override
  void check(SendRequest r) {
    Email e = r.email();
    DialectSupport.refuseUncarried(r, "Resend", true, true, true);
    DialectSupport.requireTo(r, "Resend");
    DialectSupport.requireAtMost("Resend", "To", e.to(), 50);
    for (String t : e.tags()) {
      requireTagToken(t);
    }
    for (Map.Entry<String, String> m : e.metadata().entrySet()) {
      requireTagToken(m.getKey());
      requireTagToken(m.getValue());
    }
  }

  private static void requireTagToken(String s) {
    if (!TagHeaders.NAME_VALUE_TOKEN.matcher(s).matches()) {
      throw new Refusal(Refusal.LIMIT, "Resend: tags of ASCII letters, digits, '_' and '-'", "Resend tags take"
          + " only ASCII letters, digits, '_' and '-' (up to 256): " + Text.quote(s) + " cannot be sent; change"
          + " the tag or metadata");
    }
  }

  @Override
  void write(JsonGenerator g, SendRequest r) throws IOException {
    Email e = r.email();
    g.writeStartObject();
    g.writeStringField("from", r.from().toString());
    addressStrings(g, "to", e.to());
    addressStrings(g, "cc", e.cc());
    addressStrings(g, "bcc", DialectSupport.bccWithCopy(r));
    addressStrings(g, "reply_to", e.replyTo());
    g.writeStringField("subject", e.subject());
    optional(g, "text", e.text());
    optional(g, "html", e.html());
    headerObject(g, "headers", headersWithMessageId(e));
    attachmentObjects(g, "attachments", e, "filename", "content_type", "content", null, "content_id", "");
    if (!e.tags().isEmpty() || !e.metadata().isEmpty()) {
      // Resend's tags are name/value pairs: a tag is a name with the value "true", metadata its own pair
      g.writeArrayFieldStart("tags");
      for (String t : e.tags()) {
        g.writeStartObject();
        g.writeStringField("name", t);
        g.writeStringField("value", "true");
        g.writeEndObject();
      }
      for (Map.Entry<String, String> m : e.metadata().entrySet()) {
        g.writeStartObject();
        g.writeStringField("name", m.getKey());
        g.writeStringField("value", m.getValue());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  @Override
  public Optional<String> messageId(Response response) {
    return jsonString(response.body(), "id");
  }

  @Override
  public Optional<String> errorMessage(Response response) {
    return codedMessage(response.body(), "message", "name", "");
  }
}
