package dev.mailroom.cli;

import dev.mailroom.EmailSettings;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mailroom settings}: validates settings (a properties file, including Spring Boot's {@code spring.mail.*} and
 * Quarkus's {@code quarkus.mailer.*} keys, a URL, or options) without connecting anywhere, and prints them
 * normalised, as Mailroom's own keys, with the password and API key masked.
 */
@Command(name = "settings", mixinStandardHelpOptions = true,
    description = "Validate settings from a properties file, a URL or options, without connecting, and print them"
        + " normalised as Mailroom's keys, with secrets masked (******).")
final class SettingsCommand implements Callable<Integer> {
  static final String MASK = "******";

  @ParentCommand
  private MailroomCli parent;

  @Spec
  private CommandSpec spec;

  @Mixin
  private SettingsOptions settings;

  @Option(names = "--json", description = "Print the settings, or the problems, as JSON.")
  private boolean json;

  @Override
  public Integer call() {
    Output out = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    EmailSettings s;
    try {
      s = settings.settings(parent.environment(), null, out, true);
    } catch (SettingsOptions.UsageProblem e) {
      return e.report(out);
    }
    Map<String, String> shown = normalised(s, settings.passwordMissing);
    if (json) {
      out.printJson(g -> {
        g.writeBooleanField("ok", true);
        g.writeObjectFieldStart("settings");
        for (Map.Entry<String, String> e : shown.entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
      });
    } else {
      out.println("The settings are valid" + (settings.passwordMissing
          ? " (the password is not set: give it with --password-env VAR, the properties file or the prompt)." : "."));
      for (Map.Entry<String, String> e : shown.entrySet()) {
        out.println(e.getKey() + "=" + e.getValue());
      }
    }
    return 0;
  }

  /** The settings as Mailroom's property keys, secrets masked, in a stable order. */
  static Map<String, String> normalised(EmailSettings s, boolean passwordMissing) {
    Properties p = s.toProperties(false);
    Map<String, String> m = new TreeMap<>();
    for (String k : p.stringPropertyNames()) {
      m.put(k, p.getProperty(k));
    }
    if (s.password().isPresent() && !passwordMissing) {
      m.put("password", MASK);
    }
    s.apiKey().ifPresent(k -> m.put("api-key", MASK));
    s.oauth2().ifPresent(t -> m.put("oauth2", MASK));
    return m;
  }
}
