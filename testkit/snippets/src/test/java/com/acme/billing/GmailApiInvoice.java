package com.acme.billing;

import dev.mailroom.AccessTokenSupplier;
import dev.mailroom.EmailSettings;
import dev.mailroom.OAuth2;
import dev.mailroom.Protocol;
import java.io.IOException;
import java.nio.file.Path;

public final class GmailApiInvoice {
  public static EmailSettings settings(Path serviceAccountKey) throws IOException {
    AccessTokenSupplier token = OAuth2.googleServiceAccount(serviceAccountKey, "billing@example.com",
        OAuth2.GMAIL_SEND_SCOPE);
    return EmailSettings.builder().protocol(Protocol.HTTP)
        .httpServer("https://gmail.googleapis.com").emailAddress("billing@example.com")
        .replyTo("office@example.com").oauth2(token).build();   // the dialect gmail follows from the host
  }
}
