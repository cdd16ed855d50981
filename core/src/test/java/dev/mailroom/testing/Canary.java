package dev.mailroom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Canary secrets and the check that they appear nowhere: not plain, not base64 (as in SMTP AUTH PLAIN
 * and LOGIN, and XOAUTH2), not URL-encoded.
 */
public final class Canary {
  /** A password that no real system uses; its appearance anywhere is a leak. */
  public static final String PASSWORD = "Canary-P4ss+w0rd/zq7";
  /** An API key that no real system uses. */
  public static final String API_KEY = "canary-api-key-5Xq9T2vL";
  /** An OAuth2 token that no real system uses. */
  public static final String TOKEN = "ya29.canary-token-Hk3mZ";

  private Canary() {}

  /** The forms in which {@code secret} could leak: plain, base64 of it and of AUTH PLAIN, URL-encoded. */
  public static List<String> forms(String secret) {
    Base64.Encoder b64 = Base64.getEncoder();
    return List.of(
        secret,
        b64.encodeToString(secret.getBytes(StandardCharsets.UTF_8)),
        // the middle of a base64 string depends on alignment: check the three alignments of the secret
        b64.encodeToString(("\0" + secret).getBytes(StandardCharsets.UTF_8)).substring(4),
        b64.encodeToString(("\0\0" + secret).getBytes(StandardCharsets.UTF_8)).substring(4),
        URLEncoder.encode(secret, StandardCharsets.UTF_8));
  }

  /** Asserts that no form of {@code secret} (or a long enough piece of one) occurs in {@code text}. */
  public static void assertAbsent(String text, String secret) {
    for (String form : forms(secret)) {
      String needle = form.length() > 12 ? form.substring(0, form.length() - 4) : form;
      assertThat(text).as("text must not contain the secret in the form %s", form).doesNotContain(needle);
    }
  }

  /** Asserts that none of the canaries occurs in {@code text}. */
  public static void assertNoCanary(String text) {
    assertAbsent(text, PASSWORD);
    assertAbsent(text, API_KEY);
    assertAbsent(text, TOKEN);
  }

  /** The full text of an exception: messages, causes, suppressed and stack traces. */
  public static String describe(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
