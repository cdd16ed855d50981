package dev.mailroom.http.internal;

import dev.mailroom.Address;
import dev.mailroom.SendException;
import dev.mailroom.http.HttpDialect;
import dev.mailroom.internal.mime.Headers;
import dev.mailroom.internal.mime.PreparedMime;
import dev.mailroom.spi.SendRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The Gmail API's {@code users.messages.send} (dialect {@code gmail}) with an OAuth2 bearer token (scope
 * {@code gmail.send}): the RFC 5322 message written by Mailroom's MIME writer (the bytes the SMTP sender
 * would send, plus a {@code Bcc:} line that Gmail reads and removes) uploaded as {@code message/rfc822};
 * up to {@value #SIMPLE_LIMIT} bytes in one request ({@code uploadType=media}), larger through the
 * resumable upload ({@code uploadType=resumable}: a session, then one {@code PUT} streamed from the
 * writer). Gmail's limit of 35 MB for a message is checked before anything is sent. Inline images and an
 * own Message-ID travel in the message; the Gmail API has no field for tags or metadata, so an email with
 * either is refused before anything is sent.
 *
 * <p>Source: https://developers.google.com/gmail/api/reference/rest/v1/users.messages/send and
 * https://developers.google.com/gmail/api/guides/uploads.
 */
public final class GmailDialect implements HttpDialect, StagedDialect, CodedErrors {
  /** Gmail's limit for a message sent through the API. */
  static final long MAX_MESSAGE_BYTES = 35L * 1024 * 1024;
  /** Larger messages take the resumable upload. */
  static final long SIMPLE_LIMIT = 5L * 1024 * 1024;
  private static final String PATH = "/upload/gmail/v1/users/me/messages/send";

  /** Creates the dialect. */
  public GmailDialect() {}

  @Override
  public String id() {
    return "gmail";
  }

  @Override
  public boolean matchesHost(String host) {
    return DialectSupport.hostIn(host, "gmail.googleapis.com");
  }

  @Override
  public void checkSettings(dev.mailroom.EmailSettings settings) {
    if (settings.oauth2().isEmpty()) {
      throw new IllegalArgumentException("The gmail HTTP dialect needs an OAuth2 token: set oauth2 in the email"
          + " settings, e.g. OAuth2.googleServiceAccount(keyFile, sender, OAuth2.GMAIL_SEND_SCOPE).");
    }
  }

  /** The message and its size, measured by writing it once to nowhere. */
  private static final class Measured {
    final PreparedMime mime;
    final String bcc;
    final long size;

    Measured(SendRequest r) throws IOException {
      // first, before the token and the first byte: what the Gmail API cannot carry
      DialectSupport.refuseUncarried(r, "The Gmail API", true, false, false);
      this.mime = PreparedMime.of(r.email(), r.from(), r.envelopeFrom(), r.envelopeRecipients());
      List<Address> blind = DialectSupport.bccWithCopy(r);
      this.bcc = blind.isEmpty() ? null : "Bcc: " + Headers.addresses("Bcc", blind, mime.utf8()) + "\r\n";
      SesDialect.Counting c = new SesDialect.Counting(OutputStream.nullOutputStream());
      writeTo(c);
      this.size = c.count;
      if (size > MAX_MESSAGE_BYTES) {
        throw new SizeLimitException("The message is " + size + " bytes; the Gmail API accepts at most 35 MB",
            "35 MB");
      }
    }

    void writeTo(OutputStream out) throws IOException {
      if (bcc != null) {
        out.write(bcc.getBytes(StandardCharsets.UTF_8));
      }
      mime.writeTo(out);
    }
  }

  @Override
  public boolean staged(SendRequest request) {
    long known = 0;
    for (dev.mailroom.Attachment a : request.email().attachments()) {
      if (a.size().isEmpty()) {
        return true;
      }
      known += a.size().getAsLong();
    }
    return known > SIMPLE_LIMIT;
  }

  @Override
  public HttpRequest request(SendRequest request, Context context) throws IOException {
    Measured m = new Measured(request);
    ByteArrayOutputStream buf = new ByteArrayOutputStream((int) Math.min(m.size, Integer.MAX_VALUE - 8));
    m.writeTo(buf);
    return HttpRequest.newBuilder(URI.create(root(context.server()) + PATH + "?uploadType=media"))
        .header("Content-Type", "message/rfc822")
        .header("Authorization", "Bearer " + DialectSupport.bearer(context, id()).reveal())
        .POST(Bodies.ofBytes(buf.toByteArray()))
        .build();
  }

  @Override
  public Response send(SendRequest request, Context context, Calls calls) throws IOException, SendException {
    Measured m = new Measured(request);
    String token = DialectSupport.bearer(context, id()).reveal();
    HttpRequest start = HttpRequest.newBuilder(URI.create(root(context.server()) + PATH + "?uploadType=resumable"))
        .header("Content-Type", "application/json; charset=UTF-8")
        .header("X-Upload-Content-Type", "message/rfc822")
        .header("X-Upload-Content-Length", Long.toString(m.size))
        .header("Authorization", "Bearer " + token)
        .POST(Bodies.ofBytes("{}".getBytes(StandardCharsets.US_ASCII)))
        .build();
    Response session = calls.call(start);
    if (session.statusCode() / 100 != 2) {
      return session;
    }
    String location = session.header("Location").orElseThrow(() -> new IOException("the Gmail API opened an"
        + " upload session without a Location"));
    URI upload = DialectSupport.checkedUploadUrl(location, context.server(), "the Gmail API's upload Location",
        ".googleapis.com");
    HttpRequest.Builder put = HttpRequest.newBuilder(upload)
        .header("Content-Type", "message/rfc822")
        .PUT(HttpRequest.BodyPublishers.fromPublisher(context.streamingBody(m::writeTo), m.size));
    put.header("Authorization", "Bearer " + token);
    return calls.call(put.build());
  }

  /** The server URL without path: {@code https://gmail.googleapis.com}. */
  static String root(URI server) {
    return server.getScheme() + "://" + server.getRawAuthority();
  }

  @Override
  public Optional<String> messageId(Response response) {
    return Json.parse(response.body()).flatMap(root -> Json.string(root, "id"));
  }

  @Override
  public Optional<String> errorMessage(Response response) {
    return Json.parse(response.body()).flatMap(root -> {
      Optional<String> status = Json.string(root, "error", "status");
      return Json.string(root, "error", "message").map(msg -> status.map(s -> s + ": ").orElse("") + msg);
    });
  }

  @Override
  public Optional<String> errorCode(Response response) {
    return Json.parse(response.body()).flatMap(root -> {
      List<?> errors = Json.list(root, "error", "errors");
      Optional<String> reason = errors.isEmpty() ? Optional.empty() : Json.string(errors.get(0), "reason");
      return reason.or(() -> Json.string(root, "error", "status"));
    });
  }
}
