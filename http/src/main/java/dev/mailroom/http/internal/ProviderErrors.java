package dev.mailroom.http.internal;

import java.util.Optional;

/**
 * The error code or name in a built-in provider's JSON error body, for the failure classifier: Postmark's
 * {@code ErrorCode}, Resend's {@code name}, and Brevo's {@code code}.
 * Nothing for other dialects.
 */
final class ProviderErrors {
  private ProviderErrors() {}

  /**
   * @param dialect the dialect id
   * @param body the response body
   * @return the code, or null
   */
  static String code(String dialect, String body) {
    Optional<String> code = switch (dialect) {
      case "postmark" -> JsonDialect.jsonString(body, "ErrorCode");
      case "resend" -> JsonDialect.jsonString(body, "name");
      case "brevo" -> JsonDialect.jsonString(body, "code");
      default -> Optional.empty();
    };
    return code.orElse(null);
  }
}
