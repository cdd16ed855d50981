package dev.mailroom.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.SendException;
import dev.mailroom.http.HttpDialect;
import dev.mailroom.spi.SendRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Microsoft Graph {@code sendMail} (dialect {@code graph}): {@code POST /v1.0/users/{sender}/sendMail} with the
 * JSON message and an OAuth2 bearer token (application permission {@code Mail.Send}); {@code 202} is success.
 * Attachments over 3 MB go through the documented draft and upload session: {@code POST .../messages} (a
 * draft with the small attachments), one {@code createUploadSession} per large attachment and {@code PUT}s of
 * {@value #CHUNK} bytes (ten times 320 KiB) read from the attachment as they are sent, then
 * {@code POST .../messages/{id}/send}. Custom {@code X-} headers become {@code internetMessageHeaders}; other
 * custom headers cannot be sent and are named in a WARN. {@code ?saveToSentItems=false} on the server URL
 * keeps the message out of Sent Items (default: kept). Inline images are file attachments with
 * {@code isInline} and their {@code contentId} (in the JSON, the draft or the upload session's
 * {@code AttachmentItem}); the message's {@code internetMessageId} is the email's own Message-ID or the one
 * made from its idempotency key, which the receipt reports. Graph has no field for tags or metadata: an email
 * with either is refused before anything is sent.
 *
 * <p>Source: https://learn.microsoft.com/en-us/graph/api/user-sendmail and
 * https://learn.microsoft.com/en-us/graph/outlook-large-attachments.
 */
public final class GraphDialect implements HttpDialect, StagedDialect, CodedErrors {
  /** Attachments up to this size (together) travel inside the JSON; larger ones through upload sessions. */
  static final long INLINE_LIMIT = 3L * 1024 * 1024;
  /** Upload chunk: a multiple of 320 KiB, as Graph requires. */
  static final int CHUNK = 10 * 320 * 1024;
  /** Graph's limit for one attachment through an upload session. */
  static final long MAX_ATTACHMENT = 150L * 1024 * 1024;

  /** Creates the dialect. */
  public GraphDialect() {}

  @Override
  public String id() {
    return "graph";
  }

  @Override
  public boolean matchesHost(String host) {
    return DialectSupport.hostIn(host, "graph.microsoft.com", "graph.microsoft.us", "microsoftgraph.chinacloudapi.cn");
  }

  @Override
  public void checkSettings(EmailSettings settings) {
    if (settings.oauth2().isEmpty()) {
      throw new IllegalArgumentException("The graph HTTP dialect needs an OAuth2 token: set oauth2 in the email"
          + " settings, e.g. OAuth2.clientCredentials(OAuth2.microsoft(tenant, OAuth2.GRAPH_APP_SCOPE),"
          + " clientId, clientSecret).");
    }
  }

  /** An attachment, or an inline image with its content id. */
  private record Part(Attachment attachment, String contentId) {
    static List<Part> of(Email e) {
      List<Part> parts = new ArrayList<>(e.attachments().size() + e.inline().size());
      for (Attachment a : e.attachments()) {
        parts.add(new Part(a, null));
      }
      for (Map.Entry<String, Attachment> x : e.inline().entrySet()) {
        parts.add(new Part(x.getValue(), x.getKey()));
      }
      return parts;
    }
  }

  /** Refuses, before the token and the first byte, what Graph cannot carry: tags and metadata. */
  private static void check(SendRequest request) {
    DialectSupport.refuseUncarried(request, "Microsoft Graph", true, false, false);
  }

  @Override
  public HttpRequest request(SendRequest request, Context context) throws IOException {
    check(request);
    ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    try (JsonGenerator g = Json.generator(out)) {
      g.writeStartObject();
      g.writeFieldName("message");
      writeMessage(g, request, Part.of(request.email()));
      g.writeBooleanField("saveToSentItems", saveToSentItems(context.server()));
      g.writeEndObject();
    }
    return post(context, "/sendMail", out.toByteArray());
  }

  @Override
  public boolean staged(SendRequest request) {
    long total = 0;
    for (Part p : Part.of(request.email())) {
      if (p.attachment().size().isEmpty()) {
        return true;
      }
      total += p.attachment().size().getAsLong();
    }
    return total > INLINE_LIMIT;
  }

  @Override
  public Response send(SendRequest request, Context context, Calls calls) throws IOException, SendException {
    check(request);
    // small attachments and inline images (together up to the limit) travel in the draft; the rest through
    // upload sessions
    List<Part> small = new ArrayList<>();
    List<Map.Entry<Part, Long>> large = new ArrayList<>();
    long smallTotal = 0;
    for (Part p : Part.of(request.email())) {
      Attachment a = p.attachment();
      long size = a.size().isPresent() ? a.size().getAsLong() : countBytes(a);
      if (size > MAX_ATTACHMENT) {
        throw new IllegalArgumentException("the attachment " + a.filename() + " is " + size + " bytes; Microsoft"
            + " Graph takes at most " + MAX_ATTACHMENT + " bytes per attachment");
      }
      if (size < INLINE_LIMIT && smallTotal + size <= INLINE_LIMIT) {
        small.add(p);
        smallTotal += size;
      } else {
        large.add(Map.entry(p, size));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    try (JsonGenerator g = Json.generator(out)) {
      writeMessage(g, request, small);
    }
    Response draft = calls.call(post(context, "/messages", out.toByteArray()));
    if (draft.statusCode() / 100 != 2) {
      return draft;
    }
    String id = Json.parse(draft.body()).flatMap(root -> Json.string(root, "id")).filter(s -> !s.isBlank())
        .orElseThrow(() -> new IOException("Microsoft Graph created the draft but did not say its id"));
    String message = "/messages/" + segment(id);
    for (Map.Entry<Part, Long> a : large) {
      Response r = upload(context, calls, message, a.getKey(), a.getValue());
      if (r.statusCode() / 100 != 2) {
        return r;
      }
    }
    Response sent = calls.call(post(context, message + "/send", new byte[0]));
    return sent;
  }

  private Response upload(Context context, Calls calls, String message, Part part, long size)
      throws IOException, SendException {
    Attachment a = part.attachment();
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = Json.generator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart("AttachmentItem");
      g.writeStringField("attachmentType", "file");
      g.writeStringField("name", a.filename());
      g.writeNumberField("size", size);
      g.writeStringField("contentType", a.contentType());
      if (part.contentId() != null) {
        // attachmentItem's isInline and contentId (Graph's OpenAPI description, v1.0)
        g.writeBooleanField("isInline", true);
        g.writeStringField("contentId", part.contentId());
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    Response session = calls.call(post(context, message + "/attachments/createUploadSession", out.toByteArray()));
    if (session.statusCode() / 100 != 2) {
      return session;
    }
    String url = Json.parse(session.body()).flatMap(root -> Json.string(root, "uploadUrl"))
        .orElseThrow(() -> new IOException("Microsoft Graph opened an upload session without an uploadUrl"));
    // Graph hands out an https URL on outlook.office.com: the bearer token is not sent there
    URI uploadUrl = DialectSupport.checkedUploadUrl(url, context.server(), "Microsoft Graph's uploadUrl");
    long sent = 0;
    Response last = session;
    try (InputStream in = Attachments.open(a)) {
      byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(1, size))];
      while (sent < size) {
        int n = in.readNBytes(chunk, 0, (int) Math.min(chunk.length, size - sent));
        if (n <= 0) {
          throw new IOException("the attachment " + a.filename() + " ended after " + sent + " of " + size + " bytes");
        }
        byte[] body = n == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, n);
        // the upload URL carries its own authorization: the bearer token is not sent there
        HttpRequest put = HttpRequest.newBuilder(uploadUrl)
            .header("Content-Range", "bytes " + sent + "-" + (sent + n - 1) + "/" + size)
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
        last = calls.call(put);
        if (last.statusCode() / 100 != 2) {
          return last;
        }
        sent += n;
      }
      if (in.read() >= 0) {
        throw new IOException("the attachment " + a.filename() + " is longer than its size of " + size + " bytes");
      }
    }
    return last;
  }

  private static long countBytes(Attachment a) throws IOException {
    long n = 0;
    try (InputStream in = Attachments.open(a)) {
      byte[] buf = new byte[64 * 1024];
      for (int r; (r = in.read(buf)) > 0; ) {
        n += r;
      }
    }
    return n;
  }

  private HttpRequest post(Context context, String path, byte[] json) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(userRoot(context) + path))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(Bodies.ofBytes(json));
    b.header("Authorization", "Bearer " + DialectSupport.bearer(context, id()).reveal());
    return b.build();
  }

  /** {@code https://graph.microsoft.com/v1.0/users/billing@contoso.com}. */
  static String userRoot(Context context) {
    return apiRoot(context.server()) + "/users/" + segment(context.settings().fromAddress());
  }

  /** The server URL's path if it names a version ({@code /v1.0}, {@code /beta}), else {@code /v1.0}. */
  static String apiRoot(URI server) {
    String path = server.getRawPath() == null ? "" : server.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (!path.endsWith("/v1.0") && !path.endsWith("/beta")) {
      path = path + "/v1.0";
    }
    return server.getScheme() + "://" + server.getRawAuthority() + path;
  }

  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@");
  }

  private static boolean saveToSentItems(URI server) {
    String q = server.getRawQuery();
    return q == null || !q.toLowerCase(Locale.ROOT).matches("(^|.*&)savetosentitems=false(&.*|$)");
  }

  private static void writeMessage(JsonGenerator g, SendRequest r, List<Part> attachments)
      throws IOException {
    Email e = r.email();
    g.writeStartObject();
    g.writeStringField("subject", e.subject());
    g.writeObjectFieldStart("body");
    if (e.html().isPresent()) {
      g.writeStringField("contentType", "html");
      g.writeStringField("content", e.html().get());
    } else {
      g.writeStringField("contentType", "text");
      g.writeStringField("content", e.text().orElse(""));
    }
    g.writeEndObject();
    g.writeFieldName("from");
    recipient(g, r.from());
    recipients(g, "toRecipients", e.to());
    recipients(g, "ccRecipients", e.cc());
    recipients(g, "bccRecipients", DialectSupport.bccWithCopy(r));
    recipients(g, "replyTo", e.replyTo());
    // writable on a new message (Graph's OpenAPI description); RFC 5322's form, in angle brackets. Always
    // set, the email's own id or the one made from its idempotency key, so that the receipt reports the id
    // the message really carries (Graph's 202 names none)
    g.writeStringField("internetMessageId", "<" + HttpSender.localMessageId(e) + ">");
    List<String> dropped = new ArrayList<>();
    boolean any = false;
    for (Map.Entry<String, String> h : e.headers().entrySet()) {
      if (!h.getKey().regionMatches(true, 0, "X-", 0, 2)) {
        dropped.add(h.getKey());
        continue;
      }
      if (!any) {
        g.writeArrayFieldStart("internetMessageHeaders");
        any = true;
      }
      g.writeStartObject();
      g.writeStringField("name", h.getKey());
      g.writeStringField("value", h.getValue());
      g.writeEndObject();
    }
    if (any) {
      g.writeEndArray();
    }
    if (!dropped.isEmpty()) {
      DialectSupport.warnDropped("Microsoft Graph takes only custom headers whose names start with X-", dropped);
    }
    if (!attachments.isEmpty()) {
      g.writeArrayFieldStart("attachments");
      for (Part p : attachments) {
        Attachment a = p.attachment();
        g.writeStartObject();
        g.writeStringField("@odata.type", "#microsoft.graph.fileAttachment");
        g.writeStringField("name", a.filename());
        g.writeStringField("contentType", a.contentType());
        g.writeBooleanField("isInline", p.contentId() != null);
        if (p.contentId() != null) {
          g.writeStringField("contentId", p.contentId());
        }
        g.writeFieldName("contentBytes");
        try (InputStream in = Attachments.open(a)) {
          g.writeBinary(in, -1);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void recipients(JsonGenerator g, String field, List<Address> list) throws IOException {
    if (list.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart(field);
    for (Address a : list) {
      recipient(g, a);
    }
    g.writeEndArray();
  }

  private static void recipient(JsonGenerator g, Address a) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("emailAddress");
    g.writeStringField("address", a.email());
    if (a.name().isPresent()) {
      g.writeStringField("name", a.name().get());
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  @Override
  public Optional<String> errorMessage(Response response) {
    return Json.parse(response.body()).flatMap(root -> {
      Optional<String> code = Json.string(root, "error", "code");
      return Json.string(root, "error", "message").map(m -> code.map(c -> c + ": ").orElse("") + m);
    });
  }

  @Override
  public Optional<String> errorCode(Response response) {
    return Json.parse(response.body()).flatMap(root -> Json.string(root, "error", "code"));
  }
}
