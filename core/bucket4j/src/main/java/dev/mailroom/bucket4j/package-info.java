/**
 * Bucket4j adapter of {@link dev.mailroom.SendLimiter}, for sending limits shared by several application
 * instances.
 *
 * <p>Null policy: as in {@link dev.mailroom}: no nulls in or out.
 */
package dev.mailroom.bucket4j;
