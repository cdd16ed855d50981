package dev.mailroom.internal;

import java.nio.charset.StandardCharsets;

/**
 * A deliberately strict parser for email addresses.
 *
 * <p>It accepts a subset of RFC 5322 / RFC 6531 that every mail system reads the same way, so that no
 * two parsers can disagree about the domain of an accepted address: a dot-atom local part (ASCII
 * {@code atext} or UTF-8 letters, at most 64 octets), a DNS domain with at least one dot (or
 * {@code localhost}), internationalized names allowed, at most 255 octets. Quoted local parts, comments,
 * groups, source routes, IP literals and several addresses in one value are refused with a reason.
 *
 * <p>The display-name form {@code Name <local@domain>} is accepted by {@link #parse(String)}; the name may
 * be quoted ({@code "Acme, Ltd." <billing@acme.example>}).
 */
public final class AddressSyntax {
  private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";
  private static final String NAME_SPECIALS = "()<>[]:;@\\,\"";

  private AddressSyntax() {}

  /** The parts of a parsed address. {@code displayName} is null when there is none. */
  public record Parts(String localPart, String domain, String displayName) {}

  /** Thrown with the reason an address is refused. */
  public static final class AddressFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    AddressFormatException(String reason) {
      super(reason);
    }
  }

  /**
   * Parses {@code local@domain} or {@code Name <local@domain>}.
   *
   * @throws AddressFormatException with the reason when the text is not exactly one valid address
   */
  public static Parts parse(String text) {
    if (Text.firstForbidden(text) >= 0) {
      throw new AddressFormatException("contains a line break or control character");
    }
    String s = text.strip();
    if (s.isEmpty()) {
      throw new AddressFormatException("empty");
    }
    boolean quoted = false;
    int lt = -1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && quoted) {
        i++;
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted) {
        if (c == ',' || c == ';') {
          throw new AddressFormatException("must be a single email address, not a list");
        }
        if (c == '(' || c == ')') {
          throw new AddressFormatException("comments in parentheses are not supported");
        }
        if (c == '<') {
          if (lt >= 0) {
            throw new AddressFormatException("has more than one '<'");
          }
          lt = i;
        }
      }
    }
    if (quoted) {
      throw new AddressFormatException("has an unclosed quote");
    }
    if (lt < 0) {
      if (s.indexOf('>') >= 0) {
        throw new AddressFormatException("has '>' without '<'");
      }
      if (s.indexOf('"') >= 0) {
        throw new AddressFormatException("quoted local parts are not supported");
      }
      return addrSpec(s, null);
    }
    if (!s.endsWith(">") || s.indexOf('>') != s.length() - 1) {
      throw new AddressFormatException("must end with the address in angle brackets, with nothing after '>'");
    }
    String inner = s.substring(lt + 1, s.length() - 1);
    if (inner.indexOf('"') >= 0) {
      throw new AddressFormatException("quoted local parts are not supported");
    }
    String name = displayName(s.substring(0, lt).strip());
    if (name != null && Text.hasDangerousEncodedWord(name)) {
      throw new AddressFormatException("the display name has an encoded word that decodes to a line break");
    }
    if (name != null && Text.disguisingProblem("display name", name) != null) {
      throw new AddressFormatException("the display name contains a text-direction override, isolate or"
          + " invisible character, which makes it show differently from what it is");
    }
    return addrSpec(inner.strip(), name);
  }

  /** Parses a bare {@code local@domain} with no display name. */
  public static Parts parseAddrSpec(String text) {
    if (Text.firstForbidden(text) >= 0) {
      throw new AddressFormatException("contains a line break or control character");
    }
    String s = text.strip();
    if (s.indexOf('<') >= 0 || s.indexOf('>') >= 0) {
      throw new AddressFormatException("must be a plain address such as name@example.com, without '<' '>'");
    }
    if (s.indexOf(',') >= 0 || s.indexOf(';') >= 0) {
      throw new AddressFormatException("must be a single email address, not a list");
    }
    if (s.indexOf('"') >= 0) {
      throw new AddressFormatException("quoted local parts are not supported");
    }
    if (s.indexOf('(') >= 0 || s.indexOf(')') >= 0) {
      throw new AddressFormatException("comments in parentheses are not supported");
    }
    return addrSpec(s, null);
  }

  /** True if {@code text} is one valid bare address. */
  public static boolean isAddrSpec(String text) {
    try {
      parseAddrSpec(text);
      return true;
    } catch (AddressFormatException e) {
      return false;
    }
  }

  /** Checks a display name given on its own (not in address syntax). Returns the reason or null. */
  public static String displayNameProblem(String name) {
    int bad = Text.firstForbidden(name);
    if (bad >= 0) {
      return "contains a line break or control character";
    }
    return Text.disguisingProblem("display name", name) != null ? "contains a text-direction override, isolate"
        + " or invisible character, which makes it show differently from what it is" : null;
  }

  private static String displayName(String raw) {
    if (raw.isEmpty()) {
      return null;
    }
    if (raw.startsWith("\"")) {
      if (raw.length() < 2 || !raw.endsWith("\"")) {
        throw new AddressFormatException("the display name must be entirely in quotes or not quoted");
      }
      StringBuilder b = new StringBuilder();
      for (int i = 1; i < raw.length() - 1; i++) {
        char c = raw.charAt(i);
        if (c == '\\') {
          i++;
          if (i >= raw.length() - 1) {
            throw new AddressFormatException("the display name ends with a lone backslash");
          }
          b.append(raw.charAt(i));
        } else if (c == '"') {
          throw new AddressFormatException("the display name must be entirely in quotes or not quoted");
        } else {
          b.append(c);
        }
      }
      String name = b.toString().strip();
      return name.isEmpty() ? null : name;
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (NAME_SPECIALS.indexOf(c) >= 0) {
        throw new AddressFormatException("the display name contains '" + c + "': put the name in double quotes");
      }
    }
    return raw.replaceAll("\\s+", " ");
  }

  private static Parts addrSpec(String s, String name) {
    if (s.isEmpty()) {
      throw new AddressFormatException("empty");
    }
    int at = s.lastIndexOf('@');
    if (at < 0) {
      throw new AddressFormatException("has no '@'");
    }
    if (s.indexOf('@') != at) {
      throw new AddressFormatException("has more than one '@'");
    }
    String local = s.substring(0, at);
    String domain = s.substring(at + 1);
    String why = localPartProblem(local);
    if (why != null) {
      throw new AddressFormatException(why);
    }
    why = domainProblem(domain);
    if (why != null) {
      throw new AddressFormatException(why);
    }
    return new Parts(local, normalizeDomain(domain), name);
  }

  /**
   * Normalizes a valid domain once, per IDNA (UTS #46 mapping as far as the JDK's IDNA implements it):
   * the ideographic, full-width and half-width full stops (U+3002, U+FF0E, U+FF61) become {@code .},
   * full-width and compatibility forms become their plain letters (NFKC), upper case becomes lower case,
   * and invisible characters that IDNA maps to nothing (U+200B, U+00AD...) are removed. An ASCII domain
   * is returned unchanged. So the domain a person sees is the one the envelope uses.
   *
   * @param domain a domain that passed {@link #domainProblem(String)}
   * @return the normalized domain, in Unicode (U-label) form when it is internationalized
   */
  public static String normalizeDomain(String domain) {
    if (isAscii(domain)) {
      return domain;
    }
    try {
      String ascii = java.net.IDN.toASCII(domain, java.net.IDN.USE_STD3_ASCII_RULES);
      return java.net.IDN.toUnicode(ascii, java.net.IDN.USE_STD3_ASCII_RULES).toLowerCase(java.util.Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return domain; // not reached for a checked domain
    }
  }

  /**
   * Normalizes the domain of a valid bare address ({@link #normalizeDomain(String)}).
   *
   * @param addrSpec a bare address that {@link #parseAddrSpec(String)} accepts
   * @return {@code local@normalizedDomain}
   */
  public static String normalizeAddrSpec(String addrSpec) {
    Parts p = parseAddrSpec(addrSpec);
    return p.localPart() + "@" + p.domain();
  }

  /** Returns why {@code local} is not an acceptable local part, or null. */
  public static String localPartProblem(String local) {
    if (local.isEmpty()) {
      return "has nothing before '@'";
    }
    if (local.getBytes(StandardCharsets.UTF_8).length > 64) {
      return "the part before '@' is longer than 64 octets";
    }
    if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
      return "the part before '@' must not start or end with a dot or have two dots in a row";
    }
    for (int i = 0; i < local.length(); ) {
      int cp = local.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '.') {
        continue;
      }
      if (cp < 0x80) {
        if (!(Character.isLetterOrDigit(cp) || ATEXT_SPECIALS.indexOf(cp) >= 0)) {
          return "the part before '@' contains '" + new String(Character.toChars(cp)) + "'"
              + (cp == ' ' ? " (a space)" : "");
        }
      } else if (!isUtf8Atext(cp)) {
        return String.format(java.util.Locale.ROOT, "the part before '@' contains U+%04X", cp);
      }
    }
    return null;
  }

  /** Returns why {@code domain} is not an acceptable domain, or null. */
  public static String domainProblem(String domain) {
    if (domain.isEmpty()) {
      return "has nothing after '@'";
    }
    if (domain.startsWith("[")) {
      return "IP address literals are not supported; use a domain name";
    }
    if (domain.endsWith(".")) {
      return "the domain must not end with a dot";
    }
    String why = HostNames.hostNameProblem(domain);
    if (why != null) {
      return "the domain is not valid: " + why;
    }
    String ascii = HostNames.toAscii(domain);
    if (ascii.length() > 255) {
      return "the domain is longer than 255 octets";
    }
    if (ascii.indexOf('.') < 0 && !ascii.equals("localhost")) {
      return "the domain must contain a dot, e.g. example.com";
    }
    int tld = ascii.lastIndexOf('.') + 1;
    boolean numeric = tld < ascii.length();
    for (int i = tld; i < ascii.length() && numeric; i++) {
      numeric = Character.isDigit(ascii.charAt(i));
    }
    if (numeric) {
      return "the domain must not end in a number; IP addresses are not supported";
    }
    return null;
  }

  private static boolean isUtf8Atext(int cp) {
    int type = Character.getType(cp);
    return !(Character.isWhitespace(cp) || Character.isISOControl(cp) || Character.isSpaceChar(cp)
        || type == Character.FORMAT || type == Character.UNASSIGNED || type == Character.PRIVATE_USE
        || type == Character.SURROGATE || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR || cp == 0xFFFD || cp == 0xFEFF);
  }

  /** True if every character of {@code s} is ASCII. */
  public static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
