package dev.mailroom.internal;

import dev.mailroom.FailureCategory;
import java.util.Locale;
import java.util.Optional;

/**
 * Classifies the error codes of the provider APIs that name their errors (Microsoft Graph's
 * {@code error.code}, the Gmail API's {@code error.errors[].reason} and {@code error.status}, Amazon SES's
 * {@code x-amzn-ErrorType}): one table for the HTTP sender and the diagnostics. Codes Mailroom does not know
 * are left to the status-based classification.
 *
 * <p>Sources: https://learn.microsoft.com/en-us/graph/errors and the sendMail reference;
 * https://developers.google.com/gmail/api/guides/handle-errors; the SES v2 API reference, SendEmail
 * "Errors".
 */
public final class ApiErrors {
  private ApiErrors() {}

  /**
   * What an API error means.
   *
   * @param category the failure category
   * @param transientFailure whether a retry later may help
   * @param hintKey the hint
   */
  public record Verdict(FailureCategory category, boolean transientFailure, String hintKey) {}

  /**
   * Classifies an API's error code.
   *
   * @param dialect the HTTP dialect id: {@code graph}, {@code gmail} or {@code ses}
   * @param status the HTTP status
   * @param code the error code (may be empty)
   * @param message the error message (may be empty), for codes the APIs share between causes
   * @return the verdict, or empty to classify by status
   */
  public static Optional<Verdict> classify(String dialect, int status, String code, String message) {
    String c = code == null ? "" : code;
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    switch (dialect) {
      case "graph":
        return graph(status, c, m);
      case "gmail":
        return gmail(status, c, m);
      case "ses":
        return ses(status, c, m);
      default:
        return Optional.empty();
    }
  }

  private static Optional<Verdict> v(FailureCategory category, boolean tr, String hint) {
    return Optional.of(new Verdict(category, tr, hint));
  }

  private static Optional<Verdict> graph(int status, String c, String m) {
    switch (c) {
      case "InvalidAuthenticationToken":
      case "CompactToken":
      case "CompactTokenValidationFailed":
        return v(FailureCategory.AUTHENTICATION, false, "hint.auth.token");
      case "ErrorAccessDenied":
      case "AccessDenied":
      case "Authorization_RequestDenied":
        return v(FailureCategory.AUTHENTICATION, false, "hint.graph.access-denied");
      case "MailboxNotEnabledForRESTAPI":
      case "MailboxNotSupportedForRESTAPI":
        return v(FailureCategory.CONFIGURATION, false, "hint.graph.mailbox-not-enabled");
      case "ErrorInvalidUser":
      case "ResourceNotFound":
      case "Request_ResourceNotFound":
      case "ErrorItemNotFound":
        return v(FailureCategory.CONFIGURATION, false, "hint.graph.user-not-found");
      case "ErrorMessageSizeExceeded":
      case "ErrorAttachmentSizeExceeded":
      case "RequestEntityTooLarge":
        return v(FailureCategory.MESSAGE_REJECTED, false, "hint.message.too-large");
      case "ErrorInvalidRecipients":
        return v(FailureCategory.RECIPIENT_REJECTED, false, "hint.api.invalid-recipients");
      case "ErrorSendAsDenied":
        return v(FailureCategory.SENDER_REJECTED, false, "hint.api.send-as-denied");
      case "ErrorQuotaExceeded":
        return v(FailureCategory.MESSAGE_REJECTED, false, "hint.graph.quota-exceeded");
      case "ApplicationThrottled":
      case "TooManyRequests":
      case "ErrorServerBusy":
        return v(FailureCategory.RATE_LIMITED, true, "hint.rate-limited");
      default:
        return status == 401 ? v(FailureCategory.AUTHENTICATION, false, "hint.auth.token") : Optional.empty();
    }
  }

  private static Optional<Verdict> gmail(int status, String c, String m) {
    switch (c) {
      case "authError":
      case "UNAUTHENTICATED":
        return v(FailureCategory.AUTHENTICATION, false, "hint.auth.token");
      case "insufficientPermissions":
      case "ACCESS_TOKEN_SCOPE_INSUFFICIENT":
        return v(FailureCategory.AUTHENTICATION, false, "hint.gmail.scope");
      case "failedPrecondition":
      case "FAILED_PRECONDITION":
        return v(FailureCategory.CONFIGURATION, false, "hint.gmail.not-enabled");
      case "rateLimitExceeded":
      case "userRateLimitExceeded":
      case "RESOURCE_EXHAUSTED":
        return v(FailureCategory.RATE_LIMITED, true, "hint.rate-limited");
      case "dailyLimitExceeded":
      case "quotaExceeded":
        return v(FailureCategory.RATE_LIMITED, true, "hint.api.daily-limit");
      case "invalidArgument":
      case "INVALID_ARGUMENT":
        if (m.contains("recipient") || m.contains("to header")) {
          return v(FailureCategory.RECIPIENT_REJECTED, false, "hint.api.invalid-recipients");
        }
        return Optional.empty();
      case "PERMISSION_DENIED":
      case "forbidden":
        if (m.contains("delegation denied") || m.contains("send as") || m.contains("sendas")) {
          return v(FailureCategory.SENDER_REJECTED, false, "hint.api.send-as-denied");
        }
        return v(FailureCategory.AUTHENTICATION, false, "hint.gmail.scope");
      default:
        return status == 401 ? v(FailureCategory.AUTHENTICATION, false, "hint.auth.token") : Optional.empty();
    }
  }

  private static Optional<Verdict> ses(int status, String c, String m) {
    switch (c) {
      case "MessageRejected":
        if (m.contains("not verified")) {
          return v(FailureCategory.SENDER_REJECTED, false, "hint.ses.not-verified");
        }
        return v(FailureCategory.MESSAGE_REJECTED, false, "hint.message.rejected");
      case "MailFromDomainNotVerifiedException":
        return v(FailureCategory.SENDER_REJECTED, false, "hint.ses.mail-from-not-verified");
      case "AccountSuspendedException":
        return v(FailureCategory.CONFIGURATION, false, "hint.ses.account-suspended");
      case "SendingPausedException":
        return v(FailureCategory.CONFIGURATION, false, "hint.ses.sending-paused");
      case "TooManyRequestsException":
      case "ThrottlingException":
        return v(FailureCategory.RATE_LIMITED, true, "hint.rate-limited");
      case "LimitExceededException":
        return v(FailureCategory.RATE_LIMITED, true, "hint.ses.limit-exceeded");
      case "NotFoundException":
        return v(FailureCategory.CONFIGURATION, false, "hint.ses.not-found");
      case "UnrecognizedClientException":
      case "InvalidSignatureException":
      case "SignatureDoesNotMatch":
      case "IncompleteSignatureException":
      case "InvalidClientTokenId":
      case "ExpiredTokenException":
      case "AccessDeniedException":
      case "MissingAuthenticationTokenException":
        return v(FailureCategory.AUTHENTICATION, false, "hint.ses.credentials");
      case "BadRequestException":
        return v(FailureCategory.MESSAGE_REJECTED, false, "hint.message.rejected");
      default:
        return status == 403 ? v(FailureCategory.AUTHENTICATION, false, "hint.ses.credentials") : Optional.empty();
    }
  }
}
