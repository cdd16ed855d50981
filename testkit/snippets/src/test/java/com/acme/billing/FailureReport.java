package com.acme.billing;

import dev.mailroom.Failure;
import dev.mailroom.SendException;
import java.util.Locale;

public final class FailureReport {
  public static String describe(SendException e, Locale locale) {
    Failure f = e.failure();
    return String.join("\n",
        "What:      " + f.category(),       // CONNECTION, TLS, AUTHENTICATION, RECIPIENT_REJECTED, RATE_LIMITED...
        "Retry:     " + (f.isTransient() ? "later can work (the Mailer has already retried)" : "will not help"),
        "Server:    " + f.code().orElse(0) + " " + f.enhancedStatus().orElse("")   // e.g. 535 5.7.8
            + " " + f.serverReply().orElse(""),                                    // the server's own words
        "Title:     " + f.title(locale),    // e.g. "The server rejected the login"
        "Hint:      " + f.hint(locale));    // e.g. "Gmail rejected the login. Use an app password..."
  }
}
