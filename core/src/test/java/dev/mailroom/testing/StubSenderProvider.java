package dev.mailroom.testing;

import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.spi.SendRequest;
import dev.mailroom.spi.Sender;
import dev.mailroom.spi.SenderContext;
import dev.mailroom.spi.SenderProvider;
import java.time.Duration;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/** An SMTP sender provider without a server: fails with the queued failures, then accepts; counts sends. */
public final class StubSenderProvider implements SenderProvider {
  public final Deque<Failure> failures = new ConcurrentLinkedDeque<>();
  public final AtomicInteger accepted = new AtomicInteger();

  @Override
  public Protocol protocol() {
    return Protocol.SMTP;
  }

  @Override
  public String name() {
    return "stub";
  }

  @Override
  public Sender open(EmailSettings settings, SenderContext context) {
    return new Sender() {
      @Override
      public SendReceipt send(SendRequest request) throws SendException {
        Failure f = failures.poll();
        if (f != null) {
          throw new SendException(f);
        }
        accepted.incrementAndGet();
        return new SendReceipt(request.email().idempotencyKey() + "@stub",
            request.envelopeRecipients().stream().map(a -> a.email()).toList(), Optional.empty(), 1, Duration.ZERO);
      }

      @Override
      public void close() {}
    };
  }
}
