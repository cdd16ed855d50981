package com.acme.billing;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.Presets;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import java.nio.file.Path;
import java.util.Locale;

public final class GmailInvoice {
  public static void main(String[] args) {
    EmailSettings settings = EmailSettings.builder()
        .preset(Presets.GMAIL)                          // smtp.gmail.com, port 587, STARTTLS required
        .username("billing@gmail.com")
        .password(System.getenv("GMAIL_APP_PASSWORD"))  // an app password (needs 2-Step Verification)
        .senderName("Acme Ltd")
        .copyTo("archive@acme.example")                 // a copy of every email; no header shows it
        .build();                                       // InvalidSettingsException lists every bad field
    System.exit(send(settings, Path.of("INV-1.pdf"), Locale.ENGLISH) ? 0 : 1);
  }

  public static boolean send(EmailSettings settings, Path pdf, Locale locale) {
    try (Mailer mailer = Mailer.open(settings)) {
      SendReceipt receipt = mailer.send(Email.builder()
          .to("Jane Doe <jane@customer.example>")
          .subject("Invoice INV-1")
          .text("Dear Jane, please find invoice INV-1 attached.")
          .attach(Attachment.ofFile(pdf))               // streamed, never loaded whole
          .build());
      System.out.println("Sent " + receipt.messageId() + " to " + receipt.acceptedRecipients());
      return true;
    } catch (SendException e) {
      System.err.println(e.failure().title(locale) + ": " + e.hint(locale));
      return false;
    }
  }
}
