package dev.mailroom.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mailroom.Email;
import dev.mailroom.spi.SendRequest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.Optional;

/**
 * Postmark ({@code POST /email}, {@code X-Postmark-Server-Token}, 200
 * {@code {"MessageID","ErrorCode":0}}; errors (422) {@code {"ErrorCode","Message"}}).
 */
public final class PostmarkDialect extends JsonDialect {
  /** Creates the dialect. */
  public PostmarkDialect() {}

  @Override
  public String id() {
    return "postmark";
  }

  @Override
  String providerName() {
    return "Postmark";
  }

  @Override
  public boolean matchesHost(String host) {
    return DialectSupport.hostIn(host, "api.postmarkapp.com");
  }

  @Override
  String defaultPath(SendRequest request) {
    return "/email";
  }

  @Override
  void authenticate(HttpRequest.Builder b, String apiKey) {
    b.header("X-Postmark-Server-Token", apiKey);
  }

  @Override
  void check(SendRequest r) {
    DialectSupport.refuseUncarried(r, "Postmark", false, false, false);
  }

  @Override
  void write(JsonGenerator g, SendRequest r) throws IOException {
    Email e = r.email();
    g.writeStartObject();
    g.writeStringField("From", r.from().toString());
    addressList(g, "To", e.to());
    addressList(g, "Cc", e.cc());
    addressList(g, "Bcc", DialectSupport.bccWithCopy(r));
    addressList(g, "ReplyTo", e.replyTo());
    g.writeStringField("Subject", e.subject());
    optional(g, "TextBody", e.text());
    optional(g, "HtmlBody", e.html());
    if (!e.headers().isEmpty()) {
      g.writeArrayFieldStart("Headers");
      for (Map.Entry<String, String> h : e.headers().entrySet()) {
        g.writeStartObject();
        g.writeStringField("Name", h.getKey());
        g.writeStringField("Value", h.getValue());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    attachmentObjects(g, "Attachments", e.attachments(), "Name", "ContentType", "Content");
    g.writeEndObject();
  }

  @Override
  public Optional<String> messageId(Response response) {
    return jsonString(response.body(), "MessageID");
  }

  @Override
  public Optional<String> errorMessage(Response response) {
    return codedMessage(response.body(), "Message", "ErrorCode", "ErrorCode ");
  }
}
