/**
 * Mailroom's test kit: support for asserting sent mail in applications' own tests: a local SMTP server
 * ({@link dev.mailroom.testkit.MailroomSmtpServer}), a fake HTTP mail API
 * ({@link dev.mailroom.testkit.MailroomHttpServer}), fault injection and provider personas
 * ({@link dev.mailroom.testkit.FaultySmtpServer}, {@link dev.mailroom.testkit.ProviderPersona}), a recording
 * sender ({@link dev.mailroom.testkit.RecordingSenderProvider}) and one assertion API over all of them
 * ({@link dev.mailroom.testkit.ReceivedEmail}, {@link dev.mailroom.testkit.MailAssertions}).
 *
 * <p>The "Test email settings" diagnostics are not here: they are the separate, production artifact
 * {@code mailroom-diagnostics} (module {@code dev.mailroom.diagnostics}), which does not depend on this one.
 *
 * <p>Null policy: as in {@link dev.mailroom}: no method accepts or returns null unless it says so; absent
 * values are {@link java.util.Optional}; collections are never null.
 */
package dev.mailroom.testkit;
