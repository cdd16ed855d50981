package dev.mailroom.spi;

import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;

/**
 * Sends prepared messages for one {@link dev.mailroom.Mailer}: one attempt per call, no retries (the
 * {@code Mailer} retries). Created by a {@link SenderProvider}.
 *
 * <p>Implementations are thread-safe: a {@code Mailer} calls {@link #send(SendRequest)} from several
 * threads at once. They may keep connections open between sends and must release every connection,
 * thread and socket in {@link #close()}.
 */
public interface Sender extends AutoCloseable {
  /**
   * Makes one attempt to send.
   *
   * @param request the message with its resolved envelope
   * @return what the server accepted; its {@code attempts} and {@code elapsed} are replaced by the Mailer
   * @throws SendException if the attempt failed; its {@link dev.mailroom.Failure} says whether a retry can
   *     help
   */
  SendReceipt send(SendRequest request) throws SendException;

  /** Closes all connections and releases all threads. Idempotent; never throws. */
  @Override
  void close();
}
