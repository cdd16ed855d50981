package dev.mailroom.internal.mime;

import dev.mailroom.Address;
import dev.mailroom.internal.AddressSyntax;
import dev.mailroom.internal.Text;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Builds header values that are safe on the wire: RFC 2047 encoded words for non-ASCII text, RFC 2231
 * for non-ASCII file names (with an encoded-word {@code name=} fallback for Outlook), folded lines, and a
 * refusal of text whose encoded words would decode to a line break or control character.
 */
public final class Headers {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  /** RFC 2231 attribute-char that needs no percent encoding. */
  private static final String ATTR_CHARS = "!#$&+-.^_`|~";
  /** RFC 5322 specials: a display name with any of them is quoted. */
  private static final String PHRASE_SPECIALS = "()<>[]:;@\\,.\"";

  private Headers() {}

  /**
   * Refuses a value whose encoded words ({@code =?charset?B?...?=}) decode to a line break or control
   * character, or are in a charset Java does not know: a receiver that decodes them would show a forged
   * header or body.
   *
   * @throws IllegalArgumentException naming the field
   */
  public static void checkEncodedWords(String what, String value) {
    if (value.indexOf("=?") < 0) {
      return;
    }
    // core's check decodes every encoded word, also those not between blanks, and refuses charsets Java
    // does not know
    if (Text.firstForbidden(value) >= 0 || Text.hasDangerousEncodedWord(value)) {
      throw new IllegalArgumentException(what + " contains an encoded word that decodes to a line break or"
          + " control character: " + Text.quote(value));
    }
  }

  /** An unstructured header value (subject, custom header): encoded when not ASCII, folded. */
  public static String unstructured(String headerName, String value) {
    checkEncodedWords(headerName, value);
    int used = headerName.length() + 2;
    if (!isAscii(value) || hasLongWord(value)) {
      return encodeWords(value, used, false);
    }
    String folded = fold(used, value);
    // folding breaks only at the first blank of a run: a long run of blanks stays on one line
    return longestLine(folded) + used > MAX_FOLDED_LINE ? encodeWords(value, used, false) : folded;
  }

