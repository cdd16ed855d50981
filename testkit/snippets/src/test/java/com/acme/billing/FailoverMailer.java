package com.acme.billing;

import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import java.util.List;

public final class FailoverMailer {
  public static SendReceipt send(EmailSettings companySmtp, EmailSettings httpApi, Email invoice)
      throws SendException {
    try (Mailer mailer = Mailer.open(List.of(companySmtp, httpApi), MailerOptions.ofDefaults())) {
      SendReceipt receipt = mailer.send(invoice);
      System.out.println("Sent through " + receipt.transport().orElseThrow()); // e.g. https://api.sendgrid.com:443
      return receipt;
    }
  }
}
