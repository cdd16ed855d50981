package dev.mailroom.testkit;

import dev.mailroom.spi.SenderContext;
import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.spi.SendRequest;
import dev.mailroom.spi.Sender;
import dev.mailroom.spi.SenderProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link SenderProvider} that sends nothing and records every {@link SendRequest}, for unit tests that
 * need no server. Choose it explicitly; it is deliberately not registered for {@link java.util.ServiceLoader}
 * (that would make two SMTP senders and {@code Mailer.open} would refuse to choose).
 *
 * <pre>{@code
 * RecordingSenderProvider recorder = new RecordingSenderProvider();
 * try (Mailer mailer = Mailer.open(settings, recorder.mailerOptions())) {
 *   new InvoiceService(mailer).email("INV-1");
 * }
 * MailAssertions.assertThat(recorder.received().get(0)).hasAttachment("INV-1.pdf");
 * recorder.failNext(Failure.builder(FailureCategory.RATE_LIMITED).transientFailure(true).build());
 * }</pre>
 *
 * <p>Every {@link dev.mailroom.Mailer} feature that lives in core still applies: the settings' sender, reply-to and
 * copy address, retries of transient failures. Thread-safe.
 */
public final class RecordingSenderProvider implements SenderProvider, MailSink {
  private final Protocol protocol;
  private final Inbox inbox = new Inbox();
  private final List<SendRequest> requests = new ArrayList<>();
  private final Deque<Failure> failures = new ArrayDeque<>();

  /** Creates a recorder for SMTP settings. */
  public RecordingSenderProvider() {
    this(Protocol.SMTP);
  }

  /**
   * Creates a recorder for settings of the given protocol.
   *
   * @param protocol the protocol of the settings it will be used with
   */
  public RecordingSenderProvider(Protocol protocol) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
  }

  @Override
  public Protocol protocol() {
    return protocol;
  }

  @Override
  public String name() {
    return "recording (sends nothing)";
  }

  /**
   * Returns mailer options that use this recorder, with otherwise default options.
   *
   * @return the options
   */
  public MailerOptions mailerOptions() {
    return MailerOptions.builder().senderProvider(this).build();
  }

  @Override
  public Sender open(EmailSettings settings, SenderContext options) {
    Objects.requireNonNull(settings, "settings");
    return new Sender() {
      @Override
      public SendReceipt send(SendRequest request) throws SendException {
        return record(request);
      }

      @Override
      public void close() {}
    };
  }

  /**
   * Makes the next send attempt fail with this failure (queued: call several times for several attempts).
   * A transient failure is retried by the {@code Mailer}, so queue as many as the attempts it should fail.
   *
   * @param failure the failure the attempt throws as a {@link SendException}
   * @return this recorder
   */
  public RecordingSenderProvider failNext(Failure failure) {
    synchronized (failures) {
      failures.add(Objects.requireNonNull(failure, "failure"));
    }
    return this;
  }

  private SendReceipt record(SendRequest request) throws SendException {
    synchronized (failures) {
      synchronized (requests) {
        requests.add(request);
      }
      Failure f = failures.poll();
      if (f != null) {
        throw new SendException(f);
      }
    }
    inbox.add(toReceived(request));
    List<String> accepted = request.envelopeRecipients().stream().map(Address::email).toList();
    return new SendReceipt(request.email().messageId().orElse(UUID.randomUUID() + "@mailroom.test"), accepted,
        Optional.of("recorded"), request.attempt(), Duration.ZERO);
  }

  /**
   * Returns every send attempt, failed ones included, in order.
   *
   * @return the requests
   */
  public List<SendRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  @Override
  public List<ReceivedEmail> received() {
    return inbox.all();
  }

  @Override
  public List<ReceivedEmail> awaitReceived(int count, Duration timeout) {
    return inbox.await(count, timeout, "the recording sender");
  }

  @Override
  public void assertNoneReceived() {
    inbox.assertEmpty("the recording sender");
  }

  /** Forgets recorded requests, received mail and queued failures. */
  @Override
  public void clear() {
    inbox.clear();
    synchronized (failures) {
      failures.clear();
      synchronized (requests) {
        requests.clear();
      }
    }
  }

  private static ReceivedEmail toReceived(SendRequest r) {
    Email e = r.email();
    ReceivedEmail.Builder b = ReceivedEmail.builder("recorded")
        .envelopeFrom(r.envelopeFrom().email())
        .from(r.from().email(), r.from().name().orElse(null))
        .subject(e.subject());
    r.envelopeRecipients().forEach(a -> b.envelopeRecipient(a.email()));
    e.to().forEach(a -> b.to(a.email()));
    e.cc().forEach(a -> b.cc(a.email()));
    e.bcc().forEach(a -> b.bcc(a.email()));
    e.replyTo().forEach(a -> b.replyTo(a.email()));
    e.text().ifPresent(b::text);
    e.html().ifPresent(b::html);
    for (Map.Entry<String, String> h : e.headers().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    e.messageId().ifPresent(id -> b.header("Message-ID", "<" + id + ">"));
    for (Attachment a : e.attachments()) {
      try (InputStream in = a.open()) {
        b.attachment(a.filename(), a.contentType(), in.readAllBytes());
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot read attachment " + a.filename(), ex);
      }
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "RecordingSenderProvider[" + protocol + ", " + received().size() + " received]";
  }
}
