package dev.mailroom.cli;

import dev.mailroom.EmailSettings;
import dev.mailroom.SettingsProblem;
import dev.mailroom.diagnostics.ConnectionDiagnostics;
import dev.mailroom.diagnostics.DiagnosticOptions;
import dev.mailroom.diagnostics.DiagnosticReport;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mailroom check}: the "Test email settings" diagnostics. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Test email settings step by step, like the settings form's button. Sends a test email only"
        + " with --to.")
final class CheckCommand implements Callable<Integer> {
  @ParentCommand
  private MailroomCli parent;

  @Spec
  private CommandSpec spec;

  @Mixin
  private SettingsOptions settings;

  @Option(names = "--to", paramLabel = "ADDRESS", description = "Send a test email to this address.")
  private String to;

  @Option(names = "--json", description = "Print the report, or the problems with the settings, as JSON.")
  private boolean json;

  @Option(names = "--transcript", description = "Include the conversation (passwords shown as ******).")
  private boolean transcript;

  @Option(names = "--lang", paramLabel = "LANG", defaultValue = "en",
      description = "Language of the report: en, bn (Bengali) or sw (Swahili).")
  private String lang;

  @Option(names = "--no-mx", description = "Do not look up the MX records of the sender's domain.")
  private boolean noMx;

  @Option(names = "--no-probe", description = "Do not try the other encryption mode after a port/mode mistake.")
  private boolean noProbe;

  @Override
  public Integer call() {
    Output out = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    EmailSettings s;
    try {
      s = settings.settings(parent.environment(), parent.console(), out);
    } catch (SettingsOptions.UsageProblem e) {
      return e.report(out);
    }
    Locale locale = Locale.forLanguageTag(lang);
    DiagnosticOptions options;
    try {
      options = DiagnosticOptions.builder().testRecipient(to).locale(locale).transcript(transcript)
          .mxLookup(!noMx).probe(!noProbe).build();
    } catch (IllegalArgumentException e) {
      return out.usage("--to", SettingsProblem.INVALID, e.getMessage());
    }
    DiagnosticReport report = ConnectionDiagnostics.run(s, options);
    if (json) {
      out.printJson(report.toJson(locale));
    } else {
      out.println(report.toText(locale));
    }
    return report.ok() ? 0 : MailroomCli.FAILED;
  }
}
