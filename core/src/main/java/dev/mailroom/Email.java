package dev.mailroom;

import dev.mailroom.internal.Text;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One email: sender, recipients, subject, text and/or HTML body, attachments and custom headers.
 *
 * <pre>{@code
 * Email invoice = Email.builder()
 *     .to("Jane Doe <jane@customer.example>")
 *     .subject("Invoice INV-1")
 *     .text("Please find the invoice attached.")
 *     .attach(Attachment.ofFile(Path.of("INV-1.pdf")))
 *     .build();
 * }</pre>
 *
 * <p>The sender ({@link #from()}) and reply-to default to the {@link EmailSettings} when left out. Every
 * header value, address, display name and attachment file name is checked when it is set: a line break
 * or other control character is rejected with {@link IllegalArgumentException} (header injection), never
 * folded away.
 *
 * <p>Each email gets an {@link #idempotencyKey()} when built. Senders derive the {@code Message-ID} and the
 * HTTP idempotency key from it, so retrying the same {@code Email} object sends the same message id.
 *
 * <p>Immutable and thread-safe.
 */
public final class Email {
  /** The most recipients (to, cc and bcc together) one email may have. */
  public static final int MAX_RECIPIENTS = 1000;

  private static final Pattern HEADER_NAME = Pattern.compile("^[!-9;-~]{1,76}$");
  private static final Pattern CONTENT_ID =
      Pattern.compile("^(?=.{1,100}$)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$");
  private static final Pattern METADATA_KEY = Pattern.compile("^[A-Za-z0-9_.-]{1,40}$");
  private static final Pattern CID_REFERENCE = Pattern.compile("(?i)(?:=\\s*[\"']?|url\\(\\s*[\"']?)cid:([^\"'\\s>)]+)");
  private static final int MAX_TAGS = 10;
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[A-Za-z0-9._-]{1,200}$");
  private static final Set<String> RESERVED_HEADERS = Set.of(
      "from", "sender", "to", "cc", "bcc", "reply-to", "subject", "date", "message-id", "mime-version",
      "content-type", "content-transfer-encoding", "content-disposition", "content-id");
  /** Headers that only receiving or forwarding mail systems add: they claim a verdict or a delivery. */
  private static final Set<String> CLAIM_HEADERS = Set.of(
      "authentication-results", "dkim-signature", "domainkey-signature", "received-spf", "delivered-to",
      "x-original-to", "return-path", "errors-to", "received", "x-authentication-warning",
      "original-recipient", "x-original-authentication-results");
  private static final List<String> CLAIM_PREFIXES = List.of("arc-", "resent-");
  private static final int MAX_SUBJECT = 2000;
  private static final int MAX_HEADER_VALUE = 4000;

  private final Address from;
  private final List<Address> to;
  private final List<Address> cc;
  private final List<Address> bcc;
  private final List<Address> replyTo;
  private final String subject;
  private final String text;
  private final String html;
  private final List<Attachment> attachments;
  private final Map<String, String> headers;
  private final String messageId;
  private final String idempotencyKey;
  private final Map<String, Attachment> inline;
  private final List<String> tags;
  private final Map<String, String> metadata;

  private Email(Builder b) {
    this.from = b.from;
    this.to = List.copyOf(b.to);
    this.cc = List.copyOf(b.cc);
    this.bcc = List.copyOf(b.bcc);
    this.replyTo = List.copyOf(b.replyTo);
    this.subject = b.subject;
    this.text = b.text;
    this.html = b.html;
    this.attachments = List.copyOf(b.attachments);
    this.headers = copy(b.headers);
    this.messageId = b.messageId;
    this.idempotencyKey = b.idempotencyKey != null ? b.idempotencyKey : UUID.randomUUID().toString();
    this.inline = copy(b.inline);
    this.tags = List.copyOf(b.tags);
    this.metadata = copy(b.metadata);
  }

  /** This email with another sender and Reply-To, sharing everything else (the fields are immutable). */
  private Email(Email e, Address from, List<Address> replyTo) {
    this.from = from;
    this.to = e.to;
    this.cc = e.cc;
    this.bcc = e.bcc;
    this.replyTo = List.copyOf(replyTo);
    this.subject = e.subject;
    this.text = e.text;
    this.html = e.html;
    this.attachments = e.attachments;
    this.headers = e.headers;
    this.messageId = e.messageId;
    this.idempotencyKey = e.idempotencyKey;
    this.inline = e.inline;
    this.tags = e.tags;
    this.metadata = e.metadata;
  }

  /** An unmodifiable copy in the same order; the shared empty map when there is nothing to copy. */
  private static <K, V> Map<K, V> copy(Map<K, V> m) {
    return m.isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  /**
   * For {@link Mailer}: this email with its sender and, when it has none, the Reply-To addresses the settings
   * give; what {@code toBuilder().from(from).replyTo(replyTo).build()} returns, without copying and checking
   * again what this email already holds.
   */
  Email withSender(Address from, List<Address> defaultReplyTo) {
    Objects.requireNonNull(from, "from");
    List<Address> reply = replyTo.isEmpty() ? defaultReplyTo : replyTo;
    if (from == this.from && reply == replyTo) {
      return this;
    }
    return new Email(this, from, reply);
  }

  /**
   * Starts a new email.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder with this email's values, including its idempotency key.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.from = from;
    b.to.addAll(to);
    b.cc.addAll(cc);
    b.bcc.addAll(bcc);
    b.replyTo.addAll(replyTo);
    b.subject = subject;
    b.text = text;
    b.html = html;
    b.attachments.addAll(attachments);
    b.headers.putAll(headers);
    b.messageId = messageId;
    b.idempotencyKey = idempotencyKey;
    b.inline.putAll(inline);
    b.tags.addAll(tags);
    b.metadata.putAll(metadata);
    return b;
  }

  /**
   * Returns the sender.
   *
   * @return the sender, or empty to use the settings' sender address and name
   */
  public Optional<Address> from() {
    return Optional.ofNullable(from);
  }

  /**
   * Returns the {@code To} recipients.
   *
   * @return the recipients, possibly empty
   */
  public List<Address> to() {
    return to;
  }

  /**
   * Returns the {@code Cc} recipients.
   *
   * @return the recipients, possibly empty
   */
  public List<Address> cc() {
    return cc;
  }

  /**
   * Returns the blind-copy recipients; they are envelope recipients only, no header shows them.
   *
   * @return the recipients, possibly empty
   */
  public List<Address> bcc() {
    return bcc;
  }

  /**
   * Returns the {@code Reply-To} addresses.
   *
   * @return the addresses, empty to use the settings' reply-to address (if any)
   */
  public List<Address> replyTo() {
    return replyTo;
  }

  /**
   * Returns the subject.
   *
   * @return the subject, empty string when none was set
   */
  public String subject() {
    return subject;
  }

  /**
   * Returns the plain-text body.
   *
   * @return the text body, or empty
   */
  public Optional<String> text() {
    return Optional.ofNullable(text);
  }

  /**
   * Returns the HTML body.
   *
   * @return the HTML body, or empty
   */
  public Optional<String> html() {
    return Optional.ofNullable(html);
  }

  /**
   * Returns the attachments in the order they were added.
   *
   * @return the attachments, possibly empty
   */
  public List<Attachment> attachments() {
    return attachments;
  }

  /**
   * Returns the custom headers in the order they were added.
   *
   * @return header name to value, possibly empty
   */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * Returns the message id set on the builder, without angle brackets.
   *
   * @return the message id, or empty to let the sender derive one from {@link #idempotencyKey()}
   */
  public Optional<String> messageId() {
    return Optional.ofNullable(messageId);
  }

  /**
   * Returns the key that identifies this email across retries: a random UUID unless set on the builder.
   *
   * @return the key
   */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  /**
   * Returns the inline images by content id, in the order they were added: parts the HTML body shows
   * with {@code <img src="cid:contentId">}, not offered as attachments.
   *
   * @return content id to image, possibly empty
   */
  public Map<String, Attachment> inline() {
    return inline;
  }

  /**
   * Returns the tags: labels under which the provider groups this email in its statistics and events.
   *
   * @return the tags in the order they were added, possibly empty
   */
  public List<String> tags() {
    return tags;
  }

  /**
   * Returns the metadata: key-value pairs the provider hands back with every delivery event, e.g. the
   * invoice number, so that an event can be tied to the document it was about.
   *
   * @return key to value in the order they were added, possibly empty
   */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * Returns {@code to}, {@code cc} and {@code bcc} together, without duplicates.
   *
   * @return all recipients
   */
  public List<Address> recipients() {
    if (cc.isEmpty() && bcc.isEmpty() && to.size() == 1) {
      // the common case: one recipient, nothing to remove
      return to;
    }
    List<Address> all = new ArrayList<>(to.size() + cc.size() + bcc.size());
    Set<String> seen = new java.util.HashSet<>();
    for (List<Address> list : List.of(to, cc, bcc)) {
      for (Address a : list) {
        if (seen.add(a.localPart() + "@" + a.domain().toLowerCase(Locale.ROOT))) {
          all.add(a);
        }
      }
    }
    return List.copyOf(all);
  }

  /** Returns a summary without bodies: sender, recipients, subject and attachments. */
  @Override
  public String toString() {
    return "Email[from=" + (from == null ? "(settings)" : from) + ", to=" + to
        + (cc.isEmpty() ? "" : ", cc=" + cc) + (bcc.isEmpty() ? "" : ", bcc=" + bcc.size() + " address(es)")
        + ", subject=" + Text.quote(subject) + ", attachments=" + attachments
        + (inline.isEmpty() ? "" : ", inline=" + inline.keySet()) + (tags.isEmpty() ? "" : ", tags=" + tags)
        + "]";
  }

  /** Builds an {@link Email}. Every setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private Address from;
    private final List<Address> to = new ArrayList<>();
    private final List<Address> cc = new ArrayList<>();
    private final List<Address> bcc = new ArrayList<>();
    private final List<Address> replyTo = new ArrayList<>();
    private String subject = "";
    private String text;
    private String html;
    private final List<Attachment> attachments = new ArrayList<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String messageId;
    private String idempotencyKey;
    private final Map<String, Attachment> inline = new LinkedHashMap<>();
    private final List<String> tags = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the sender; without it the settings' sender address and name are used.
     *
     * @param address the sender
     * @return this builder
     */
    public Builder from(Address address) {
      this.from = Objects.requireNonNull(address, "from");
      return this;
    }

    /**
     * Sets the sender from text such as {@code Acme <billing@acme.example>}.
     *
     * @param address the sender
     * @return this builder
     * @throws IllegalArgumentException if it is not exactly one valid address
     */
    public Builder from(String address) {
      return from(parse("from", address));
    }

    /**
     * Adds {@code To} recipients.
     *
     * @param addresses one address per argument, e.g. {@code "Jane <jane@example.com>"}
     * @return this builder
     * @throws IllegalArgumentException if an argument is not exactly one valid address
     */
    public Builder to(String... addresses) {
      return add(to, "to", addresses);
    }

    /**
     * Adds {@code To} recipients.
     *
     * @param addresses the recipients
     * @return this builder
     */
    public Builder to(Collection<Address> addresses) {
      return add(to, "to", addresses);
    }

    /**
     * Adds {@code Cc} recipients.
     *
     * @param addresses one address per argument
     * @return this builder
     * @throws IllegalArgumentException if an argument is not exactly one valid address
     */
    public Builder cc(String... addresses) {
      return add(cc, "cc", addresses);
    }

    /**
     * Adds {@code Cc} recipients.
     *
     * @param addresses the recipients
     * @return this builder
     */
    public Builder cc(Collection<Address> addresses) {
      return add(cc, "cc", addresses);
    }

    /**
     * Adds blind-copy recipients: envelope only, no header reveals them.
     *
     * @param addresses one address per argument
     * @return this builder
     * @throws IllegalArgumentException if an argument is not exactly one valid address
     */
    public Builder bcc(String... addresses) {
      return add(bcc, "bcc", addresses);
    }

    /**
     * Adds blind-copy recipients.
     *
     * @param addresses the recipients
     * @return this builder
     */
    public Builder bcc(Collection<Address> addresses) {
      return add(bcc, "bcc", addresses);
    }

    /**
     * Adds {@code Reply-To} addresses; without any the settings' reply-to address is used.
     *
     * @param addresses one address per argument
     * @return this builder
     * @throws IllegalArgumentException if an argument is not exactly one valid address
     */
    public Builder replyTo(String... addresses) {
      return add(replyTo, "replyTo", addresses);
    }

    /**
     * Adds {@code Reply-To} addresses.
     *
     * @param addresses the addresses
     * @return this builder
     */
    public Builder replyTo(Collection<Address> addresses) {
      return add(replyTo, "replyTo", addresses);
    }

    /**
     * Removes all {@code Reply-To} addresses set so far.
     *
     * @return this builder
     */
    public Builder clearReplyTo() {
      replyTo.clear();
      return this;
    }

    /**
     * Sets the subject; any language, encoded as UTF-8 on the wire.
     *
     * @param value the subject, at most 2000 characters
     * @return this builder
     * @throws IllegalArgumentException if it holds a line break or control character, a text-direction
     *     override or isolate (U+202A to U+202E, U+2066 to U+2069), U+200B or U+FEFF, or is too long
     */
    public Builder subject(String value) {
      Objects.requireNonNull(value, "subject");
      Text.requireDisplaySafe("subject", value);
      if (value.length() > MAX_SUBJECT) {
        throw new IllegalArgumentException("subject must be at most " + MAX_SUBJECT + " characters long: "
            + value.length());
      }
      this.subject = value;
      return this;
    }

    /**
     * Sets the plain-text body. Line breaks may be {@code \n}, {@code \r\n} or {@code \r}; senders put
     * only CRLF on the wire.
     *
     * @param value the text
     * @return this builder
     * @throws IllegalArgumentException if it contains a NUL character or an unpaired surrogate
     */
    public Builder text(String value) {
      this.text = checkBody("text", value);
      return this;
    }

    /**
     * Sets the HTML body. With a text body as well the message is sent as multipart/alternative.
     *
     * @param value the HTML
     * @return this builder
     * @throws IllegalArgumentException if it contains a NUL character or an unpaired surrogate
     */
    public Builder html(String value) {
      this.html = checkBody("html", value);
      return this;
    }

    /**
     * Adds an attachment.
     *
     * @param attachment the attachment
     * @return this builder
     */
    public Builder attach(Attachment attachment) {
      attachments.add(Objects.requireNonNull(attachment, "attachment"));
      return this;
    }

    /**
     * Adds an inline image, such as the company logo, that the HTML body shows with
     * {@code <img src="cid:logo">}. Over SMTP the HTML and its images go out as {@code multipart/related}
     * (RFC 2387), each image with {@code Content-ID: <logo>} (RFC 2392); HTTP APIs that can carry inline
     * images get them as such, the others refuse the email before sending.
     *
     * @param contentId the id the HTML refers to after {@code cid:}, e.g. {@code logo} or
     *     {@code logo.png}: letters, digits and {@code !#$%&'*+-/=?^_`{|}~}, with single dots between
     *     them (the part of a message id before the {@code @})
     * @param image the image, e.g. {@code Attachment.ofFile(Path.of("logo.png"))}
     * @return this builder
     * @throws IllegalArgumentException if the content id is not valid or already used
     */
    public Builder inline(String contentId, Attachment image) {
      Objects.requireNonNull(contentId, "contentId");
      Objects.requireNonNull(image, "image");
      if (!CONTENT_ID.matcher(contentId).matches()) {
        throw new IllegalArgumentException("inline content id must be 1 to 100 letters, digits or"
            + " !#$%&'*+-/=?^_`{|}~ with single dots between them (no '@', '<', '>' or spaces), as the HTML"
            + " uses it after cid:, e.g. logo or logo.png: " + Text.quote(contentId));
      }
      if (inline.containsKey(contentId)) {
        throw new IllegalArgumentException("inline content id " + Text.quote(contentId) + " is used twice:"
            + " give each image its own id");
      }
      inline.put(contentId, image);
      return this;
    }

    /**
     * Adds a tag, a label under which the provider groups the email in its statistics and events (SendGrid
     * categories, Mailgun {@code o:tag}, Postmark {@code Tag}, Resend and Brevo {@code tags}; over SMTP the
     * header the settings' provider documents). A provider that cannot carry it refuses the email before
     * sending, never drops it.
     *
     * @param value 1 to 128 printable characters, e.g. {@code invoice}
     * @return this builder
     * @throws IllegalArgumentException if the tag is empty, too long, holds a control character, or is
     *     the eleventh
     */
    public Builder tag(String value) {
      Objects.requireNonNull(value, "tag");
      Text.requireHeaderSafe("tag", value, true);
      if (value.isBlank() || value.length() > 128 || !value.strip().equals(value)) {
        throw new IllegalArgumentException("tag must be 1 to 128 characters without blanks at either end: "
            + Text.quote(value));
      }
      if (!tags.contains(value)) {
        if (tags.size() == MAX_TAGS) {
          throw new IllegalArgumentException("an email may have at most " + MAX_TAGS + " tags");
        }
        tags.add(value);
      }
      return this;
    }

    /**
     * Adds a metadata entry that the provider hands back with every delivery event, e.g.
     * {@code metadata("invoice", "INV-42")} (SendGrid {@code custom_args}, Mailgun {@code v:}, Postmark
     * {@code Metadata}, Resend {@code tags}, Brevo {@code X-Mailin-custom}; over SMTP the header the
     * settings' provider documents). A provider that cannot carry it refuses the email before sending.
     *
     * @param key 1 to 40 ASCII letters, digits, '_', '-' or '.'
     * @param value up to 1000 characters without line breaks or control characters
     * @return this builder
     * @throws IllegalArgumentException if the key or value is not valid, or this is the eleventh key
     */
    public Builder metadata(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (!METADATA_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException("metadata key must be 1 to 40 ASCII letters, digits, '_', '-' or"
            + " '.': " + Text.quote(key));
      }
      Text.requireHeaderSafe("metadata " + key, value, true);
      if (value.length() > 1000) {
        throw new IllegalArgumentException("metadata " + key + " must be at most 1000 characters long: "
            + value.length());
      }
      if (!metadata.containsKey(key) && metadata.size() == MAX_TAGS) {
        throw new IllegalArgumentException("an email may have at most " + MAX_TAGS + " metadata keys");
      }
      metadata.put(key, value);
      return this;
    }

    /**
     * Adds a custom header such as {@code X-Invoice-Number}. Headers that the builder sets itself (From,
     * To, Cc, Bcc, Reply-To, Subject, Date, Message-ID, MIME and Content headers...) cannot be set here,
     * nor headers that claim an authentication verdict, a delivery or a resending, which only receiving
     * mail servers add ({@code Authentication-Results}, {@code ARC-*}, {@code DKIM-Signature},
     * {@code DomainKey-Signature}, {@code Received-SPF}, {@code Resent-*}, {@code Delivered-To},
     * {@code X-Original-To}, {@code Return-Path}, {@code Errors-To}, {@code Received}).
     *
     * @param name the header name: printable ASCII without colon or spaces
     * @param value the value; non-ASCII text is encoded by the sender
     * @return this builder
     * @throws IllegalArgumentException if the name is not valid or reserved, or the value holds a line
     *     break or control character
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (!HEADER_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("header name must be 1 to 76 printable ASCII characters without"
            + " ':' or spaces: " + Text.quote(name));
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (RESERVED_HEADERS.contains(lower)) {
        throw new IllegalArgumentException("header " + name + " is set by Mailroom: use the builder's own"
            + " method for it");
      }
      if (CLAIM_HEADERS.contains(lower) || CLAIM_PREFIXES.stream().anyMatch(lower::startsWith)) {
        throw new IllegalArgumentException("header " + name + " claims an authentication result, a delivery or"
            + " a resending that only the receiving mail servers may record; sent by the application it could"
            + " make a forged message look verified to the recipient. Remove it (Authentication-Results, ARC-*,"
            + " DKIM-Signature, DomainKey-Signature, Received-SPF, Resent-*, Delivered-To, X-Original-To,"
            + " Return-Path, Errors-To and Received cannot be set)");
      }
      Text.requireHeaderSafe("header " + name, value, true);
      if (value.length() > MAX_HEADER_VALUE) {
        throw new IllegalArgumentException("header " + name + " must be at most " + MAX_HEADER_VALUE
            + " characters long: " + value.length());
      }
      headers.put(name, value);
      return this;
    }

    /**
     * Sets the message id, without angle brackets, e.g. {@code inv-1@acme.example}. Normally left out:
     * senders derive one on the sender's domain from the idempotency key.
     *
     * @param value the message id
     * @return this builder
     * @throws IllegalArgumentException if it is not of the form {@code left@right} in printable ASCII
     */
    public Builder messageId(String value) {
      Objects.requireNonNull(value, "messageId");
      String v = value.strip();
      if (v.startsWith("<") && v.endsWith(">")) {
        v = v.substring(1, v.length() - 1);
      }
      int at = v.indexOf('@');
      if (at <= 0 || at != v.lastIndexOf('@') || at == v.length() - 1 || v.length() > 250
          || !v.chars().allMatch(c -> c > 0x20 && c < 0x7f && "<>()[]\\,;:\"".indexOf(c) < 0)) {
        throw new IllegalArgumentException("messageId must look like unique-part@domain in printable ASCII: "
            + Text.quote(value));
      }
      this.messageId = v;
      return this;
    }

    /**
     * Sets the idempotency key; by default each built email gets a random UUID.
     *
     * @param value 1 to 200 characters of letters, digits, '.', '_' or '-'
     * @return this builder
     * @throws IllegalArgumentException if the key has other characters or a wrong length
     */
    public Builder idempotencyKey(String value) {
      Objects.requireNonNull(value, "idempotencyKey");
      if (!IDEMPOTENCY_KEY.matcher(value).matches()) {
        throw new IllegalArgumentException("idempotencyKey must be 1 to 200 letters, digits, '.', '_' or"
            + " '-': " + Text.quote(value));
      }
      this.idempotencyKey = value;
      return this;
    }

    /**
     * Builds the email.
     *
     * @return the email
     * @throws IllegalStateException if it has no recipient or more than {@value Email#MAX_RECIPIENTS}, if the
     *     HTML refers to a {@code cid:} that no inline image has, or if it has inline images but no HTML
     */
    public Email build() {
      int n = to.size() + cc.size() + bcc.size();
      if (n == 0) {
        throw new IllegalStateException("an email needs at least one recipient: call to(...), cc(...) or"
            + " bcc(...)");
      }
      if (n > MAX_RECIPIENTS) {
        throw new IllegalStateException("an email may have at most " + MAX_RECIPIENTS + " recipients (to, cc"
            + " and bcc together), not " + n + ": split it into several emails");
      }
      checkInline();
      return new Email(this);
    }

    /** Every cid: the HTML refers to is supplied, and inline images need an HTML body. */
    private void checkInline() {
      if (!inline.isEmpty() && html == null) {
        throw new IllegalStateException("inline images are shown by the HTML body: set html(...) with"
            + " <img src=\"cid:" + inline.keySet().iterator().next() + "\">, or attach(...) the images instead");
      }
      if (html == null) {
        return;
      }
      java.util.regex.Matcher m = CID_REFERENCE.matcher(html);
      while (m.find()) {
        String ref = m.group(1);
        String id;
        try {
          id = java.net.URLDecoder.decode(ref.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          id = ref;
        }
        if (!inline.containsKey(id) && !inline.containsKey(ref)) {
          throw new IllegalStateException("the HTML shows cid:" + ref + " but no inline image has that content"
              + " id: add it with inline(" + Text.quote(id) + ", image)"
              + (inline.isEmpty() ? "" : " (the inline images are " + inline.keySet() + ")"));
        }
      }
    }

    private Builder add(List<Address> list, String field, String... addresses) {
      Objects.requireNonNull(addresses, field);
      for (String a : addresses) {
        list.add(parse(field, a));
      }
      return this;
    }

    private Builder add(List<Address> list, String field, Collection<Address> addresses) {
      Objects.requireNonNull(addresses, field);
      for (Address a : addresses) {
        list.add(Objects.requireNonNull(a, field));
      }
      return this;
    }

    private static Address parse(String field, String text) {
      Objects.requireNonNull(text, field);
      try {
        return Address.parse(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
      }
    }

    private static String checkBody(String field, String value) {
      Objects.requireNonNull(value, field);
      int n = value.length();
      for (int i = 0; i < n; i++) {
        char c = value.charAt(i);
        // one comparison for the common character; at or above it are only NUL (c - 1 wraps to 0xFFFF),
        // the surrogates (U+D800 to U+DFFF) and U+E000 to U+FFFF (allowed, checked below)
        if (((c - 1) & 0xFFFF) < 0xD7FF) {
          continue;
        }
        if (c == 0) {
          throw new IllegalArgumentException(field + " must not contain NUL characters (found at index " + i
              + ")");
        }
        if (Character.isHighSurrogate(c)) {
          if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
            i++;
            continue;
          }
          throw new IllegalArgumentException(field + " contains an unpaired surrogate at index " + i);
        }
        if (Character.isLowSurrogate(c)) {
          throw new IllegalArgumentException(field + " contains an unpaired surrogate at index " + i);
        }
      }
      return value;
    }
  }
}
