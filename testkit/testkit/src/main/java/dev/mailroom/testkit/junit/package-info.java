/**
 * The JUnit 5 extension over the test kit's servers: annotate a server field with {@link
 * dev.mailroom.testkit.junit.StartStop} and JUnit starts it before the tests and stops it after them, or
 * declare a test method parameter of a server type and receive a started one. The servers themselves
 * ({@link dev.mailroom.testkit.TestServer}) need no JUnit; this package needs {@code junit-jupiter-api} 5.12 or
 * later on the test class path (an optional dependency of the test kit) and keeps all of its state in
 * JUnit's {@link org.junit.jupiter.api.extension.ExtensionContext.Store}.
 */
package dev.mailroom.testkit.junit;
