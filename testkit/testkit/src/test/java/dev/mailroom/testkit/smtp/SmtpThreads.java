package dev.mailroom.testkit.smtp;

import java.util.ArrayList;
import java.util.List;

/** Finds Mailroom's threads (named {@code mailroom-...}) still alive. */
final class SmtpThreads {
  private SmtpThreads() {}

  /** The names of live Mailroom threads, after giving ending threads up to 2 s to finish. */
  static List<String> mailroomThreads() throws InterruptedException {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      names.clear();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.isAlive() && t.getName().startsWith("mailroom-")) {
          names.add(t.getName());
        }
      }
      if (names.isEmpty()) {
        return names;
      }
      Thread.sleep(20);
    }
    return names;
  }
}
