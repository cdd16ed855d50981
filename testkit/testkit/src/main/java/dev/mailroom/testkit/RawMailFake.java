package dev.mailroom.testkit;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import dev.mailroom.Secret;
import dev.mailroom.internal.SigV4;
import dev.mailroom.testkit.internal.JsonTree;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two APIs that take a whole RFC 5322 message, for {@link MailroomHttpServer}: the Gmail API
 * ({@code gmail}: {@code users.messages.send} as a media or resumable upload, {@code users.getProfile}) and
 * Amazon SES v2 ({@code ses}: {@code SendEmail} with {@code Content.Raw}, its Signature Version 4 checked
 * against the server's credentials, {@code GetAccount}). The messages are read with Jakarta Mail, as a mail
 * system would; SES's {@code EmailTags} (checked against SES's rule) arrive as headers
 * {@value #SES_TAGS_HEADER}, one {@code Name=Value} each. Thread-safe.
 */
final class RawMailFake {
  static final String SES_REGION = "eu-west-1";
  /** The header of a received SES email that shows one of the request's {@code EmailTags}. */
  static final String SES_TAGS_HEADER = "x-mailroom-ses-email-tag";
  private static final Pattern SES_TAG = Pattern.compile("^[A-Za-z0-9_-]{1,256}$");
  private static final String GMAIL_SEND = "/upload/gmail/v1/users/me/messages/send";
  private static final Pattern CREDENTIAL = Pattern.compile(
      "^AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$");
  private static final DateTimeFormatter AMZ = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final String dialect;
  private final Predicate<String> validToken;
  private final Function<String, String> base;
  final String accessKeyId = "AKIDMAILROOM" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
  final Secret secretAccessKey = Secret.of("mailroom/" + UUID.randomUUID());
  private final Map<String, Long> uploads = new ConcurrentHashMap<>();

  RawMailFake(String dialect, Predicate<String> validToken, Function<String, String> base) {
    this.dialect = dialect;
    this.validToken = validToken;
    this.base = base;
  }

  void clear() {
    uploads.clear();
  }

  enum Kind { SEND, START, CHECK, NONE }

  Kind kind(Request r) {
    String path = r.getUrl().split("\\?")[0];
    String query = r.getUrl().contains("?") ? r.getUrl().substring(r.getUrl().indexOf('?') + 1) : "";
    if (dialect.equals("gmail")) {
      if (RequestMethod.GET.equals(r.getMethod()) && path.equals("/gmail/v1/users/me/profile")) {
        return Kind.CHECK;
      }
      if (!path.equals(GMAIL_SEND)) {
        return Kind.NONE;
      }
      if (RequestMethod.POST.equals(r.getMethod()) && query.contains("uploadType=resumable")) {
        return Kind.START;
      }
      return (RequestMethod.POST.equals(r.getMethod()) && query.contains("uploadType=media"))
          || (RequestMethod.PUT.equals(r.getMethod()) && query.contains("upload_id=")) ? Kind.SEND : Kind.NONE;
    }
    if (RequestMethod.GET.equals(r.getMethod()) && path.equals("/v2/email/account")) {
      return Kind.CHECK;
    }
    return RequestMethod.POST.equals(r.getMethod()) && path.equals("/v2/email/outbound-emails") ? Kind.SEND
        : Kind.NONE;
  }

  /** Null if the request is authorized, else the refusal. */
  ResponseDefinition refusal(Request r) {
    if (dialect.equals("gmail")) {
      String auth = r.getHeader("Authorization");
      return auth != null && auth.startsWith("Bearer ") && validToken.test(auth.substring(7)) ? null
          : providerError(401);
    }
    String auth = String.valueOf(r.getHeader("Authorization"));
    Matcher m = CREDENTIAL.matcher(auth);
    if (!m.matches() || !m.group(1).equals(accessKeyId)) {
      return sesError(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    String date = String.valueOf(r.getHeader("X-Amz-Date"));
    if (!m.group(3).equals(SES_REGION) || !m.group(4).equals("ses") || !date.startsWith(m.group(2))) {
      return sesError(403, "InvalidSignatureException", "Credential should be scoped to a valid region and"
          + " service.");
    }
    Map<String, String> signed = new LinkedHashMap<>();
    for (String h : m.group(5).split(";")) {
      if (!h.equals("host") && !h.equals("x-amz-date") && !h.equals("x-amz-security-token")) {
        signed.put(h, String.valueOf(r.getHeader(h)));
      }
    }
    try {
      URI uri = URI.create(r.getAbsoluteUrl());
      SigV4 signer = new SigV4(accessKeyId, secretAccessKey.reveal(), r.getHeader("X-Amz-Security-Token"),
          SES_REGION, "ses");
      String expected = signer.sign(r.getMethod().getName(), uri, signed, SigV4.sha256Hex(r.getBody()),
          LocalDateTime.parse(date, AMZ).toInstant(ZoneOffset.UTC)).get("Authorization");
      if (!auth.equals(expected)) {
        return sesError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the"
            + " signature you provided. Check your AWS Secret Access Key and signing method.");
      }
    } catch (RuntimeException e) {
      return sesError(403, "IncompleteSignatureException", "The request signature is not valid.");
    }
    return null;
  }

  /**
   * Checks a send against the provider's published description: SES's SendEmailRequest (the service model
   * excerpt in {@link ApiDescriptions#SES}), the Gmail API's media upload (accepted types and maximum size
   * of the discovery document's excerpt). Null if it matches, else the provider's 400.
   */
  ResponseDefinition invalid(Request r) {
    Kind kind = kind(r);
    if (kind != Kind.SEND && kind != Kind.START) {
      return null;
    }
    if (dialect.equals("ses")) {
      try {
        List<String> problems = ApiDescriptions.SES.check(
            ApiDescriptions.SES.operation("POST /v2/email/outbound-emails"), JsonTree.parse(r.getBodyAsString()));
        return problems.isEmpty() ? null : sesError(400, "BadRequestException",
            ("The request does not match SendEmail: " + String.join("; ", problems)).replace("\"", "'"));
      } catch (IOException e) {
        return sesError(400, "SerializationException", "The request body is not JSON.");
      }
    }
    Map<String, Object> media = JsonTree.object(ApiDescriptions.GMAIL.method("gmail.users.messages.send"),
        "mediaUpload");
    long max = Long.parseLong(JsonTree.string(media, "maxSize"));
    String type = kind == Kind.START ? r.getHeader("X-Upload-Content-Type") : r.getHeader("Content-Type");
    boolean accepted = JsonTree.list(media, "accept").stream().map(String::valueOf)
        .anyMatch(a -> type != null && type.startsWith(a.replace("*", "")));
    long size = kind == Kind.START ? parseOr(r.getHeader("X-Upload-Content-Length"), -1) : r.getBody().length;
    if (!accepted) {
      return gmailError(400, "badContent", "INVALID_ARGUMENT", "Media type '" + type + "' is not supported.");
    }
    if (size > max) {
      return gmailError(413, "uploadTooLarge", "OUT_OF_RANGE", "Media is larger than the maximum of " + max
          + " bytes.");
    }
    return null;
  }

  private static long parseOr(String s, long fallback) {
    try {
      return Long.parseLong(String.valueOf(s).strip());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  ResponseDefinition check() {
    return dialect.equals("gmail")
        ? json(200, "{\"emailAddress\":\"" + MailroomHttpServer.SENDER + "\",\"messagesTotal\":0,"
            + "\"threadsTotal\":0,\"historyId\":\"1\"}")
        : json(200, "{\"DedicatedIpAutoWarmupEnabled\":false,\"EnforcementStatus\":\"HEALTHY\","
            + "\"ProductionAccessEnabled\":true,\"SendQuota\":{\"Max24HourSend\":50000.0,\"MaxSendRate\":14.0,"
            + "\"SentLast24Hours\":0.0},\"SendingEnabled\":true}");
  }

  /** Gmail's resumable upload: the session. */
  ResponseDefinition start(Request r) {
    long size;
    try {
      size = Long.parseLong(String.valueOf(r.getHeader("X-Upload-Content-Length")));
    } catch (NumberFormatException e) {
      return gmailError(400, "badRequest", "INVALID_ARGUMENT", "X-Upload-Content-Length is required.");
    }
    if (!"message/rfc822".equals(r.getHeader("X-Upload-Content-Type"))) {
      return gmailError(400, "badRequest", "INVALID_ARGUMENT", "Media type not supported.");
    }
    String id = UUID.randomUUID().toString().replace("-", "");
    uploads.put(id, size);
    return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
        .withHeader("Location", base.apply(GMAIL_SEND + "?uploadType=resumable&upload_id=" + id)).build();
  }

  /** Reads a send into the received email; throws for a request the real API would refuse. */
  ReceivedEmail received(Request r) throws IOException {
    byte[] mime;
    List<String> envelope = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    if (dialect.equals("gmail")) {
      String query = r.getUrl().substring(r.getUrl().indexOf('?') + 1);
      Matcher id = Pattern.compile("upload_id=([0-9a-f]+)").matcher(query);
      if (id.find()) {
        Long size = uploads.remove(id.group(1));
        if (size == null || size != r.getBody().length) {
          throw new IOException("the upload does not match its session");
        }
      }
      mime = r.getBody();
    } else {
      Object root = JsonTree.parse(r.getBodyAsString());
      Object content = JsonTree.object(JsonTree.object(root, "Content"), "Raw");
      mime = Base64.getDecoder().decode(JsonTree.string(content, "Data"));
      Object dest = JsonTree.object(root, "Destination");
      for (String f : List.of("ToAddresses", "CcAddresses", "BccAddresses")) {
        for (Object a : JsonTree.list(dest, f)) {
          envelope.add(new InternetAddressText(String.valueOf(a)).address);
        }
      }
      for (Object t : JsonTree.list(root, "EmailTags")) {
        String name = JsonTree.string(t, "Name");
        String value = JsonTree.string(t, "Value");
        // SES's rule for message tags: ASCII letters, digits, '_' and '-', up to 256 characters
        if (!SES_TAG.matcher(String.valueOf(name)).matches() || !SES_TAG.matcher(String.valueOf(value)).matches()) {
          throw new IOException("the message tag " + name + " is not valid");
        }
        tags.add(name + "=" + value);
      }
    }
    try {
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mime)) {
        @Override
        protected void updateMessageID() {
          // saveChanges below must not replace the sender's Message-ID with one of Jakarta Mail's
        }
      };
      String from = m.getFrom() == null || m.getFrom().length == 0 ? null
          : ((InternetAddress) m.getFrom()[0]).getAddress();
      if (dialect.equals("gmail")) {
        for (Message.RecipientType t : List.of(Message.RecipientType.TO, Message.RecipientType.CC,
            Message.RecipientType.BCC)) {
          Address[] list = m.getRecipients(t);
          for (Address a : list == null ? new Address[0] : list) {
            envelope.add(((InternetAddress) a).getAddress());
          }
        }
        m.removeHeader("Bcc"); // Gmail sends the message without it
        m.saveChanges();
      }
      return MimeParsing.parse(m, from, envelope, "http:" + dialect,
          b -> tags.forEach(t -> b.header(SES_TAGS_HEADER, t)));
    } catch (MessagingException e) {
      throw new IOException("not a MIME message: " + e.getMessage());
    }
  }

  /** What a real address list entry holds: the address of "Name <address>". */
  private static final class InternetAddressText {
    final String address;

    InternetAddressText(String text) {
      String a = text;
      try {
        a = new InternetAddress(text).getAddress();
      } catch (MessagingException e) {
        // keep the text
      }
      this.address = a;
    }
  }

  ResponseDefinition accepted() {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    return dialect.equals("gmail")
        ? json(200, "{\"id\":\"" + id + "\",\"threadId\":\"" + id + "\",\"labelIds\":[\"SENT\"]}")
        : json(200, "{\"MessageId\":\"0100018c" + id + "-000000\"}");
  }

  /** The provider's answer for a status, for the fault matrix. */
  ResponseDefinition providerError(int status) {
    if (dialect.equals("gmail")) {
      switch (status) {
        case 401:
          return gmailError(401, "authError", "UNAUTHENTICATED", "Request had invalid authentication credentials."
              + " Expected OAuth 2 access token, login cookie or other valid authentication credential.");
        case 403:
          return gmailError(403, "insufficientPermissions", "PERMISSION_DENIED",
              "Request had insufficient authentication scopes.");
        case 404:
          return gmailError(404, "notFound", "NOT_FOUND", "Requested entity was not found.");
        case 413:
          return gmailError(413, "uploadTooLarge", "OUT_OF_RANGE", "Request payload size exceeds the limit.");
        case 429:
          return ResponseDefinitionBuilder.like(gmailError(429, "rateLimitExceeded", "RESOURCE_EXHAUSTED",
              "Too many concurrent requests for user.")).withHeader("Retry-After", "1").build();
        default:
          return gmailError(status, "backendError", "UNAVAILABLE", "The service is currently unavailable.");
      }
    }
    switch (status) {
      case 400:
        return sesError(400, "MessageRejected", "Email address is not verified. The following identities failed"
            + " the check in region EU-WEST-1: " + MailroomHttpServer.SENDER);
      case 401:
      case 403:
        return sesError(403, "AccessDeniedException", "User is not authorized to perform: ses:SendEmail");
      case 404:
        return sesError(404, "NotFoundException", "Configuration set <invoices> does not exist.");
      case 413:
        return sesError(413, "BadRequestException", "Request entity too large.");
      case 429:
        return sesError(429, "TooManyRequestsException", "Too Many Requests");
      default:
        return sesError(status, "InternalFailure", "The request processing has failed because of an unknown"
            + " error.");
    }
  }

  /** An error answer with the given code in the dialect's shape. */
  ResponseDefinition error(int status, String code, String message) {
    return dialect.equals("gmail") ? gmailError(status, code, "FAILED_PRECONDITION", message)
        : sesError(status, code, message);
  }

  static ResponseDefinition gmailError(int status, String reason, String state, String message) {
    return json(status, "{\"error\":{\"code\":" + status + ",\"message\":\"" + message + "\",\"errors\":[{"
        + "\"message\":\"" + message + "\",\"domain\":\"global\",\"reason\":\"" + reason + "\"}],\"status\":\""
        + state + "\"}}");
  }

  static ResponseDefinition sesError(int status, String type, String message) {
    return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazonaws.sesv2/")
        .withHeader("x-amzn-RequestId", UUID.randomUUID().toString())
        .withBody("{\"message\":\"" + message + "\"}").build();
  }

  private static ResponseDefinition json(int status, String body) {
    return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
        .withHeader("Content-Type", "application/json; charset=UTF-8").withBody(body).build();
  }
}
