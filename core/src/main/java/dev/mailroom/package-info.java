/**
 * The Mailroom API: {@link dev.mailroom.EmailSettings} (what a user enters in an email settings form),
 * {@link dev.mailroom.Presets} (known providers), the message model ({@link dev.mailroom.Email},
 * {@link dev.mailroom.Attachment}, {@link dev.mailroom.Address}) and the {@link dev.mailroom.Mailer} that
 * sends it, with {@link dev.mailroom.SendReceipt} on success and {@link dev.mailroom.SendException} on
 * failure.
 *
 * <h2>Null policy</h2>
 * No method in this package accepts {@code null} unless its documentation says so, and none returns
 * {@code null}: absent values are {@link java.util.Optional}, collections are empty, never null. Passing
 * {@code null} where it is not allowed throws {@link java.lang.NullPointerException} naming the parameter.
 *
 * <h2>Immutability and threads</h2>
 * Every value type here is immutable and safe to share between threads; builders are not thread-safe.
 * {@link dev.mailroom.Mailer} is thread-safe.
 *
 * <h2>Secrets</h2>
 * Passwords and API keys are held in {@link dev.mailroom.Secret}, which prints as {@code ******}. No
 * {@code toString()}, exception message or log line of Mailroom contains a secret.
 */
package dev.mailroom;
