package com.acme.billing;

import dev.mailroom.EmailSettings;
import dev.mailroom.Protocol;

public final class HttpSettings {
  public static EmailSettings formService() {
    return EmailSettings.builder()
        .protocol(Protocol.HTTP)
        .httpServer("https://mail.vendor.example/api/send")  // https; plain http only for localhost
        .senderName("Acme Ltd")                                // sent as "from": the business name
        .replyTo("office@acme.example")
        .build();
  }

  public static EmailSettings sendGrid(String apiKey) {       // e.g. System.getenv("SENDGRID_API_KEY")
    return EmailSettings.builder()
        .protocol(Protocol.HTTP)
        .httpServer("https://api.sendgrid.com")                // the dialect follows from the host
        .apiKey(apiKey)                                        // a Secret: never in logs or messages
        .emailAddress("billing@acme.example").senderName("Acme Ltd")
        .replyTo("office@acme.example")
        .build();
  }
}
