package dev.mailroom.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mailroom.Address;
import dev.mailroom.Email;
import dev.mailroom.internal.mime.Refusal;
import dev.mailroom.internal.mime.TagHeaders;
import dev.mailroom.spi.SendRequest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    DialectSupport.refuseUncarried(r, "SendGrid", true, true, true);
    DialectSupport.requireTo(r, "SendGrid");
    if (r.email().subject().isEmpty()) {
      // the published schema: subject has minLength 1
      throw new Refusal(Refusal.LIMIT, "SendGrid needs a subject", "SendGrid requires a subject: give the email"
          + " one");
    }
    int size = 0;
    for (Map.Entry<String, String> m : r.email().metadata().entrySet()) {
      size += m.getKey().length() + m.getValue().length() + 6;
    }
    if (size >= 10_000) {
      throw TagHeaders.limit("SendGrid", "10,000 bytes of custom_args", size + " bytes of metadata");
    }
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
    // the published schema has custom_args as an object only in a personalization
    headerObject(g, "custom_args", e.metadata());
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
    attachmentObjects(g, "attachments", e, "filename", "type", "content", "disposition", "content_id", "");
    headerObject(g, "headers", headersWithMessageId(e));
    if (!e.tags().isEmpty()) {
      g.writeArrayFieldStart("categories");
      for (String t : e.tags()) {
        g.writeString(t);
      }
      g.writeEndArray();
    }
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
