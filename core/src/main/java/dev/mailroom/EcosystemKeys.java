package dev.mailroom;

import dev.mailroom.internal.Text;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the mail settings that applications already have: Spring Boot's {@code spring.mail.*} and Quarkus's
 * {@code quarkus.mailer.*} keys, so a configuration moves unchanged. Every key is honoured or reported as a problem
 * with its full name; nothing is dropped silently.
 */
final class EcosystemKeys {
  /** Spring Boot's prefix ({@code MailProperties}). */
  static final String SPRING = "spring.mail.";
  /** Quarkus's prefix (the default mailer of {@code quarkus-mailer}). */
  static final String QUARKUS = "quarkus.mailer.";

  /** The Spring Boot keys Mailroom reads, relative to {@link #SPRING}. */
  static final List<String> SPRING_KEYS = List.of("host", "port", "username", "password", "protocol",
      "default-encoding", "test-connection", "properties.mail.smtp.auth", "properties.mail.smtp.starttls.enable",
      "properties.mail.smtp.starttls.required", "properties.mail.smtp.ssl.enable",
      "properties.mail.smtp.connectiontimeout", "properties.mail.smtp.timeout", "properties.mail.smtp.writetimeout");
  /** The Quarkus keys Mailroom reads, relative to {@link #QUARKUS}. */
  static final List<String> QUARKUS_KEYS = List.of("host", "port", "username", "password", "from", "tls", "start-tls",
      "mock");

  private static final Pattern NAMED_ADDRESS = Pattern.compile("^\\s*(.*?)\\s*<([^<>]+)>\\s*$");

  private EcosystemKeys() {}

  /** Applies {@code spring.mail.*} keys (given relative to the prefix). */
  static void applySpring(EmailSettings.Builder b, Map<String, String> keys) {
    b.protocol(Protocol.SMTP);
    for (Map.Entry<String, String> e : keys.entrySet()) {
      if (!SPRING_KEYS.contains(e.getKey())) {
        String name = SPRING + e.getKey();
        b.problem(name, SettingsProblem.UNKNOWN, (e.getKey().startsWith("properties.")
            ? "Mailroom does not support the Jakarta Mail property " + Text.quote(name)
            : "Mailroom does not support the Spring Boot key " + Text.quote(name))
            + ": remove it; supported: " + SPRING + String.join(", " + SPRING, SPRING_KEYS));
      }
    }
    applyServerAndLogin(b, SPRING, keys);
    String v;
    if ((v = keys.get("default-encoding")) != null && !v.strip().equalsIgnoreCase("UTF-8")) {
      b.problem(SPRING + "default-encoding", SettingsProblem.INVALID, "Mailroom always writes UTF-8: remove "
          + SPRING + "default-encoding or set it to UTF-8, not " + Text.quote(v));
    }
    Boolean testConnection = bool(b, SPRING + "test-connection", keys.get("test-connection"));
    if (Boolean.TRUE.equals(testConnection)) {
      b.problem(SPRING + "test-connection", SettingsProblem.UNKNOWN, "Mailroom does not test the connection at"
          + " start-up: remove " + SPRING + "test-connection and run the diagnostics (ConnectionDiagnostics, or"
          + " mailroom check) instead");
    }
    boolean ssl = false;
    if ((v = keys.get("protocol")) != null) {
      switch (v.strip().toLowerCase(Locale.ROOT)) {
        case "smtp" -> { }
        case "smtps" -> ssl = true;
        default -> b.problem(SPRING + "protocol", SettingsProblem.INVALID, SPRING + "protocol must be smtp or"
            + " smtps: " + Text.quote(v));
      }
    }
    String smtp = "properties.mail.smtp.";
    Boolean auth = bool(b, SPRING + smtp + "auth", keys.get(smtp + "auth"));
    if (Boolean.FALSE.equals(auth) && keys.get("username") != null) {
      b.problem(SPRING + smtp + "auth", SettingsProblem.CONFLICT, SPRING + smtp + "auth is false but "
          + SPRING + "username is set: Mailroom signs in whenever there is a username; remove one of them");
    } else if (Boolean.TRUE.equals(auth) && keys.get("username") == null) {
      b.problem(SPRING + "username", SettingsProblem.REQUIRED, SPRING + smtp + "auth is true: set "
          + SPRING + "username (and the password)");
    }
    Boolean sslEnable = bool(b, SPRING + smtp + "ssl.enable", keys.get(smtp + "ssl.enable"));
    Boolean starttls = bool(b, SPRING + smtp + "starttls.enable", keys.get(smtp + "starttls.enable"));
    Boolean starttlsRequired = bool(b, SPRING + smtp + "starttls.required", keys.get(smtp + "starttls.required"));
    if (ssl || Boolean.TRUE.equals(sslEnable)) {
      b.tlsMode(TlsMode.IMPLICIT);
    } else if (Boolean.TRUE.equals(starttls) || Boolean.TRUE.equals(starttlsRequired)) {
      b.tlsMode(TlsMode.STARTTLS); // Mailroom always requires STARTTLS once chosen: never a plain-text fallback
    } else if (Boolean.FALSE.equals(starttls) || Boolean.FALSE.equals(sslEnable)) {
      b.tlsMode(TlsMode.NONE);
    }
    Duration connect = millis(b, SPRING + smtp + "connectiontimeout", keys.get(smtp + "connectiontimeout"));
    if (connect != null) {
      b.connectTimeout(connect);
    }
    Duration read = millis(b, SPRING + smtp + "timeout", keys.get(smtp + "timeout"));
    Duration write = millis(b, SPRING + smtp + "writetimeout", keys.get(smtp + "writetimeout"));
    if (read != null && write != null && !read.equals(write)) {
      b.problem(SPRING + smtp + "writetimeout", SettingsProblem.CONFLICT, "Mailroom applies one timeout to every"
          + " read and write: set " + SPRING + smtp + "writetimeout equal to " + SPRING + smtp + "timeout ("
          + read.toMillis() + "), or remove it");
    } else if (read != null || write != null) {
      b.readTimeout(read != null ? read : write);
    }
  }

