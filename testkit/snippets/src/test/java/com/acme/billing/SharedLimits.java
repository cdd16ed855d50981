package com.acme.billing;

import dev.mailroom.MailerOptions;
import dev.mailroom.Presets;
import dev.mailroom.SendLimiter;
import dev.mailroom.bucket4j.Bucket4jSendLimiter;
import io.github.bucket4j.distributed.proxy.ProxyManager;

public final class SharedLimits {
  // buckets: Bucket4j's proxy manager on Redis, Hazelcast, JCache or JDBC, shared by every instance
  public static MailerOptions options(ProxyManager<String> buckets, String mailbox) {
    SendLimiter shared = Bucket4jSendLimiter.of(Presets.OFFICE365.limits(),
        (name, configuration) -> buckets.builder().build("mailroom:" + mailbox + ":" + name, () -> configuration));
    return MailerOptions.builder().limiter(shared).build();
  }
}
