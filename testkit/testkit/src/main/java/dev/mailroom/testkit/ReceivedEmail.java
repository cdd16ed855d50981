package dev.mailroom.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An email as a test server received it: the envelope (who the sender's client addressed, including the
 * settings' copy address, which no header shows) kept apart from the headers, plus subject, bodies and
 * attachments. The same type for the local SMTP server ({@link MailroomSmtpServer}), the fake HTTP mail
 * API ({@link MailroomHttpServer}) and the recording sender ({@link RecordingSenderProvider}); assert on it
 * with {@link MailAssertions#assertThat(ReceivedEmail)}.
 *
 * <p>Addresses are plain addresses ({@code name@domain}) without display names. Immutable and thread-safe.
 */
public final class ReceivedEmail {
  private final String via;
  private final String envelopeFrom;
  private final List<String> envelopeRecipients;
  private final String from;
  private final String fromName;
  private final List<String> to;
  private final List<String> cc;
  private final List<String> bcc;
  private final List<String> replyTo;
  private final String subject;
  private final String text;
  private final String html;
  private final List<ReceivedAttachment> attachments;
  private final Map<String, List<String>> headers;
  private final byte[] raw;

  private ReceivedEmail(Builder b) {
    this.via = b.via;
    this.envelopeFrom = b.envelopeFrom;
    this.envelopeRecipients = List.copyOf(b.envelopeRecipients);
    this.from = b.from;
    this.fromName = b.fromName;
    this.to = List.copyOf(b.to);
    this.cc = List.copyOf(b.cc);
    this.bcc = List.copyOf(b.bcc);
    this.replyTo = List.copyOf(b.replyTo);
    this.subject = b.subject == null ? "" : b.subject;
    this.text = b.text;
    this.html = b.html;
    this.attachments = List.copyOf(b.attachments);
    Map<String, List<String>> h = new LinkedHashMap<>();
    b.headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
    this.headers = java.util.Collections.unmodifiableMap(h);
    this.raw = b.raw;
  }

  static Builder builder(String via) {
    return new Builder(via);
  }

  /**
   * Returns how the email arrived: {@code smtp}, {@code http:<dialect>} (e.g. {@code http:form}) or
   * {@code recorded}.
   *
   * @return the channel
   */
  public String via() {
    return via;
  }

  /**
   * Returns the envelope sender: SMTP {@code MAIL FROM}; for HTTP APIs the sender address of the request.
   *
   * @return the envelope sender, or empty (e.g. the form dialect sends only a name)
   */
  public Optional<String> envelopeFrom() {
    return Optional.ofNullable(envelopeFrom);
  }

  /**
   * Returns every recipient the server was asked to deliver to: SMTP {@code RCPT TO}; for HTTP APIs all
   * of to, cc and bcc. The settings' copy address is here and in no header.
   *
   * @return the envelope recipients; in no particular order for the SMTP server (GreenMail keeps a set)
   */
  public List<String> envelopeRecipients() {
    return envelopeRecipients;
  }

  /**
   * Returns the address in the {@code From} header.
   *
   * @return the address, or empty
   */
  public Optional<String> from() {
    return Optional.ofNullable(from);
  }

  /**
   * Returns the display name in the {@code From} header, e.g. the business name.
   *
   * @return the name, or empty
   */
  public Optional<String> fromName() {
    return Optional.ofNullable(fromName);
  }

  /**
   * Returns the {@code To} header's addresses.
   *
   * @return the addresses
   */
  public List<String> to() {
    return to;
  }

  /**
   * Returns the {@code Cc} header's addresses.
   *
   * @return the addresses
   */
  public List<String> cc() {
    return cc;
  }

  /**
   * Returns blind-copy recipients that the API request named explicitly (HTTP dialects and the recording
   * sender); for SMTP always empty, since blind copies are envelope recipients only.
   *
   * @return the addresses
   */
  public List<String> bcc() {
    return bcc;
  }

  /**
   * Returns the envelope recipients that no {@code To} or {@code Cc} header shows: blind copies and the
   * settings' "send a copy of every email to this address".
   *
   * @return the hidden recipients
   */
  public List<String> hiddenRecipients() {
    List<String> shown = new ArrayList<>();
    to.forEach(a -> shown.add(a.toLowerCase(Locale.ROOT)));
    cc.forEach(a -> shown.add(a.toLowerCase(Locale.ROOT)));
    List<String> hidden = new ArrayList<>();
    for (String r : envelopeRecipients) {
      if (!shown.contains(r.toLowerCase(Locale.ROOT))) {
        hidden.add(r);
      }
    }
    return List.copyOf(hidden);
  }

  /**
   * Returns the {@code Reply-To} addresses.
   *
   * @return the addresses
   */
  public List<String> replyTo() {
    return replyTo;
  }

  /**
   * Returns the subject, decoded.
   *
   * @return the subject, empty if none
   */
  public String subject() {
    return subject;
  }

  /**
   * Returns the plain-text body.
   *
   * @return the text, or empty
   */
  public Optional<String> text() {
    return Optional.ofNullable(text);
  }

  /**
   * Returns the HTML body.
   *
   * @return the HTML, or empty
   */
  public Optional<String> html() {
    return Optional.ofNullable(html);
  }

  /**
   * Returns the attachments in order.
   *
   * @return the attachments
   */
  public List<ReceivedAttachment> attachments() {
    return attachments;
  }

  /**
   * Finds an attachment by file name.
   *
   * @param filename the exact file name
   * @return the first attachment with that name, or empty
   */
  public Optional<ReceivedAttachment> attachment(String filename) {
    Objects.requireNonNull(filename, "filename");
    return attachments.stream().filter(a -> a.filename().equals(filename)).findFirst();
  }

  /**
   * Returns the first value of a header (SMTP: as received, decoded; HTTP: custom headers of the request
   * body).
   *
   * @param name the header name, any case
   * @return the value, or empty
   */
  public Optional<String> header(String name) {
    Objects.requireNonNull(name, "name");
    List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /**
   * Returns all headers, names in lower case.
   *
   * @return the headers
   */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /**
   * Returns the {@code Message-ID} header without angle brackets.
   *
   * @return the message id, or empty
   */
  public Optional<String> messageId() {
    return header("Message-ID").map(s -> s.strip().replaceAll("^<|>$", ""));
  }

  /**
   * Returns the message as it came over SMTP (headers and MIME body), for tests that inspect the wire
   * format.
   *
   * @return a copy of the raw message, or empty for HTTP and recorded emails
   */
  public Optional<byte[]> raw() {
    return raw == null ? Optional.empty() : Optional.of(raw.clone());
  }

  @Override
  public String toString() {
    return "ReceivedEmail[via=" + via + ", from=" + from + ", to=" + to + (cc.isEmpty() ? "" : ", cc=" + cc)
        + ", envelope=" + envelopeRecipients + ", subject=\"" + subject + "\", attachments=" + attachments + "]";
  }

  /** Collects the parts of a {@link ReceivedEmail}. */
  static final class Builder {
    private final String via;
    private String envelopeFrom;
    private final List<String> envelopeRecipients = new ArrayList<>();
    private String from;
    private String fromName;
    private final List<String> to = new ArrayList<>();
    private final List<String> cc = new ArrayList<>();
    private final List<String> bcc = new ArrayList<>();
    private final List<String> replyTo = new ArrayList<>();
    private String subject;
    private String text;
    private String html;
    private final List<ReceivedAttachment> attachments = new ArrayList<>();
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private byte[] raw;

    private Builder(String via) {
      this.via = via;
    }

    Builder envelopeFrom(String v) {
      this.envelopeFrom = v;
      return this;
    }

    Builder envelopeRecipient(String v) {
      if (v != null && !v.isBlank()) {
        envelopeRecipients.add(v.strip());
      }
      return this;
    }

    Builder from(String address, String name) {
      this.from = address;
      this.fromName = name == null || name.isBlank() ? null : name;
      return this;
    }

    Builder to(String v) {
      add(to, v);
      return this;
    }

    Builder cc(String v) {
      add(cc, v);
      return this;
    }

    Builder bcc(String v) {
      add(bcc, v);
      return this;
    }

    Builder replyTo(String v) {
      add(replyTo, v);
      return this;
    }

    private static void add(List<String> list, String v) {
      if (v != null && !v.isBlank()) {
        list.add(v.strip());
      }
    }

    Builder subject(String v) {
      this.subject = v;
      return this;
    }

    Builder text(String v) {
      this.text = v;
      return this;
    }

    Builder html(String v) {
      this.html = v;
      return this;
    }

    Builder attachment(String filename, String contentType, byte[] bytes) {
      return attachment(filename, contentType, bytes, null);
    }

    /** An attachment, or an inline image if {@code contentId} is not null. */
    Builder attachment(String filename, String contentType, byte[] bytes, String contentId) {
      attachments.add(new ReceivedAttachment(filename == null ? "" : filename,
          contentType == null ? "application/octet-stream" : contentType.toLowerCase(Locale.ROOT), bytes,
          contentId));
      return this;
    }

    Builder header(String name, String value) {
      headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
      return this;
    }

    Builder raw(byte[] v) {
      this.raw = v;
      return this;
    }

    ReceivedEmail build() {
      return new ReceivedEmail(this);
    }
  }
}
