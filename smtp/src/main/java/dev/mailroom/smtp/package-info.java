/**
 * The SMTP sender of Mailroom. Null policy as in {@link dev.mailroom}.
 */
package dev.mailroom.smtp;
