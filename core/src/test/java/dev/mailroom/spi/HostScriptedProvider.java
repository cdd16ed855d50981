package dev.mailroom.spi;

import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/** Senders whose failures are queued per host, so failover between two "servers" can be scripted. */
public class HostScriptedProvider implements SenderProvider {
  public final Map<String, Queue<Failure>> failures = new ConcurrentHashMap<>();
  /** "host idempotencyKey" per accepted message, in order. */
  public final List<String> accepted = new CopyOnWriteArrayList<>();
  public final List<String> attempts = new CopyOnWriteArrayList<>();
  private final Protocol protocol;

  public HostScriptedProvider(Protocol protocol) {
    this.protocol = protocol;
  }

  public HostScriptedProvider fail(String host, Failure f) {
    failures.computeIfAbsent(host, h -> new ConcurrentLinkedQueue<>()).add(f);
    return this;
  }

  @Override
  public Protocol protocol() {
    return protocol;
  }

  @Override
  public String name() {
    return "host-scripted";
  }

  @Override
  public Sender open(EmailSettings settings, SenderContext context) {
    String host = settings.host().orElseThrow();
    return new Sender() {
      @Override
      public SendReceipt send(SendRequest request) throws SendException {
        attempts.add(host + " " + request.email().idempotencyKey());
        Queue<Failure> q = failures.get(host);
        Failure f = q == null ? null : q.poll();
        if (f != null) {
          throw new SendException(f);
        }
        accepted.add(host + " " + request.email().idempotencyKey());
        return new SendReceipt(request.email().idempotencyKey() + "@" + host,
            request.envelopeRecipients().stream().map(a -> a.email()).toList(), Optional.of("250 OK"), 1,
            Duration.ZERO);
      }

      @Override
      public void close() {}
    };
  }
}
