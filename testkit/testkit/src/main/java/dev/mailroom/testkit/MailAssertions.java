package dev.mailroom.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Fluent assertions on a {@link ReceivedEmail}, for JUnit or any test framework (failures are opentest4j's
 * {@code AssertionFailedError}s with expected and actual values, which IDEs show as a diff, when opentest4j
 * is on the class path as it is with JUnit 5; plain {@link AssertionError}s otherwise).
 *
 * <pre>{@code
 * import static dev.mailroom.testkit.MailAssertions.assertThat;
 *
 * assertThat(smtp.awaitOne(Duration.ofSeconds(5)))
 *     .hasSubject("Invoice INV-1")
 *     .sentTo("customer@example.com")
 *     .copiedTo("archive@acme.example")   // envelope only, in no header
 *     .hasAttachment("INV-1.pdf", "application/pdf");
 * }</pre>
 *
 * <p>Address comparisons ignore case.
 */
public final class MailAssertions {
  private MailAssertions() {}

  /**
   * Starts assertions on an email.
   *
   * @param email the email
   * @return the assertions
   */
  public static EmailAssert assertThat(ReceivedEmail email) {
    return new EmailAssert(Objects.requireNonNull(email, "email"));
  }

  /** Assertions on one {@link ReceivedEmail}; each returns this for chaining. Not thread-safe. */
  public static final class EmailAssert {
    private final ReceivedEmail email;

    private EmailAssert(ReceivedEmail email) {
      this.email = email;
    }

    private EmailAssert fail(String what, Object expected, Object actual) {
      throw AssertionFailures.failure("expected the email " + what + " " + expected + " but was " + actual
          + "\n  email: " + email, expected, actual);
    }

    /**
     * Asserts the exact subject.
     *
     * @param expected the subject
     * @return this
     */
    public EmailAssert hasSubject(String expected) {
      return email.subject().equals(expected) ? this : fail("to have the subject", quote(expected),
          quote(email.subject()));
    }

    /**
     * Asserts that the subject contains a text.
     *
     * @param part the text
     * @return this
     */
    public EmailAssert hasSubjectContaining(String part) {
      return email.subject().contains(part) ? this : fail("subject to contain", quote(part), quote(email.subject()));
    }

    /**
     * Asserts the address of the {@code From} header.
     *
     * @param address the address
     * @return this
     */
    public EmailAssert isFrom(String address) {
      String actual = email.from().orElse(null);
      return actual != null && actual.equalsIgnoreCase(address) ? this : fail("to be from", address, actual);
    }

    /**
     * Asserts that each address is a visible recipient ({@code To} or {@code Cc} header) and an envelope
     * recipient, i.e. the server was asked to deliver to it and the recipients can see it.
     *
     * @param addresses the addresses
     * @return this
     */
    public EmailAssert sentTo(String... addresses) {
      for (String a : addresses) {
        if (!contains(email.to(), a) && !contains(email.cc(), a)) {
          fail("to show the recipient", a + " in To or Cc", "To " + email.to() + ", Cc " + email.cc());
        }
        if (!contains(email.envelopeRecipients(), a)) {
          fail("to be delivered to", a, "envelope recipients " + email.envelopeRecipients());
        }
      }
      return this;
    }

    /**
     * Asserts the exact {@code To} header recipients, in any order.
     *
     * @param addresses the addresses
     * @return this
     */
    public EmailAssert hasTo(String... addresses) {
      return sameSet(email.to(), addresses) ? this : fail("to have To", List.of(addresses), email.to());
    }

    /**
     * Asserts the exact {@code Cc} header recipients, in any order.
     *
     * @param addresses the addresses
     * @return this
     */
    public EmailAssert hasCc(String... addresses) {
      return sameSet(email.cc(), addresses) ? this : fail("to have Cc", List.of(addresses), email.cc());
    }

    /**
     * Asserts that an address got a hidden copy: it is an envelope recipient but in no {@code To} or
     * {@code Cc} header, as the settings' "send a copy of every email to this address" and Bcc are.
     *
     * @param address the address
     * @return this
     */
    public EmailAssert copiedTo(String address) {
      return contains(email.hiddenRecipients(), address) ? this
          : fail("to send a hidden copy to", address, "hidden recipients " + email.hiddenRecipients()
              + " (To " + email.to() + ", Cc " + email.cc() + ", envelope " + email.envelopeRecipients() + ")");
    }

