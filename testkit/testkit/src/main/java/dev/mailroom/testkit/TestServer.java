package dev.mailroom.testkit;

/**
 * A local mail server for tests that can be started and stopped: {@link MailroomSmtpServer},
 * {@link MailroomHttpServer} and {@link FaultySmtpServer}. A plain {@link AutoCloseable} object that needs no
 * test framework: call {@link #start()} and {@link #close()} (or use try-with-resources). In JUnit 5 tests,
 * annotate the field with {@link dev.mailroom.testkit.junit.StartStop} and the JUnit extension starts and
 * stops it.
 *
 * <pre>{@code
 * try (MailroomSmtpServer smtp = MailroomSmtpServer.create().start()) {
 *   ... send to smtp.settings() ...
 *   MailAssertions.assertThat(smtp.awaitOne(Duration.ofSeconds(5))).hasSubject("Invoice INV-1");
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
public interface TestServer extends MailSink, AutoCloseable {
  /**
   * Starts the server on a free port of {@code 127.0.0.1}. Does nothing if it runs already.
   *
   * @return this server
   */
  TestServer start();

  /**
   * Stops the server, closing its connections. Received mail stays readable. Does nothing if it is not
   * running.
   */
  void stop();

  /** Stops the server; same as {@link #stop()}. */
  @Override
  void close();

  /**
   * Tells whether the server is running.
   *
   * @return true between {@link #start()} and {@link #stop()}
   */
  boolean isRunning();

  /**
   * Tells whether the JUnit extension makes this server, when it runs already (a {@code static} field, a
   * {@code @Nested} class's outer server), forget earlier mail before each test, as {@link #clear()} does.
   * True unless the server was built with {@code clearBetweenTests(false)}.
   *
   * @return whether mail is forgotten before each test
   */
  boolean clearsBetweenTests();
}
