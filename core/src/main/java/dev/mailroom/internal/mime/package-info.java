/**
 * The one MIME writer of Mailroom: header encoding ({@link dev.mailroom.internal.mime.Headers}), bodies
 * ({@link dev.mailroom.internal.mime.Body}) and whole messages
 * ({@link dev.mailroom.internal.mime.PreparedMime}), shared by the SMTP sender and the HTTP module. Not API:
 * exported only to the sender modules and may change in any release.
 */
package dev.mailroom.internal.mime;
