package com.acme.billing;

import dev.mailroom.AccessTokenSupplier;
import dev.mailroom.EmailSettings;
import dev.mailroom.OAuth2;
import dev.mailroom.Presets;
import dev.mailroom.Secret;

public final class Microsoft365AppOnly {
  public static EmailSettings settings(String clientId, String clientSecret) {
    AccessTokenSupplier token = OAuth2.clientCredentials(Presets.OFFICE365, "contoso.onmicrosoft.com",
        clientId, Secret.of(clientSecret));
    return EmailSettings.builder().preset(Presets.OFFICE365)
        .username("billing@contoso.com").oauth2(token).build();   // Mailer.open(settings) as with a password
  }
}
