package com.acme.billing;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;

/** The application's own code that the tests below check. */
public class InvoiceService {
  private final Mailer mailer;

  public InvoiceService(Mailer mailer) {
    this.mailer = mailer;
  }

  public SendReceipt email(String invoiceNumber, String customer, byte[] pdf) throws SendException {
    return mailer.send(Email.builder()
        .to(customer)
        .subject("Invoice " + invoiceNumber)
        .text("Please find invoice " + invoiceNumber + " attached.")
        .attach(Attachment.ofBytes(invoiceNumber + ".pdf", "application/pdf", pdf))
        .build());
  }
}
