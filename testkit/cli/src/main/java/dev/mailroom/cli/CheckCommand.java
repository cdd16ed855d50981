package dev.mailroom.cli;

import dev.mailroom.EmailSettings;
import dev.mailroom.diagnostics.ConnectionDiagnostics;
import dev.mailroom.diagnostics.DiagnosticOptions;
import dev.mailroom.diagnostics.DiagnosticReport;
import java.io.PrintWriter;
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
        + " with --to. Exit code 0 when everything works, 1 when a step failed, 2 for bad usage.")
final class CheckCommand implements Callable<Integer> {
  @ParentCommand
  private MailroomCli parent;

  @Spec
  private CommandSpec spec;

  @Mixin
  private SettingsOptions settings;

  @Option(names = "--to", paramLabel = "ADDRESS", description = "Send a test email to this address.")
  private String to;

  @Option(names = "--json", description = "Print the report as JSON.")
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
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    EmailSettings s;
    try {
      s = settings.settings(parent.environment(), parent.console());
    } catch (SettingsOptions.UsageProblem e) {
      err.println(e.getMessage());
      return MailroomCli.USAGE;
    }
    Locale locale = Locale.forLanguageTag(lang);
    DiagnosticOptions options;
    try {
      options = DiagnosticOptions.builder().testRecipient(to).locale(locale).transcript(transcript)
          .mxLookup(!noMx).probe(!noProbe).build();
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return MailroomCli.USAGE;
    }
    DiagnosticReport report = ConnectionDiagnostics.run(s, options);
    out.println(json ? report.toJson(locale) : report.toText(locale));
    return report.ok() ? 0 : MailroomCli.FAILED;
  }
}
