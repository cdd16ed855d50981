package dev.mailroom.cli;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mailroom send}: one email. */
@Command(name = "send", mixinStandardHelpOptions = true,
    description = "Send one email, or with --batch one email per row of a CSV file with a progress bar. Exit code 0"
        + " when the server accepted every email, 1 when sending failed.")
final class SendCommand implements Callable<Integer> {
  @ParentCommand
  private MailroomCli parent;

  @Spec
  private CommandSpec spec;

  @Mixin
  private SettingsOptions settings;

  @Option(names = "--to", paramLabel = "ADDRESS", description = "A recipient; repeat for more.")
  private List<String> to = new ArrayList<>();

  @Option(names = "--cc", paramLabel = "ADDRESS", description = "A copy recipient; repeat for more.")
  private List<String> cc = new ArrayList<>();

  @Option(names = "--subject", paramLabel = "TEXT", description = "The subject.")
  private String subject;

  @Option(names = "--text", paramLabel = "TEXT", description = "The plain-text body.")
  private String text;

  @Option(names = "--html", paramLabel = "HTML", description = "The HTML body.")
  private String html;

  @Option(names = "--attach", paramLabel = "FILE", description = "A file to attach; repeat for more.")
  private List<Path> attach = new ArrayList<>();

  @Option(names = "--lang", paramLabel = "LANG", defaultValue = "en",
      description = "Language of error messages: en, bn or sw.")
  private String lang;

  @Option(names = "--batch", paramLabel = "CSV", description = "Send one email per row of this CSV file (first row:"
      + " to, subject and any of cc, bcc, text, html, attach, id; several values separated by ';'), every row"
      + " checked before anything is sent, with a progress bar.")
  private Path batch;

  @Option(names = "--results", paramLabel = "CSV", description = "With --batch: write what became of every row here.")
  private Path results;

  @Option(names = "--connections", paramLabel = "N", defaultValue = "2",
      description = "With --batch: how many emails to send at once (1 to 16, default 2).")
  private int connections;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Locale locale = Locale.forLanguageTag(lang);
    EmailSettings s;
    try {
      s = settings.settings(parent.environment(), parent.console());
    } catch (SettingsOptions.UsageProblem e) {
      err.println(e.getMessage());
      return MailroomCli.USAGE;
    }
    if (batch != null) { // issue 15's batch mode, in its own file
      if (!to.isEmpty() || subject != null || connections < 1 || connections > 16) {
        err.println("--batch takes the recipients and subjects from the CSV file (no --to, --subject), and"
            + " --connections between 1 and 16");
        return MailroomCli.USAGE;
      }
      try {
        return new BatchSend(batch, results, connections, locale, out, err).run(s);
      } catch (IllegalStateException | IllegalArgumentException e) {
        err.println(e.getMessage());
        return MailroomCli.USAGE;
      }
    }
    if (to.isEmpty() || subject == null) {
      err.println("Missing required options: --to and --subject (or --batch CSV)");
      return MailroomCli.USAGE;
    }
    Email email;
    try {
      Email.Builder b = Email.builder().to(to.toArray(String[]::new)).subject(subject);
      if (!cc.isEmpty()) {
        b.cc(cc.toArray(String[]::new));
      }
      if (text != null) {
        b.text(text);
      }
      if (html != null) {
        b.html(html);
      }
      for (Path p : attach) {
        if (!Files.isReadable(p)) {
          err.println("--attach: cannot read " + p);
          return MailroomCli.USAGE;
        }
        b.attach(Attachment.ofFile(p));
      }
      email = b.build();
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return MailroomCli.USAGE;
    }
    try (Mailer mailer = Mailer.open(s)) {
      SendReceipt r = mailer.send(email);
      out.println("Sent " + r.messageId() + " to " + String.join(", ", r.acceptedRecipients())
          + r.serverReply().map(x -> " (" + x + ")").orElse(""));
      return 0;
    } catch (SendException e) {
      err.println(e.failure().title(locale));
      err.println(e.hint(locale));
      err.println(e.failure().message());
      return MailroomCli.FAILED;
    } catch (IllegalStateException | IllegalArgumentException e) {
      err.println(e.getMessage());
      return MailroomCli.USAGE;
    }
  }
}
