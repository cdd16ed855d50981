package dev.mailroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.spi.HostScriptedProvider;
import dev.mailroom.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class MailerFailoverTest {
  final HostScriptedProvider provider = new HostScriptedProvider(Protocol.SMTP);
  final ManualClock clock = new ManualClock();

  static EmailSettings settings(String host) {
    return EmailSettings.builder().protocol(Protocol.SMTP).host(host).port(587)
        .username("billing@acme.example").password("pw").build();
  }

  Mailer mailer() {
    return Mailer.open(List.of(settings("smtp.primary.example"), settings("smtp.backup.example")),
        MailerOptions.builder().senderProvider(provider).clock(clock).initialBackoff(Duration.ofMillis(1))
            .maxBackoff(Duration.ofMillis(5)).failoverCooldown(Duration.ofMinutes(2)).build());
  }

  static Email invoice() {
    return Email.builder().to("jane@customer.example").subject("Invoice").text("Attached").build();
  }

  static Failure failure(FailureCategory category, boolean isTransient) {
    return Failure.builder(category).transientFailure(isTransient).server("smtp.primary.example", 587).build();
  }

  @ParameterizedTest
  @EnumSource(value = FailureCategory.class, names = {"CONNECTION", "TLS", "TIMEOUT", "AUTHENTICATION",
      "RATE_LIMITED"})
  void movesToTheNextTransportWhenThatIsSafe(FailureCategory category) throws SendException {
    provider.fail("smtp.primary.example", failure(category, category != FailureCategory.AUTHENTICATION));
    try (Mailer m = mailer()) {
      Email email = invoice();
      SendReceipt r = m.send(email);
      assertThat(r.transport()).isPresent();
      assertThat(r.transport().get().index()).isEqualTo(1);
      assertThat(r.transport().get().host()).isEqualTo("smtp.backup.example");
      assertThat(r.transport().get()).hasToString("smtp://smtp.backup.example:587");
      assertThat(r.attempts()).isEqualTo(2);
      assertThat(provider.attempts).containsExactly("smtp.primary.example " + email.idempotencyKey(),
          "smtp.backup.example " + email.idempotencyKey());
    }
  }

  @ParameterizedTest
  @EnumSource(value = FailureCategory.class, names = {"OUTCOME_UNKNOWN", "MESSAGE_REJECTED",
      "RECIPIENT_REJECTED", "SENDER_REJECTED"})
  void neverMovesOnAfterAnUnknownOutcomeOrARejectionOfTheMessage(FailureCategory category) {
    provider.fail("smtp.primary.example", failure(category, false));
    try (Mailer m = mailer()) {
      SendException e = catchThrowableOfType(() -> m.send(invoice()), SendException.class);
      assertThat(e.category()).isEqualTo(category);
      assertThat(provider.attempts).hasSize(1).allMatch(a -> a.startsWith("smtp.primary.example"));
      assertThat(provider.accepted).isEmpty();
    }
  }

  @Test
  void aFailedPrimaryIsPassedOverUntilItsCoolDownEnds() throws SendException {
    provider.fail("smtp.primary.example", failure(FailureCategory.CONNECTION, true));
    try (Mailer m = mailer()) {
      assertThat(m.send(invoice()).transport().get().index()).isEqualTo(1);
      // within the cool-down the primary is not even tried
      assertThat(m.send(invoice()).transport().get().index()).isEqualTo(1);
      assertThat(provider.attempts).filteredOn(a -> a.startsWith("smtp.primary")).hasSize(1);
      clock.advance(Duration.ofMinutes(2));
      SendReceipt back = m.send(invoice());
      assertThat(back.transport().get().index()).isEqualTo(0);
      assertThat(back.attempts()).isEqualTo(1);
    }
  }

  @Test
  void whenEveryTransportFailsTheLastFailureIsReportedAndNothingIsSent() {
    provider.fail("smtp.primary.example", failure(FailureCategory.AUTHENTICATION, false));
    provider.fail("smtp.backup.example", Failure.builder(FailureCategory.AUTHENTICATION)
        .server("smtp.backup.example", 587).build());
    try (Mailer m = mailer()) {
      SendException e = catchThrowableOfType(() -> m.send(invoice()), SendException.class);
      assertThat(e.category()).isEqualTo(FailureCategory.AUTHENTICATION);
      assertThat(e.failure().host()).contains("smtp.backup.example");
      assertThat(e.attempts()).isEqualTo(2);
      assertThat(provider.accepted).isEmpty();
    }
  }

  @Test
  void transientFailuresOnTheLastTransportAreRetriedThere() throws SendException {
    provider.fail("smtp.primary.example", failure(FailureCategory.CONNECTION, true));
    provider.fail("smtp.backup.example", failure(FailureCategory.CONNECTION, true));
    try (Mailer m = mailer()) {
      SendReceipt r = m.send(invoice());
      assertThat(r.transport().get().index()).isEqualTo(1);
      assertThat(r.attempts()).isEqualTo(3);
    }
  }

  @Test
  void listsTheTransportsWithoutSecrets() {
    try (Mailer m = mailer()) {
      assertThat(m.transports()).extracting(Transport::toString)
          .containsExactly("smtp://smtp.primary.example:587", "smtp://smtp.backup.example:587");
      assertThat(m.settings().host()).contains("smtp.primary.example");
    }
  }

  @Test
  void needsAtLeastOneSettings() {
    assertThatThrownBy(() -> Mailer.open(List.of(), MailerOptions.ofDefaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Mailer.open needs at least one EmailSettings");
  }
}
