package dev.mailroom.testkit.internal;

import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import java.util.Locale;

/**
 * Turns a negative SMTP reply at a stage of the conversation into a {@link Failure}: category, whether it
 * is transient, the hint (provider-specific where the reply is recognized) and the reply quoted.
 */
public final class ReplyFailures {
  private ReplyFailures() {}

  /**
   * Classifies a reply.
   *
   * @param stage where the reply came
   * @param reply the reply
   * @param host the server
   * @param port the port
   * @param provider the detected provider's preset id, or null
   * @param detail what the hint may quote (the sender or recipient address), or empty
   * @return the failure builder
   */
  public static Failure.Builder classify(SmtpStage stage, SmtpReply reply, String host, int port, String provider,
      String detail) {
    int code = reply.code();
    String status = reply.enhancedStatus().orElse("");
    String text = reply.oneLine();
    String lower = text.toLowerCase(Locale.ROOT);
    boolean temp = reply.transientNegative();
    Failure.Builder b;
    if (code == 421 || status.equals("4.7.0") && stage != SmtpStage.AUTH
        || code == 450 && status.equals("4.2.1") || code == 451 && lower.contains("rate")
        || lower.contains("too many") && temp) {
      b = Failure.builder(FailureCategory.RATE_LIMITED).transientFailure(true).hint("hint.rate-limited", detail);
    } else if (stage == SmtpStage.GREETING) {
      b = Failure.builder(FailureCategory.CONNECTION).transientFailure(temp)
          .hint("hint.connection.closed-by-server", detail);
    } else if (stage == SmtpStage.EHLO) {
      b = Failure.builder(FailureCategory.PROTOCOL).transientFailure(temp)
          .hint("hint.protocol.invalid-reply", detail);
    } else if (stage == SmtpStage.STARTTLS) {
      b = Failure.builder(FailureCategory.TLS).transientFailure(temp).hint("hint.tls.starttls-refused", detail);
    } else if (code == 530 && status.equals("5.7.0") && lower.contains("starttls") || code == 538) {
      b = Failure.builder(FailureCategory.TLS).hint("hint.tls.starttls-missing", detail);
    } else if (stage == SmtpStage.AUTH || code == 530 || code == 535 || code == 534
        || status.equals("5.7.57") || status.equals("5.7.30") || status.equals("5.7.139")) {
      b = Failure.builder(FailureCategory.AUTHENTICATION).transientFailure(temp)
          .hint(authHint(code, status, lower, provider), detail);
    } else if (status.equals("5.7.60") || lower.contains("sendasdenied")) {
      b = Failure.builder(FailureCategory.SENDER_REJECTED).hint("hint.sender.send-as-denied", detail);
    } else if (stage == SmtpStage.MAIL) {
      b = Failure.builder(FailureCategory.SENDER_REJECTED).transientFailure(temp)
          .hint(code == 552 || status.equals("5.3.4") ? "hint.message.too-large" : "hint.sender.rejected", detail);
    } else if (stage == SmtpStage.RCPT) {
      b = Failure.builder(FailureCategory.RECIPIENT_REJECTED).transientFailure(temp)
          .hint("hint.recipient.rejected", detail);
    } else if (code == 552 || status.equals("5.3.4") || status.equals("5.2.3")) {
      b = Failure.builder(FailureCategory.MESSAGE_REJECTED).hint("hint.message.too-large", detail);
    } else if (status.startsWith("5.7.") && (stage == SmtpStage.DATA || stage == SmtpStage.DATA_END)) {
      b = Failure.builder(FailureCategory.MESSAGE_REJECTED).hint("hint.message.policy", detail);
    } else {
      b = Failure.builder(FailureCategory.MESSAGE_REJECTED).transientFailure(temp)
          .hint("hint.message.rejected", detail);
    }
    b.server(host, port).code(code).serverReply(text);
    if (!status.isEmpty()) {
      b.enhancedStatus(status);
    }
    if (provider != null) {
      b.provider(provider);
    }
    return b;
  }

  private static String authHint(int code, String status, String lower, String provider) {
    if (status.equals("5.7.139") || lower.contains("smtpclientauthentication is disabled")
        || lower.contains("security defaults")) {
      return "hint.auth.m365-smtp-auth-disabled";
    }
    if (status.equals("5.7.30") || lower.contains("basic authentication is not supported")) {
      return "hint.auth.m365-basic-auth-retired";
    }
    if (code == 534 && status.equals("5.7.9") || lower.contains("invalidsecondfactor")
        || lower.contains("application-specific password required")) {
      return "hint.auth.gmail-app-password-required";
    }
    if (lower.contains("badcredentials") || "gmail".equals(provider) && code == 535) {
      return "hint.auth.gmail-bad-credentials";
    }
    if (lower.contains("#auth005") || "yahoo".equals(provider) && code == 535) {
      return "hint.auth.yahoo";
    }
    if ("outlook".equals(provider) && code == 535) {
      return "hint.auth.outlook-oauth-only";
    }
    if (status.equals("5.7.3") || status.equals("5.7.57") || "office365".equals(provider) && code == 535) {
      return "hint.auth.m365-bad-credentials";
    }
    if (code == 530) {
      return "hint.auth.required";
    }
    if (code == 504 || code == 502) {
      return "hint.auth.not-supported";
    }
    return "hint.auth.bad-credentials";
  }
}