    /**
     * Asserts that no hidden copy was sent: every envelope recipient is in a {@code To} or {@code Cc}
     * header.
     *
     * @return this
     */
    public EmailAssert hasNoHiddenRecipients() {
      return email.hiddenRecipients().isEmpty() ? this
          : fail("to have no hidden recipients, i.e.", "[]", email.hiddenRecipients());
    }

    /**
     * Asserts the {@code Reply-To} address.
     *
     * @param address the address
     * @return this
     */
    public EmailAssert hasReplyTo(String address) {
      return contains(email.replyTo(), address) ? this : fail("to have Reply-To", address, email.replyTo());
    }

    /**
     * Asserts that the plain-text body contains a text.
     *
     * @param part the text
     * @return this
     */
    public EmailAssert hasTextContaining(String part) {
      String t = email.text().orElse(null);
      return t != null && t.contains(part) ? this : fail("text body to contain", quote(part), t == null ? "no text body"
          : quote(t));
    }

    /**
     * Asserts that the HTML body contains a text.
     *
     * @param part the text
     * @return this
     */
    public EmailAssert hasHtmlContaining(String part) {
      String t = email.html().orElse(null);
      return t != null && t.contains(part) ? this : fail("HTML body to contain", quote(part), t == null ? "no HTML body"
          : quote(t));
    }

    /**
     * Asserts that an attachment with this file name exists.
     *
     * @param filename the exact file name, e.g. {@code INV-1.pdf}
     * @return this
     */
    public EmailAssert hasAttachment(String filename) {
      return email.attachment(filename).isPresent() ? this : fail("to have the attachment", quote(filename),
          names());
    }

    /**
     * Asserts an attachment's file name and content type.
     *
     * @param filename the exact file name
     * @param contentType the content type without parameters, e.g. {@code application/pdf}
     * @return this
     */
    public EmailAssert hasAttachment(String filename, String contentType) {
      hasAttachment(filename);
      String actual = email.attachment(filename).get().contentType();
      return actual.equalsIgnoreCase(contentType) ? this
          : fail("attachment " + filename + " to have the type", contentType, actual);
    }

    /**
     * Asserts an attachment's file name and exact bytes.
     *
     * @param filename the exact file name
     * @param content the expected bytes
     * @return this
     */
    public EmailAssert hasAttachment(String filename, byte[] content) {
      hasAttachment(filename);
      byte[] actual = email.attachment(filename).get().bytes();
      return Arrays.equals(actual, content) ? this : fail("attachment " + filename + " to have", content.length
          + " bytes equal to the expected content", actual.length + " different bytes");
    }

    /**
     * Asserts the number of attachments.
     *
     * @param count the count
     * @return this
     */
    public EmailAssert hasAttachmentCount(int count) {
      return email.attachments().size() == count ? this : fail("to have attachments:", count, names());
    }

    /**
     * Asserts a header's first value.
     *
     * @param name the header name, any case
     * @param value the exact value
     * @return this
     */
    public EmailAssert hasHeader(String name, String value) {
      String actual = email.header(name).orElse(null);
      return value.equals(actual) ? this : fail("to have the header " + name, quote(value),
          actual == null ? "no such header" : quote(actual));
    }

    /**
     * Returns the email under test, e.g. to continue with another assertion library.
     *
     * @return the email
     */
    public ReceivedEmail email() {
      return email;
    }

    private List<String> names() {
      return email.attachments().stream().map(ReceivedAttachment::filename).collect(Collectors.toList());
    }

    private static boolean contains(List<String> list, String address) {
      return list.stream().anyMatch(a -> a.equalsIgnoreCase(address.strip()));
    }

    private static boolean sameSet(List<String> actual, String... expected) {
      return actual.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toSet())
          .equals(Arrays.stream(expected).map(a -> a.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet()))
          && actual.size() == expected.length;
    }

    private static String quote(String s) {
      return "\"" + s + "\"";
    }
  }
}
