package com.acme.billing;

import dev.mailroom.AccessTokenSupplier;
import dev.mailroom.EmailSettings;
import dev.mailroom.OAuth2;
import dev.mailroom.Presets;
import dev.mailroom.Secret;
import java.util.function.Consumer;

public final class OutlookSignedInUser {
  public static EmailSettings settings(String clientId, String storedRefreshToken, Consumer<String> store) {
    AccessTokenSupplier token = OAuth2.refreshToken(Presets.OUTLOOK, null, clientId, null,
        Secret.of(storedRefreshToken), rotated -> store.accept(rotated.reveal()));
    return EmailSettings.builder().preset(Presets.OUTLOOK)
        .username("someone@outlook.com").oauth2(token).build();
  }
}
