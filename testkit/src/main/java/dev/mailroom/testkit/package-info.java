/**
 * Mailroom's test kit: connection diagnostics, the command line, and support for asserting sent mail.
 */
package dev.mailroom.testkit;