  /**
   * Folds an unstructured ASCII value so that lines stay within 76 characters where a blank allows it:
   * trailing blanks are dropped, and a line is broken before the last blank (the first of a run of blanks)
   * that keeps it within 76 characters, or at the first blank after that when there is none; a word
   * longer than a line stays whole. For header-safe text (no controls but TAB) this is exactly Jakarta
   * Mail's {@code MimeUtility.fold}.
   *
   * @param used how many characters the header line already has before the value
   */
  static String fold(int used, String s) {
    int end = s.length() - 1;
    while (end >= 0) {
      char c = s.charAt(end);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        break;
      }
      end--;
    }
    if (end != s.length() - 1) {
      s = s.substring(0, end + 1);
    }
    if (used + s.length() <= 76) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 4);
    char last = 0;
    while (used + s.length() > 76) {
      int lastSpace = -1;
      for (int i = 0; i < s.length(); i++) {
        if (lastSpace != -1 && used + i > 76) {
          break;
        }
        char c = s.charAt(i);
        if ((c == ' ' || c == '\t') && !(last == ' ' || last == '\t')) {
          lastSpace = i;
        }
        last = c;
      }
      if (lastSpace == -1) {
        // no blank: the rest stays on this line
        break;
      }
      if (b.length() > 0 || lastSpace > 0) {
        // a value that starts with a blank does not start with an empty line
        b.append(s, 0, lastSpace).append("\r\n");
      }
      last = s.charAt(lastSpace);
      b.append(last);
      s = s.substring(lastSpace + 1);
      used = 1;
    }
    return b.append(s).toString();
  }

  /** A quoted string: the value in double quotes, with {@code "} and {@code \\} escaped. */
  static String quote(String value) {
    StringBuilder b = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append('"').toString();
  }

  /** The longest a folded header line may get before the value is encoded instead (RFC 5322: 998). */
  public static final int MAX_FOLDED_LINE = 900;

  /** The length of the longest line of a folded value (lines separated by CRLF). */
  public static int longestLine(String folded) {
    int max = 0;
    int start = 0;
    while (true) {
      int nl = folded.indexOf("\r\n", start);
      int len = (nl < 0 ? folded.length() : nl) - start;
      max = Math.max(max, len);
      if (nl < 0) {
        return max;
      }
      start = nl + 2;
    }
  }

  /**
   * RFC 2047 encoded words for {@code text}: Q encoding for mostly ASCII text, B (base64) otherwise or when
   * {@code base64}; each word at most 75 characters and never splitting a character, words separated by a
   * folding line break.
   *
   * @param used how many characters the header line already has before the value
   */
  public static String encodeWords(String text, int used, boolean base64) {
    byte[] all = text.getBytes(StandardCharsets.UTF_8);
    int plain = 0;
    for (byte b : all) {
      if (qLiteral(b & 0xff) || b == ' ') {
        plain++;
      }
    }
    boolean q = !base64 && plain * 3 >= all.length * 2;
    String prefix = q ? "=?UTF-8?Q?" : "=?UTF-8?B?";
    StringBuilder out = new StringBuilder(all.length * 2 + 32);
    StringBuilder qWord = new StringBuilder(64);
    java.io.ByteArrayOutputStream bWord = new java.io.ByteArrayOutputStream(48);
    int budget = Math.max(12, 76 - used - 12);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      byte[] cpBytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
      if (q) {
        StringBuilder piece = new StringBuilder(12);
        for (byte b : cpBytes) {
          int c = b & 0xff;
          if (c == ' ') {
            piece.append('_');
          } else if (qLiteral(c)) {
            piece.append((char) c);
          } else {
            piece.append('=').append(HEX[c >> 4]).append(HEX[c & 0xf]);
          }
        }
        if (qWord.length() > 0 && qWord.length() + piece.length() > budget) {
          word(out, prefix, qWord.toString());
          qWord.setLength(0);
          budget = 63;
        }
        qWord.append(piece);
      } else {
        int max = budget / 4 * 3;
        if (bWord.size() > 0 && bWord.size() + cpBytes.length > max) {
          word(out, prefix, Base64.getEncoder().encodeToString(bWord.toByteArray()));
          bWord.reset();
          budget = 63;
        }
        bWord.write(cpBytes, 0, cpBytes.length);
      }
    }
    if (q && qWord.length() > 0) {
      word(out, prefix, qWord.toString());
    } else if (!q && bWord.size() > 0) {
      word(out, prefix, Base64.getEncoder().encodeToString(bWord.toByteArray()));
    }
    return out.toString();
  }

  private static void word(StringBuilder out, String prefix, String encoded) {
    if (out.length() > 0) {
      out.append("\r\n ");
    }
    out.append(prefix).append(encoded).append("?=");
  }

  /** Characters that stand for themselves in a Q-encoded word, even inside a phrase (RFC 2047 5(3)). */
  private static boolean qLiteral(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '!' || c == '*'
        || c == '+' || c == '-' || c == '/';
  }

  /** An address list header value (From, To, Cc, Reply-To), folded between addresses. */
  public static String addresses(String headerName, List<Address> list, boolean utf8) {
    List<String> parts = new ArrayList<>(list.size());
    for (Address a : list) {
      parts.add(address(headerName, a, utf8));
    }
    StringBuilder b = new StringBuilder();
    int used = headerName.length() + 2;
    for (int i = 0; i < parts.size(); i++) {
      String p = parts.get(i);
      if (i > 0) {
        if (used + 2 + p.length() > 76) {
          b.append(",\r\n ");
          used = 1;
        } else {
          b.append(", ");
          used += 2;
        }
      }
      b.append(p);
      int nl = p.lastIndexOf('\n');
      used = nl >= 0 ? p.length() - nl - 1 : used + p.length();
    }
    return b.toString();
  }

  private static String address(String headerName, Address a, boolean utf8) {
    String email = utf8 ? a.email() : a.asciiEmail();
    if (a.name().isEmpty()) {
      return email;
    }
    String name = a.name().get();
    checkEncodedWords(headerName + " display name", name);
    String phrase;
    if (!isAscii(name)) {
      phrase = encodeWords(name, headerName.length() + 2, false);
    } else {
      phrase = phrase(name);
      int used = headerName.length() + 2;
      if (used + phrase.length() > 76) {
        // folded at its blanks (unfolding gives the name back exactly); encoded words only for a name without
        // blanks to fold at: decoders differ on the space between two encoded words in a phrase
        String folded = fold(used, phrase);
        phrase = longestLine(folded) <= 76 && folded.length() - folded.replace("\r\n", "").length() > 0
            ? folded : encodeWords(name, used, false);
      }
    }
    int nl = phrase.lastIndexOf('\n');
    int last = nl >= 0 ? phrase.length() - nl - 1 : headerName.length() + 2 + phrase.length();
    // the angle address goes on a line of its own rather than past 76 characters
    return phrase + (last + 3 + email.length() > 76 ? "\r\n <" : " <") + email + ">";
  }

  /** An ASCII display name as atoms separated by spaces, or as a quoted string when it has specials. */
  private static String phrase(String name) {
    boolean quote = name.contains("=?") || name.startsWith(" ") || name.endsWith(" ") || name.contains("  ");
    for (int i = 0; i < name.length() && !quote; i++) {
      char c = name.charAt(i);
      quote = PHRASE_SPECIALS.indexOf(c) >= 0 || c == '\t';
    }
    if (!quote) {
      return name;
    }
    StringBuilder b = new StringBuilder(name.length() + 2).append('"');
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append('"').toString();
  }

  /** The longest plain ASCII file name written as a quoted {@code filename="..."}. */
  static final int MAX_QUOTED_NAME = 200;
  /** The longest ASCII fallback name in {@code name="..."}: the line stays within 76 characters. */
  static final int MAX_FALLBACK_NAME = 60;

  /**
   * The Content-Type value of an attachment: {@code type[; params];} and {@code name="..."}, each parameter
   * on a line of its own when the line would get longer than 76 characters. For a plain ASCII name the
   * name itself; otherwise an ASCII stand-in ({@link #asciiFallback(String)}) for readers that know only
   * {@code name} (the exact name is in the Content-Disposition's RFC 2231 {@code filename*}). Never an
   * encoded word: RFC 2047 forbids them in parameters, and parsers cut or keep them raw.
   *
   * @param type the normalized content type, possibly with parameters ({@link ContentTypes})
   * @param filename the file name
   */
  public static String contentType(String type, String filename) {
    checkEncodedWords("attachment filename", filename);
    String name = plainName(filename) ? filename : asciiFallback(filename);
    ContentTypes.ContentType ct = ContentTypes.parse("content type", type);
    StringBuilder b = new StringBuilder(ct.mediaType());
    int used = "Content-Type: ".length() + b.length();
    List<String> params = new ArrayList<>();
    for (String[] p : ct.parameters()) {
      params.add(ContentTypes.parameter(p[0], p[1]));
    }
    params.add("name=" + quote(name));
    for (String p : params) {
      if (used + 2 + p.length() > 76) {
        b.append(";\r\n ").append(p);
        used = 1 + p.length();
      } else {
        b.append("; ").append(p);
        used += 2 + p.length();
      }
    }
    return b.toString();
  }

  /** {@link #disposition(String, String)} for an {@code attachment}. */
  public static String disposition(String filename) {
    return disposition("attachment", filename);
  }

  /**
   * {@code attachment; filename="..."} (or {@code inline}) for a plain ASCII name, otherwise the RFC 2231
   * form {@code filename*=UTF-8''...}, split into {@code filename*0*}, {@code filename*1*}... at character
   * boundaries so that every line stays within 76 characters and every section decodes on its own.
   *
   * @param kind {@code attachment} or {@code inline}
   * @param filename the file name
   */
  public static String disposition(String kind, String filename) {
    checkEncodedWords("attachment filename", filename);
    if (plainName(filename)) {
      return kind + ";\r\n filename=" + quote(filename);
    }
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < filename.length(); ) {
      int cp = filename.codePointAt(i);
      int n = Character.charCount(cp);
      pieces.add(percentEncode(filename.substring(i, i + n)));
      i += n;
    }
    int total = 0;
    for (String p : pieces) {
      total += p.length();
    }
    String single = " filename*=UTF-8''";
    if (single.length() + total + 1 <= 76) {
      return kind + ";\r\n" + single + String.join("", pieces);
    }
    StringBuilder b = new StringBuilder(kind);
    int n = 0;
    int k = 0;
    while (k < pieces.size()) {
      String prefix = " filename*" + n + "*=" + (n == 0 ? "UTF-8''" : "");
      StringBuilder segment = new StringBuilder(76);
      // " " + prefix + segment + ";" within 76 characters, whole characters only
      while (k < pieces.size() && (segment.length() == 0
          || prefix.length() + segment.length() + pieces.get(k).length() + 1 <= 76)) {
        segment.append(pieces.get(k++));
      }
      b.append(";\r\n").append(prefix).append(segment);
      n++;
    }
    return b.toString();
  }

  /**
   * An ASCII stand-in for a file name, for readers that know only the plain {@code name} parameter: accents
   * dropped, digits of any script as ASCII digits, quotes as {@code '}, other characters (and
   * {@code ? * / : < > |}, which unpackers cut at or cannot save, so never an encoded-word look-alike) as
   * {@code _},
   * at most {@value #MAX_FALLBACK_NAME} characters, and the extension kept (a name that is all in another
   * script becomes {@code attachment.pdf}).
   *
   * @param filename the file name
   * @return the stand-in
   */
  public static String asciiFallback(String filename) {
    String decomposed = java.text.Normalizer.normalize(filename, java.text.Normalizer.Form.NFKD);
    StringBuilder b = new StringBuilder(decomposed.length());
    for (int i = 0; i < decomposed.length(); ) {
      int cp = decomposed.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.getType(cp) == Character.NON_SPACING_MARK) {
        continue;
      }
      char c;
      if (cp >= 0x20 && cp < 0x7f && "\"\\?*/:<>|".indexOf(cp) < 0) {
        c = (char) cp;
      } else if (cp == '"') {
        c = '\'';
      } else if (Character.isDigit(cp) && Character.digit(cp, 10) >= 0) {
        c = (char) ('0' + Character.digit(cp, 10));
      } else {
        c = '_';
      }
      if (c == '_' && b.length() > 0 && b.charAt(b.length() - 1) == '_') {
        continue;
      }
      b.append(c);
    }
    String ascii = b.toString();
    int dot = ascii.lastIndexOf('.');
    String ext = dot > 0 && ascii.length() - dot <= 10 && !ascii.substring(dot).contains("_")
        ? ascii.substring(dot) : "";
    String base = ascii.substring(0, ascii.length() - ext.length());
    base = base.replaceAll("^[_ .-]+|[_ .-]+$", "");
    if (base.replaceAll("[^A-Za-z0-9]", "").isEmpty()) {
      base = "attachment";
    }
    int room = MAX_FALLBACK_NAME - ext.length();
    if (base.length() > room) {
      base = base.substring(0, room).strip();
    }
    return base + ext;
  }

  /** Printable ASCII without quote or backslash, no encoded-word look-alike, at most 200 characters. */
  private static boolean plainName(String s) {
    if (s.length() > MAX_QUOTED_NAME || s.contains("=?")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static String percentEncode(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder(bytes.length * 3);
    for (byte x : bytes) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || (c < 0x80 && ATTR_CHARS.indexOf(c) >= 0)) {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return b.toString();
  }

  /** True if every character is ASCII. */
  public static boolean isAscii(String s) {
    return AddressSyntax.isAscii(s);
  }

  private static boolean hasLongWord(String s) {
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
        run = 0;
      } else if (++run > 900) {
        return true;
      }
    }
    return false;
  }
}
