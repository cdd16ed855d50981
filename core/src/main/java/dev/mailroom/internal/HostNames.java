package dev.mailroom.internal;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validation of server names and the loopback test used by the plain-text rules. */
public final class HostNames {
  private static final Pattern HOST_WITH_PORT = Pattern.compile("^[^:\\[\\]]+:\\d*$");
  private static final Pattern IPV6_CHARS = Pattern.compile("^\\[?[0-9A-Fa-f:.%a-zA-Z0-9]*:[0-9A-Fa-f:.%a-zA-Z0-9]*]?$");
  private static final Pattern ALL_NUMERIC = Pattern.compile("^[0-9.]+$");
  private static final Pattern LDH_LABEL = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$");

  private static final String LDH_RULE =
      "only letters, digits, hyphens and dots are allowed, and no label may start or end with a hyphen";

  private HostNames() {}

  /**
   * Checks a server name as typed into a settings form.
   *
   * @param field the settings field, for the message
   * @param host the trimmed host
   * @return null if the host is a valid host name or IP address, otherwise the error message
   */
  public static String check(String field, String host) {
    if (host.contains("://")) {
      String scheme = host.substring(0, host.indexOf("://") + 3);
      return field + " must be a server name without a scheme: remove " + Text.quote(scheme) + " from "
          + Text.quote(host);
    }
    for (int i = 0; i < host.length(); i++) {
      if (Character.isWhitespace(host.charAt(i))) {
        return field + " must not contain spaces: " + Text.quote(host);
      }
    }
    int bad = Text.firstForbidden(host);
    if (bad >= 0) {
      return Text.forbiddenMessage(field, host, bad, true);
    }
    if (HOST_WITH_PORT.matcher(host).matches()) {
      String port = host.substring(host.indexOf(':') + 1);
      return field + " must not contain a port: " + (port.isEmpty() ? "remove the \":\"" : "put " + port
          + " in the port field") + " (" + Text.quote(host) + ")";
    }
    if (host.indexOf('%') >= 0) {
      return field + " must not contain an IPv6 zone index (such as %eth0): use the server's name or a global"
          + " address: " + Text.quote(host);
    }
    if (host.indexOf(':') >= 0) {
      return isIpv6Literal(host) ? null : field + " is not a valid IPv6 address: " + Text.quote(host);
    }
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (ALL_NUMERIC.matcher(h).matches()) {
      return isIpv4(h) ? null : field + " is not a valid IPv4 address: " + Text.quote(host);
    }
    String last = h.substring(h.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    if (!last.isEmpty() && (last.chars().allMatch(Character::isDigit) || last.matches("0x[0-9a-f]*"))) {
      return field + " is neither a server name nor an IPv4 address written as four decimal numbers (such as"
          + " 192.0.2.1): " + Text.quote(host);
    }
    String reason = hostNameProblem(h);
    return reason == null ? null : field + " is not a valid server name (" + reason + "): " + Text.quote(host);
  }

  /** Returns why {@code name} is not a valid (possibly internationalized) DNS name, or null. */
  public static String hostNameProblem(String name) {
    if (name.isEmpty()) {
      return "empty";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x80 && !(Character.isLetterOrDigit(c) || c == '-' || c == '.')) {
        return LDH_RULE;
      }
    }
    String ascii = name;
    if (!AddressSyntax.isAscii(name)) {
      try {
        ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES);
      } catch (IllegalArgumentException e) {
        return "not a valid internationalized name";
      }
    }
    if (ascii.length() > 253) {
      return "longer than 253 characters";
    }
    // label by label, in order (what split("\\.", -1) and LDH_LABEL would say, without their allocations:
    // this runs for every address an email is built with)
    int n = ascii.length();
    int start = 0;
    for (int i = 0; i <= n; i++) {
      if (i < n && ascii.charAt(i) != '.') {
        continue;
      }
      int length = i - start;
      if (length == 0) {
        return "empty label between dots";
      }
      if (length > 63) {
        return "a label is longer than 63 characters";
      }
      if (!ldhLabel(ascii, start, i)) {
        return LDH_RULE;
      }
      start = i + 1;
    }
    return null;
  }

  /** Whether {@code s[from, to)} (1 to 63 characters) matches {@link #LDH_LABEL}. */
  static boolean ldhLabel(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && (c != '-' || i == from || i == to - 1)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code label} matches the LDH rule's pattern (for tests: {@link #ldhLabel} must agree). */
  static boolean ldhLabelPattern(String label) {
    return LDH_LABEL.matcher(label).matches();
  }

  /** The ASCII (A-label) form of a host name; IP literals are returned unchanged. */
  public static String toAscii(String host) {
    if (host.indexOf(':') >= 0) {
      return host;
    }
    // an all-numeric address is ASCII with nothing to lower-case: it comes back unchanged
    String ascii = AddressSyntax.isAscii(host) ? host : IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
    return ascii.toLowerCase(Locale.ROOT);
  }

  /** True for {@code localhost}, names under {@code .localhost}, 127.0.0.0/8 and ::1. No DNS lookup. */
  public static boolean isLoopback(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    if (ALL_NUMERIC.matcher(h).matches()) {
      return isIpv4(h) && h.startsWith("127.");
    }
    if (h.indexOf(':') >= 0 && isIpv6Literal(h)) {
      try {
        return InetAddress.getByName("[" + h + "]").isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return false;
  }

  private static boolean isIpv4(String h) {
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        return false;
      }
      if (Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6Literal(String host) {
    if (!IPV6_CHARS.matcher(host).matches()) {
      return false;
    }
    String h = host.startsWith("[") && host.endsWith("]") ? host : "[" + host + "]";
    try {
      // a bracketed literal is parsed, never looked up
      InetAddress.getByName(h);
      return true;
    } catch (UnknownHostException | IllegalArgumentException e) {
      return false;
    }
  }
}
