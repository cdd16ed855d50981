package dev.mailroom.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Secret;
import dev.mailroom.http.HttpDialect;
import dev.mailroom.internal.SigV4;
import dev.mailroom.internal.mime.PreparedMime;
import dev.mailroom.internal.mime.TagHeaders;
import dev.mailroom.spi.SendRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Amazon SES v2 {@code SendEmail} (dialect {@code ses}): {@code POST /v2/email/outbound-emails} with
 * {@code Content.Raw}, the RFC 5322 message written by Mailroom's MIME writer (the bytes the SMTP sender
 * would send), base64 in the JSON; envelope recipients (blind copies too) in {@code Destination}. Signed
 * with AWS Signature Version 4 (service {@code ses}); the region comes from the server URL
 * ({@code https://email.eu-west-1.amazonaws.com}, or {@code ?region=}) or the settings' SES preset. The
 * credentials are the settings' API key {@code ACCESS_KEY_ID:SECRET_ACCESS_KEY} or
 * {@code ACCESS_KEY_ID:SECRET_ACCESS_KEY:SESSION_TOKEN} (a {@link Secret}). SES's limit of 40 MB after
 * base64 is checked before anything is sent. The email's tags and metadata travel as {@code EmailTags}
 * ({@code tag=true}, {@code key=value}; {@link TagHeaders#sesTags}, the rule of the SMTP header
 * {@code X-SES-MESSAGE-TAGS}), refused before sending if one breaks it; inline images and an own
 * Message-ID are in the raw message. The body is written twice, once to hash it for the signature and
 * once onto the wire, so a large attachment is never held in memory.
 *
 * <p>Source: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html
 */
public final class SesDialect implements HttpDialect, CodedErrors {
  /** SES's limit for the whole message after base64. */
  static final long MAX_BASE64_BYTES = 40L * 1024 * 1024;
  private static final Pattern HOST_REGION = Pattern.compile("^email\\.([a-z]{2}(?:-gov)?-[a-z]+-\\d)\\.amazonaws\\.com$");

  /** Creates the dialect. */
  public SesDialect() {}

  @Override
  public String id() {
    return "ses";
  }

  @Override
  public boolean matchesHost(String host) {
    return host != null && HOST_REGION.matcher(host.toLowerCase(Locale.ROOT)).matches();
  }

  @Override
  public void checkSettings(EmailSettings settings) {
    credentials(settings);
    region(settings);
  }

  /** The parts of the API key. */
  private static String[] credentials(EmailSettings settings) {
    String key = settings.apiKey().map(Secret::reveal).orElseThrow(() -> new IllegalArgumentException(
        "The ses HTTP dialect needs AWS credentials: set apiKey to ACCESS_KEY_ID:SECRET_ACCESS_KEY (and"
            + " :SESSION_TOKEN for temporary credentials) of an IAM user allowed ses:SendEmail."));
    String[] parts = key.split(":", 3);
    if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new IllegalArgumentException("The ses HTTP dialect's apiKey must be ACCESS_KEY_ID:SECRET_ACCESS_KEY"
          + " (and :SESSION_TOKEN for temporary credentials)");
    }
    return parts;
  }

  /** The region: the server's host, its {@code region} query parameter, or the settings' SES preset. */
  static String region(EmailSettings settings) {
    String region = SigV4.sesRegion(settings.httpServer().orElseThrow(), settings.preset().map(p -> p.host())
        .orElse(null));
    if (region == null) {
      throw new IllegalArgumentException("The ses HTTP dialect needs the AWS region: use the server URL"
          + " https://email.<region>.amazonaws.com, add ?region=<region>, or choose an Amazon SES preset");
    }
    return region;
  }

  @Override
  public HttpRequest request(SendRequest request, Context context) throws IOException {
    String[] creds = credentials(context.settings());
    String region = region(context.settings());
    Email e = request.email();
    // refused before anything is sent if a tag breaks SES's rule
    List<Map.Entry<String, String>> tags = TagHeaders.sesTags(e);
    PreparedMime mime = PreparedMime.of(e, request.from(), request.envelopeFrom(), request.envelopeRecipients());
    // first pass: hash and measure without keeping the body
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException x) {
      throw new IOException("SHA-256 is missing from the JDK");
    }
    long[] mimeBytes = new long[1];
    Counting counting = new Counting(OutputStream.nullOutputStream());
    try (DigestOutputStream out = new DigestOutputStream(counting, sha)) {
      write(out, request, tags, mime, mimeBytes);
    }
    long base64 = 4 * ((mimeBytes[0] + 2) / 3);
    if (base64 > MAX_BASE64_BYTES) {
      throw new SizeLimitException("The message is " + mimeBytes[0] + " bytes (" + base64 + " after base64);"
          + " Amazon SES accepts at most 40 MB after base64", "40 MB after base64");
    }
    String payloadHash = HexFormat.of().formatHex(sha.digest());
    long length = counting.count;
    HttpRequest.BodyPublisher body;
    if (length <= Bodies.IN_MEMORY_LIMIT) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream((int) length);
      write(buf, request, tags, mime, new long[1]);
      body = Bodies.ofBytes(buf.toByteArray());
    } else {
      body = HttpRequest.BodyPublishers.fromPublisher(
          context.streamingBody(out -> write(out, request, tags, mime, new long[1])), length);
    }
    URI uri = URI.create(context.server().getScheme() + "://" + context.server().getRawAuthority()
        + "/v2/email/outbound-emails");
    HttpRequest.Builder b = HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .POST(body);
    SigV4 signer = new SigV4(creds[0], creds[1], creds.length > 2 && !creds[2].isBlank() ? creds[2] : null,
        region, "ses");
    signer.sign("POST", uri, Map.of("Content-Type", "application/json"), payloadHash, Instant.now())
        .forEach(b::header);
    return b.build();
  }

  /** Writes the JSON, streaming the MIME message as base64 into {@code Content.Raw.Data}. */
  private static void write(OutputStream out, SendRequest r, List<Map.Entry<String, String>> tags,
      PreparedMime mime, long[] mimeBytes) throws IOException {
    Email e = r.email();
    JsonGenerator g = Json.generator(out);
    g.writeStartObject();
    g.writeStringField("FromEmailAddress", r.from().toString());
    g.writeObjectFieldStart("Destination");
    JsonDialect.addressStrings(g, "ToAddresses", e.to());
    JsonDialect.addressStrings(g, "CcAddresses", e.cc());
    JsonDialect.addressStrings(g, "BccAddresses", DialectSupport.bccWithCopy(r));
    g.writeEndObject();
    JsonDialect.addressStrings(g, "ReplyToAddresses", e.replyTo());
    if (!tags.isEmpty()) {
      g.writeArrayFieldStart("EmailTags");
      for (Map.Entry<String, String> t : tags) {
        g.writeStartObject();
        g.writeStringField("Name", t.getKey());
        g.writeStringField("Value", t.getValue());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeObjectFieldStart("Content");
    g.writeObjectFieldStart("Raw");
    g.writeFieldName("Data");
    g.flush();
    out.write(':'); // jackson writes the separator with the value, which goes straight to the stream here
    out.write('"');
    Counting counted = new Counting(Base64.getEncoder().wrap(new NonClosing(out)));
    try (OutputStream b64 = counted) {
      mime.writeTo(b64);
    }
    mimeBytes[0] = counted.count;
    out.write("\"}}}".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public Optional<String> messageId(Response response) {
    return Json.parse(response.body()).flatMap(root -> Json.string(root, "MessageId"));
  }

  @Override
  public Optional<String> errorMessage(Response response) {
    Optional<String> message = Json.parse(response.body())
        .flatMap(root -> Json.string(root, "message").or(() -> Json.string(root, "Message")));
    return message.map(m -> errorCode(response).map(c -> c + ": ").orElse("") + m);
  }

  @Override
  public Optional<String> errorCode(Response response) {
    Optional<String> type = response.header("x-amzn-ErrorType").map(t -> t.split(":", 2)[0].strip());
    if (type.isPresent() && !type.get().isEmpty()) {
      return type;
    }
    return Json.parse(response.body()).flatMap(root -> Json.string(root, "__type"))
        .map(t -> t.substring(t.lastIndexOf('#') + 1));
  }

  /** Counts bytes on their way through. */
  static final class Counting extends java.io.FilterOutputStream {
    long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  /** Keeps the base64 encoder's {@code close()} (which writes its padding) from closing the body stream. */
  static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
