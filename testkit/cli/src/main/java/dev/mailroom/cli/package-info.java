/**
 * Mailroom's command line, {@link dev.mailroom.cli.MailroomCli}: {@code demo}, {@code check},
 * {@code send} and {@code presets}.
 */
package dev.mailroom.cli;
