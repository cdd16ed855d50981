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
    description = "Send one email. Exit code 0 when the server accepted it, 1 when sending failed.")
final class SendCommand implements Callable<Integer> {
  @ParentCommand
  private MailroomCli parent;

  @Spec
  private CommandSpec spec;

  @Mixin
  private SettingsOptions settings;

  @Option(names = "--to", paramLabel = "ADDRESS", required = true, description = "A recipient; repeat for more.")
  private List<String> to = new ArrayList<>();

  @Option(names = "--cc", paramLabel = "ADDRESS", description = "A copy recipient; repeat for more.")
  private List<String> cc = new ArrayList<>();

  @Option(names = "--subject", paramLabel = "TEXT", required = true, description = "The subject.")
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
