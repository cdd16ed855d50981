package dev.mailroom.diagnostics;

import static dev.mailroom.diagnostics.DiagnosticStep.ACCESS_TOKEN;

import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.Secret;
import dev.mailroom.internal.TokenEndpointException;
import java.io.IOException;

/** The step "get an access token": the settings' OAuth2 supplier asked once, its refusal explained. */
final class AccessTokens {
  private AccessTokens() {}

  /** {@code all} with {@link DiagnosticStep#ACCESS_TOKEN} before {@code before} when the settings use OAuth2. */
  static String[] steps(String[] all, Session s, String before) {
    if (s.settings.oauth2().isEmpty()) {
      return all;
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String step : all) {
      if (step.equals(before)) {
        out.add(ACCESS_TOKEN);
      }
      out.add(step);
    }
    return out.toArray(new String[0]);
  }

  /**
   * Records {@link DiagnosticStep#ACCESS_TOKEN} and returns the token, or null after recording the failure.
   *
   * @param s the session
   * @param host the server the token is for
   * @param port its port
   */
  static Secret get(Session s, String host, int port) {
    long t = Session.start();
    Secret token;
    String why;
    try {
      token = s.settings.oauth2().orElseThrow().accessToken();
      why = token == null ? "the token supplier returned no token" : null;
    } catch (TokenEndpointException e) {
      // Mailroom's own suppliers: the token endpoint's refusal, classified (and redacted) as a send reports it
      s.fail(ACCESS_TOKEN, t, e.failure());
      return null;
    } catch (IOException | RuntimeException e) {
      // the supplier's message is not quoted: it is user code and may hold the token or a refresh token
      token = null;
      why = "the token supplier threw " + e.getClass().getSimpleName();
    }
    if (why != null) {
      s.fail(ACCESS_TOKEN, t, Failure.builder(FailureCategory.AUTHENTICATION).server(host, port)
          .hint("hint.auth.token", "")
          .message("No OAuth2 access token could be obtained (" + why + ")").build());
      return null;
    }
    s.transcript.secret(token.reveal());
    s.ok(ACCESS_TOKEN, t, "detail.access-token.ok");
    return token;
  }
}
