package dev.mailroom.testkit;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The assertion errors of the servers and {@link MailAssertions}: opentest4j's {@code AssertionFailedError}
 * (with expected and actual values, which IDEs show as a diff) when opentest4j is on the class path, as it
 * is with JUnit 5, TestNG 7 or AssertJ's users, and a plain {@link AssertionError} otherwise. Looked up, not
 * linked, so that the test kit needs no test library at run time.
 */
final class AssertionFailures {
  private static final String OPENTEST4J = "org.opentest4j.AssertionFailedError";
  private static final MethodHandle WITH_VALUES = constructor(
      MethodType.methodType(void.class, String.class, Object.class, Object.class));
  private static final MethodHandle MESSAGE_ONLY = constructor(MethodType.methodType(void.class, String.class));

  private AssertionFailures() {}

  /**
   * Returns an assertion error with a message.
   *
   * @param message what was expected and what happened
   * @return the error to throw
   */
  static AssertionError failure(String message) {
    return create(MESSAGE_ONLY, message);
  }

  /**
   * Returns an assertion error with a message and the values compared.
   *
   * @param message what was expected and what happened
   * @param expected the expected value
   * @param actual the actual value
   * @return the error to throw
   */
  static AssertionError failure(String message, Object expected, Object actual) {
    return create(WITH_VALUES, message, expected, actual);
  }

  private static AssertionError create(MethodHandle constructor, Object... arguments) {
    if (constructor != null) {
      try {
        return (AssertionError) constructor.invokeWithArguments(arguments);
      } catch (Throwable e) { // a broken opentest4j: fall back to the plain error
        // fall through
      }
    }
    return new AssertionError((String) arguments[0]);
  }

  private static MethodHandle constructor(MethodType type) {
    try {
      Class<?> c = Class.forName(OPENTEST4J, false, AssertionFailures.class.getClassLoader());
      if (!AssertionError.class.isAssignableFrom(c)) {
        return null;
      }
      return MethodHandles.publicLookup().findConstructor(c, type);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return null;
    }
  }
}
