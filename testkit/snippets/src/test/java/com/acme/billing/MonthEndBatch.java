package com.acme.billing;

import dev.mailroom.BatchOptions;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendResult;
import java.util.List;
import java.util.Locale;

public final class MonthEndBatch {
  public static List<SendResult> send(EmailSettings settings, List<Email> invoices, Locale locale) {
    try (Mailer mailer = Mailer.open(settings, MailerOptions.builder().maxConnections(4).build())) {
      List<SendResult> results = mailer.sendAll(invoices, BatchOptions.builder()
          .progress(p -> System.out.printf("%d sent, %d failed, %d left, about %s left%n",
              p.sent(), p.failed(), p.left(), p.estimatedTimeLeft().orElse(null)))
          .build());
      for (SendResult r : results) {
        if (!r.sent()) {  // FAILED (with its Failure) or NOT_ATTEMPTED (the batch stopped first)
          System.out.println("Invoice " + r.index() + ": " + r.failure().orElseThrow().hint(locale));
        }
      }
      return results;
    }
  }

  // later, once the user fixed the problem: only what was certainly not delivered, same idempotency keys
  public static List<SendResult> sendTheRestAgain(EmailSettings settings, List<SendResult> results) {
    try (Mailer mailer = Mailer.open(settings)) {
      return mailer.sendAll(SendResult.notSent(results));
    }
  }
}
