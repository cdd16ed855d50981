package dev.mailroom.http.internal;

import dev.mailroom.SendException;
import dev.mailroom.http.HttpDialect;
import dev.mailroom.spi.SendRequest;
import java.io.IOException;
import java.net.http.HttpRequest;

/**
 * A dialect that needs several requests for some sends (Microsoft Graph's draft and upload session for
 * large attachments, the Gmail API's resumable upload). Each request goes through the sender's one
 * exchange path (timeouts, watchdog, transcript, redaction).
 */
interface StagedDialect {
  /** Sends one request and returns the answer, whatever its status. */
  @FunctionalInterface
  interface Calls {
    HttpDialect.Response call(HttpRequest request) throws SendException;
  }

  /**
   * Tells whether this send takes the staged path.
   *
   * @param request the send
   * @return true for several requests
   */
  boolean staged(SendRequest request);

  /**
   * Runs the requests. Returns the final answer: the last one when all succeeded, or the first one that
   * did not (the sender classifies it).
   *
   * @param request the send
   * @param context the dialect context
   * @param calls sends one request
   * @return the answer to classify
   * @throws IOException if a request cannot be built
   * @throws SendException if a request failed on the network
   */
  HttpDialect.Response send(SendRequest request, HttpDialect.Context context, Calls calls)
      throws IOException, SendException;
}
