package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.Email;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.Action;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedCommand;
import dev.mailroom.testkit.ScriptedSmtpServer.Session;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connection reuse: kept connections, checks, reconnects, limits and the end of everything on close. */
@Timeout(60)
class SmtpConnectionPoolTest {
  private ScriptedSmtpServer server;

  @BeforeEach
  void start() {
    server = ScriptedSmtpServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static MailerOptions.Builder options() {
    return MailerOptions.builder().maxAttempts(1);
  }

  private List<String> verbs(int session) {
    return server.sessions().get(session).commands().stream().map(ReceivedCommand::verb).toList();
  }

  @Test
  void aConnectionClosedByTheServerIsReplacedTransparently() throws Exception {
    try (Mailer mailer = Mailer.open(settings(server).build(), options().build())) {
      mailer.send(Faults.email());
      // the server has closed the idle connection; the client finds out at MAIL
      server.onNext(Step.MAIL, Action.drop());
      SendReceipt r = mailer.send(Faults.email());
      assertThat(r.attempts()).isEqualTo(1);
    }
    assertThat(server.sessions()).hasSize(2);
    assertThat(server.messages()).hasSize(2);
  }

  @Test
  void a421OnAKeptConnectionIsReplacedTransparently() throws Exception {
    try (Mailer mailer = Mailer.open(settings(server).build(), options().build())) {
      mailer.send(Faults.email());
      server.onNext(Step.MAIL, Action.reply("421 4.4.2 Idle timeout, closing").then(Action.drop()));
      assertThat(mailer.send(Faults.email()).attempts()).isEqualTo(1);
    }
    assertThat(server.messages()).hasSize(2);
  }

  @Test
  void aFreshConnectionThatFailsIsNotRetriedTransparently() {
    server.onNext(Step.MAIL, Action.drop());
    try (Mailer mailer = Mailer.open(settings(server).build(), options().build())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(Faults.email()));
      assertThat(e.category()).isEqualTo(FailureCategory.CONNECTION);
      assertThat(e.isTransient()).isTrue();
    }
    assertThat(server.sessions()).hasSize(1);
  }

  @Test
  void idleConnectionsAreCheckedWithNoopBeforeReuse() throws Exception {
    try (Mailer mailer = Mailer.open(settings(server).build(),
        options().idleCheckAfter(Duration.ZERO).build())) {
      mailer.send(Faults.email());
      mailer.send(Faults.email());
    }
    assertThat(server.sessions()).hasSize(1);
    assertThat(verbs(0)).containsSubsequence("DATA", "NOOP", "MAIL", "DATA", "QUIT");
  }

  @Test
  void aDeadConnectionFoundByNoopIsReplaced() throws Exception {
    try (Mailer mailer = Mailer.open(settings(server).build(),
        options().idleCheckAfter(Duration.ZERO).build())) {
      mailer.send(Faults.email());
      server.onNext(Step.NOOP, Action.reply("421 4.4.2 closing").then(Action.drop()));
      assertThat(mailer.send(Faults.email()).attempts()).isEqualTo(1);
    }
    assertThat(server.sessions()).hasSize(2);
    assertThat(server.messages()).hasSize(2);
  }

  @Test
  void idleConnectionsAreClosedWithQuitAfterTheIdleTimeout() throws Exception {
    try (Mailer mailer = Mailer.open(settings(server).build(),
        options().idleTimeout(Duration.ofMillis(200)).build())) {
      mailer.send(Faults.email());
      Session s = server.sessions().get(0);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!s.closed() && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      assertThat(s.closed()).isTrue();
      assertThat(verbs(0)).endsWith("QUIT");
      mailer.send(Faults.email());
    }
    assertThat(server.sessions()).hasSize(2);
  }

  @Test
  void aConnectionThatTimedOutIsNeverReused() throws Exception {
    try (Mailer mailer = Mailer.open(Faults.timingOut(settings(server)).build(), options().build())) {
      server.onNext(Step.RCPT, Action.stall());
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(Faults.email()));
      assertThat(e.category()).isEqualTo(FailureCategory.TIMEOUT);
      mailer.send(Faults.email());
    }
    assertThat(server.sessions()).hasSize(2);
  }

  @Test
  void aCleanRejectionKeepsTheConnection() throws Exception {
    try (Mailer mailer = Mailer.open(settings(server).build(), options().build())) {
      server.onNext(Step.RCPT, Action.reply("550 5.1.1 No such user"));
      catchThrowableOfType(SendException.class, () -> mailer.send(Faults.email()));
      mailer.send(Faults.email());
    }
    assertThat(server.sessions()).hasSize(1);
    assertThat(verbs(0)).containsSubsequence("RCPT", "RSET", "MAIL", "RCPT", "DATA", "QUIT");
  }

  @Test
  void concurrentSendersShareAtMostMaxConnections() throws Exception {
    try (Mailer mailer = Mailer.open(settings(server).build(), options().maxConnections(4).build())) {
      List<CompletableFuture<SendReceipt>> all = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        all.add(mailer.sendAsync(Email.builder().to("c" + i + "@example.com").subject("n" + i).text("x").build()));
      }
      CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    }
    assertThat(server.messages()).hasSize(40);
    assertThat(server.sessions().size()).isBetween(1, 4);
    for (Session s : server.sessions()) {
      assertThat(s.commands().get(s.commands().size() - 1).verb()).isEqualTo("QUIT");
    }
    assertThat(SmtpThreads.mailroomThreads()).isEmpty();
  }

  @Test
  void closeSendsQuitOnEveryConnectionAndLeavesNoThread() throws Exception {
    Mailer mailer = Mailer.open(settings(server).build(), options().maxConnections(2).build());
    CompletableFuture<SendReceipt> a = mailer.sendAsync(Faults.email());
    CompletableFuture<SendReceipt> b = mailer.sendAsync(Faults.email());
    a.get(10, TimeUnit.SECONDS);
    b.get(10, TimeUnit.SECONDS);
    mailer.close();
    for (Session s : server.sessions()) {
      assertThat(s.commands().get(s.commands().size() - 1).verb()).isEqualTo("QUIT");
    }
    assertThat(SmtpThreads.mailroomThreads()).isEmpty();
  }
}
