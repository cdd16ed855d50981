package dev.mailroom.cli;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.diagnostics.ConnectionDiagnostics;
import dev.mailroom.diagnostics.DiagnosticOptions;
import dev.mailroom.diagnostics.DiagnosticReport;
import dev.mailroom.testkit.MailroomSmtpServer;
import dev.mailroom.testkit.ReceivedAttachment;
import dev.mailroom.testkit.ReceivedEmail;
import dev.mailroom.cli.internal.MiniPdf;
import dev.mailroom.cli.internal.TerminalText;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mailroom demo}: a local SMTP server in this process, the diagnostics against it, an invoice with
 * a generated PDF, and what the server received. No account, no network beyond 127.0.0.1.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a local mail server, test the settings for it, send an invoice with a PDF, and show"
        + " what the server received. Needs no account and no network.")
final class DemoCommand implements Callable<Integer> {
  static final String CUSTOMER = "jane@customer.test";
  static final String ARCHIVE = "archive@acme.test";

  @Spec
  private CommandSpec spec;

  @Option(names = "--lang", paramLabel = "LANG", defaultValue = "en",
      description = "Language of the diagnostic report: en, bn (Bengali) or sw (Swahili).")
  private String lang;

  @Option(names = "--no-transcript", description = "Do not show the SMTP conversation of the diagnostics.")
  private boolean noTranscript;

  @Option(names = "--json", description = "Print the outcome as one JSON document: the diagnostics report, the"
      + " receipt and what the server received.")
  private boolean json;

  @Override
  public Integer call() throws Exception {
    Output o = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    // with --json the text goes nowhere and one JSON document is printed at the end
    PrintWriter out = json ? new PrintWriter(Writer.nullWriter()) : spec.commandLine().getOut();
    Locale locale = Locale.forLanguageTag(lang);
    try (MailroomSmtpServer server = MailroomSmtpServer.create().start()) {
      EmailSettings settings = server.settingsBuilder()
          .senderName("Acme Ltd")
          .copyTo(ARCHIVE)
          .build();
      out.println("== Mailroom demo: a local SMTP server on " + MailroomSmtpServer.HOST + ":" + server.port());
      out.println("Settings: " + settings);
      out.println();

      out.println("== 1. Test email settings (the diagnostics)");
      DiagnosticReport report = ConnectionDiagnostics.run(settings,
          DiagnosticOptions.builder().locale(locale).transcript(!noTranscript).mxLookup(false).build());
      out.println(TerminalText.escape(report.toText(locale)));
      if (!report.ok()) {
        out.println("The diagnostics failed; stopping.");
        if (json) {
          o.printJson(g -> {
            g.writeBooleanField("ok", false);
            g.writeFieldName("report");
            g.writeRawValue(report.toJson(locale));
          });
        }
        return MailroomCli.FAILED;
      }

      out.println("== 2. Send invoice INV-1 with a PDF attachment");
      byte[] pdf = MiniPdf.create("Invoice INV-1", List.of(
          "Acme Ltd, 1 Market Street",
          "Bill to: Jane Doe, Customer Ltd",
          "",
          "Consulting, 3 hours ........ 270.00",
          "Total due .................. 270.00",
          "",
          "Please pay within 30 days. Thank you!"));
      Email invoice = Email.builder()
          .to("Jane Doe <" + CUSTOMER + ">")
          .subject("Invoice INV-1 from Acme Ltd")
          .text("Dear Jane,\n\nplease find invoice INV-1 attached.\n\nKind regards,\nAcme Ltd\n")
          .attach(Attachment.ofBytes("INV-1.pdf", "application/pdf", pdf))
          .build();
      SendReceipt receipt;
      try (Mailer mailer = Mailer.open(settings)) {
        receipt = mailer.send(invoice);
      } catch (SendException e) {
        out.println("Sending failed: " + e.failure().title(locale) + ": " + e.hint(locale));
        if (json) {
          o.printJson(g -> {
            g.writeBooleanField("ok", false);
            g.writeObjectFieldStart("failure");
            g.writeStringField("category", e.failure().category().name());
            g.writeStringField("title", e.failure().title(locale));
            g.writeStringField("hint", e.hint(locale));
            g.writeEndObject();
          });
        }
        return MailroomCli.FAILED;
      }
      out.println("Sent: message id " + receipt.messageId() + ", accepted for "
          + String.join(", ", receipt.acceptedRecipients())
          + receipt.serverReply().map(r -> ", server replied \"" + r + "\"").orElse(""));
      out.println();

      out.println("== 3. What the server received");
      ReceivedEmail got = server.awaitOne(Duration.ofSeconds(10));
      out.println("From:        " + got.fromName().map(n -> n + " ").orElse("") + "<" + got.from().orElse("?")
          + ">");
      out.println("To:          " + String.join(", ", got.to()));
      out.println("Envelope:    MAIL FROM " + got.envelopeFrom().orElse("?") + ", RCPT TO "
          + String.join(", ", got.envelopeRecipients()));
      out.println("Hidden copy: " + String.join(", ", got.hiddenRecipients())
          + " (the settings' copy address: in the envelope, in no header)");
      out.println("Subject:     " + got.subject());
      for (ReceivedAttachment a : got.attachments()) {
        out.println("Attachment:  " + a.filename() + " (" + a.contentType() + ", " + a.size() + " bytes"
            + (Arrays.equals(a.bytes(), pdf) ? ", identical to the PDF sent" : ", DIFFERENT from the PDF sent")
            + ")");
      }
      out.println();
      out.println("Done. The server on 127.0.0.1:" + server.port() + " stops now.");
      if (json) {
        SendReceipt sent = receipt;
        o.printJson(g -> {
          g.writeBooleanField("ok", true);
          g.writeStringField("server", MailroomSmtpServer.HOST + ":" + server.port());
          g.writeFieldName("report");
          g.writeRawValue(report.toJson(locale));
          g.writeObjectFieldStart("sent");
          g.writeStringField("messageId", sent.messageId());
          g.writeArrayFieldStart("accepted");
          for (String a : sent.acceptedRecipients()) {
            g.writeString(a);
          }
          g.writeEndArray();
          g.writeEndObject();
          g.writeObjectFieldStart("received");
          g.writeStringField("from", got.from().orElse(""));
          g.writeStringField("subject", got.subject());
          g.writeArrayFieldStart("to");
          for (String a : got.to()) {
            g.writeString(a);
          }
          g.writeEndArray();
          g.writeArrayFieldStart("hiddenRecipients");
          for (String a : got.hiddenRecipients()) {
            g.writeString(a);
          }
          g.writeEndArray();
          g.writeArrayFieldStart("attachments");
          for (ReceivedAttachment a : got.attachments()) {
            g.writeStartObject();
            g.writeStringField("filename", a.filename());
            g.writeStringField("contentType", a.contentType());
            g.writeNumberField("size", a.size());
            g.writeBooleanField("identical", Arrays.equals(a.bytes(), pdf));
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
      }
      return 0;
    }
  }
}
