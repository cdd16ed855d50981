package dev.mailroom.testkit;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import dev.mailroom.testkit.internal.JsonTree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft Graph's mail API for {@link MailroomHttpServer} (dialect {@code graph}): {@code sendMail}, drafts,
 * upload sessions (chunks checked: multiples of 320 KiB in order, {@code Content-Range} exact, no bearer
 * token sent to the upload URL), {@code send}, and {@code GET /v1.0/users/{id}} for key checks. Bearer
 * tokens must come from the server's own token endpoint. Inline attachments ({@code isInline} with a
 * {@code contentId}, in the message or an upload session's {@code AttachmentItem}) arrive as attachments with
 * their {@link ReceivedAttachment#contentId()}; the message's {@code internetMessageId} as its Message-ID.
 * Thread-safe.
 */
final class GraphFake {
  private static final Pattern USERS = Pattern.compile("^/v1\\.0/users/([^/]+)(/.*)?$");
  private static final Pattern UPLOAD = Pattern.compile("^/graph-upload/([A-Za-z0-9-]+)$");
  private static final int UNIT = 320 * 1024;

  private final Predicate<String> validToken;
  private final Function<String, String> base;
  private final Map<String, Draft> drafts = new ConcurrentHashMap<>();
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

  private static final class Draft {
    final String user;
    final String json;
    final List<Object[]> attachments = new ArrayList<>();

    Draft(String user, String json) {
      this.user = user;
      this.json = json;
    }
  }

  private static final class Upload {
    final Draft draft;
    final String name;
    final String contentType;
    final long size;
    final String contentId;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Upload(Draft draft, String name, String contentType, long size, String contentId) {
      this.draft = draft;
      this.name = name;
      this.contentType = contentType;
      this.size = size;
      this.contentId = contentId;
    }
  }

  /**
   * @param validToken tells whether a bearer token was issued by the server's token endpoint
   * @param base the server's base URL for an upload id
   */
  GraphFake(Predicate<String> validToken, Function<String, String> base) {
    this.validToken = validToken;
    this.base = base;
  }

  void clear() {
    drafts.clear();
    uploads.clear();
  }

  /** What a request is: a send (counts for faults and the inbox), another API call, or not Graph's. */
  enum Kind { SEND, CALL, NONE }

  Kind kind(Request r) {
    String path = r.getUrl().split("\\?")[0];
    if (UPLOAD.matcher(path).matches()) {
      return Kind.CALL;
    }
    Matcher m = USERS.matcher(path);
    if (!m.matches()) {
      return Kind.NONE;
    }
    String rest = m.group(2) == null ? "" : m.group(2);
    return RequestMethod.POST.equals(r.getMethod())
        && (rest.equals("/sendMail") || rest.matches("/messages/[^/]+/send")) ? Kind.SEND : Kind.CALL;
  }

  boolean authorized(Request r) {
    if (UPLOAD.matcher(r.getUrl().split("\\?")[0]).matches()) {
      return true; // the upload URL carries its own authorization
    }
    String auth = r.getHeader("Authorization");
    return auth != null && auth.startsWith("Bearer ") && validToken.test(auth.substring(7));
  }

  static ResponseDefinition unauthorized() {
    return error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
  }

  static ResponseDefinition error(int status, String code, String message) {
    return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"innerError\":{"
            + "\"request-id\":\"" + UUID.randomUUID() + "\",\"date\":\"" + java.time.Instant.now() + "\"}}}")
        .build();
  }

  /** The realistic error answer for a status, for the fault matrix. */
  static ResponseDefinition providerError(int status) {
    switch (status) {
      case 401:
        return unauthorized();
      case 403:
        return error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
      case 404:
        return error(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is"
            + " hosted on-premise.");
      case 413:
        return error(413, "ErrorMessageSizeExceeded", "The message exceeds the maximum supported size.");
      case 429:
        return ResponseDefinitionBuilder.like(error(429, "ApplicationThrottled", "Application is over its"
            + " MailboxConcurrency limit.")).withHeader("Retry-After", "1").build();
      default:
        return error(status, status >= 500 ? "ServiceUnavailable" : "ErrorInvalidRequest",
            status >= 500 ? "Service is temporarily unavailable." : "The request is invalid.");
    }
  }

  /**
   * Checks a request body against Microsoft Graph's published OpenAPI description (the excerpt in
   * {@link ApiDescriptions#GRAPH}); null if it matches, else Graph's 400 answer naming the problem.
   */
  static ResponseDefinition invalid(Request r) {
    String path = r.getUrl().split("\\?")[0];
    Matcher m = USERS.matcher(path);
    if (!m.matches() || !RequestMethod.POST.equals(r.getMethod())) {
      return null;
    }
    String rest = m.group(2) == null ? "" : m.group(2);
    String key = "POST /users/{user-id}" + rest.replaceAll("^/messages/[^/]+", "/messages/{message-id}");
    String schema = ApiDescriptions.GRAPH.operation(key);
    if (schema == null) {
      return null;
    }
    try {
      List<String> problems = ApiDescriptions.GRAPH.check(schema, JsonTree.parse(r.getBodyAsString()));
      return problems.isEmpty() ? null : error(400, "ErrorInvalidRequest", ("The request does not match"
          + " Graph's description: " + String.join("; ", problems)).replace("\"", "'"));
    } catch (IOException e) {
      return error(400, "BadRequest", "Unable to read JSON request payload.");
    }
  }

  /** Answers a call that is not a send. */
  ResponseDefinition call(Request r) {
    String path = r.getUrl().split("\\?")[0];
    Matcher up = UPLOAD.matcher(path);
    if (up.matches()) {
      return upload(r, up.group(1));
    }
    Matcher m = USERS.matcher(path);
    m.matches();
    String user = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    String rest = m.group(2) == null ? "" : m.group(2);
    if (RequestMethod.GET.equals(r.getMethod()) && rest.isEmpty()) {
      return json(200, "{\"id\":\"" + UUID.nameUUIDFromBytes(user.getBytes(StandardCharsets.UTF_8))
          + "\",\"mail\":\"" + user.replace("\"", "") + "\",\"userPrincipalName\":\"" + user.replace("\"", "")
          + "\"}");
    }
    if (RequestMethod.POST.equals(r.getMethod()) && rest.equals("/messages")) {
      String id = "AAMk" + UUID.randomUUID().toString().replace("-", "");
      drafts.put(id, new Draft(user, r.getBodyAsString()));
      return json(201, "{\"id\":\"" + id + "\",\"isDraft\":true}");
    }
    Matcher session = Pattern.compile("^/messages/([^/]+)/attachments/createUploadSession$").matcher(rest);
    if (RequestMethod.POST.equals(r.getMethod()) && session.matches()) {
      Draft d = drafts.get(session.group(1));
      if (d == null) {
        return error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
      }
      try {
        Object item = JsonTree.object(JsonTree.parse(r.getBodyAsString()), "AttachmentItem");
        long size = new java.math.BigDecimal(String.valueOf(((Map<?, ?>) item).get("size"))).longValueExact();
        String id = UUID.randomUUID().toString();
        uploads.put(id, new Upload(d, JsonTree.string(item, "name"), JsonTree.string(item, "contentType"), size,
            inlineId(item)));
        return json(201, "{\"uploadUrl\":\"" + base.apply("/graph-upload/" + id) + "\",\"expirationDateTime\":\""
            + java.time.Instant.now().plusSeconds(3600) + "\",\"nextExpectedRanges\":[\"0-\"]}");
      } catch (IOException | RuntimeException e) {
        return error(400, "ErrorInvalidRequest", "The AttachmentItem is not valid.");
      }
    }
    return error(404, "ResourceNotFound", "Resource not found for the segment.");
  }

  private ResponseDefinition upload(Request r, String id) {
    Upload u = uploads.get(id);
    if (u == null || !RequestMethod.PUT.equals(r.getMethod())) {
      return error(404, "ErrorItemNotFound", "The upload session was not found.");
    }
    if (r.getHeader("Authorization") != null) {
      return error(401, "InvalidAuthenticationToken", "The upload URL must not be called with a bearer token.");
    }
    byte[] body = r.getBody();
    Matcher range = Pattern.compile("^bytes (\\d+)-(\\d+)/(\\d+)$").matcher(String.valueOf(r.getHeader("Content-Range")));
    synchronized (u) {
      long done = u.bytes.size();
      if (!range.matches() || Long.parseLong(range.group(1)) != done
          || Long.parseLong(range.group(2)) != done + body.length - 1 || Long.parseLong(range.group(3)) != u.size
          || (done + body.length < u.size && body.length % UNIT != 0) || done + body.length > u.size) {
        return error(416, "InvalidRange", "The Content-Range header does not match the next expected range.");
      }
      u.bytes.write(body, 0, body.length);
      if (u.bytes.size() < u.size) {
        return json(200, "{\"expirationDateTime\":\"" + java.time.Instant.now().plusSeconds(3600)
            + "\",\"nextExpectedRanges\":[\"" + u.bytes.size() + "-\"]}");
      }
      uploads.remove(id);
      synchronized (u.draft) {
        u.draft.attachments.add(new Object[] {u.name, u.contentType, u.bytes.toByteArray(), u.contentId});
      }
      return ResponseDefinitionBuilder.responseDefinition().withStatus(201).build();
    }
  }

  /** Reads a send into the received email; null if it refers to no draft. */
  ReceivedEmail received(Request r) throws IOException {
    String path = r.getUrl().split("\\?")[0];
    Matcher m = USERS.matcher(path);
    m.matches();
    String rest = m.group(2);
    ReceivedEmail.Builder b = ReceivedEmail.builder("http:graph");
    if (rest.equals("/sendMail")) {
      Object root = JsonTree.parse(r.getBodyAsString());
      message(JsonTree.object(root, "message"), b);
      Object save = ((Map<?, ?>) root).get("saveToSentItems");
      b.header("x-mailroom-save-to-sent-items", String.valueOf(save == null || Boolean.TRUE.equals(save)));
      return b.build();
    }
    String id = rest.substring("/messages/".length(), rest.length() - "/send".length());
    Draft d = drafts.remove(id);
    if (d == null) {
      return null;
    }
    message(JsonTree.parse(d.json), b);
    synchronized (d) {
      for (Object[] a : d.attachments) {
        b.attachment((String) a[0], (String) a[1], (byte[]) a[2], (String) a[3]);
      }
    }
    return b.build();
  }

  static ResponseDefinition accepted() {
    return ResponseDefinitionBuilder.responseDefinition().withStatus(202).build();
  }

  private static void message(Object msg, ReceivedEmail.Builder b) {
    b.subject(JsonTree.string(msg, "subject"));
    Map<String, Object> body = JsonTree.object(msg, "body");
    if (body != null) {
      if ("html".equalsIgnoreCase(JsonTree.string(body, "contentType"))) {
        b.html(JsonTree.string(body, "content"));
      } else {
        b.text(JsonTree.string(body, "content"));
      }
    }
    Map<String, Object> from = JsonTree.object(msg, "from");
    if (from != null) {
      Map<String, Object> a = JsonTree.object(from, "emailAddress");
      b.from(JsonTree.string(a, "address"), JsonTree.string(a, "name")).envelopeFrom(JsonTree.string(a, "address"));
    }
    for (String[] f : new String[][] {{"toRecipients", "to"}, {"ccRecipients", "cc"}, {"bccRecipients", "bcc"},
        {"replyTo", "replyTo"}}) {
      for (Object r : JsonTree.list(msg, f[0])) {
        String address = JsonTree.string(JsonTree.object(r, "emailAddress"), "address");
        switch (f[1]) {
          case "to" -> b.to(address).envelopeRecipient(address);
          case "cc" -> b.cc(address).envelopeRecipient(address);
          case "bcc" -> b.bcc(address).envelopeRecipient(address);
          default -> b.replyTo(address);
        }
      }
    }
    for (Object h : JsonTree.list(msg, "internetMessageHeaders")) {
      b.header(JsonTree.string(h, "name"), JsonTree.string(h, "value"));
    }
    String id = JsonTree.string(msg, "internetMessageId");
    if (id != null) {
      b.header("Message-ID", id);
    }
    for (Object a : JsonTree.list(msg, "attachments")) {
      b.attachment(JsonTree.string(a, "name"), JsonTree.string(a, "contentType"),
          Base64.getDecoder().decode(JsonTree.string(a, "contentBytes")), inlineId(a));
    }
  }

  /** The contentId of an inline attachment (isInline true); null otherwise. */
  private static String inlineId(Object attachment) {
    return Boolean.TRUE.equals(((Map<?, ?>) attachment).get("isInline")) ? JsonTree.string(attachment, "contentId")
        : null;
  }

  private static ResponseDefinition json(int status, String body) {
    return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
        .withHeader("Content-Type", "application/json").withBody(body).build();
  }
}
