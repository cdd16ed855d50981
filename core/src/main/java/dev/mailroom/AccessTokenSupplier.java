package dev.mailroom;

import java.io.IOException;

/**
 * Supplies an OAuth2 access token for XOAUTH2 sign-in (Gmail, Microsoft 365, Outlook.com), the
 * alternative to a password in {@link EmailSettings.Builder#oauth2(AccessTokenSupplier)}.
 *
 * <p>Senders call it for every new connection, so an implementation that refreshes expired tokens
 * keeps long-lived {@link Mailer}s working. Mailroom never logs the token. Implementations must be
 * thread-safe.
 */
@FunctionalInterface
public interface AccessTokenSupplier {
  /**
   * Returns a currently valid access token.
   *
   * @return the token, never empty
   * @throws IOException if no token can be obtained (the send then fails with
   *     {@link FailureCategory#AUTHENTICATION})
   */
  Secret accessToken() throws IOException;
}
