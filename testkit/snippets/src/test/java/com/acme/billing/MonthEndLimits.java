package com.acme.billing;

import dev.mailroom.MailerOptions;
import dev.mailroom.SendingLimits;

public final class MonthEndLimits {
  public static MailerOptions options() {
    return MailerOptions.builder()
        .limits(SendingLimits.builder().messagesPerMinute(30).recipientsPerDay(10_000)
            .source("our contract with the provider").build())   // instead of the preset's
        .build();
  }
}
