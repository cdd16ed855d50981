package dev.mailroom.internal;

import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.ProviderPreset;
import dev.mailroom.Presets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Classifies SMTP server replies into {@link Failure}s: the category, whether a retry can help, the
 * provider the reply comes from and the hint that names the cause. A pure function of the stage, the
 * reply, the host and the preset, shared by the SMTP sender and the connection diagnostics.
 *
 * <p>Rules: every 4yz reply is transient, every 5yz permanent. {@code 421}, {@code 450} and the enhanced
 * status {@code 4.7.0} (and 4yz replies that say so) are {@link FailureCategory#RATE_LIMITED}. Otherwise
 * the stage decides the category (AUTH → authentication, MAIL → sender, RCPT → recipient, end of data →
 * message), refined by well-known replies of Gmail, Microsoft 365 and Yahoo.
 */
public final class SmtpReplies {
  private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?=$|[\\s,;:.-])");

  private SmtpReplies() {}

  /** Where in the SMTP conversation a reply came. */
  public enum Stage {
    /** The server's greeting after connecting. */
    GREETING,
    /** EHLO or HELO. */
    EHLO,
    /** The STARTTLS command. */
    STARTTLS,
    /** AUTH and its continuation lines. */
    AUTH,
    /** MAIL FROM. */
    MAIL,
    /** RCPT TO. */
    RCPT,
    /** The DATA command itself. */
    DATA,
    /** The reply after the final {@code .} of the message. */
    END_OF_DATA,
    /** Anything else (NOOP, RSET, QUIT...). */
    OTHER
  }

  /**
   * One SMTP reply.
   *
   * @param code the three-digit reply code
   * @param enhancedStatus the RFC 3463 enhanced status code of the first line, e.g. {@code 5.7.8}, or null
   * @param text the reply text without codes, lines joined by a space
   */
  public record Reply(int code, String enhancedStatus, String text) {
    /** Validates the components. */
    public Reply {
      if (code < 100 || code > 599) {
        throw new IllegalArgumentException("not an SMTP reply code: " + code);
      }
      Objects.requireNonNull(text, "text");
    }

    /**
     * Parses a reply as the server sent it, one or more lines ({@code 535-5.7.8 first\r\n535 5.7.8 last}).
     * The enhanced status is taken from the first line that has one.
     *
     * @param raw the reply lines, separated by LF or CRLF
     * @return the reply, or empty when the first line does not start with a valid code
     */
    public static Optional<Reply> parse(String raw) {
      if (raw == null) {
        return Optional.empty();
      }
      int code = -1;
      String enhanced = null;
      List<String> texts = new ArrayList<>(2);
      // lines separated by LF or CRLF (split by hand: this runs for every receipt)
      for (int start = 0, end; start < raw.length(); start = end + 1) {
        end = raw.indexOf('\n', start);
        boolean lf = end >= 0;
        if (!lf) {
          end = raw.length();
        }
        String line = raw.substring(start, lf && end > start && raw.charAt(end - 1) == '\r' ? end - 1 : end);
        if (line.isEmpty()) {
          continue;
        }
        if (line.length() < 3 || !isDigits(line, 3)) {
          return Optional.empty();
        }
        int c = Integer.parseInt(line.substring(0, 3));
        if (code < 0) {
          code = c;
        }
        String rest = line.length() > 3 ? line.substring(4 <= line.length() ? 4 : 3) : "";
        rest = rest.strip();
        int statusEnd = enhancedEnd(rest);
        if (statusEnd > 0) {
          if (enhanced == null) {
            enhanced = enhancedStatusOf(rest, statusEnd);
          }
          rest = rest.substring(statusEnd).strip();
        }
        if (!rest.isEmpty()) {
          texts.add(rest);
        }
      }
      if (code < 200 || code > 599) {
        return Optional.empty();
      }
      return Optional.of(new Reply(code, enhanced, String.join(" ", texts)));
    }

    /**
     * Where an enhanced status code ({@link #ENHANCED}: class 2, 4 or 5, then two numbers of 1 to 3 digits,
     * followed by the end, a blank or {@code , ; : . -}) at the start of {@code s} ends, or -1 if there is
     * none. By hand: it runs for every receipt (EnhancedStatusTest compares it with the pattern).
     */
    static int enhancedEnd(String s) {
      int n = s.length();
      if (n < 5 || (s.charAt(0) != '2' && s.charAt(0) != '4' && s.charAt(0) != '5') || s.charAt(1) != '.') {
        return -1;
      }
      int i = digits(s, 2);
      if (i < 0 || i >= n || s.charAt(i) != '.') {
        return -1;
      }
      int end = digits(s, i + 1);
      if (end < 0) {
        return -1;
      }
      if (end < n) {
        char c = s.charAt(end);
        boolean blank = c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
        // the pattern's $ also matches before a line terminator that ends the text
        boolean finalTerminator = end == n - 1 && (c == '\u0085' || c == '\u2028' || c == '\u2029');
        if (!blank && !finalTerminator && ",;:.-".indexOf(c) < 0) {
          return -1;
        }
      }
      return end;
    }

    /** The index after 1 to 3 ASCII digits from {@code from} (not followed by a fourth), or -1. */
    private static int digits(String s, int from) {
      int i = from;
      while (i < s.length() && i - from < 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      int count = i - from;
      return count >= 1 && count <= 3 ? i : -1;
    }

    /** The enhanced status {@code s[0, end)} found by {@link #enhancedEnd}, without leading zeros. */
    static String enhancedStatusOf(String s, int end) {
      int second = s.indexOf('.', 2);
      return s.charAt(0) + "." + Integer.parseInt(s, 2, second, 10) + "."
          + Integer.parseInt(s, second + 1, end, 10);
    }

    /** The pattern {@link #enhancedEnd} implements, for tests. */
    static Pattern enhancedPattern() {
      return ENHANCED;
    }

    /**
     * Tells whether this is a transient negative reply (4yz).
     *
     * @return true for 4yz
     */
    public boolean isTransient() {
      return code >= 400 && code < 500;
    }

    /**
     * Tells whether this is a negative reply (4yz or 5yz).
     *
     * @return true for 4yz and 5yz
     */
    public boolean isNegative() {
      return code >= 400;
    }

    /** Returns {@code code [enhanced] text}, e.g. {@code 535 5.7.8 Username and Password not accepted}. */
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder().append(code);
      if (enhancedStatus != null) {
        b.append(' ').append(enhancedStatus);
      }
      if (!text.isEmpty()) {
        b.append(' ').append(text);
      }
      return b.toString();
    }
  }

  /**
   * What a reply means.
   *
   * @param category the failure category
   * @param transientFailure whether a later retry may succeed (exactly the 4yz replies)
   * @param hintKey the key of the hint text in Mailroom's messages
   * @param provider the provider the reply was recognized for (a preset id such as {@code gmail}), or null
   */
  public record Verdict(FailureCategory category, boolean transientFailure, String hintKey, String provider) {}

  /**
   * Classifies a negative reply.
   *
   * @param stage where the reply came
   * @param reply the reply
   * @param host the server host, for recognizing the provider; may be null
   * @param presetId the id of the settings' preset, or null
   * @return the verdict
   */
  public static Verdict classify(Stage stage, Reply reply, String host, String presetId) {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(reply, "reply");
    String provider = provider(host, presetId, reply.text());
    boolean tr = reply.isTransient();
    int c = reply.code();
    String enh = reply.enhancedStatus() == null ? "" : reply.enhancedStatus();
    String t = reply.text().toLowerCase(Locale.ROOT);

    if (tr && (c == 421 || (stage != Stage.STARTTLS && isRateLimit(c, enh, t)))) {
      return new Verdict(FailureCategory.RATE_LIMITED, true, "hint.rate-limited", provider);
    }
    switch (stage) {
      case GREETING:
        return new Verdict(FailureCategory.CONNECTION, tr, "hint.connection.closed-by-server", provider);
      case EHLO:
        return new Verdict(FailureCategory.PROTOCOL, tr, "hint.PROTOCOL", provider);
      case STARTTLS:
        return new Verdict(FailureCategory.TLS, tr, "hint.tls.starttls-refused", provider);
      case AUTH:
        return auth(c, enh, t, tr, provider);
      case MAIL:
        return mail(c, enh, t, tr, provider);
      case RCPT:
        return rcpt(c, enh, t, tr, provider);
      case DATA:
      case END_OF_DATA:
        return message(c, enh, t, tr, provider);
      default:
        if (c == 530 || "5.7.57".equals(enh)) {
          return new Verdict(FailureCategory.AUTHENTICATION, tr, "hint.auth.required", provider);
        }
        return new Verdict(FailureCategory.PROTOCOL, tr, "hint.PROTOCOL", provider);
    }
  }

  /**
   * Classifies a negative reply and starts the failure, with a message naming the stage, the server and
   * the reply: e.g. {@code The server refused the recipient bob@example.com (smtp.example.com:587): 550
   * 5.1.1 No such user}.
   *
   * @param stage where the reply came
   * @param reply the reply; its text must not contain a secret (scrub echoed credentials first)
   * @param host the server host
   * @param port the server port
   * @param presetId the id of the settings' preset, or null
   * @param detail what the hint may quote: the recipient for RCPT, the sender for MAIL, otherwise empty
   * @return the failure builder
   */
  public static Failure.Builder failure(Stage stage, Reply reply, String host, int port, String presetId,
      String detail) {
    Verdict v = classify(stage, reply, host, presetId);
    Failure.Builder b = Failure.builder(v.category()).transientFailure(v.transientFailure())
        .code(reply.code()).serverReply(reply.text().isEmpty() ? String.valueOf(reply.code()) : reply.text())
        .server(host, port).hint(v.hintKey(), detail == null ? "" : detail)
        .message(describe(stage, v.category(), detail) + " (" + host + ":" + port + "): " + reply);
    if (reply.enhancedStatus() != null) {
      b.enhancedStatus(reply.enhancedStatus());
    }
    if (v.provider() != null) {
      b.provider(v.provider());
    }
    return b;
  }

  /**
   * Recognizes the provider: the settings' preset first, then fingerprints in the reply (Gmail's
   * {@code gsmtp}, Microsoft's {@code STOREDRV} or {@code aka.ms} links, Yahoo's codes), then the host name
   * (not for loopback hosts, where a local relay or bridge could stand for anyone).
   *
   * @param host the server host, or null
   * @param presetId the settings' preset id, or null
   * @param replyText a reply text, or null
   * @return the provider's preset id, or null when unknown
   */
  public static String provider(String host, String presetId, String replyText) {
    if (presetId != null && !presetId.isEmpty()) {
      return presetId;
    }
    if (replyText != null) {
      String t = replyText.toLowerCase(Locale.ROOT);
      if (t.contains("gsmtp") || t.contains("support.google.com") || t.contains("?p=badcredentials")
          || t.contains("?p=invalidsecondfactor")) {
        return "gmail";
      }
      if (t.contains("smtpclientauthentication") || t.contains("storedrv") || t.contains("protection.outlook.com")
          || t.contains("sendasdenied") || t.contains("aka.ms/")) {
        return "office365";
      }
      if (t.contains("yahoo") || t.contains("#auth005") || t.contains("[tss0")) {
        return "yahoo";
      }
    }
    if (host != null && !host.isEmpty() && !HostNames.isLoopback(host)) {
      Optional<ProviderPreset> p = Presets.forHost(host);
      if (p.isPresent()) {
        return p.get().id();
      }
      String h = host.toLowerCase(Locale.ROOT);
      if (h.endsWith(".gmail.com") || h.endsWith(".google.com") || h.endsWith(".googlemail.com")) {
        return "gmail";
      }
      if (h.endsWith(".office365.com") || h.endsWith(".outlook.office.com")) {
        return "office365";
      }
      if (h.endsWith(".outlook.com") || h.endsWith(".hotmail.com") || h.endsWith(".live.com")) {
        return "outlook";
      }
      if (h.endsWith(".yahoo.com") || h.endsWith(".yahoodns.net")) {
        return "yahoo";
      }
    }
    return null;
  }

  private static boolean isRateLimit(int c, String enh, String t) {
    return c == 421 || c == 450 || enh.equals("4.7.0") || enh.equals("4.7.28") || t.contains("rate limit")
        || t.contains("too many") || t.contains("try again later") || t.contains("throttl")
        || t.contains("slow down");
  }

  /**
   * The hint for a refused XOAUTH2 sign-in: SMTP AUTH turned off for the mailbox (Microsoft 5.7.139), the
   * application not registered for the mailbox in Exchange (Microsoft's {@code 535 5.7.3} to an app-only
   * token), else a rejected token.
   *
   * @param reply the refusal of AUTH
   * @return the hint key
   */
  public static String xoauth2Hint(Reply reply) {
    String enh = reply.enhancedStatus() == null ? "" : reply.enhancedStatus();
    String t = reply.text().toLowerCase(Locale.ROOT);
    if (enh.equals("5.7.139") || t.contains("smtpclientauthentication is disabled")) {
      return "hint.oauth.smtp-auth-disabled";
    }
    if (enh.equals("5.7.3") && t.contains("authentication unsuccessful")) {
      return "hint.oauth.exchange-app-not-registered";
    }
    return "hint.auth.token";
  }

  private static Verdict auth(int c, String enh, String t, boolean tr, String provider) {
    FailureCategory a = FailureCategory.AUTHENTICATION;
    if (enh.equals("5.7.139") || t.contains("smtpclientauthentication is disabled")
        || t.contains("security defaults")) {
      return new Verdict(a, tr, "hint.auth.m365-smtp-auth-disabled", or(provider, "office365"));
    }
    if (enh.equals("5.7.30") || t.contains("basic authentication is not supported")) {
      return new Verdict(a, tr, "hint.auth.m365-basic-auth-retired", or(provider, "office365"));
    }
    if ((c == 534 && (enh.equals("5.7.9") || enh.equals("5.7.14"))) || t.contains("application-specific password")
        || t.contains("invalidsecondfactor")) {
      return new Verdict(a, tr, "hint.auth.gmail-app-password-required", or(provider, "gmail"));
    }
    if (c == 530 || c == 538) {
      if (t.contains("starttls") || c == 538 || enh.equals("5.7.11")) {
        return new Verdict(FailureCategory.TLS, tr, "hint.tls.starttls-missing", provider);
      }
      return new Verdict(a, tr, "hint.auth.required", provider);
    }
    if (c == 504 || c == 502 || enh.equals("5.5.4") || enh.equals("5.7.4")) {
      return new Verdict(a, tr, "hint.auth.not-supported", provider);
    }
    String p = provider == null ? "" : provider;
    if (p.equals("gmail") || p.equals("google-workspace-relay") || t.contains("badcredentials")) {
      return new Verdict(a, tr, "hint.auth.gmail-bad-credentials", or(provider, "gmail"));
    }
    if (p.equals("yahoo")) {
      return new Verdict(a, tr, "hint.auth.yahoo", provider);
    }
    if (p.equals("office365")) {
      return new Verdict(a, tr, "hint.auth.m365-bad-credentials", provider);
    }
    if (p.equals("outlook")) {
      return new Verdict(a, tr, "hint.auth.outlook-oauth-only", provider);
    }
    return new Verdict(a, tr, "hint.auth.bad-credentials", provider);
  }

  /** What a refusal of MAIL, RCPT or the message can mean at any of them: Send As denied, or no login. */
  private static Verdict senderOrLogin(int c, String enh, String t, boolean tr, String provider) {
    if (isSendAsDenied(enh, t)) {
      return new Verdict(FailureCategory.SENDER_REJECTED, tr, "hint.sender.send-as-denied", or(provider, "office365"));
    }
    return authRequired(c, enh, t, tr, provider);
  }

  private static Verdict mail(int c, String enh, String t, boolean tr, String provider) {
    Verdict any = senderOrLogin(c, enh, t, tr, provider);
    if (any != null) {
      return any;
    }
    if (isTooLarge(c, enh, t)) {
      return new Verdict(FailureCategory.MESSAGE_REJECTED, tr, "hint.message.too-large", provider);
    }
    return new Verdict(FailureCategory.SENDER_REJECTED, tr, "hint.sender.rejected", provider);
  }

  private static Verdict rcpt(int c, String enh, String t, boolean tr, String provider) {
    Verdict any = senderOrLogin(c, enh, t, tr, provider);
    if (any != null) {
      return any;
    }
    return new Verdict(FailureCategory.RECIPIENT_REJECTED, tr, "hint.recipient.rejected", provider);
  }

  private static Verdict message(int c, String enh, String t, boolean tr, String provider) {
    Verdict any = senderOrLogin(c, enh, t, tr, provider);
    if (any != null) {
      return any;
    }
    if (isTooLarge(c, enh, t)) {
      return new Verdict(FailureCategory.MESSAGE_REJECTED, tr, "hint.message.too-large", provider);
    }
    if (enh.startsWith("5.7.") || t.contains("policy") || t.contains("spam") || t.contains("dmarc")
        || t.contains("spf") || t.contains("dkim")) {
      return new Verdict(FailureCategory.MESSAGE_REJECTED, tr, "hint.message.policy", provider);
    }
    return new Verdict(FailureCategory.MESSAGE_REJECTED, tr, "hint.message.rejected", provider);
  }

  private static Verdict authRequired(int c, String enh, String t, boolean tr, String provider) {
    if (c == 530 || enh.equals("5.7.57") || t.contains("authentication required")
        || t.contains("not authenticated")) {
      if (t.contains("starttls")) {
        return new Verdict(FailureCategory.TLS, tr, "hint.tls.starttls-missing", provider);
      }
      return new Verdict(FailureCategory.AUTHENTICATION, tr, "hint.auth.required", provider);
    }
    return null;
  }

  private static boolean isSendAsDenied(String enh, String t) {
    return enh.equals("5.7.60") || t.contains("sendasdenied") || t.contains("send as this sender")
        || t.contains("send as denied");
  }

  private static boolean isTooLarge(int c, String enh, String t) {
    return c == 552 || enh.equals("5.3.4") || enh.equals("5.2.3") || t.contains("too large")
        || t.contains("too big") || t.contains("exceeds the maximum") || t.contains("size limit");
  }

  private static String describe(Stage stage, FailureCategory category, String detail) {
    boolean d = detail != null && !detail.isEmpty();
    switch (category) {
      case RECIPIENT_REJECTED:
        return d ? "The server refused the recipient " + detail : "The server refused a recipient";
      case SENDER_REJECTED:
        return d ? "The server refused the sender address " + detail : "The server refused the sender address";
      case RATE_LIMITED:
        return "The server is limiting the rate of sending (reply to " + stageName(stage) + ")";
      case AUTHENTICATION:
        return stage == Stage.AUTH ? "Authentication failed" : "The server requires authentication";
      case TLS:
        return stage == Stage.STARTTLS ? "The server refused STARTTLS" : "The server requires encryption";
      case MESSAGE_REJECTED:
        return "The server refused the message";
      case CONNECTION:
        return "The server refused the session";
      default:
        return "The server rejected " + stageName(stage);
    }
  }

  private static String stageName(Stage stage) {
    switch (stage) {
      case GREETING:
        return "the connection";
      case END_OF_DATA:
        return "the end of the message";
      case EHLO:
        return "EHLO";
      default:
        return stage.name();
    }
  }

  private static String or(String a, String b) {
    return a != null ? a : b;
  }

  private static boolean isDigits(String s, int n) {
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return false;
      }
    }
    return true;
  }
}
