package dev.mailroom.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts and stops the annotated test server ({@link dev.mailroom.testkit.MailroomSmtpServer},
 * {@link dev.mailroom.testkit.MailroomHttpServer}, {@link dev.mailroom.testkit.FaultySmtpServer}, any
 * {@link dev.mailroom.testkit.TestServer}) in a JUnit 5 test, through {@link TestServerExtension}.
 *
 * <pre>{@code
 * class InvoiceMailTest {
 *   @StartStop
 *   static MailroomSmtpServer smtp = MailroomSmtpServer.create();
 *
 *   @Test
 *   void emailsTheInvoice() throws Exception {
 *     ... send to smtp.settings() ...
 *     MailAssertions.assertThat(smtp.awaitOne(Duration.ofSeconds(5))).hasSubject("Invoice INV-1");
 *   }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>On a {@code static} field the server starts before the first test of the class and stops after the
 *       last; before each test it forgets the mail earlier tests left (unless built with
 *       {@code clearBetweenTests(false)}). {@code @Nested} classes use the same running server.
 *   <li>On an instance field each test gets the server started for it and stopped after it (with
 *       {@code @TestInstance(PER_CLASS)}, for the whole class, like a {@code static} field).
 *   <li>A field whose server runs already (started by the test itself) is left running, and is only
 *       cleared before each test.
 *   <li>On a test method or constructor parameter it only registers the extension, which resolves every
 *       parameter of a server type anyway.
 * </ul>
 *
 * <p>Every server has its own port, so test classes can run in parallel; test methods that run in parallel
 * within one class should use instance fields or parameters, since they would see each other's mail.
 */
@Documented
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TestServerExtension.class)
public @interface StartStop {}
