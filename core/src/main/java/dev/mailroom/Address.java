package dev.mailroom;

import dev.mailroom.internal.AddressSyntax;
import dev.mailroom.internal.HostNames;
import dev.mailroom.internal.Text;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One email address with an optional display name, such as {@code "Acme Ltd" <billing@acme.example>}.
 *
 * <p>Addresses are checked strictly when created: exactly one address, a dot-atom local part of at most
 * 64 octets (UTF-8 letters allowed), a domain with a dot (or {@code localhost}) that may be
 * internationalized, no quoted local parts, comments, groups or IP literals, and no line breaks or
 * control characters anywhere. This subset is read the same way by every mail system, so the address
 * that goes into the envelope is exactly the one in the headers.
 *
 * <p>Immutable and thread-safe. Two addresses are equal when their local parts, domains (ignoring case)
 * and display names are equal.
 */
public final class Address {
  private final String localPart;
  private final String domain;
  private final String name;
  /** {@link #asciiDomain()}, computed on first use (a racy but safe cache: the value is an immutable String). */
  private String asciiDomain;

  private Address(String localPart, String domain, String name) {
    this.localPart = localPart;
    this.domain = domain;
    this.name = name;
  }

  /**
   * Creates an address without a display name.
   *
   * @param email a bare address such as {@code billing@acme.example}
   * @return the address
   * @throws IllegalArgumentException if {@code email} is not exactly one valid address; the message says
   *     why
   */
  public static Address of(String email) {
    Objects.requireNonNull(email, "email");
    try {
      AddressSyntax.Parts p = AddressSyntax.parseAddrSpec(email);
      return new Address(p.localPart(), p.domain(), null);
    } catch (AddressSyntax.AddressFormatException e) {
      throw new IllegalArgumentException("not a valid email address (" + e.getMessage() + "): "
          + Text.quote(email), e);
    }
  }

  /**
   * Creates an address with a display name.
   *
   * @param email a bare address such as {@code billing@acme.example}
   * @param name the display name, e.g. the business name; blank means none
   * @return the address
   * @throws IllegalArgumentException if {@code email} is not valid or {@code name} contains a line break or
   *     control character
   */
  public static Address of(String email, String name) {
    Objects.requireNonNull(name, "name");
    Address a = of(email);
    Text.requireDisplaySafe("display name", name);
    String n = name.strip();
    return n.isEmpty() ? a : new Address(a.localPart, a.domain, n);
  }

  /**
   * Parses {@code billing@acme.example}, {@code Acme Ltd <billing@acme.example>} or
   * {@code "Acme, Ltd." <billing@acme.example>}.
   *
   * @param text the address as a user would type it
   * @return the address
   * @throws IllegalArgumentException if the text is not exactly one valid address; the message says why
   */
  public static Address parse(String text) {
    Objects.requireNonNull(text, "text");
    try {
      AddressSyntax.Parts p = AddressSyntax.parse(text);
      return new Address(p.localPart(), p.domain(), p.displayName());
    } catch (AddressSyntax.AddressFormatException e) {
      throw new IllegalArgumentException("not a valid email address (" + e.getMessage() + "): "
          + Text.quote(text), e);
    }
  }

  /**
   * Returns the bare address, {@code local@domain}, as given (the domain is not converted).
   *
   * @return the address without display name
   */
  public String email() {
    return localPart + "@" + domain;
  }

  /**
   * Returns the display name.
   *
   * @return the display name, or empty when there is none
   */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /**
   * Returns the part before {@code @}.
   *
   * @return the local part
   */
  public String localPart() {
    return localPart;
  }

  /**
   * Returns the domain as given, possibly with non-ASCII characters.
   *
   * @return the domain
   */
  public String domain() {
    return domain;
  }

  /**
   * Returns the domain in ASCII (A-label, "xn--") form, lower case, as it goes into the SMTP envelope.
   *
   * @return the ASCII domain
   */
  public String asciiDomain() {
    String a = asciiDomain;
    if (a == null) {
      a = HostNames.toAscii(domain);
      asciiDomain = a;
    }
    return a;
  }

  /**
   * Returns {@code local@asciiDomain}: the form to use when the server does not support SMTPUTF8. Only
   * meaningful when {@link #hasAsciiLocalPart()}.
   *
   * @return the address with an ASCII domain
   */
  public String asciiEmail() {
    return localPart + "@" + asciiDomain();
  }

  /**
   * Tells whether the local part is ASCII. An address whose local part is not can only be sent to a
   * server that supports SMTPUTF8 (RFC 6531).
   *
   * @return true if the local part is ASCII
   */
  public boolean hasAsciiLocalPart() {
    return AddressSyntax.isAscii(localPart);
  }

  /**
   * Returns a copy with another display name.
   *
   * @param newName the display name; blank removes it
   * @return the new address
   * @throws IllegalArgumentException if the name contains a line break or control character
   */
  public Address withName(String newName) {
    return of(email(), newName);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Address)) {
      return false;
    }
    Address a = (Address) o;
    return localPart.equals(a.localPart) && domain.toLowerCase(Locale.ROOT).equals(a.domain.toLowerCase(Locale.ROOT))
        && Objects.equals(name, a.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(localPart, domain.toLowerCase(Locale.ROOT), name);
  }

  /**
   * Returns the address in the form {@link #parse(String)} reads back: {@code billing@acme.example} or
   * {@code "Acme Ltd" <billing@acme.example>}. Not MIME-encoded.
   *
   * @return the address as text
   */
  @Override
  public String toString() {
    if (name == null) {
      return email();
    }
    return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\" <" + email() + ">";
  }
}
