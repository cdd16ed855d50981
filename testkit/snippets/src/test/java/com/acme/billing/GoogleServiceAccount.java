package com.acme.billing;

import dev.mailroom.AccessTokenSupplier;
import dev.mailroom.EmailSettings;
import dev.mailroom.OAuth2;
import dev.mailroom.Presets;
import java.io.IOException;
import java.nio.file.Path;

public final class GoogleServiceAccount {
  public static EmailSettings settings(Path keyFile) throws IOException { // Path.of("service-account.json")
    AccessTokenSupplier token = OAuth2.googleServiceAccount(keyFile,
        "billing@example.com", OAuth2.GOOGLE_MAIL_SCOPE);
    return EmailSettings.builder().preset(Presets.GMAIL)
        .username("billing@example.com").oauth2(token).build();
  }
}
