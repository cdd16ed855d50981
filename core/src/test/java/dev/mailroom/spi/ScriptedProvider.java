package dev.mailroom.spi;

import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A provider whose sender fails with the queued failures, then succeeds; it records every request. */
public class ScriptedProvider implements SenderProvider {
  public final Deque<Failure> failures = new ConcurrentLinkedDeque<>();
  public final List<SendRequest> requests = new CopyOnWriteArrayList<>();
  public volatile CountDownLatch block;
  public volatile boolean closed;
  private final Protocol protocol;

  public ScriptedProvider(Protocol protocol) {
    this.protocol = protocol;
  }

  @Override
  public Protocol protocol() {
    return protocol;
  }

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public Sender open(EmailSettings settings, SenderContext options) {
    return new Sender() {
      @Override
      public SendReceipt send(SendRequest request) throws SendException {
        requests.add(request);
        CountDownLatch b = block;
        if (b != null) {
          try {
            b.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        Failure f = failures.poll();
        if (f != null) {
          throw new SendException(f);
        }
        List<String> accepted = new ArrayList<>();
        request.envelopeRecipients().forEach(a -> accepted.add(a.email()));
        return new SendReceipt("<" + request.email().idempotencyKey() + ">", accepted, Optional.of("250 OK"), 1,
            Duration.ZERO);
      }

      @Override
      public void close() {
        closed = true;
      }
    };
  }
}
