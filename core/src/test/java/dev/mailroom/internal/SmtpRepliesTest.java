package dev.mailroom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.internal.SmtpReplies.Reply;
import dev.mailroom.internal.SmtpReplies.Stage;
import dev.mailroom.internal.SmtpReplies.Verdict;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmtpRepliesTest {
  private static Reply reply(String raw) {
    return Reply.parse(raw).orElseThrow();
  }

  @Test
  void parsesMultiLineRepliesWithEnhancedStatus() {
    Reply r = reply("535-5.7.8 Username and Password not accepted. For more information, go to\r\n"
        + "535 5.7.8  https://support.google.com/mail/?p=BadCredentials x - gsmtp");
    assertThat(r.code()).isEqualTo(535);
    assertThat(r.enhancedStatus()).isEqualTo("5.7.8");
    assertThat(r.text()).isEqualTo("Username and Password not accepted. For more information, go to"
        + " https://support.google.com/mail/?p=BadCredentials x - gsmtp");
    assertThat(r.isTransient()).isFalse();
    assertThat(r.toString()).startsWith("535 5.7.8 Username");
  }

  @Test
  void parsesRepliesWithoutTextOrEnhancedStatus() {
    assertThat(reply("250")).isEqualTo(new Reply(250, null, ""));
    assertThat(reply("421 closing")).isEqualTo(new Reply(421, null, "closing"));
    assertThat(Reply.parse("hello")).isEmpty();
    assertThat(Reply.parse("099 x")).isEmpty();
  }

  @Test
  void linesEndWithLfOrCrlfAndEmptyLinesAreSkipped() {
    assertThat(reply("250-first\r\n250 2.0.0 second\n")).isEqualTo(new Reply(250, "2.0.0", "first second"));
    assertThat(reply("250-a\n\n\r\n250 b")).isEqualTo(new Reply(250, null, "a b"));
    assertThat(reply("250 ok\r")).isEqualTo(new Reply(250, null, "ok"));
    assertThat(Reply.parse("\r\n")).isEmpty();
    assertThat(Reply.parse("")).isEmpty();
    // a CR is a line end only before LF: a lone CR line is no reply line
    assertThat(Reply.parse("250 ok\n\r")).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "GREETING|421 4.7.0 Too many connections|RATE_LIMITED|true|hint.rate-limited",
      "GREETING|554 5.7.1 Blocked|CONNECTION|false|hint.connection.closed-by-server",
      "EHLO|501 5.5.4 Invalid domain|PROTOCOL|false|hint.PROTOCOL",
      "STARTTLS|454 4.7.0 TLS not available|TLS|true|hint.tls.starttls-refused",
      "STARTTLS|502 5.5.1 Not implemented|TLS|false|hint.tls.starttls-refused",
      "AUTH|535 5.7.8 Authentication credentials invalid|AUTHENTICATION|false|hint.auth.bad-credentials",
      "AUTH|535 5.7.8 Username and Password not accepted - gsmtp|AUTHENTICATION|false|hint.auth.gmail-bad-credentials",
      "AUTH|534 5.7.9 Application-specific password required - gsmtp|AUTHENTICATION|false|hint.auth.gmail-app-password-required",
      "AUTH|535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant|AUTHENTICATION|false|hint.auth.m365-smtp-auth-disabled",
      "AUTH|550 5.7.30 Basic authentication is not supported for Client Submission.|AUTHENTICATION|false|hint.auth.m365-basic-auth-retired",
      "AUTH|530 5.7.0 Must issue a STARTTLS command first|TLS|false|hint.tls.starttls-missing",
      "AUTH|504 5.5.4 Unrecognized authentication type|AUTHENTICATION|false|hint.auth.not-supported",
      "AUTH|454 4.7.0 Too many login attempts, please try again later|RATE_LIMITED|true|hint.rate-limited",
      "MAIL|550 5.7.60 SMTP; Client does not have permissions to send as this sender|SENDER_REJECTED|false|hint.sender.send-as-denied",
      "MAIL|530 5.7.57 Client not authenticated to send mail|AUTHENTICATION|false|hint.auth.required",
      "MAIL|553 5.7.1 Sender address rejected|SENDER_REJECTED|false|hint.sender.rejected",
      "MAIL|552 5.3.4 Message size exceeds fixed limit|MESSAGE_REJECTED|false|hint.message.too-large",
      "RCPT|550 5.1.1 User unknown|RECIPIENT_REJECTED|false|hint.recipient.rejected",
      "RCPT|450 4.2.1 Receiving mail at a rate that prevents delivery|RATE_LIMITED|true|hint.rate-limited",
      "RCPT|452 4.5.3 Too many recipients|RATE_LIMITED|true|hint.rate-limited",
      "RCPT|451 4.3.0 Temporary lookup failure|RECIPIENT_REJECTED|true|hint.recipient.rejected",
      "END_OF_DATA|552 5.3.4 Message too big|MESSAGE_REJECTED|false|hint.message.too-large",
      "END_OF_DATA|554 5.7.9 Message not accepted for policy reasons|MESSAGE_REJECTED|false|hint.message.policy",
      "END_OF_DATA|554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException|SENDER_REJECTED|false|hint.sender.send-as-denied",
      "END_OF_DATA|451 4.3.0 Temporary system problem|MESSAGE_REJECTED|true|hint.message.rejected",
      "END_OF_DATA|421 4.7.0 Try again later, closing connection|RATE_LIMITED|true|hint.rate-limited",
  })
  void classifies(Stage stage, String raw, FailureCategory category, boolean transientFailure, String hint) {
    Verdict v = SmtpReplies.classify(stage, reply(raw), "mail.example.com", null);
    assertThat(v.category()).isEqualTo(category);
    assertThat(v.transientFailure()).isEqualTo(transientFailure);
    assertThat(v.hintKey()).isEqualTo(hint);
  }

  @Test
  void recognizesProvidersByPresetRepliesAndHost() {
    assertThat(SmtpReplies.provider("smtp.gmail.com", null, "535 x")).isEqualTo("gmail");
    assertThat(SmtpReplies.provider("smtp.office365.com", null, null)).isEqualTo("office365");
    assertThat(SmtpReplies.provider("127.0.0.1", null, "x - gsmtp")).isEqualTo("gmail");
    assertThat(SmtpReplies.provider("127.0.0.1", "yahoo", "x - gsmtp")).isEqualTo("yahoo");
    // a loopback host is not taken for the Proton bridge preset that also lives on 127.0.0.1
    assertThat(SmtpReplies.provider("127.0.0.1", null, "535 nope")).isNull();
    Verdict yahoo = SmtpReplies.classify(Stage.AUTH, reply("535 5.7.0 (#AUTH005) Too many bad auth attempts."),
        "smtp.mail.yahoo.com", null);
    assertThat(yahoo.hintKey()).isEqualTo("hint.auth.yahoo");
    assertThat(yahoo.provider()).isEqualTo("yahoo");
    Verdict outlook = SmtpReplies.classify(Stage.AUTH, reply("535 5.7.3 Authentication unsuccessful"),
        "smtp-mail.outlook.com", null);
    assertThat(outlook.hintKey()).isEqualTo("hint.auth.outlook-oauth-only");
  }

  @Test
  void failureNamesStageServerReplyAndRecipient() {
    Failure f = SmtpReplies.failure(Stage.RCPT, reply("550 5.1.1 <bob@example.com>: User unknown"),
        "smtp.example.com", 587, null, "bob@example.com").build();
    assertThat(f.category()).isEqualTo(FailureCategory.RECIPIENT_REJECTED);
    assertThat(f.message()).isEqualTo("The server refused the recipient bob@example.com (smtp.example.com:587):"
        + " 550 5.1.1 <bob@example.com>: User unknown");
    assertThat(f.code()).hasValue(550);
    assertThat(f.enhancedStatus()).hasValue("5.1.1");
    assertThat(f.hint(Locale.ENGLISH)).isEqualTo("The server refused the recipient bob@example.com. Check the"
        + " address. The server responded: 550 5.1.1 <bob@example.com>: User unknown");
  }
}
