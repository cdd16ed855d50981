package dev.mailroom.internal.mime;

import dev.mailroom.internal.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Content types with RFC 2045 parameters, such as {@code text/calendar; method=REQUEST; charset=UTF-8}:
 * checked token by token and written in one normal form (type, subtype and parameter names lower case,
 * values as given, {@code "; "} between parts, values quoted only when they are not tokens).
 */
public final class ContentTypes {
  /** RFC 2045 tspecials: not allowed in a token. */
  private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";
  private static final int MAX_TOKEN = 127;
  private static final int MAX_PARAMETERS = 16;
  private static final int MAX_LENGTH = 1000;

  private ContentTypes() {}

  /**
   * A parsed content type.
   *
   * @param mediaType {@code type/subtype}, lower case
   * @param parameters the parameters as {@code name=value} pairs in order, names lower case, values
   *     unquoted
   */
  public record ContentType(String mediaType, List<String[]> parameters) {
    /** The normal form, {@code type/subtype; name=value; name="quoted value"}. */
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder(mediaType);
      for (String[] p : parameters) {
        b.append("; ").append(parameter(p[0], p[1]));
      }
      return b.toString();
    }
  }

  /**
   * Checks and normalizes a content type.
   *
   * @param what what it is, for the message, such as {@code "attachment content type"}
   * @param text the content type
   * @return the parsed content type
   * @throws IllegalArgumentException naming the part that is wrong and how it should look
   */
  public static ContentType parse(String what, String text) {
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(what + " must be at most " + MAX_LENGTH + " characters long: "
          + text.length());
    }
    String example = ", e.g. application/pdf or text/calendar; method=REQUEST";
    int semi = text.indexOf(';');
    String media = (semi < 0 ? text : text.substring(0, semi)).strip();
    int slash = media.indexOf('/');
    if (slash <= 0 || !isToken(media.substring(0, slash)) || !isToken(media.substring(slash + 1))) {
      throw new IllegalArgumentException(what + " must look like type/subtype, e.g. application/pdf: "
          + Text.quote(text));
    }
    List<String[]> params = new ArrayList<>();
    int i = semi;
    while (i >= 0 && i < text.length()) {
      // at a ';'
      i++;
      while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
        i++;
      }
      if (i >= text.length()) {
        break; // a trailing ';' is harmless
      }
      int eq = text.indexOf('=', i);
      if (eq < 0) {
        throw new IllegalArgumentException(what + ": a parameter must look like name=value" + example + ": "
            + Text.quote(text));
      }
      String name = text.substring(i, eq).strip().toLowerCase(Locale.ROOT);
      if (!isToken(name) || name.indexOf('*') >= 0) {
        throw new IllegalArgumentException(what + ": " + Text.quote(name) + " is not a valid parameter name"
            + example + ": " + Text.quote(text));
      }
      int v = eq + 1;
      while (v < text.length() && (text.charAt(v) == ' ' || text.charAt(v) == '\t')) {
        v++;
      }
      String value;
      int next;
      if (v < text.length() && text.charAt(v) == '"') {
        int close = text.indexOf('"', v + 1);
        if (close < 0) {
          throw new IllegalArgumentException(what + ": the value of " + name + " has no closing quote: "
              + Text.quote(text));
        }
        value = text.substring(v + 1, close);
        for (int k = 0; k < value.length(); k++) {
          char c = value.charAt(k);
          if (c < 0x20 || c > 0x7e || c == '\\') {
            throw new IllegalArgumentException(what + ": the value of " + name + " must be printable ASCII"
                + " without '\\': " + Text.quote(text));
          }
        }
        next = close + 1;
        while (next < text.length() && (text.charAt(next) == ' ' || text.charAt(next) == '\t')) {
          next++;
        }
        if (next < text.length() && text.charAt(next) != ';') {
          throw new IllegalArgumentException(what + ": expected ';' after the value of " + name + ": "
              + Text.quote(text));
        }
      } else {
        next = text.indexOf(';', v);
        value = (next < 0 ? text.substring(v) : text.substring(v, next)).strip();
        if (!isToken(value)) {
          throw new IllegalArgumentException(what + ": the value of " + name + " must be a token or a quoted"
              + " string: " + Text.quote(text));
        }
      }
      if (name.equals("name") || name.equals("filename") || name.equals("boundary")) {
        throw new IllegalArgumentException(what + ": Mailroom sets the " + name + " parameter itself (from"
            + " the file name); leave it out: " + Text.quote(text));
      }
      for (String[] p : params) {
        if (p[0].equals(name)) {
          throw new IllegalArgumentException(what + ": the parameter " + name + " is given twice: "
              + Text.quote(text));
        }
      }
      if (params.size() == MAX_PARAMETERS) {
        throw new IllegalArgumentException(what + " has more than " + MAX_PARAMETERS + " parameters");
      }
      params.add(new String[] {name, value});
      i = next;
    }
    return new ContentType(media.toLowerCase(Locale.ROOT), List.copyOf(params));
  }

  /** True for an RFC 2045 token: 1 to 127 printable ASCII characters, no blanks or tspecials. */
  static boolean isToken(String s) {
    if (s.isEmpty() || s.length() > MAX_TOKEN) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f || TSPECIALS.indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** {@code name=value}, the value quoted when it is not a token. */
  static String parameter(String name, String value) {
    return name + '=' + (isToken(value) ? value : "\"" + value + "\"");
  }
}
