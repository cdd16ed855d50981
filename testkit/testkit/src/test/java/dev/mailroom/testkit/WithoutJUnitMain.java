package dev.mailroom.testkit;

import dev.mailroom.Email;
import dev.mailroom.Mailer;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;

/**
 * Run by {@link ServersWithoutJUnitTest} in a JVM without JUnit on the class path: proves that no JUnit
 * type is needed to load the servers (their class hierarchy and every signature) or to run one. Uses no
 * JUnit type itself; exits 0 on success, 1 with the reason on stderr otherwise.
 */
public final class WithoutJUnitMain {
  private WithoutJUnitMain() {}

  /**
   * Loads the servers, sends one email through the SMTP sender to a local SMTP server and reads it back.
   *
   * @param args none
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    try {
      Class.forName("org.junit.jupiter.api.extension.Extension");
      fail("JUnit is on the class path: the check proves nothing");
    } catch (ClassNotFoundException expected) {
      // as it should be
    }
    for (Class<?> c : List.of(TestServer.class, MailroomSmtpServer.class, MailroomHttpServer.class,
        FaultySmtpServer.class, ScriptedSmtpServer.class, RecordingSenderProvider.class)) {
      // resolves the superclasses, interfaces and every type in the methods' signatures
      for (Class<?> s = c; s != null; s = s.getSuperclass()) {
        for (Method m : s.getDeclaredMethods()) {
          m.getGenericReturnType();
          m.getGenericParameterTypes();
        }
        s.getGenericInterfaces();
      }
    }
    try (MailroomSmtpServer smtp = MailroomSmtpServer.create().start();
        Mailer mailer = Mailer.open(smtp.settings())) {
      mailer.send(Email.builder().to("jane@customer.test").subject("Invoice INV-1").text("Attached.").build());
      ReceivedEmail mail = smtp.awaitOne(Duration.ofSeconds(20));
      if (!mail.subject().equals("Invoice INV-1") || !mail.envelopeRecipients().equals(List.of("jane@customer.test"))) {
        fail("unexpected mail: " + mail);
      }
      MailAssertions.assertThat(mail).hasSubject("Invoice INV-1").sentTo("jane@customer.test");
      try (FaultySmtpServer faulty = FaultySmtpServer.create().start();
          MailroomHttpServer http = MailroomHttpServer.create().start()) {
        if (!faulty.isRunning() || !http.isRunning()) {
          fail("a server did not start");
        }
      }
    }
    System.out.println("sent and received without JUnit");
  }

  private static void fail(String reason) {
    System.err.println(reason);
    System.exit(1);
  }
}
