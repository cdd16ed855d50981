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
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** The settings options shared by {@code check} and {@code send}. */
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

  /** Thrown for settings the command line cannot use; exit code 2. */
  static final class UsageProblem extends Exception {
    private static final long serialVersionUID = 1L;

    UsageProblem(String message) {
      super(message);
    }
  }

  EmailSettings settings(Function<String, String> env, Console console) throws UsageProblem {
    EmailSettings.Builder b = EmailSettings.builder();
    // SMTP unless an HTTP server is given; a properties file or URL may say otherwise
    b.protocol(httpServer != null ? Protocol.HTTP : Protocol.SMTP);
    if (properties != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(properties, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new UsageProblem("cannot read " + properties + ": " + e.getMessage());
      }
      b.properties(p, prefix);
    }
    if (url != null) {
      if (hasPassword(url.strip())) {
        throw new UsageProblem("--url must not contain a password (command lines end up in shell history and"
            + " process lists): use --password-env VAR or type it at the prompt");
      }
      b.url(url.strip());
    }
    if (preset != null) {
      ProviderPreset p = Presets.byId(preset)
          .orElseThrow(() -> new UsageProblem("unknown preset " + preset + "; see: mailroom presets"));
      b.preset(p);
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
      b.connectTimeout(duration("--connect-timeout", connectTimeout));
    }
    if (readTimeout != null) {
      b.readTimeout(duration("--read-timeout", readTimeout));
    }
    if (apiKeyEnv != null) {
      b.apiKey(Secret.of(fromEnv(env, apiKeyEnv, "--api-key-env")));
    }
    EmailSettings first;
    try {
      first = b.build();
      if (passwordEnv != null) {
        return b.password(Secret.of(fromEnv(env, passwordEnv, "--password-env"))).build();
      }
      return first;
    } catch (InvalidSettingsException e) {
      if (!needsPassword(e)) {
        throw new UsageProblem(describe(e));
      }
    }
    // a username without a password: from the environment or a prompt, never from an argument
    String secret;
    if (passwordEnv != null) {
      secret = fromEnv(env, passwordEnv, "--password-env");
    } else if (console != null) {
      String login;
      try {
        login = b.password(Secret.of("-")).build().username().orElse("the login");
      } catch (InvalidSettingsException e) {
        throw new UsageProblem(describe(e));
      }
      char[] typed = console.readPassword("Password for %s: ", login);
      if (typed == null || typed.length == 0) {
        throw new UsageProblem("no password entered");
      }
      secret = new String(typed);
      java.util.Arrays.fill(typed, '\0');
    } else {
      throw new UsageProblem("a password is needed: name an environment variable that holds it with"
          + " --password-env VAR (there is no console to ask)");
    }
    try {
      return b.password(Secret.of(secret)).build();
    } catch (InvalidSettingsException e) {
      throw new UsageProblem(describe(e));
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

  private static boolean needsPassword(InvalidSettingsException e) {
    return e.problems().size() == 1 && e.problems().get(0).field().equals("password")
        && e.problems().get(0).code().equals(SettingsProblem.REQUIRED);
  }

  static String describe(InvalidSettingsException e) {
    StringBuilder b = new StringBuilder("The settings are not valid:");
    for (SettingsProblem p : e.problems()) {
      b.append("\n  ").append(p.field()).append(": ").append(p.message());
    }
    return b.toString();
  }

  private static String fromEnv(Function<String, String> env, String var, String option) throws UsageProblem {
    String v = env.apply(var);
    if (v == null || v.isEmpty()) {
      throw new UsageProblem(option + ": the environment variable " + var + " is not set");
    }
    return v;
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
      throw new UsageProblem(option + " must be a duration such as 10s, 500ms or PT1M: " + text);
    }
  }
}
