package dev.mailroom.http.internal;

import com.github.mizosoft.methanol.MultipartBodyPublisher;
import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.http.HttpDialect;
import dev.mailroom.internal.mime.TagHeaders;
import dev.mailroom.spi.SendRequest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Mailgun ({@code POST /v3/{domain}/messages} on {@code api.mailgun.net} or the EU region's
 * {@code api.eu.mailgun.net}, multipart form, HTTP Basic {@code api:KEY}; 200
 * {@code {"id":"<...>","message":"Queued. Thank you."}}; errors {@code {"message"}}). The domain is the
 * sender's domain unless the server URL has a path of its own. Attachments are file parts, streamed;
 * inline images are {@code inline} parts named by their content id, tags {@code o:tag} (at most 3),
 * metadata {@code v:} variables, an own Message-ID {@code h:Message-Id}.
 */
public final class MailgunDialect implements HttpDialect {
  /** Creates the dialect. */
  public MailgunDialect() {}

  @Override
  public String id() {
    return "mailgun";
  }

  @Override
  public boolean matchesHost(String host) {
    return DialectSupport.hostIn(host, "api.mailgun.net", "api.eu.mailgun.net");
  }

  @Override
  public void checkSettings(EmailSettings settings) {
    DialectSupport.requireApiKey(settings, id(), "the API key of your Mailgun account");
  }

  @Override
  public HttpRequest request(SendRequest r, Context context) throws IOException {
    Email e = r.email();
    DialectSupport.refuseUncarried(r, "Mailgun", true, true, true);
    DialectSupport.requireTo(r, "Mailgun");
    if (e.tags().size() > 3) {
      throw TagHeaders.limit("Mailgun", "3 tags per email (o:tag)", e.tags().size() + " tags");
    }
    MultipartBodyPublisher.Builder parts = MultipartBodyPublisher.newBuilder()
        .textPart("from", r.from().toString());
    addAll(parts, "to", e.to());
    addAll(parts, "cc", e.cc());
    addAll(parts, "bcc", DialectSupport.bccWithCopy(r));
    parts.textPart("subject", e.subject());
    if (e.text().isPresent()) {
      parts.textPart("text", e.text().get());
    }
    if (e.html().isPresent()) {
      parts.textPart("html", e.html().get());
    }
    if (!e.replyTo().isEmpty()) {
      parts.textPart("h:Reply-To", e.replyTo().stream().map(Address::toString)
          .collect(Collectors.joining(", ")));
    }
    e.messageId().ifPresent(id -> parts.textPart("h:Message-Id", "<" + id + ">"));
    for (Map.Entry<String, String> h : e.headers().entrySet()) {
      parts.textPart("h:" + h.getKey(), h.getValue());
    }
    for (String t : e.tags()) {
      parts.textPart("o:tag", t);
    }
    for (Map.Entry<String, String> m : e.metadata().entrySet()) {
      parts.textPart("v:" + m.getKey(), m.getValue());
    }
    for (Attachment a : e.attachments()) {
      parts.formPart("attachment", Attachments.multipartFilename(a.filename()), Attachments.publisher(a),
          Attachments.mediaType(a));
    }
    // Mailgun names an inline part's Content-ID after its file name: the part carries the content id
    for (Map.Entry<String, Attachment> x : e.inline().entrySet()) {
      parts.formPart("inline", Attachments.multipartFilename(x.getKey()), Attachments.publisher(x.getValue()),
          Attachments.mediaType(x.getValue()));
    }
    MultipartBodyPublisher multipart = parts.build();
    HttpRequest.BodyPublisher body = Bodies.compact(multipart);
    String basic = Base64.getEncoder().encodeToString(
        ("api:" + DialectSupport.apiKey(context, id()).reveal()).getBytes(StandardCharsets.UTF_8));
    return context.newRequest("/v3/" + r.from().asciiDomain() + "/messages")
        .header("Content-Type", multipart.mediaType().toString())
        .header("Accept", "application/json")
        .header("Authorization", "Basic " + basic)
        .POST(body)
        .build();
  }

  private static void addAll(MultipartBodyPublisher.Builder parts, String name, List<Address> list) {
    for (Address a : list) {
      parts.textPart(name, a.toString());
    }
  }

  @Override
  public Optional<String> messageId(Response response) {
    return JsonDialect.jsonString(response.body(), "id").map(DialectSupport::stripAngles);
  }

  @Override
  public Optional<String> errorMessage(Response response) {
    return JsonDialect.jsonString(response.body(), "message");
  }
}
