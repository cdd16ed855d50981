/**
 * The HTTP sender of Mailroom, on {@code java.net.http}: {@link dev.mailroom.http.HttpSenderProvider},
 * found by {@link dev.mailroom.Mailer} for {@link dev.mailroom.Protocol#HTTP}, and the
 * {@link dev.mailroom.http.HttpDialect} extension point with its holder {@link dev.mailroom.http.HttpDialects}.
 *
 * <h2>Null policy</h2>
 * No method in this package accepts {@code null} unless its documentation says so, and none returns
 * {@code null}: absent values are {@link java.util.Optional}, collections are empty, never null. Passing
 * {@code null} where it is not allowed throws {@link java.lang.NullPointerException}.
 *
 * <h2>Secrets</h2>
 * The API key of the settings goes only into the request's authentication header. It is never logged,
 * and it is removed from server answers before they are put into a {@link dev.mailroom.Failure}.
 */
package dev.mailroom.http;
