package dev.mailroom.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mailroom.Email;
import dev.mailroom.spi.SendRequest;
import java.io.IOException;
import java.net.http.HttpRequest;
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
    DialectSupport.refuseUncarried(r, "Resend", false, false, false);
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
    headerObject(g, "headers", e.headers());
    attachmentObjects(g, "attachments", e.attachments(), "filename", "content_type", "content");
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
