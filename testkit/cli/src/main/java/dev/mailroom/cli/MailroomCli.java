package dev.mailroom.cli;

import dev.mailroom.cli.internal.TerminalText;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Mailroom's command line: {@code demo} (a local mail server, the diagnostics and an invoice with a PDF,
 * no account and no network), {@code check} (the "Test email settings" diagnostics for real settings),
 * {@code send} (one email, with {@code --attach}), {@code settings} (validate and show settings, secrets masked)
 * and {@code presets}. Every command takes {@code --json} (one JSON document on stdout, for every exit code)
 * and {@code --verbose}; "@file" arguments are not expanded; server text is shown with its controls escaped.
 *
 * <pre>
 * mailroom demo
 * mailroom check --url smtp://billing@smtp.gmail.com:587 --password-env SMTP_PASSWORD --to me@acme.example
 * mailroom send --properties mail.properties --password-env SMTP_PASSWORD --to jane@customer.example \
 *     --subject "Invoice INV-1" --text "Please find the invoice attached." --attach INV-1.pdf
 * mailroom presets gmail
 * </pre>
 *
 * <p>Passwords and API keys come from an environment variable ({@code --password-env},
 * {@code --api-key-env}), a properties file (a warning when group or others can read it, refused with
 * {@code --strict}), or an interactive prompt, never from a command-line argument (a URL with a password or an
 * API key is refused).
 * Exit codes: 0 success, 1 the check or send failed, 2 bad usage or invalid settings.
 */
@Command(name = "mailroom", mixinStandardHelpOptions = true, version = "Mailroom 0.1.0",
    description = "Send email and test email settings.",
    subcommands = {DemoCommand.class, CheckCommand.class, SendCommand.class, SettingsCommand.class,
        PresetsCommand.class, CommandLine.HelpCommand.class})
public final class MailroomCli implements Callable<Integer> {
  /** Exit code: the check or the send failed. */
  public static final int FAILED = 1;
  /** Exit code: bad usage or invalid settings. */
  public static final int USAGE = 2;

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "Log protocol detail (never a password, key or message body) to stderr; without it only"
          + " warnings and errors.")
  private boolean verbose;

  @Spec
  private CommandSpec spec;

  private final Function<String, String> environment;
  private final Console console;

  private MailroomCli(Function<String, String> environment, Console console) {
    this.environment = environment;
    this.console = console;
  }

  /**
   * Runs the command line and exits with its exit code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    PrintStream err = new PrintStream(TerminalText.stream(new FileOutputStream(FileDescriptor.err)), true,
        StandardCharsets.UTF_8);
    System.setErr(err); // log lines may quote a server: controls are shown escaped there too
    configureLogging(args);
    int code = run(args, System.out, err);
    System.exit(code);
  }

  /**
   * The executable jar's logging backend (slf4j-simple): warnings and errors on stderr; with -v/--verbose also
   * Mailroom's DEBUG protocol detail. System properties set by the user win.
   */
  static void configureLogging(String[] args) {
    boolean verbose = false;
    for (String a : args) {
      if (a.equals("--")) {
        break;
      }
      verbose |= a.equals("-v") || a.equals("--verbose");
    }
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    if (verbose) {
      setIfAbsent("org.slf4j.simpleLogger.log.dev.mailroom", "debug");
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * Runs the command line with the process's environment and console, writing to the given streams.
   *
   * @param args the arguments
   * @param out where results go
   * @param err where errors go
   * @return the exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, System::getenv, System.console());
  }

  /**
   * Runs the command line with an explicit environment (e.g. in tests).
   *
   * @param args the arguments
   * @param out where results go
   * @param err where errors go
   * @param environment looks up environment variables (for {@code --password-env})
   * @param console the console for password prompts, or null when there is none
   * @return the exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> environment,
      Console console) {
    Objects.requireNonNull(args, "args");
    PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    CommandLine cmd = new CommandLine(new MailroomCli(environment, console));
    cmd.setOut(o);
    cmd.setErr(e);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    // "@file" arguments stay text: no option value is ever read from a file the user did not name as a file
    cmd.setExpandAtFiles(false);
    boolean json = wantsJson(args);
    cmd.setParameterExceptionHandler((ex, a) -> {
      Output report = new Output(o, e, json);
      String field = ex.getArgSpec() == null ? "arguments"
          : ex.getArgSpec().isOption() ? ((Model.OptionSpec) ex.getArgSpec()).longestName()
          : ex.getArgSpec().paramLabel();
      int code = report.usage(field, "usage", ex.getMessage());
      if (!json) {
        report.error("Run: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help");
      }
      return code;
    });
    cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
      Output report = new Output(o, e, json);
      String message = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
      if (json) {
        report.printJson(g -> {
          g.writeBooleanField("ok", false);
          g.writeObjectFieldStart("failure");
          g.writeStringField("category", "UNEXPECTED");
          g.writeStringField("message", message);
          g.writeEndObject();
        });
      } else {
        report.error("mailroom failed unexpectedly: " + message);
      }
      return FAILED;
    });
    exitCodes(cmd);
    try {
      return cmd.execute(args);
    } finally {
      o.flush();
      e.flush();
    }
  }

  /** Lists the exit codes in every command's --help. */
  private static void exitCodes(CommandLine cmd) {
    for (CommandLine c : cmd.getSubcommands().values()) {
      String name = c.getCommandName();
      if (name.equals("help")) {
        continue;
      }
      Map<String, String> codes = new LinkedHashMap<>();
      switch (name) {
        case "check" -> codes.put("0", "every step passed");
        case "send" -> codes.put("0", "the server accepted the email");
        case "demo" -> codes.put("0", "the demo ran");
        case "settings" -> codes.put("0", "the settings are valid");
        default -> codes.put("0", "success");
      }
      if (!name.equals("presets") && !name.equals("settings")) {
        codes.put("1", name.equals("check") ? "a step failed (the report says which and what to do)"
            : "sending failed (the message says why and whether to retry)");
      }
      codes.put("2", "bad usage or invalid settings (with --json: {\"ok\":false,\"problems\":[...]})");
      c.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    }
    Map<String, String> top = new LinkedHashMap<>();
    top.put("0", "success");
    top.put("1", "a check or send failed");
    top.put("2", "bad usage or invalid settings");
    cmd.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(top);
  }

  /** Whether the arguments ask for JSON (before a "--" that ends the options). */
  static boolean wantsJson(String[] args) {
    for (String a : args) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("--json") || a.startsWith("--json=")) {
        return !a.equalsIgnoreCase("--json=false");
      }
    }
    return false;
  }

  Function<String, String> environment() {
    return environment;
  }

  Console console() {
    return console;
  }

  /** Without a subcommand: shows the usage. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return USAGE;
  }
}
