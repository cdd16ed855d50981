package dev.mailroom.testkit.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.AttemptResult;
import dev.mailroom.ConnectionEvent;
import dev.mailroom.ConnectionUse;
import dev.mailroom.Email;
import dev.mailroom.Mailer;
import dev.mailroom.MailerListener;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendException;
import dev.mailroom.testkit.MailroomSmtpServer;
import dev.mailroom.testing.Canary;
import dev.mailroom.testkit.junit.StartStop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The SMTP sender reports its connections and where each attempt's time went to the MailerListener. */
class SmtpListenerTest {
  @StartStop
  static MailroomSmtpServer smtp = MailroomSmtpServer.builder().user("billing@acme.test", Canary.PASSWORD).build();

  @Test
  void reportsConnectionsAndAttemptTimings() throws SendException {
    List<ConnectionEvent> opened = new CopyOnWriteArrayList<>();
    List<ConnectionEvent> closed = new CopyOnWriteArrayList<>();
    List<AttemptResult> attempts = new CopyOnWriteArrayList<>();
    MailerListener listener = new MailerListener() {
      @Override
      public void connectionOpened(ConnectionEvent c) {
        opened.add(c);
      }

      @Override
      public void connectionClosed(ConnectionEvent c) {
        closed.add(c);
      }

      @Override
      public void attemptFinished(AttemptResult r) {
        attempts.add(r);
      }
    };
    try (Mailer m = Mailer.open(smtp.settings(), MailerOptions.builder().listener(listener).build())) {
      for (int i = 0; i < 3; i++) {
        m.send(Email.builder().to("jane@customer.test").subject("Invoice " + i).text("Attached.").build());
      }
    }
    assertThat(opened).hasSize(1);
    assertThat(opened.get(0).transport().port()).isEqualTo(smtp.port());
    assertThat(closed).singleElement().satisfies(c -> {
      assertThat(c.connectionId()).isEqualTo(opened.get(0).connectionId());
      assertThat(c.messages()).isEqualTo(3);
    });
    assertThat(attempts).extracting(a -> a.timings().connection())
        .containsExactly(ConnectionUse.NEW, ConnectionUse.REUSED, ConnectionUse.REUSED);
    assertThat(attempts.get(0).timings().connect()).isPresent();
    assertThat(attempts.get(0).timings().signIn()).isPresent();
    assertThat(attempts.get(0).timings().tls()).isEmpty(); // plain loopback server
    assertThat(attempts.get(1).timings().connect()).isEmpty();
    assertThat(attempts).allSatisfy(a -> assertThat(a.timings().transfer()).isPresent());
    for (Object o : List.of(opened, closed, attempts)) {
      Canary.assertNoCanary(o.toString());
    }
  }
}
