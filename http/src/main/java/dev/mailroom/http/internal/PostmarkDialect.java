package dev.mailroom.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mailroom.Email;
import dev.mailroom.internal.mime.TagHeaders;
import dev.mailroom.spi.SendRequest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Postmark ({@code POST /email}, {@code X-Postmark-Server-Token}, 200
 * {@code {"MessageID","ErrorCode":0}}; errors (422) {@code {"ErrorCode","Message"}}). Inline images as
 * attachments with {@code ContentID: cid:...}, one tag as {@code Tag}, metadata as {@code Metadata}, the
 * message stream from the email's {@value #MESSAGE_STREAM_HEADER} header; at most 50 To, 50 Cc and 50 Bcc
 * recipients.
 */
public final class PostmarkDialect extends JsonDialect {
  /**
   * The header that chooses the Postmark message stream ({@code outbound} by default, or e.g.
   * {@code broadcast}): Postmark's own SMTP header, sent as the API's {@code MessageStream} field.
   */
  public static final String MESSAGE_STREAM_HEADER = "X-PM-Message-Stream";

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
    Email e = r.email();
    DialectSupport.refuseUncarried(r, "Postmark", true, true, true);
    DialectSupport.requireTo(r, "Postmark");
    DialectSupport.requireAtMost("Postmark", "To", e.to(), 50);
    DialectSupport.requireAtMost("Postmark", "Cc", e.cc(), 50);
    DialectSupport.requireAtMost("Postmark", "Bcc", DialectSupport.bccWithCopy(r), 50);
    if (e.tags().size() > 1) {
      throw TagHeaders.limit("Postmark", "one tag per email", e.tags().size() + " tags");
    }
    TagHeaders.PostmarkRules.checkMetadata(e.metadata());
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
    Map<String, String> headers = new LinkedHashMap<>(headersWithMessageId(e));
    // Postmark's own SMTP header for the message stream becomes the API's MessageStream field
    String stream = headers.remove(MESSAGE_STREAM_HEADER);
    if (!headers.isEmpty()) {
      g.writeArrayFieldStart("Headers");
      for (Map.Entry<String, String> h : headers.entrySet()) {
        g.writeStartObject();
        g.writeStringField("Name", h.getKey());
        g.writeStringField("Value", h.getValue());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (!e.tags().isEmpty()) {
      g.writeStringField("Tag", e.tags().get(0));
    }
    headerObject(g, "Metadata", e.metadata());
    if (stream != null) {
      g.writeStringField("MessageStream", stream);
    }
    attachmentObjects(g, "Attachments", e, "Name", "ContentType", "Content", null, "ContentID", "cid:");
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
