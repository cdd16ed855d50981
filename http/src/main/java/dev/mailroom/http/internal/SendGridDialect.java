package dev.mailroom.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mailroom.Address;
import dev.mailroom.Email;
import dev.mailroom.spi.SendRequest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SendGrid v3 ({@code POST /v3/mail/send}, {@code Authorization: Bearer KEY}, 202 with the id in
 * {@code X-Message-Id}; errors {@code {"errors":[{"field","message"}]}}; 429 with
 * {@code X-RateLimit-Reset} in epoch seconds).
 */
public final class SendGridDialect extends JsonDialect {
  /** Creates the dialect. */
  public SendGridDialect() {}

  @Override
  public String id() {
    return "sendgrid";
  }

  @Override
  String providerName() {
    return "SendGrid";
  }

  @Override
  public boolean matchesHost(String host) {
    return DialectSupport.hostIn(host, "api.sendgrid.com", "api.eu.sendgrid.com");
  }

  @Override
  String defaultPath(SendRequest request) {
    return "/v3/mail/send";
  }

  @Override
  void authenticate(HttpRequest.Builder b, String apiKey) {
    b.header("Authorization", "Bearer " + apiKey);
  }

  @Override
  void check(SendRequest r) {
    DialectSupport.refuseUncarried(r, "SendGrid", false, false, false);
  }

  @Override
  void write(JsonGenerator g, SendRequest r) throws IOException {
    Email e = r.email();
    g.writeStartObject();
    g.writeArrayFieldStart("personalizations");
    g.writeStartObject();
    addressObjects(g, "to", e.to());
    addressObjects(g, "cc", e.cc());
    addressObjects(g, "bcc", DialectSupport.bccWithCopy(r));
    g.writeEndObject();
    g.writeEndArray();
    g.writeFieldName("from");
    addressObject(g, r.from(), "email", "name");
    List<Address> replyTo = e.replyTo();
    if (replyTo.size() == 1) {
      g.writeFieldName("reply_to");
      addressObject(g, replyTo.get(0), "email", "name");
    } else if (replyTo.size() > 1) {
      addressObjects(g, "reply_to_list", replyTo);
    }
    g.writeStringField("subject", e.subject());
    g.writeArrayFieldStart("content");
    // SendGrid wants text/plain first; it needs at least one non-empty content
    if (e.text().isPresent() || e.html().isEmpty()) {
      g.writeStartObject();
      g.writeStringField("type", "text/plain");
      g.writeStringField("value", e.text().filter(t -> !t.isEmpty()).orElse(" "));
      g.writeEndObject();
    }
    if (e.html().isPresent()) {
      g.writeStartObject();
      g.writeStringField("type", "text/html");
      g.writeStringField("value", e.html().get());
      g.writeEndObject();
    }
    g.writeEndArray();
    attachmentObjects(g, "attachments", e.attachments(), "filename", "type", "content", "disposition", "attachment");
    headerObject(g, "headers", e.headers());
    g.writeEndObject();
  }

  @Override
  public Optional<String> messageId(Response response) {
    return response.header("X-Message-Id").map(String::strip).filter(s -> !s.isEmpty());
  }

  @Override
  public Optional<String> errorMessage(Response response) {
    return Json.parse(response.body()).flatMap(root -> {
      List<String> parts = new ArrayList<>();
      for (Object err : Json.list(root, "errors")) {
        Optional<String> message = Json.string(err, "message");
        Optional<String> field = Json.string(err, "field");
        if (message.isPresent()) {
          parts.add(field.map(f -> f + ": ").orElse("") + message.get());
        }
      }
      return DialectSupport.join(parts);
    });
  }
}
