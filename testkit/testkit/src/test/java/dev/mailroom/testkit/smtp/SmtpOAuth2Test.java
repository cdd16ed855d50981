package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendException;
import dev.mailroom.Secret;
import dev.mailroom.AccessTokenSupplier;
import dev.mailroom.OAuth2;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.Action;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedCommand;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import dev.mailroom.testkit.junit.StartStop;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** XOAUTH2: the token is asked for on every new connection, never shown, and a rejection is explained. */
@Timeout(30)
class SmtpOAuth2Test {
  private static final String USER = "billing@acme.example";

  @StartStop
  static MailroomHttpServer identity = MailroomHttpServer.builder().build();

  /** A token supplier of the application's own, with a cache: "stale" until told it was refused. */
  private static final class CachingSupplier implements AccessTokenSupplier {
    final AtomicReference<String> current = new AtomicReference<>("stale");
    final AtomicInteger invalidated = new AtomicInteger();

    @Override
    public Secret accessToken() {
      return Secret.of(current.get());
    }

    @Override
    public void invalidate(Secret token) {
      invalidated.incrementAndGet();
      current.set("fresh");
    }
  }

  @Test
  void aRefusedTokenIsRenewedOnceAndTheSignInTriedAgain() throws Exception {
    CachingSupplier supplier = new CachingSupplier();
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().accessToken(USER, "fresh").start();
        Mailer mailer = Mailer.open(settings(server).username(USER).oauth2(supplier).build(),
            MailerOptions.builder().maxAttempts(1).build())) {
      mailer.send(Faults.email());
      assertThat(server.messages()).hasSize(1);
      assertThat(server.commands()).filteredOn(c -> c.verb().equals("AUTH")).hasSize(2);
    }
    assertThat(supplier.invalidated.get()).isEqualTo(1);
  }

  @Test
  void aTokenRefusedTwiceFailsAfterOneRetry() {
    CachingSupplier supplier = new CachingSupplier();
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().accessToken(USER, "another").start();
        Mailer mailer = Mailer.open(settings(server).username(USER).oauth2(supplier).build(),
            MailerOptions.builder().maxAttempts(1).build())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(Faults.email()));
      assertThat(e.failure().hintKey()).isEqualTo("hint.auth.token");
      assertThat(server.commands()).filteredOn(c -> c.verb().equals("AUTH")).hasSize(2);
    }
  }

  @Test
  void theRenewingSupplierSignsInOnEveryConnectionWithOneToken() throws Exception {
    AccessTokenSupplier token = OAuth2.clientCredentials(identity.tokenEndpoint(OAuth2.MICROSOFT_SMTP_APP_SCOPE),
        identity.clientId(), identity.clientSecret());
    int before = identity.tokensIssued();
    String value = token.accessToken().reveal();
    Faults.Transcript t = new Faults.Transcript();
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().accessToken(USER, value).start();
        Mailer mailer = Mailer.open(settings(server).username(USER).oauth2(token).build(),
            MailerOptions.builder().maxAttempts(1).maxMessagesPerConnection(1).transcript(t.lines::add).build())) {
      for (int i = 0; i < 3; i++) {
        mailer.send(Faults.email());
      }
      assertThat(server.sessions()).hasSize(3);
    }
    assertThat(identity.tokensIssued() - before).isEqualTo(1);
    assertThat(t.text()).doesNotContain(value).doesNotContain(identity.clientSecret().reveal());
  }

  @Test
  void theTokenEndpointsRefusalIsTheSendsFailure() {
    AccessTokenSupplier token = OAuth2.refreshToken(identity.tokenEndpoint(OAuth2.MICROSOFT_SMTP_SCOPE),
        identity.clientId(), identity.clientSecret(), Secret.of("expired-refresh-token"));
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().accessToken(USER, "x").start();
        Mailer mailer = Mailer.open(settings(server).username(USER).oauth2(token).build(),
            MailerOptions.builder().maxAttempts(1).build())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(Faults.email()));
      assertThat(e.category()).isEqualTo(FailureCategory.AUTHENTICATION);
      assertThat(e.failure().hintKey()).isEqualTo("hint.oauth.refresh-token-expired");
      assertThat(e.getMessage()).contains("AADSTS70008").doesNotContain("expired-refresh-token");
      assertThat(server.sessions()).isEmpty();
    }
  }

  @Test
  void smtpAuthTurnedOffForTheMailboxNamesTheExchangeSetting() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().accessToken(USER, "good")
        .on(Step.AUTH, Action.reply("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is"
            + " disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information."))
        .start();
        Mailer mailer = Mailer.open(settings(server).username(USER).oauth2(() -> Secret.of("good")).build(),
            MailerOptions.builder().maxAttempts(1).build())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(Faults.email()));
      assertThat(e.failure().hintKey()).isEqualTo("hint.oauth.smtp-auth-disabled");
      assertThat(e.failure().hint(Locale.ENGLISH)).contains("Set-CASMailbox");
    }
  }

  @Test
  void anAppUnknownToExchangeSaysHowToRegisterIt() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().accessToken(USER, "good")
        .on(Step.AUTH, Action.reply("535 5.7.3 Authentication unsuccessful [SN4PR0601CA0002.namprd06.prod.outlook.com]"))
        .start();
        Mailer mailer = Mailer.open(settings(server).username(USER).oauth2(() -> Secret.of("good")).build(),
            MailerOptions.builder().maxAttempts(1).build())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(Faults.email()));
      assertThat(e.failure().hintKey()).isEqualTo("hint.oauth.exchange-app-not-registered");
      assertThat(e.failure().hint(Locale.ENGLISH)).contains("New-ServicePrincipal");
    }
  }

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
