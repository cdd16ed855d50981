package dev.mailroom.cli;

import dev.mailroom.EmailSettings;
import dev.mailroom.InvalidSettingsException;
import dev.mailroom.Presets;
import dev.mailroom.Protocol;
import dev.mailroom.ProviderPreset;
import dev.mailroom.Secret;
import dev.mailroom.SettingsProblem;
import dev.mailroom.TlsMode;
import java.io.Console;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** The settings options shared by {@code check}, {@code send} and {@code settings}. */
final class SettingsOptions {
  @Option(names = "--url", paramLabel = "URL",
      description = "Settings as a URL, e.g. smtp://user@smtp.example.com:587?from=billing@example.com or"
          + " smtps://user@host:465 (no password in the URL: use --password-env).")
  String url;

  @Option(names = "--properties", paramLabel = "FILE", description = "Settings from a properties file.")
  Path properties;

  @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = "",
      description = "Key prefix in the properties file, e.g. mail.")
  String prefix;

  @Option(names = "--preset", paramLabel = "ID", description = "A provider preset, e.g. gmail, office365.")
  String preset;

  @Option(names = "--protocol", paramLabel = "SMTP|HTTP", description = "SMTP or HTTP.")
  Protocol protocol;

  @Option(names = "--host", paramLabel = "HOST", description = "The SMTP server.")
  String host;

  @Option(names = "--port", paramLabel = "PORT", description = "The SMTP port: 465 (SSL/TLS) or 587 (STARTTLS).")
  Integer port;

  @Option(names = "--tls", paramLabel = "MODE", description = "implicit, starttls or none.")
  TlsMode tls;

  @Option(names = "--user", paramLabel = "NAME", description = "The username.")
  String user;

  @Option(names = "--from", paramLabel = "ADDRESS",
      description = "The sender address, when the username is not an email address.")
  String from;

  @Option(names = "--name", paramLabel = "NAME", description = "The sender's name, e.g. the business name.")
  String name;

  @Option(names = "--copy-to", paramLabel = "ADDRESS", description = "Send a copy of every email to this address.")
  String copyTo;

  @Option(names = "--reply-to", paramLabel = "ADDRESS", description = "Replies go to this address.")
  String replyTo;

  @Option(names = "--no-verify-tls", description = "Do not verify the TLS certificate (only for your own server).")
  boolean noVerifyTls;

  @Option(names = "--http-server", paramLabel = "URL", description = "The HTTP mail service URL.")
  String httpServer;

  @Option(names = "--dialect", paramLabel = "ID", description = "The HTTP dialect: form, sendgrid, mailgun...")
  String dialect;

  @Option(names = "--password-env", paramLabel = "VAR",
      description = "The environment variable that holds the password.")
  String passwordEnv;

  @Option(names = "--api-key-env", paramLabel = "VAR",
      description = "The environment variable that holds the HTTP API key.")
  String apiKeyEnv;

  @Option(names = "--connect-timeout", paramLabel = "DURATION", description = "e.g. 10s, 500ms.")
  String connectTimeout;

  @Option(names = "--read-timeout", paramLabel = "DURATION", description = "e.g. 30s.")
  String readTimeout;

  @Option(names = "--strict",
      description = "Refuse (exit code 2), instead of warning about, a properties file that holds a password or"
          + " API key and can be read by group or others.")
  boolean strict;

  private static final String NO_PASSWORD = "a password is needed: name an environment variable that holds it with"
      + " --password-env VAR, put it in the --properties file, or run in a terminal to be asked (there is no"
      + " console to ask)";

  /** Thrown for settings the command line cannot use; exit code 2. */
  static final class UsageProblem extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<SettingsProblem> problems;

    UsageProblem(String field, String code, String message) {
      this(List.of(new SettingsProblem(field, code, message)));
    }

    UsageProblem(List<SettingsProblem> problems) {
      super(problems.get(0).message());
      this.problems = List.copyOf(problems);
    }

    List<SettingsProblem> problems() {
      return problems;
    }

    /** Reports the problems (exit code 2). */
    int report(Output out) {
      return out.problems(problems.size() == 1 && !isSettingsField(problems.get(0).field()) ? null
          : "The settings are not valid:", problems);
    }

    private static boolean isSettingsField(String field) {
      return !field.startsWith("--");
    }
  }

  /** The settings, with the password from the environment, the file or a prompt. */
  EmailSettings settings(Function<String, String> env, Console console, Output out) throws UsageProblem {
    return settings(env, console, out, false);
  }

  /**
   * The settings; with {@code passwordOptional} a missing password is no problem (then the settings hold a
   * placeholder, and {@link #passwordMissing} is true): {@code mailroom settings} validates without asking.
   */
  EmailSettings settings(Function<String, String> env, Console console, Output out, boolean passwordOptional)
      throws UsageProblem {
    List<SettingsProblem> problems = new ArrayList<>();
    EmailSettings.Builder b = EmailSettings.builder();
    // SMTP unless an HTTP server is given; a properties file or URL may say otherwise
    b.protocol(httpServer != null ? Protocol.HTTP : Protocol.SMTP);
    if (properties != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(properties, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException | IllegalArgumentException e) {
        throw new UsageProblem("--properties", SettingsProblem.INVALID, "cannot read the properties file "
            + properties + " (" + e.getClass().getSimpleName() + "): check the path and that it is a readable"
            + " properties file in UTF-8");
      }
      secretFileCheck(p, problems, out);
      b.properties(p, prefix);
    }
    if (url != null) {
      String u = url.strip();
      if (hasPassword(u)) {
        problems.add(new SettingsProblem("--url", SettingsProblem.INSECURE, "--url must not contain a password"
            + " (command lines end up in shell history and process lists): use --password-env VAR or type it at"
            + " the prompt"));
      } else if (hasSecretParameter(u)) {
        problems.add(new SettingsProblem("--url", SettingsProblem.INSECURE, "--url must not contain an API key,"
            + " token or secret (command lines end up in shell history and process lists): remove it from the"
            + " URL and use --api-key-env VAR"));
      } else {
        b.url(u);
      }
    }
    if (preset != null) {
      Optional<ProviderPreset> p = Presets.byId(preset);
      if (p.isEmpty()) {
        problems.add(new SettingsProblem("--preset", SettingsProblem.UNKNOWN,
            "unknown preset " + preset + "; run: mailroom presets"));
      } else {
        b.preset(p.get());
      }
    }
    if (protocol != null) {
      b.protocol(protocol);
    }
    if (host != null) {
      b.host(host);
    }
    if (port != null) {
      b.port(port);
    }
    if (tls != null) {
      b.tlsMode(tls);
    }
    if (user != null) {
      b.username(user);
    }
    if (from != null) {
      b.emailAddress(from);
    }
    if (name != null) {
      b.senderName(name);
    }
    if (copyTo != null) {
      b.copyTo(copyTo);
    }
    if (replyTo != null) {
      b.replyTo(replyTo);
    }
    if (noVerifyTls) {
      b.verifyTlsCertificate(false);
    }
    if (httpServer != null) {
      b.httpServer(httpServer);
    }
    if (dialect != null) {
      b.httpDialect(dialect);
    }
    if (connectTimeout != null) {
      duration("--connect-timeout", connectTimeout, problems).ifPresent(b::connectTimeout);
    }
    if (readTimeout != null) {
      duration("--read-timeout", readTimeout, problems).ifPresent(b::readTimeout);
    }
    if (apiKeyEnv != null) {
      fromEnv(env, apiKeyEnv, "--api-key-env", problems).ifPresent(k -> b.apiKey(Secret.of(k)));
    }
    boolean passwordGiven = false;
    if (passwordEnv != null) {
      Optional<String> pw = fromEnv(env, passwordEnv, "--password-env", problems);
      pw.ifPresent(v -> b.password(Secret.of(v)));
      passwordGiven = true; // named: a missing variable is its own problem, not "password is required"
    }
    List<SettingsProblem> invalid = validate(b);
    boolean needsPassword = invalid.stream().anyMatch(SettingsOptions::isPasswordRequired);
    boolean askable = !passwordGiven && console != null && !passwordOptional;
    if (needsPassword) {
      // the password will come (or, for a check of the settings alone, need not): not a problem of the settings;
      // otherwise say where a password can come from
      invalid.removeIf(SettingsOptions::isPasswordRequired);
      if (!passwordGiven && !askable && !passwordOptional) {
        invalid.add(new SettingsProblem("password", SettingsProblem.REQUIRED, NO_PASSWORD));
      }
    }
    problems.addAll(invalid);
    if (!problems.isEmpty()) {
      throw new UsageProblem(problems);
    }
    if (!needsPassword || passwordGiven) {
      return b.build();
    }
    if (passwordOptional) {
      passwordMissing = true;
      return b.password(Secret.of("-")).build();
    }
    String login = b.password(Secret.of("-")).build().username().orElse("the login");
    char[] typed = console.readPassword("Password for %s: ", login);
    if (typed == null || typed.length == 0) {
      throw new UsageProblem("password", SettingsProblem.REQUIRED, "no password entered");
    }
    String secret = new String(typed);
    java.util.Arrays.fill(typed, '\0');
    try {
      return b.password(Secret.of(secret)).build();
    } catch (InvalidSettingsException e) {
      throw new UsageProblem(e.problems());
    }
  }

  /** Set by {@link #settings(Function, Console, Output, boolean)} when no password was given. */
  boolean passwordMissing;

  private static List<SettingsProblem> validate(EmailSettings.Builder b) {
    try {
      b.build();
      return new ArrayList<>();
    } catch (InvalidSettingsException e) {
      return new ArrayList<>(e.problems());
    }
  }

  private static boolean isPasswordRequired(SettingsProblem p) {
    return p.field().equals("password") && p.code().equals(SettingsProblem.REQUIRED);
  }

  /**
   * A properties file holding a password or API key must be readable by its owner only (as msmtp and ssh
   * insist): otherwise a warning, or with --strict a problem.
   */
  private void secretFileCheck(Properties p, List<SettingsProblem> problems, Output out) {
    boolean holdsSecret = p.stringPropertyNames().stream().anyMatch(k -> {
      String key = k.toLowerCase(Locale.ROOT);
      return key.endsWith("password") || key.endsWith("api-key") || key.endsWith("apikey")
          || key.endsWith("secret") || key.endsWith("token");
    });
    if (!holdsSecret) {
      return;
    }
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(properties);
    } catch (UnsupportedOperationException | IOException e) {
      return; // not a POSIX file system: nothing to check
    }
    List<String> who = new ArrayList<>();
    if (perms.contains(PosixFilePermission.GROUP_READ)) {
      who.add("its group");
    }
    if (perms.contains(PosixFilePermission.OTHERS_READ)) {
      who.add("everyone");
    }
    if (who.isEmpty()) {
      return;
    }
    String message = properties + " holds a password or API key and can be read by " + String.join(" and ", who)
        + " (" + PosixFilePermissions.toString(perms) + "): run chmod 600 " + properties;
    if (strict) {
      problems.add(new SettingsProblem("--properties", SettingsProblem.INSECURE, message));
    } else {
      out.warn(message + " (--strict refuses such a file)");
    }
  }

  /** Whether a settings URL carries a password ({@code scheme://user:password@host}). */
  static boolean hasPassword(String url) {
    int start = url.indexOf("://");
    if (start < 0) {
      return false;
    }
    int at = url.indexOf('@', start + 3);
    if (at < 0) {
      return false;
    }
    String userInfo = url.substring(start + 3, at);
    if (userInfo.indexOf('?') >= 0 || userInfo.indexOf('#') >= 0) {
      return false; // the '@' is in the query, e.g. ?from=billing@acme.example
    }
    if (userInfo.indexOf(':') >= 0) {
      return true;
    }
    try {
      return EmailSettings.builder().url(url).build().password().isPresent();
    } catch (InvalidSettingsException e) {
      return e.problems().stream()
          .anyMatch(p -> p.field().equals("password") && !p.code().equals(SettingsProblem.REQUIRED));
    }
  }

  /** Whether the query of a settings URL names an API key, token, secret or password parameter. */
  static boolean hasSecretParameter(String url) {
    int q = url.indexOf('?');
    if (q < 0) {
      return false;
    }
    int hash = url.indexOf('#', q);
    for (String pair : url.substring(q + 1, hash < 0 ? url.length() : hash).split("&")) {
      int eq = pair.indexOf('=');
      String n = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
      if (n.endsWith("key") || n.endsWith("token") || n.endsWith("secret") || n.endsWith("password")
          || n.equals("pass") || n.equals("pw") || n.equals("pwd") || n.equals("auth") || n.equals("sig")) {
        return true;
      }
    }
    return false;
  }

  private static Optional<String> fromEnv(Function<String, String> env, String var, String option,
      List<SettingsProblem> problems) {
    String v = env.apply(var);
    if (v == null || v.isEmpty()) {
      problems.add(new SettingsProblem(option, SettingsProblem.REQUIRED, "the environment variable " + var
          + " is not set: export " + var + "=... first, or name another variable"));
      return Optional.empty();
    }
    return Optional.of(v);
  }

  static Optional<Duration> duration(String option, String text, List<SettingsProblem> problems) {
    try {
      return Optional.of(duration(option, text));
    } catch (UsageProblem e) {
      problems.addAll(e.problems());
      return Optional.empty();
    }
  }

  static Duration duration(String option, String text) throws UsageProblem {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("pt")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(t));
    } catch (RuntimeException e) {
      throw new UsageProblem(option, SettingsProblem.INVALID,
          option + " must be a duration such as 10s, 500ms or PT1M: " + text);
    }
  }
}
