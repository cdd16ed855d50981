package dev.mailroom.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 (header signing, {@code AWS4-HMAC-SHA256}) with the JDK's HMAC-SHA256, checked
 * against AWS's published Signature Version 4 test suite. Source:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
public final class SigV4 {
  /** The SHA-256 of nothing, hex. */
  public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private final String accessKeyId;
  private final byte[] secretKey;
  private final String sessionToken;
  private final String region;
  private final String service;

  /**
   * @param accessKeyId the access key id
   * @param secretAccessKey the secret access key
   * @param sessionToken the session token of temporary credentials, or null
   * @param region the region, e.g. {@code eu-west-1}
   * @param service the service, e.g. {@code ses}
   */
  public SigV4(String accessKeyId, String secretAccessKey, String sessionToken, String region, String service) {
    this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
    this.secretKey = ("AWS4" + Objects.requireNonNull(secretAccessKey, "secretAccessKey"))
        .getBytes(StandardCharsets.UTF_8);
    this.sessionToken = sessionToken;
    this.region = Objects.requireNonNull(region, "region");
    this.service = Objects.requireNonNull(service, "service");
  }

  /**
   * Signs a request: returns the headers to add ({@code X-Amz-Date}, {@code X-Amz-Security-Token} with a
   * session token, {@code Authorization}). {@code Host} and every header in {@code headers} are signed.
   *
   * @param method the HTTP method
   * @param uri the request URI (its path and query are signed)
   * @param headers the headers to sign besides Host, X-Amz-Date and the session token
   * @param payloadSha256 the hex SHA-256 of the body
   * @param now the signing time
   * @return the headers to add, in order
   */
  public Map<String, String> sign(String method, URI uri, Map<String, String> headers, String payloadSha256,
      Instant now) {
    String amzDate = AMZ_DATE.format(now);
    String date = amzDate.substring(0, 8);
    TreeMap<String, String> canonical = new TreeMap<>();
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    boolean defaultPort = port < 0 || (port == 443 && "https".equalsIgnoreCase(uri.getScheme()))
        || (port == 80 && "http".equalsIgnoreCase(uri.getScheme()));
    canonical.put("host", defaultPort ? host : host + ":" + port);
    headers.forEach((k, v) -> canonical.merge(k.toLowerCase(Locale.ROOT), trim(v), (a, b) -> a + "," + b));
    canonical.put("x-amz-date", amzDate);
    if (sessionToken != null) {
      canonical.put("x-amz-security-token", sessionToken);
    }
    StringBuilder creq = new StringBuilder();
    creq.append(method.toUpperCase(Locale.ROOT)).append('\n');
    creq.append(canonicalPath(uri.getRawPath())).append('\n');
    creq.append(canonicalQuery(uri.getRawQuery())).append('\n');
    canonical.forEach((k, v) -> creq.append(k).append(':').append(v).append('\n'));
    creq.append('\n');
    String signedHeaders = String.join(";", canonical.keySet());
    creq.append(signedHeaders).append('\n').append(payloadSha256);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + sha256Hex(creq.toString());
    byte[] key = hmac(secretKey, date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = HEX.formatHex(hmac(key, stringToSign));
    Map<String, String> out = new LinkedHashMap<>();
    out.put("X-Amz-Date", amzDate);
    if (sessionToken != null) {
      out.put("X-Amz-Security-Token", sessionToken);
    }
    out.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + scope + ", SignedHeaders="
        + signedHeaders + ", Signature=" + signature);
    return out;
  }

  private static final java.util.regex.Pattern SES_HOST =
      java.util.regex.Pattern.compile("^email(?:-smtp)?\\.([a-z]{2}(?:-gov)?-[a-z]+-\\d)\\.amazonaws\\.com$");
  private static final java.util.regex.Pattern REGION = java.util.regex.Pattern.compile("^[a-z]{2}(?:-gov)?-[a-z]+-\\d$");

  /**
   * The Amazon SES region of the settings: the server's host ({@code email.eu-west-1.amazonaws.com}), its
   * {@code region} query parameter, or the SES preset's SMTP host ({@code email-smtp.eu-west-1.amazonaws.com}).
   *
   * @param server the HTTP server URL
   * @param presetHost the settings' preset's SMTP host, or null
   * @return the region, or null if none of them names one
   */
  public static String sesRegion(URI server, String presetHost) {
    java.util.regex.Matcher m = SES_HOST.matcher(String.valueOf(server.getHost()).toLowerCase(Locale.ROOT));
    if (m.matches()) {
      return m.group(1);
    }
    String q = server.getRawQuery();
    if (q != null) {
      for (String p : q.split("&")) {
        if (p.toLowerCase(Locale.ROOT).startsWith("region=") && REGION.matcher(p.substring(7)).matches()) {
          return p.substring(7);
        }
      }
    }
    m = SES_HOST.matcher(presetHost == null ? "" : presetHost.toLowerCase(Locale.ROOT));
    return m.matches() ? m.group(1) : null;
  }

  /** Hex SHA-256 of UTF-8 text. */
  public static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Hex SHA-256 of bytes. */
  public static String sha256Hex(byte[] bytes) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
    }
  }

  private static String trim(String value) {
    return value.strip().replaceAll("\\s+", " ");
  }

  /** The path, each segment URI-encoded once (empty is {@code /}). */
  static String canonicalPath(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    StringBuilder b = new StringBuilder();
    String[] segments = rawPath.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        b.append('/');
      }
      b.append(encode(URLDecoder.decode(segments[i].replace("+", "%2B"), StandardCharsets.UTF_8)));
    }
    return b.toString();
  }

  /** The query parameters, encoded and sorted by name, then value. */
  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> params = new ArrayList<>();
    for (String p : rawQuery.split("&")) {
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String k = eq < 0 ? p : p.substring(0, eq);
      String v = eq < 0 ? "" : p.substring(eq + 1);
      params.add(new String[] {encode(URLDecoder.decode(k.replace("+", "%2B"), StandardCharsets.UTF_8)),
          encode(URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8))});
    }
    params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder b = new StringBuilder();
    for (String[] p : params) {
      if (b.length() > 0) {
        b.append('&');
      }
      b.append(p[0]).append('=').append(p[1]);
    }
    return b.toString();
  }

  /** RFC 3986 encoding: everything but unreserved characters as %XX, upper case. */
  static String encode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.' || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return b.toString();
  }
}
