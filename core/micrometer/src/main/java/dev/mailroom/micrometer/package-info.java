/**
 * Micrometer binding of {@link dev.mailroom.MailerListener}.
 *
 * <p>Null policy: as in {@link dev.mailroom}: no nulls in or out.
 */
package dev.mailroom.micrometer;
