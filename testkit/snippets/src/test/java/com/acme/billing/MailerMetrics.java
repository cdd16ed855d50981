package com.acme.billing;

import dev.mailroom.MailerOptions;
import dev.mailroom.micrometer.MicrometerMailerListener;
import io.micrometer.core.instrument.MeterRegistry;

public final class MailerMetrics {
  public static MailerOptions options(MeterRegistry registry) {
    return MailerOptions.builder()
        .listener(new MicrometerMailerListener(registry))
        .build();
  }
}