  /** Applies {@code quarkus.mailer.*} keys (given relative to the prefix). */
  static void applyQuarkus(EmailSettings.Builder b, Map<String, String> keys) {
    b.protocol(Protocol.SMTP);
    for (Map.Entry<String, String> e : keys.entrySet()) {
      if (!QUARKUS_KEYS.contains(e.getKey())) {
        String name = QUARKUS + e.getKey();
        b.problem(name, SettingsProblem.UNKNOWN, "Mailroom does not support the Quarkus key " + Text.quote(name)
            + ": remove it; supported: " + QUARKUS + String.join(", " + QUARKUS, QUARKUS_KEYS));
      }
    }
    applyServerAndLogin(b, QUARKUS, keys);
    String v;
    if ((v = keys.get("from")) != null) {
      Matcher m = NAMED_ADDRESS.matcher(v);
      if (m.matches()) {
        String name = m.group(1).replaceAll("^\"|\"$", "");
        if (!name.isBlank()) {
          b.senderName(name);
        }
        b.emailAddress(m.group(2).strip());
      } else {
        b.emailAddress(v.strip());
      }
    }
    if (Boolean.TRUE.equals(bool(b, QUARKUS + "mock", keys.get("mock")))) {
      b.problem(QUARKUS + "mock", SettingsProblem.UNKNOWN, "Mailroom has no mock mode that pretends to send:"
          + " remove " + QUARKUS + "mock and use mailroom-testkit (MailroomSmtpServer or RecordingSenderProvider)"
          + " in tests");
    }
    Boolean tls = bool(b, QUARKUS + "tls", keys.get("tls"));
    String startTls = keys.get("start-tls");
    String mode = startTls == null ? null : startTls.strip().toUpperCase(Locale.ROOT);
    if (mode != null && !List.of("DISABLED", "OPTIONAL", "REQUIRED").contains(mode)) {
      b.problem(QUARKUS + "start-tls", SettingsProblem.INVALID, QUARKUS + "start-tls must be DISABLED, OPTIONAL or"
          + " REQUIRED: " + Text.quote(startTls));
      mode = null;
    }
    if (Boolean.TRUE.equals(tls)) {
      b.tlsMode(TlsMode.IMPLICIT);
    } else if ("REQUIRED".equals(mode) || "OPTIONAL".equals(mode)) {
      b.tlsMode(TlsMode.STARTTLS); // OPTIONAL too: Mailroom never falls back to plain text
    } else if ("DISABLED".equals(mode)) {
      b.tlsMode(TlsMode.NONE);
    }
  }

  /** host, port, username and password: the same four keys in both ecosystems. */
  private static void applyServerAndLogin(EmailSettings.Builder b, String prefix, Map<String, String> keys) {
    String v;
    if ((v = keys.get("host")) != null) {
      b.host(v);
    }
    if ((v = keys.get("port")) != null) {
      SettingsText.applyPort(b, prefix + "port", v);
    }
    if ((v = keys.get("username")) != null) {
      b.username(v);
    }
    if ((v = keys.get("password")) != null) {
      b.password(v);
    }
  }

  private static Boolean bool(EmailSettings.Builder b, String name, String v) {
    if (v == null) {
      return null;
    }
    String s = v.strip().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.valueOf(s);
    }
    b.problem(name, SettingsProblem.INVALID, name + " must be true or false: " + Text.quote(v));
    return null;
  }

  /** Jakarta Mail's timeouts: whole milliseconds. */
  private static Duration millis(EmailSettings.Builder b, String name, String v) {
    if (v == null) {
      return null;
    }
    try {
      long ms = Long.parseLong(v.strip());
      if (ms > 0) {
        return Duration.ofMillis(ms);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    b.problem(name, SettingsProblem.INVALID, name + " must be a number of milliseconds above 0 (Jakarta Mail has"
        + " no timeout for 0, Mailroom always has one): " + Text.quote(v));
    return null;
  }
}
