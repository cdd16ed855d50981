package com.acme.billing;

import dev.mailroom.AccessTokenSupplier;
import dev.mailroom.EmailSettings;
import dev.mailroom.OAuth2;
import dev.mailroom.Protocol;
import dev.mailroom.Secret;

public final class GraphInvoice {
  public static EmailSettings settings(String clientId, String clientSecret) {
    AccessTokenSupplier token = OAuth2.clientCredentials(OAuth2.microsoft("contoso.onmicrosoft.com",
        OAuth2.GRAPH_APP_SCOPE), clientId, Secret.of(clientSecret));
    return EmailSettings.builder().protocol(Protocol.HTTP)
        .httpServer("https://graph.microsoft.com").emailAddress("billing@contoso.com")
        .replyTo("office@contoso.com").oauth2(token).build();   // the dialect graph follows from the host
  }
}
