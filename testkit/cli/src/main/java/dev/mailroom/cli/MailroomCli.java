package dev.mailroom.cli;

import java.io.Console;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Mailroom's command line: {@code demo} (a local mail server, the diagnostics and an invoice with a PDF,
 * no account and no network), {@code check} (the "Test email settings" diagnostics for real settings,
 * text or {@code --json}), {@code send} (one email, with {@code --attach}) and {@code presets}.
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
 * {@code --api-key-env}), a properties file, or an interactive prompt, never from a command-line argument.
 * Exit codes: 0 success, 1 the check or send failed, 2 bad usage or invalid settings.
 */
@Command(name = "mailroom", mixinStandardHelpOptions = true, version = "Mailroom 0.1.0",
    description = "Send email and test email settings.",
    subcommands = {DemoCommand.class, CheckCommand.class, SendCommand.class, PresetsCommand.class,
        CommandLine.HelpCommand.class})
public final class MailroomCli implements Callable<Integer> {
  /** Exit code: the check or the send failed. */
  public static final int FAILED = 1;
  /** Exit code: bad usage or invalid settings. */
  public static final int USAGE = 2;

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
    int code = run(args, System.out, System.err);
    System.exit(code);
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
    try {
      return cmd.execute(args);
    } finally {
      o.flush();
      e.flush();
    }
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
