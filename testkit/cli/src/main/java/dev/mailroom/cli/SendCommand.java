package dev.mailroom.cli;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.SettingsProblem;
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
    description = "Send one email (e.g. an invoice with --attach INV-1.pdf), or with --batch one email per row of a"
        + " CSV file with a progress bar.")
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

  @Option(names = "--json", description = "Print the receipt, the failure or the problems as JSON.")
  private boolean json;

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
    Output out = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    Locale locale = Locale.forLanguageTag(lang);
    List<SettingsProblem> problems = new ArrayList<>();
    EmailSettings s = null;
    try {
      s = settings.settings(parent.environment(), parent.console(), out);
    } catch (SettingsOptions.UsageProblem e) {
      problems.addAll(e.problems());
    }
    if (batch != null) { // issue 15's batch mode, in its own file
      if (!to.isEmpty() || subject != null || connections < 1 || connections > 16) {
        problems.add(new SettingsProblem("--batch", "usage", "--batch takes the recipients and subjects from the"
            + " CSV file (no --to, --subject), and --connections between 1 and 16"));
      }
      if (!problems.isEmpty()) {
        return out.problems("Cannot send:", problems);
      }
      try {
        return new BatchSend(batch, results, connections, locale, spec.commandLine().getOut(),
            spec.commandLine().getErr()).run(s);
      } catch (IllegalStateException | IllegalArgumentException e) {
        return out.usage("--batch", "usage", e.getMessage());
      }
    }
    if (to.isEmpty() || subject == null) {
      problems.add(new SettingsProblem(to.isEmpty() ? "--to" : "--subject", "usage",
          "Missing required options: --to and --subject (or --batch CSV)"));
      return out.problems("Cannot send:", problems);
    }
    Email email = null;
    Email.Builder b = Email.builder();
    try {
      b.to(to.toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      problems.add(new SettingsProblem("--to", SettingsProblem.INVALID, e.getMessage()));
    }
    try {
      if (!cc.isEmpty()) {
        b.cc(cc.toArray(String[]::new));
      }
    } catch (IllegalArgumentException e) {
      problems.add(new SettingsProblem("--cc", SettingsProblem.INVALID, e.getMessage()));
    }
    try {
      b.subject(subject);
      if (text != null) {
        b.text(text);
      }
      if (html != null) {
        b.html(html);
      }
    } catch (IllegalArgumentException e) {
      problems.add(new SettingsProblem("--subject", SettingsProblem.INVALID, e.getMessage()));
    }
    for (Path p : attach) {
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        problems.add(new SettingsProblem("--attach", SettingsProblem.INVALID, "--attach: cannot read " + p
            + ": give the path of a readable file"));
        continue;
      }
      try {
        b.attach(Attachment.ofFile(p));
      } catch (IllegalArgumentException e) {
        problems.add(new SettingsProblem("--attach", SettingsProblem.INVALID, "--attach: " + e.getMessage()));
      }
    }
    if (problems.isEmpty()) {
      try {
        email = b.build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        problems.add(new SettingsProblem("email", SettingsProblem.INVALID, e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      return out.problems("Cannot send:", problems);
    }
    try (Mailer mailer = Mailer.open(s)) {
      SendReceipt r = mailer.send(email);
      if (json) {
        out.printJson(g -> {
          g.writeBooleanField("ok", true);
          g.writeStringField("messageId", r.messageId());
          g.writeArrayFieldStart("accepted");
          for (String a : r.acceptedRecipients()) {
            g.writeString(a);
          }
          g.writeEndArray();
          g.writeNumberField("attempts", r.attempts());
          if (r.serverReply().isPresent()) {
            g.writeStringField("serverReply", r.serverReply().get());
          }
        });
      } else {
        out.println("Sent " + r.messageId() + " to " + String.join(", ", r.acceptedRecipients())
            + r.serverReply().map(x -> " (" + x + ")").orElse(""));
      }
      return 0;
    } catch (SendException e) {
      Failure f = e.failure();
      if (json) {
        out.printJson(g -> {
          g.writeBooleanField("ok", false);
          g.writeObjectFieldStart("failure");
          g.writeStringField("category", f.category().name());
          g.writeBooleanField("transient", f.isTransient());
          g.writeStringField("title", f.title(locale));
          g.writeStringField("hint", f.hint(locale));
          g.writeStringField("hintKey", f.hintKey());
          g.writeStringField("message", f.message());
          if (f.code().isPresent()) {
            g.writeNumberField("code", f.code().getAsInt());
          }
          if (f.enhancedStatus().isPresent()) {
            g.writeStringField("enhancedStatus", f.enhancedStatus().get());
          }
          if (f.serverReply().isPresent()) {
            g.writeStringField("serverReply", f.serverReply().get());
          }
          g.writeNumberField("attempts", e.attempts());
          g.writeEndObject();
        });
      } else {
        out.error(f.title(locale));
        out.error(f.hint(locale));
        out.error(f.message());
      }
      return MailroomCli.FAILED;
    } catch (IllegalStateException | IllegalArgumentException e) {
      // no sender for the protocol on the class path, or a setting the sender refuses
      return out.usage("settings", SettingsProblem.INVALID, e.getMessage());
    }
  }
}
