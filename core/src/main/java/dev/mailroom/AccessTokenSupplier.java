package dev.mailroom;

import java.io.IOException;

/**
 * Supplies an OAuth2 access token for XOAUTH2 sign-in (Gmail, Microsoft 365, Outlook.com) and for the
 * HTTP APIs that take a bearer token (Microsoft Graph, the Gmail API), the alternative to a password in
 * {@link EmailSettings.Builder#oauth2(AccessTokenSupplier)}.
 *
 * <p>{@link OAuth2} makes suppliers that get, cache and renew the token themselves (refresh token, client
 * credentials, Google service account). Senders call {@link #accessToken()} for every new connection or
 * request, so a supplier that renews expired tokens keeps long-lived {@link Mailer}s working. Mailroom never
 * logs the token. Implementations must be thread-safe.
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

  /**
   * Tells the supplier that a server refused {@code token} (HTTP 401, or an XOAUTH2 sign-in refused), so
   * that the next {@link #accessToken()} gets a fresh one instead of the cached one. Senders then retry
   * once with the fresh token. The default does nothing, for suppliers without a cache.
   *
   * @param token the token the server refused
   */
  default void invalidate(Secret token) {}
}
