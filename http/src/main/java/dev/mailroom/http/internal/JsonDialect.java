package dev.mailroom.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.http.HttpDialect;
import dev.mailroom.spi.SendRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The common part of the JSON APIs: the body is written with jackson-core's generator, in memory when the
 * attachments are small and known, otherwise streamed while it is sent (attachments base64-encoded on the
 * fly), so memory use does not grow with the attachments.
 */
abstract class JsonDialect implements HttpDialect {
  /** The provider's name for messages, e.g. {@code SendGrid}. */
  abstract String providerName();

  /** The API path used when the server URL has none. */
  abstract String defaultPath(SendRequest request);

  /** Adds the authentication header(s). */
  abstract void authenticate(HttpRequest.Builder b, String apiKey);

  /** Writes the JSON document. */
  abstract void write(JsonGenerator g, SendRequest request) throws IOException;

  /**
   * Refuses, before anything is built or sent (also for streamed bodies), an email this API cannot carry
   * or whose request would break the provider's documented rules.
   *
   * @throws IllegalArgumentException (often a {@link dev.mailroom.internal.mime.Refusal}) saying why
   */
  abstract void check(SendRequest request);

  /** Adds more headers, e.g. an idempotency key. */
  void extraHeaders(HttpRequest.Builder b, SendRequest request) {}

  @Override
  public void checkSettings(EmailSettings settings) {
    DialectSupport.requireApiKey(settings, id(), "the API key of your " + providerName() + " account");
  }

  @Override
  public final HttpRequest request(SendRequest request, Context context) throws IOException {
    check(request);
    long known = Attachments.knownTotalSize(request.email());
    HttpRequest.BodyPublisher body;
    if (known >= 0 && known <= Bodies.IN_MEMORY_LIMIT) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(2048 + (int) (known * 4 / 3));
      writeDocument(out, request);
      body = Bodies.ofBytes(out.toByteArray());
    } else {
      body = context.streamingBody(out -> writeDocument(out, request));
    }
    HttpRequest.Builder b = context.newRequest(defaultPath(request))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(body);
    authenticate(b, DialectSupport.apiKey(context, id()).reveal());
    extraHeaders(b, request);
    return b.build();
  }

  private void writeDocument(OutputStream out, SendRequest request) throws IOException {
    try (JsonGenerator g = Json.generator(out)) {
      write(g, request);
    }
  }

  // ---- helpers for the subclasses ----

  /** Writes {@code {"email": ..., "name": ...}}. */
  static void addressObject(JsonGenerator g, Address a, String emailField, String nameField)
      throws IOException {
    g.writeStartObject();
    g.writeStringField(emailField, a.email());
    if (a.name().isPresent()) {
      g.writeStringField(nameField, a.name().get());
    }
    g.writeEndObject();
  }

  /** Writes an array of address objects under {@code field}, if the list is not empty. */
  static void addressObjects(JsonGenerator g, String field, List<Address> list) throws IOException {
    if (list.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart(field);
    for (Address a : list) {
      addressObject(g, a, "email", "name");
    }
    g.writeEndArray();
  }

  /** Writes an array of formatted addresses ({@code "Name" <email>}) under {@code field}, if not empty. */
  static void addressStrings(JsonGenerator g, String field, List<Address> list) throws IOException {
    if (list.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart(field);
    for (Address a : list) {
      g.writeString(a.toString());
    }
    g.writeEndArray();
  }

  /** Writes formatted addresses joined by ", " under {@code field}, if not empty. */
  static void addressList(JsonGenerator g, String field, List<Address> list) throws IOException {
    if (list.isEmpty()) {
      return;
    }
    StringBuilder b = new StringBuilder();
    for (Address a : list) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(a);
    }
    g.writeStringField(field, b.toString());
  }

  /** Writes the custom headers as an object under {@code field}, if there are any. */
  static void headerObject(JsonGenerator g, String field, Map<String, String> headers) throws IOException {
    if (headers.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, String> h : headers.entrySet()) {
      g.writeStringField(h.getKey(), h.getValue());
    }
    g.writeEndObject();
  }

  /** Writes the attachment's content as a base64 string value, streamed from its source. */
  static void base64(JsonGenerator g, Attachment a) throws IOException {
    try (InputStream in = Attachments.open(a)) {
      g.writeBinary(in, -1);
    }
  }

  /**
   * Writes the attachments and inline images, if any, as an array under {@code field} of objects with the
   * file name, the content type (unless {@code typeField} is null), the disposition ({@code attachment} or
   * {@code inline}, unless {@code dispositionField} is null), for inline images the content id under
   * {@code cidField} (with {@code cidPrefix} in front), and the content as base64, streamed from its source.
   * Inline images need a non-null {@code cidField}: the dialect's {@code check} refuses them otherwise.
   */
  static void attachmentObjects(JsonGenerator g, String field, Email e, String nameField, String typeField,
      String contentField, String dispositionField, String cidField, String cidPrefix) throws IOException {
    if (e.attachments().isEmpty() && (e.inline().isEmpty() || cidField == null)) {
      return;
    }
    g.writeArrayFieldStart(field);
    for (Attachment a : e.attachments()) {
      attachmentObject(g, a, nameField, typeField, contentField, dispositionField, "attachment", null, null);
    }
    if (cidField != null) {
      for (Map.Entry<String, Attachment> x : e.inline().entrySet()) {
        attachmentObject(g, x.getValue(), nameField, typeField, contentField, dispositionField, "inline", cidField,
            cidPrefix + x.getKey());
      }
    }
    g.writeEndArray();
  }

  private static void attachmentObject(JsonGenerator g, Attachment a, String nameField, String typeField,
      String contentField, String dispositionField, String disposition, String cidField, String cid)
      throws IOException {
    g.writeStartObject();
    g.writeStringField(nameField, a.filename());
    if (typeField != null) {
      g.writeStringField(typeField, a.contentType());
    }
    if (dispositionField != null) {
      g.writeStringField(dispositionField, disposition);
    }
    if (cidField != null) {
      g.writeStringField(cidField, cid);
    }
    g.writeFieldName(contentField);
    base64(g, a);
    g.writeEndObject();
  }

  /** The custom headers, with {@code Message-ID} first when the email sets its own. */
  static Map<String, String> headersWithMessageId(Email e) {
    if (e.messageId().isEmpty()) {
      return e.headers();
    }
    Map<String, String> h = new java.util.LinkedHashMap<>();
    h.put("Message-ID", "<" + e.messageId().get() + ">");
    h.putAll(e.headers());
    return h;
  }

  /**
   * The message of a JSON error body with the provider's error code in front, {@code "<label><code>: "},
   * when there is one: e.g. {@code ErrorCode 300: Invalid email request}.
   */
  static Optional<String> codedMessage(String body, String messageField, String codeField, String codeLabel) {
    return Json.parse(body).flatMap(root -> {
      Optional<String> code = Json.string(root, codeField);
      return Json.string(root, messageField).map(m -> code.map(c -> codeLabel + c + ": ").orElse("") + m);
    });
  }

  /** Writes {@code value} under {@code field} when present. */
  static void optional(JsonGenerator g, String field, Optional<String> value) throws IOException {
    if (value.isPresent()) {
      g.writeStringField(field, value.get());
    }
  }

  /** The message of a JSON error body: the string at {@code path}, else empty. */
  static Optional<String> jsonString(String body, String... path) {
    return Json.parse(body).flatMap(root -> Json.string(root, path));
  }
}
