/**
 * Extension points of Mailroom, found with {@link java.util.ServiceLoader}: {@link
 * dev.mailroom.spi.SenderProvider} (a way to send for a {@link dev.mailroom.Protocol}) and {@link
 * dev.mailroom.spi.PresetProvider} (more provider presets).
 *
 * <p>Register an implementation both in {@code module-info.java} ({@code provides ... with ...}) and in
 * {@code META-INF/services/<interface name>}, so that it is found on the module path and the class path.
 * A provider that fails to load is logged and skipped; it does not stop the others.
 *
 * <p>Null policy: as in {@link dev.mailroom}: no nulls in or out, absent values are
 * {@link java.util.Optional}.
 */
package dev.mailroom.spi;
