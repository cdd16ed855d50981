package com.acme.billing;

import dev.mailroom.Attachment;
import dev.mailroom.Dkim;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.Protocol;
import dev.mailroom.Secret;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public final class InvoiceWithLogo {
  public static void main(String[] args) throws IOException, SendException {
    Dkim dkim = Dkim.of("acme.example", "mail2026",      // public key in DNS at mail2026._domainkey.acme.example
        Secret.of(Files.readString(Path.of("/etc/acme/dkim-private.pem")))); // RSA >= 2048 bits or Ed25519
    EmailSettings ownServer = EmailSettings.builder()
        .protocol(Protocol.SMTP).host("mail.acme.example").port(587)
        .username("billing@acme.example").password(System.getenv("SMTP_PASSWORD"))
        .dkim(dkim)                                       // SMTP only: HTTP APIs sign in their dashboards
        .build();
    send(ownServer, Path.of("logo.png"), Path.of("চালান-০০৪২.pdf"), Path.of("INV-42.eml"));
  }

  public static SendReceipt send(EmailSettings settings, Path logo, Path pdf, Path archive)
      throws IOException, SendException {
    Email invoice = Email.builder()
        .to("Jane Doe <jane@customer.example>")
        .subject("চালান ০০৪২ — Invoice 42")
        .text("Dear Jane, invoice 42 is attached.")
        .html("<p><img src=\"cid:logo\" alt=\"Acme\"></p><p>Dear Jane, invoice 42 is attached.</p>")
        .inline("logo", Attachment.ofFile(logo))         // shown by the HTML, not offered as an attachment
        .attach(Attachment.ofFile(pdf))                  // a file name in any script, up to 255 characters
        .attach(Attachment.ofBytes("meeting.ics", "text/calendar; method=REQUEST; charset=UTF-8",
            "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".getBytes(StandardCharsets.UTF_8)))
        .build();
    try (Mailer mailer = Mailer.open(settings);
        OutputStream out = Files.newOutputStream(archive)) {
      SendReceipt receipt = mailer.send(invoice);
      mailer.writeMessage(invoice, out);                // the same message as sent, DKIM signature included
      return receipt;
    }
  }
}
