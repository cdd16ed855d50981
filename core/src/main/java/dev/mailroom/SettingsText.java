package dev.mailroom;

import dev.mailroom.internal.Text;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Settings to and from URLs and properties. */
final class SettingsText {
  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");
  private static final Pattern DURATION = Pattern.compile("^([0-9]{1,9})(ms|s|m)?$");
  private static final List<String> KEYS = List.of("protocol", "host", "port", "tls-mode", "username",
      "password", "email-address", "sender-name", "copy-to", "reply-to", "verify-tls-certificate",
      "http-server", "http-dialect", "api-key", "connect-timeout", "read-timeout", "preset");
  private static final List<String> URL_PARAMS = List.of("from", "name", "copy-to", "reply-to", "verify-tls",
      "tls", "connect-timeout", "read-timeout", "preset", "dialect", "api-key");

  private SettingsText() {}

  static Properties toProperties(EmailSettings s, boolean includeSecrets) {
    Properties p = new Properties();
    p.setProperty("protocol", s.protocol().name());
    s.preset().ifPresent(x -> p.setProperty("preset", x.id()));
    if (s.protocol() == Protocol.SMTP) {
      p.setProperty("host", s.host().orElseThrow());
      p.setProperty("port", Integer.toString(s.port()));
      if (s.tlsModeExplicit()) {
        p.setProperty("tls-mode", s.tlsMode().name());
      }
    } else {
      p.setProperty("http-server", s.httpServer().orElseThrow().toString());
      s.httpDialect().ifPresent(x -> p.setProperty("http-dialect", x));
    }
    s.username().ifPresent(x -> p.setProperty("username", x));
    s.emailAddress().ifPresent(x -> p.setProperty("email-address", x));
    s.senderName().ifPresent(x -> p.setProperty("sender-name", x));
    s.copyTo().ifPresent(x -> p.setProperty("copy-to", x));
    s.replyTo().ifPresent(x -> p.setProperty("reply-to", x));
    p.setProperty("verify-tls-certificate", Boolean.toString(s.verifyTlsCertificate()));
    p.setProperty("connect-timeout", s.connectTimeout().toString());
    p.setProperty("read-timeout", s.readTimeout().toString());
    if (includeSecrets) {
      s.password().ifPresent(x -> p.setProperty("password", x.reveal()));
      s.apiKey().ifPresent(x -> p.setProperty("api-key", x.reveal()));
    }
    return p;
  }

  static void applyProperties(EmailSettings.Builder b, Properties props, String prefix) {
    Map<String, String> values = new LinkedHashMap<>();
    // Spring Boot's spring.mail.* and Quarkus's quarkus.mailer.* keys, by their full names (EcosystemKeys)
    Map<String, String> spring = new LinkedHashMap<>();
    Map<String, String> quarkus = new LinkedHashMap<>();
    for (String name : props.stringPropertyNames()) {
      if (name.startsWith(prefix) && name.startsWith(EcosystemKeys.SPRING)) {
        spring.put(name.substring(EcosystemKeys.SPRING.length()), props.getProperty(name));
      } else if (name.startsWith(prefix) && name.startsWith(EcosystemKeys.QUARKUS)) {
        quarkus.put(name.substring(EcosystemKeys.QUARKUS.length()), props.getProperty(name));
      }
    }
    // in a whole application file (no prefix) the application's other keys are not mail settings
    boolean applicationFile = prefix.isEmpty() && !(spring.isEmpty() && quarkus.isEmpty());
    for (String name : props.stringPropertyNames()) {
      if (!name.startsWith(prefix) || name.startsWith(EcosystemKeys.SPRING)
          || name.startsWith(EcosystemKeys.QUARKUS)) {
        continue;
      }
      String key = name.substring(prefix.length());
      if (applicationFile && !KEYS.contains(key)) {
        continue;
      }
      if (!KEYS.contains(key)) {
        b.problem(name, SettingsProblem.UNKNOWN, "unknown settings key " + Text.quote(name) + "; known keys: "
            + String.join(", ", KEYS) + " (or Spring Boot's spring.mail.* and Quarkus's quarkus.mailer.* keys)");
      } else {
        values.put(key, props.getProperty(name));
      }
    }
    if (!spring.isEmpty()) {
      EcosystemKeys.applySpring(b, spring);
    }
    if (!quarkus.isEmpty()) {
      EcosystemKeys.applyQuarkus(b, quarkus);
    }
    String preset = values.remove("preset");
    if (preset != null && !preset.isBlank()) {
      applyPreset(b, "preset", preset);
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      String v = e.getValue();
      switch (e.getKey()) {
        case "protocol" -> {
          try {
            b.protocol(v.isBlank() ? null : Protocol.valueOf(v.strip().toUpperCase(Locale.ROOT)));
          } catch (IllegalArgumentException ex) {
            b.problem("protocol", SettingsProblem.INVALID, "protocol must be SMTP or HTTP: " + Text.quote(v));
          }
        }
        case "host" -> b.host(v);
        case "port" -> applyPort(b, "port", v);
        case "tls-mode" -> {
          try {
            b.tlsMode(v.isBlank() ? null : TlsMode.valueOf(v.strip().toUpperCase(Locale.ROOT)));
          } catch (IllegalArgumentException ex) {
            b.problem("tlsMode", SettingsProblem.INVALID,
                "tls-mode must be IMPLICIT, STARTTLS or NONE: " + Text.quote(v));
          }
        }
        case "username" -> b.username(v);
        case "password" -> b.password(v);
        case "email-address" -> b.emailAddress(v);
        case "sender-name" -> b.senderName(v);
        case "copy-to" -> b.copyTo(v);
        case "reply-to" -> b.replyTo(v);
        case "verify-tls-certificate" -> applyBoolean(b, "verifyTlsCertificate", "verify-tls-certificate", v);
        case "http-server" -> b.httpServer(v);
        case "http-dialect" -> b.httpDialect(v);
        case "api-key" -> b.apiKey(v);
        case "connect-timeout" -> applyDuration(b, "connectTimeout", "connect-timeout", v, true);
        case "read-timeout" -> applyDuration(b, "readTimeout", "read-timeout", v, false);
        default -> throw new AssertionError(e.getKey());
      }
    }
  }

