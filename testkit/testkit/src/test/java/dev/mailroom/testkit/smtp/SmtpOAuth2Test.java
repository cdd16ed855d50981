package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendException;
import dev.mailroom.Secret;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedCommand;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** XOAUTH2: the token is asked for on every new connection, never shown, and a rejection is explained. */
@Timeout(30)
class SmtpOAuth2Test {
  private static final String USER = "billing@acme.example";

  @Test
  void theTokenIsAskedForOnEveryNewConnection() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Faults.Transcript t = new Faults.Transcript();
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().accessToken(USER, "tok-1").start();
        Mailer mailer = Mailer.open(settings(server).username(USER).oauth2(() -> {
          calls.incrementAndGet();
          return Secret.of("tok-1");
        }).build(), MailerOptions.builder().maxAttempts(1).maxMessagesPerConnection(2)
            .transcript(t.lines::add).build())) {
      for (int i = 0; i < 4; i++) {
        mailer.send(Faults.email());
      }
      assertThat(server.messages()).hasSize(4);
      assertThat(server.sessions()).hasSize(2);
      assertThat(server.commands()).filteredOn(c -> c.verb().equals("AUTH"))
          .extracting(ReceivedCommand::line).allMatch(l -> l.startsWith("AUTH XOAUTH2 "));
    }
    assertThat(calls.get()).isEqualTo(2);
    assertThat(t.lines).contains("-> AUTH XOAUTH2 ******");
    assertThat(t.text()).doesNotContain("tok-1");
  }

  @Test
  void aRejectedTokenIsAnAuthenticationFailureWithTheTokenHint() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().accessToken(USER, "good").start();
        Mailer mailer = Mailer.open(settings(server).username(USER).oauth2(() -> Secret.of("expired")).build(),
            MailerOptions.builder().maxAttempts(1).build())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(Faults.email()));
      assertThat(e.category()).isEqualTo(FailureCategory.AUTHENTICATION);
      assertThat(e.failure().hintKey()).isEqualTo("hint.auth.token");
      assertThat(e.isTransient()).isFalse();
      assertThat(server.commands()).extracting(ReceivedCommand::verb).doesNotContain("MAIL");
    }
  }
}
