package dev.mailroom.http.internal;

import dev.mailroom.Address;
import dev.mailroom.Email;
import dev.mailroom.SendException;
import dev.mailroom.spi.SendRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Blind copies for a dialect whose API cannot send them in one request: the message goes once to the
 * visible recipients, then separately to each blind one (the email's bcc and the settings' copy address),
 * addressed to that recipient alone. The parts already delivered are remembered by idempotency key, so a
 * retry of the same email sends only what failed. Thread-safe.
 */
final class BlindCopies {
  private static final int MAX_REMEMBERED_PARTIAL_SENDS = 10_000;

  /** Sends one part; {@code note} is added to the message of any failure. */
  @FunctionalInterface
  interface Delivery {
    HttpSender.Delivered deliver(SendRequest part, String note) throws SendException;
  }

  /** What a finished (or partly finished) send in parts has done. */
  record Result(String messageId, List<String> accepted, String reply) {}

  private final Map<String, PartialSend> partialSends = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PartialSend> eldest) {
      return size() > MAX_REMEMBERED_PARTIAL_SENDS;
    }
  };

  /** Sends the parts of {@code request} in order; remembers finished parts when one fails. */
  Result send(SendRequest request, List<SendRequest> parts, Delivery delivery) throws SendException {
    String key = request.email().idempotencyKey();
    PartialSend state;
    synchronized (partialSends) {
      state = partialSends.remove(key);
    }
    if (state == null || state.parts != parts.size()) {
      state = new PartialSend(parts.size());
    }
    for (int i = 0; i < parts.size(); i++) {
      SendRequest part = parts.get(i);
      if (state.done.contains(i)) {
        continue;
      }
      String note = state.accepted.isEmpty() ? "" : " [already delivered to "
          + String.join(", ", state.accepted) + "; only the separate copy to "
          + emails(part.envelopeRecipients()).get(0) + " failed]";
      try {
        HttpSender.Delivered d = delivery.deliver(part, note);
        state.done.add(i);
        state.accepted.addAll(emails(part.envelopeRecipients()));
        if (state.messageId == null) {
          state.messageId = d.messageId();
          state.reply = d.reply();
        }
      } catch (SendException e) {
        if (!state.done.isEmpty()) {
          synchronized (partialSends) {
            partialSends.put(key, state);
          }
        }
        throw e;
      }
    }
    return new Result(state.messageId, state.accepted, state.reply);
  }

  private static final class PartialSend {
    final int parts;
    final Set<Integer> done = new HashSet<>();
    final List<String> accepted = new ArrayList<>();
    String messageId;
    String reply;

    PartialSend(int parts) {
      this.parts = parts;
    }
  }

  /**
   * The requests for a dialect without blind copies: one to the visible recipients (to and cc), then one
   * per blind recipient (bcc and the copy address), each addressed to that recipient alone. A request with
   * nothing blind is returned as it is.
   */
  static List<SendRequest> split(SendRequest r) {
    Email e = r.email();
    List<Address> visible = new ArrayList<>(e.to());
    for (Address a : e.cc()) {
      if (!DialectSupport.contains(visible, a)) {
        visible.add(a);
      }
    }
    List<Address> blind = new ArrayList<>();
    List<Address> candidates = new ArrayList<>(e.bcc());
    r.copyTo().ifPresent(candidates::add);
    for (Address a : candidates) {
      if (!DialectSupport.contains(visible, a) && !DialectSupport.contains(blind, a)) {
        blind.add(a);
      }
    }
    if (blind.isEmpty() && e.bcc().isEmpty()) {
      return List.of(r); // nothing blind: the request as it is
    }
    List<SendRequest> parts = new ArrayList<>();
    if (!visible.isEmpty()) {
      Email main = copy(e, e.to(), e.cc(), e.idempotencyKey());
      parts.add(new SendRequest(main, r.envelopeFrom(), visible, Optional.empty(), r.attempt()));
    }
    for (int i = 0; i < blind.size(); i++) {
      Address a = blind.get(i);
      Email single = copy(e, List.of(a), List.of(), derivedKey(e.idempotencyKey(), i + 1));
      parts.add(new SendRequest(single, r.envelopeFrom(), List.of(a), Optional.empty(), r.attempt()));
    }
    return parts;
  }

  private static Email copy(Email e, List<Address> to, List<Address> cc, String idempotencyKey) {
    Email.Builder b = Email.builder().from(e.from().orElseThrow()).to(to).cc(cc).replyTo(e.replyTo())
        .subject(e.subject()).idempotencyKey(idempotencyKey);
    e.text().ifPresent(b::text);
    e.html().ifPresent(b::html);
    e.attachments().forEach(b::attach);
    e.headers().forEach(b::header);
    e.messageId().ifPresent(b::messageId);
    e.inline().forEach(b::inline);
    e.tags().forEach(b::tag);
    e.metadata().forEach(b::metadata);
    return b.build();
  }

  private static String derivedKey(String key, int copy) {
    String suffix = ".copy" + copy;
    if (key.length() + suffix.length() <= 200) {
      return key + suffix;
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 20; i++) {
        b.append(String.format(Locale.ROOT, "%02x", h[i]));
      }
      return b + suffix;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> emails(List<Address> list) {
    List<String> emails = new ArrayList<>(list.size());
    for (Address a : list) {
      emails.add(a.email());
    }
    return emails;
  }
}
