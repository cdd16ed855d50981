/**
 * Internal helpers shared by the Mailroom modules. Not API: exported only to the sender modules and may
 * change in any release.
 */
package dev.mailroom.internal;
