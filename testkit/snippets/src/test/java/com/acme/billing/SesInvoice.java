package com.acme.billing;

import dev.mailroom.EmailSettings;
import dev.mailroom.Protocol;
import dev.mailroom.Secret;

public final class SesInvoice {
  public static EmailSettings settings(String accessKeyId, String secretAccessKey) {
    return EmailSettings.builder().protocol(Protocol.HTTP)
        .httpServer("https://email.eu-west-1.amazonaws.com")        // the region comes from the host
        .apiKey(Secret.of(accessKeyId + ":" + secretAccessKey))      // a Secret, never logged
        .emailAddress("billing@acme.example").replyTo("office@acme.example").build();
  }
}
