package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Address;
import dev.mailroom.Email;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedMessage;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Inputs on which two address parsers could disagree about the mailbox or the domain (comments, quoted
 * local parts, text after the angle brackets, groups, several addresses, source routes, IDN tricks): an
 * input is accepted only when it is exactly one address that round-trips and that a lenient parser
 * (Angus's) reads the same way, and then the envelope the server receives (MAIL FROM, RCPT TO) is exactly
 * that address.
 */
@Timeout(60)
class SmtpAddressDifferentialTest {
  static final List<String> INPUTS = List.of(
      // comments
      "a@example.com (b@evil.example)", "(b@evil.example) a@example.com", "a(comment)@example.com",
      "a@(comment)example.com", "a@example.com(comment)",
      // quoted local parts
      "\"a@evil.example\"@example.com", "\"a\"@example.com", "\"a b\"@example.com", "\"a\\\"b\"@example.com",
      // angle brackets followed by more text, or nested
      "<a@example.com> b@evil.example", "<a@example.com>evil.example", "<a@example.com>>", "<<a@example.com>>",
      "Acme <a@example.com> <b@evil.example>", "a@example.com <b@evil.example>", "a@example.com>",
      "<a@example.com", "Acme <a@example.com> (evil)",
      // groups and lists
      "Friends: a@example.com, b@evil.example;", "Friends:;", "Friends: a@example.com;",
      "a@example.com, b@evil.example", "a@example.com;b@evil.example", "a@example.com,",
      // several @, source routes, literals
      "a@evil.example@example.com", "@evil.example:a@example.com", "<@evil.example:a@example.com>",
      "a@[127.0.0.1]", "a@[IPv6:::1]", "a@example.com.", "a@example..com", "a@-example.com", "a @example.com",
      // accepted forms, each must reach the envelope exactly
      "a@example.com", "<a@example.com>", "Acme <a@example.com>", "\"Acme, Ltd.\" <a@example.com>",
      "\"a@evil.example\" <a@example.com>", "=?utf-8?q?b@evil.example?= <a@example.com>",
      "a%evil.example@example.com", "a!evil.example@example.com", "a+tag@example.com", "A@EXAMPLE.COM",
      "a@bücher.example", "a@example.com\t", "  a@example.com  ", "a@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com",
      "a@example.com\u3002evil", "a@ex\u00adample.com", "jürgen@example.com");

  @Test
  void acceptedOnlyWhenExactlyOneAddressRoundTripsAndTheEnvelopeUsesIt() throws Exception {
    List<String> accepted = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    try (ScriptedSmtpServer server = ScriptedSmtpServer.start();
        Mailer mailer = Mailer.open(settings(server).build(), MailerOptions.builder().maxAttempts(1).build())) {
      for (String input : INPUTS) {
        Address a;
        try {
          a = Address.parse(input);
        } catch (IllegalArgumentException e) {
          assertThat(e.getMessage()).startsWith("not a valid email address (");
          refused.add(input);
          continue;
        }
        accepted.add(input);
        // round trip
        assertThat(Address.parse(a.toString())).as(input).isEqualTo(a);
        // a lenient parser reads exactly one address, with the same mailbox
        InternetAddress[] lenient;
        try {
          lenient = InternetAddress.parseHeader(input.strip(), false);
        } catch (AddressException e) {
          lenient = new InternetAddress[0];
        }
        assertThat(lenient).as("Angus reads one address in %s", input).hasSize(1);
        // the same mailbox once the domain is normalised (IDNA: full-width letters and dots become ASCII),
        // which Mailroom does once, so that what is shown is what the envelope uses
        assertThat(Address.of(lenient[0].getAddress()).email().toLowerCase(Locale.ROOT)).as(input)
            .isEqualTo(a.email().toLowerCase(Locale.ROOT));

        int before = server.messages().size();
        mailer.send(Email.builder().from(input).to(input).subject("differential").text("x").build());
        ReceivedMessage m = server.messages().get(before);
        String envelope = a.hasAsciiLocalPart() ? a.asciiEmail() : a.email();
        assertThat(m.envelopeFrom()).as("MAIL FROM for %s", input).isEqualTo(envelope);
        assertThat(m.recipients()).as("RCPT TO for %s", input).containsExactly(envelope);
        assertThat(m.header("To").orElseThrow()).as(input).endsWith(a.name().isEmpty() ? envelope
            : "<" + envelope + ">");
      }
    }
    assertThat(refused).contains("a@example.com (b@evil.example)", "\"a@evil.example\"@example.com",
        "<a@example.com> b@evil.example", "Friends: a@example.com, b@evil.example;",
        "a@example.com, b@evil.example", "a@evil.example@example.com", "<@evil.example:a@example.com>",
        "a@[127.0.0.1]");
    assertThat(accepted).contains("a@example.com", "Acme <a@example.com>", "\"a@evil.example\" <a@example.com>",
        "a%evil.example@example.com", "a@bücher.example", "jürgen@example.com");
  }
}