  static void applyUrl(EmailSettings.Builder b, String url) {
    String u = url.strip();
    Matcher m = SCHEME.matcher(u);
    if (!m.find()) {
      // not echoed: the text may hold a password
      b.problem("url", SettingsProblem.INVALID, "url must start with smtp://, smtps://, https:// or http://");
      return;
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "smtp", "smtps" -> applySmtpUrl(b, scheme, u.substring(m.end()));
      case "https", "http" -> applyHttpUrl(b, u);
      default -> b.problem("url", SettingsProblem.INVALID, "url scheme must be smtp, smtps, https or http, not "
          + Text.quote(scheme));
    }
  }

  private static void applySmtpUrl(EmailSettings.Builder b, String scheme, String rest) {
    int end = indexOfAny(rest, "/?#");
    String authority = end < 0 ? rest : rest.substring(0, end);
    String tail = end < 0 ? "" : rest.substring(end);
    String query = "";
    if (tail.startsWith("/")) {
      int q = indexOfAny(tail, "?#");
      String path = q < 0 ? tail : tail.substring(0, q);
      if (!path.equals("/")) {
        // not echoed: in a malformed url the "path" may hold the password
        b.problem("url", SettingsProblem.INVALID, "an SMTP url has no path: remove everything between the"
            + " host (or port) and '?'");
      }
      tail = q < 0 ? "" : tail.substring(q);
    }
    if (tail.startsWith("?")) {
      int hash = tail.indexOf('#');
      query = hash < 0 ? tail.substring(1) : tail.substring(1, hash);
    }
    b.protocol(Protocol.SMTP);
    Map<String, String> params = parseQuery(b, query);
    for (String k : params.keySet()) {
      if (!URL_PARAMS.contains(k) || k.equals("dialect") || k.equals("api-key")) {
        // the name is only echoed when it looks like a parameter name, never like a password
        boolean plain = k.matches("[a-z0-9_.-]{1,30}");
        b.problem("url", SettingsProblem.UNKNOWN, "unknown url parameter" + (plain ? " " + Text.quote(k) : "")
            + "; known: from, name, copy-to, reply-to, verify-tls, tls, connect-timeout, read-timeout, preset");
      }
    }
    if (params.containsKey("preset")) {
      applyPreset(b, "url", params.get("preset"));
    }
    int at = authority.lastIndexOf('@');
    String hostPort = authority;
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      hostPort = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
      b.username(decode(b, user));
      if (colon >= 0) {
        b.password(decode(b, userInfo.substring(colon + 1)));
      }
    }
    String host = hostPort;
    String port = null;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      host = close < 0 ? hostPort : hostPort.substring(1, close);
      if (close >= 0 && close + 1 < hostPort.length() && hostPort.charAt(close + 1) == ':') {
        port = hostPort.substring(close + 2);
      }
    } else if (hostPort.indexOf(':') >= 0) {
      host = hostPort.substring(0, hostPort.indexOf(':'));
      port = hostPort.substring(hostPort.indexOf(':') + 1);
    }
    if (!host.isEmpty() || !params.containsKey("preset")) {
      b.host(decode(b, host));
    }
    if (port != null) {
      try {
        b.port(Integer.parseInt(port.strip()));
      } catch (NumberFormatException e) {
        b.portText(port);
        // not echoed: in a malformed url the "port" may be a password
        b.problem("port", SettingsProblem.INVALID, "port must be a number between 1 and 65535 in the url");
      }
    } else if (!params.containsKey("preset")) {
      b.port(scheme.equals("smtps") ? 465 : 587);
    }
    if (scheme.equals("smtps")) {
      b.tlsMode(TlsMode.IMPLICIT);
    }
    applyCommon(b, params);
  }

  private static void applyHttpUrl(EmailSettings.Builder b, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      b.problem("url", SettingsProblem.INVALID, "url is not valid (" + e.getReason() + ")");
      return;
    }
    b.protocol(Protocol.HTTP);
    Map<String, String> params = parseQuery(b, uri.getRawQuery() == null ? "" : uri.getRawQuery());
    StringBuilder rest = new StringBuilder();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String k = pair.indexOf('=') < 0 ? pair : pair.substring(0, pair.indexOf('='));
        if (!URL_PARAMS.contains(k) && !pair.isEmpty()) {
          rest.append(rest.length() == 0 ? "" : "&").append(pair);
        }
      }
    }
    String server = uri.getScheme() + "://" + (uri.getRawAuthority() == null ? "" : uri.getRawAuthority())
        + (uri.getRawPath() == null ? "" : uri.getRawPath()) + (rest.length() == 0 ? "" : "?" + rest);
    b.httpServer(server);
    if (params.containsKey("preset")) {
      b.problem("url", SettingsProblem.INVALID, "presets are for SMTP; remove the preset parameter");
    }
    if (params.containsKey("dialect")) {
      b.httpDialect(params.get("dialect"));
    }
    if (params.containsKey("api-key")) {
      b.apiKey(params.get("api-key"));
    }
    applyCommon(b, params);
  }

  private static void applyCommon(EmailSettings.Builder b, Map<String, String> params) {
    if (params.containsKey("from")) {
      b.emailAddress(params.get("from"));
    }
    if (params.containsKey("name")) {
      b.senderName(params.get("name"));
    }
    if (params.containsKey("copy-to")) {
      b.copyTo(params.get("copy-to"));
    }
    if (params.containsKey("reply-to")) {
      b.replyTo(params.get("reply-to"));
    }
    if (params.containsKey("verify-tls")) {
      applyBoolean(b, "verifyTlsCertificate", "verify-tls", params.get("verify-tls"));
    }
    if (params.containsKey("tls")) {
      String v = params.get("tls").toUpperCase(Locale.ROOT);
      try {
        b.tlsMode(TlsMode.valueOf(v));
      } catch (IllegalArgumentException e) {
        b.problem("tlsMode", SettingsProblem.INVALID, "tls must be implicit, starttls or none: "
            + Text.quote(params.get("tls")));
      }
    }
    if (params.containsKey("connect-timeout")) {
      applyDuration(b, "connectTimeout", "connect-timeout", params.get("connect-timeout"), true);
    }
    if (params.containsKey("read-timeout")) {
      applyDuration(b, "readTimeout", "read-timeout", params.get("read-timeout"), false);
    }
  }

  private static Map<String, String> parseQuery(EmailSettings.Builder b, String query) {
    Map<String, String> params = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return params;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(b, eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
      String v = eq < 0 ? "" : decode(b, pair.substring(eq + 1));
      if (URL_PARAMS.contains(k) && params.containsKey(k)) {
        b.problem("url", SettingsProblem.INVALID, "url parameter " + Text.quote(k) + " is given twice");
      }
      params.put(k, v);
    }
    return params;
  }

  private static void applyPreset(EmailSettings.Builder b, String field, String id) {
    Presets.byId(id).ifPresentOrElse(b::preset, () -> b.problem(field, SettingsProblem.UNKNOWN,
        "unknown preset " + Text.quote(id) + "; see Presets.all() for the ids"));
  }

  static void applyPort(EmailSettings.Builder b, String field, String v) {
    try {
      b.port(Integer.parseInt(v.strip()));
    } catch (NumberFormatException e) {
      b.portText(v);
      b.problem(field, SettingsProblem.INVALID, "port must be a number between 1 and 65535: " + Text.quote(v));
    }
  }

  private static void applyBoolean(EmailSettings.Builder b, String field, String key, String v) {
    String s = v.strip().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      b.verifyTlsCertificate(Boolean.parseBoolean(s));
    } else {
      b.problem(field, SettingsProblem.INVALID, key + " must be true or false: " + Text.quote(v));
    }
  }

  private static void applyDuration(EmailSettings.Builder b, String field, String key, String v, boolean connect) {
    Duration d = parseDuration(v);
    if (d == null) {
      b.problem(field, SettingsProblem.INVALID, key + " must be a duration such as 10s, 500ms, 2m or PT30S: "
          + Text.quote(v));
    } else if (connect) {
      b.connectTimeout(d);
    } else {
      b.readTimeout(d);
    }
  }

  static Duration parseDuration(String v) {
    String s = v.strip();
    Matcher m = DURATION.matcher(s.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      };
    }
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Percent-decodes UTF-8; '+' stays a plus (it is common in email addresses). */
  private static String decode(EmailSettings.Builder b, String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); ) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          b.problem("url", SettingsProblem.INVALID, "url has a '%' that is not followed by two hex digits");
          return s;
        }
        out.write(hi * 16 + lo);
        i += 3;
      } else {
        int cp = s.codePointAt(i);
        byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        i += Character.charCount(cp);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  static List<String> keys() {
    return new ArrayList<>(KEYS);
  }
}
