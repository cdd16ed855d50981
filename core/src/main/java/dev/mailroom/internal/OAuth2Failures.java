package dev.mailroom.internal;

import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies what OAuth2 token endpoints (Microsoft identity platform, Google) answer, and the servers' refusals of
 * a token, into {@link Failure}s with their own hints: one place for the OAuth2 sender paths and the diagnostics.
 *
 * <p>Sources: RFC 6749 section 5.2 (error codes); Microsoft's AADSTS error code list
 * (https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes); Google's OAuth2
 * service-account errors (https://developers.google.com/identity/protocols/oauth2/service-account).
 */
public final class OAuth2Failures {
  private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d{4,8})");

  private OAuth2Failures() {}

  /** The hint key for a token endpoint's error answer ({@code error}, {@code error_description}). */
  public static String hintFor(String error, String description) {
    String e = error == null ? "" : error.toLowerCase(Locale.ROOT);
    String d = description == null ? "" : description.toLowerCase(Locale.ROOT);
    String code = aadsts(description);
    switch (code) {
      case "7000222": // the client secret keys have expired
        return "hint.oauth.client-secret-expired";
      case "7000215": // invalid client secret provided
      case "7000218": // client_assertion or client_secret missing
      case "700027": // client assertion signature not valid
        return "hint.oauth.client-secret-wrong";
      case "65001": // the user or administrator has not consented
      case "65004":
      case "650057":
      case "90094": // admin consent required
      case "90099":
        return "hint.oauth.consent-missing";
      case "90002": // tenant not found
      case "90023":
      case "900023": // specified tenant identifier is neither a valid DirectoryName nor a valid ObjectId
      case "700016": // application not found in the directory (tenant)
      case "50020": // user account from identity provider does not exist in tenant
      case "50128": // invalid domain name
      case "50059":
        return "hint.oauth.wrong-tenant";
      case "70008": // the refresh token has expired due to inactivity
      case "700082":
      case "700084":
      case "50173": // the grant has expired due to it being revoked
      case "50076": // multi-factor authentication now required: the user has to sign in again
      case "50078":
      case "50079":
      case "54005": // code already redeemed
      case "70043":
      case "70000":
      case "50089":
      case "500341": // the user account has been deleted
        return "hint.oauth.refresh-token-expired";
      case "70011": // the provided value for the input parameter 'scope' is not valid
      case "70012":
      case "1002012":
        return "hint.oauth.scope-invalid";
      default:
        break;
    }
    if (e.equals("invalid_grant")) {
      // Google: "Token has been expired or revoked."; also "Bad Request" for a wrong refresh token
      return d.contains("invalid jwt") || d.contains("signature") ? "hint.oauth.client-secret-wrong"
          : d.contains("invalid email or user id") ? "hint.oauth.delegation-missing"
          : "hint.oauth.refresh-token-expired";
    }
    if (e.equals("unauthorized_client")) {
      // Google service account without domain-wide delegation for these scopes
      return "hint.oauth.delegation-missing";
    }
    if (e.equals("invalid_client")) {
      return d.contains("expired") ? "hint.oauth.client-secret-expired" : "hint.oauth.client-secret-wrong";
    }
    if (e.equals("consent_required") || e.equals("interaction_required") && d.contains("consent")) {
      return "hint.oauth.consent-missing";
    }
    if (e.equals("interaction_required")) {
      return "hint.oauth.refresh-token-expired";
    }
    if (e.equals("invalid_scope")) {
      return "hint.oauth.scope-invalid";
    }
    if (e.equals("invalid_request") && (d.contains("tenant") || d.contains("directory"))) {
      return "hint.oauth.wrong-tenant";
    }
    return "hint.oauth.refused";
  }

  /** The Microsoft error code in an error description ({@code AADSTS70008} gives {@code 70008}), or "". */
  public static String aadsts(String description) {
    if (description == null) {
      return "";
    }
    Matcher m = AADSTS.matcher(description);
    return m.find() ? m.group(1) : "";
  }

  /**
   * The failure for a token endpoint's HTTP answer other than a token.
   *
   * @param status the HTTP status
   * @param answer the parsed JSON answer (empty if the body was not JSON)
   * @param host the endpoint's host
   * @param port the endpoint's port
   * @param retryAfter the endpoint's Retry-After, or null
   * @param redactor removes the request's secrets from text the endpoint echoes
   */
  public static Failure.Builder refused(int status, Map<String, String> answer, String host, int port,
      Duration retryAfter, Redactor redactor) {
    // redaction on the raw text, then the sanitizer: an echo cannot hide in an escape or behind the cut
    String error = Sanitizer.clean(answer.getOrDefault("error", ""), redactor, 80);
    String description = Sanitizer.clean(answer.getOrDefault("error_description",
        answer.getOrDefault("message", "")), redactor, 400);
    String reply = (error + (description.isEmpty() ? "" : ": " + description)).trim();
    if (status == 429 || status >= 500 || error.equals("temporarily_unavailable") || error.equals("server_error")) {
      Failure.Builder b = Failure.builder(status == 429 ? FailureCategory.RATE_LIMITED : FailureCategory.CONNECTION)
          .transientFailure(true).server(host, port).code(status)
          .hint("hint.oauth.endpoint-unavailable", "")
          .message("The OAuth2 token endpoint " + host + " is not available (HTTP " + status + ")"
              + (reply.isEmpty() ? "" : ": " + reply));
      if (retryAfter != null) {
        b.retryAfter(retryAfter);
      }
      if (!reply.isEmpty()) {
        b.serverReply(reply);
      }
      return b;
    }
    String hint = status == 404 || status == 405 ? "hint.oauth.endpoint-not-found"
        : error.isEmpty() ? "hint.oauth.refused" : hintFor(error, description);
    Failure.Builder b = Failure.builder(status == 404 || status == 405 ? FailureCategory.CONFIGURATION
            : FailureCategory.AUTHENTICATION)
        .server(host, port).code(status)
        .hint(hint, hint.equals("hint.oauth.refused") ? reply : "")
        .message("The OAuth2 token endpoint " + host + " refused to issue an access token (HTTP " + status + ")"
            + (reply.isEmpty() ? "" : ": " + reply));
    if (!reply.isEmpty()) {
      b.serverReply(reply);
    }
    return b;
  }

  /** The failure for a token endpoint that could not be reached or answered garbage. */
  public static Failure.Builder unreachable(IOException e, String host, int port, boolean https) {
    return NetworkFailures.classify(e, host, port, https);
  }

  /** The failure when the answer is 200 but holds no usable token. */
  public static Failure.Builder noToken(String host, int port, String why) {
    return Failure.builder(FailureCategory.PROTOCOL).server(host, port)
        .hint("hint.oauth.refused", "")
        .message("The OAuth2 token endpoint " + host + " answered without a usable access token (" + why + ")");
  }
}
