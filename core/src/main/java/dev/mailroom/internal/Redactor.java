package dev.mailroom.internal;

import dev.mailroom.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one redactor: removes secrets (passwords, API keys, tokens, AUTH payloads) from text that came from
 * a server or a plugin, before it reaches a failure, a transcript, a report or a log line. A server may echo
 * what it received in any form, so the text is searched in every form a secret travels or is echoed in:
 *
 * <ul>
 *   <li>plain, and base64 (standard and URL alphabet) at each of the three alignments the secret can have
 *       inside a longer encoded payload (HTTP Basic {@code api:KEY}, SMTP {@code AUTH PLAIN});</li>
 *   <li>inside percent-encoding (either letter case), JSON string escapes ({@code \/}, {@code \"},
 *       {@code \u0041}) and HTML character references ({@code &amp;}, {@code &#47;}, {@code &#x2F;}), up
 *       to two layers deep: the text is decoded into a view that keeps where each character came from, and
 *       what matches there is masked in the original;</li>
 *   <li>cut: a server or a length limit may keep only part of an echo, so any run of 12 or more characters
 *       (half of a longer form) that also occurs in a form of the secret is masked, and at the very
 *       start or end of the text a piece of 6 or more characters that begins or ends a form, and anywhere the
 *       first 10 or more characters of a form where a token ends ({@code "key":"SG.abcdefghij..."}).</li>
 * </ul>
 *
 * <p>Redaction runs on the raw text, before {@link Sanitizer} escapes or shortens it. Secrets shorter than 4
 * characters are not searched for (they would mask ordinary words). Thread-safe: secrets may be added while
 * other threads redact (the SMTP sender adds the AUTH payloads of a connection as it sends them).
 */
public final class Redactor {
  /** What replaces a secret. */
  public static final String MASK = "******";
  /**
   * A run of at least this many characters (or half of the form, if that is more) that occurs in a
   * secret's form is masked anywhere: long enough that a word a password happens to contain ("password"
   * in "secret-password") does not mask a server's "Password:" prompt.
   */
  static final int GRAM = 12;
  /** The start of a form at least this long is masked where a token ends (an echo cut short). */
  private static final int PREFIX = 10;
  /** At the start or end of a text, a cut piece at least this long is masked. */
  private static final int EDGE = 6;
  private static final int MIN_SECRET = 4;
  private static final Redactor NONE = new Redactor(true);

  private final boolean frozen;
  private volatile Needles needles = new Needles(List.of(), Map.of());

  private Redactor(boolean frozen) {
    this.frozen = frozen;
  }

  /** A redactor that changes nothing. */
  public static Redactor none() {
    return NONE;
  }

  /**
   * A redactor for the given secrets; more can be added with {@link #addSecret(String)}.
   *
   * @param secrets plain secret values (null entries are ignored)
   * @return the redactor
   */
  public static Redactor of(String... secrets) {
    Redactor r = new Redactor(false);
    for (String s : secrets) {
      r.addSecret(s);
    }
    return r;
  }

  /**
   * A redactor for an optional secret, e.g. the settings' API key.
   *
   * @param secret the secret, or empty
   * @return the redactor
   */
  public static Redactor of(Optional<Secret> secret) {
    return of(secret.map(Secret::reveal).orElse(null));
  }

  /**
   * Adds a secret: it is searched for in all the forms listed in the class description.
   *
   * @param secret the plain value; ignored when null or shorter than 4 characters
   * @return this redactor
   */
  public Redactor addSecret(String secret) {
    if (secret == null || secret.length() < MIN_SECRET) {
      return this;
    }
    List<String> forms = new ArrayList<>();
    forms.add(secret);
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    for (Base64.Encoder enc : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
      for (int pad = 0; pad <= 2; pad++) {
        byte[] shifted = new byte[bytes.length + pad];
        System.arraycopy(bytes, 0, shifted, pad, bytes.length);
        String e = enc.withoutPadding().encodeToString(shifted);
        // the characters that encode only the secret's bytes: drop those mixed with neighbours
        int from = pad == 0 ? 0 : 4;
        int to = e.length() - 2;
        if (to - from >= EDGE) {
          forms.add(e.substring(from, to));
        }
      }
    }
    add(forms);
    return this;
  }

  /**
   * Adds an exact text that was sent and must not be shown, e.g. an AUTH payload; it is searched for in the
   * same encoded and cut forms as a secret.
   *
   * @param payload the payload; ignored when null or shorter than 4 characters
   * @return this redactor
   */
  public Redactor addPayload(String payload) {
    if (payload == null || payload.length() < MIN_SECRET) {
      return this;
    }
    add(List.of(payload));
    return this;
  }

  private synchronized void add(List<String> forms) {
    if (frozen) {
      throw new UnsupportedOperationException("Redactor.none() holds no secrets");
    }
    List<String> all = new ArrayList<>(needles.forms);
    Map<Integer, Set<String>> grams = new HashMap<>();
    needles.grams.forEach((len, set) -> grams.put(len, new HashSet<>(set)));
    for (String f : forms) {
      if (all.contains(f)) {
        continue;
      }
      all.add(f);
      int len = gramLength(f);
      Set<String> set = grams.computeIfAbsent(len, k -> new HashSet<>());
      for (int i = 0; i + len <= f.length(); i++) {
        set.add(f.substring(i, i + len));
      }
    }
    all.sort((a, b) -> b.length() - a.length());
    Map<Integer, Set<String>> frozenGrams = new HashMap<>();
    grams.forEach((len, set) -> frozenGrams.put(len, Set.copyOf(set)));
    needles = new Needles(List.copyOf(all), Map.copyOf(frozenGrams));
  }

  /** How long a run of a form must be to be masked in the middle of a text; the whole form if shorter. */
  private static int gramLength(String form) {
    return Math.min(form.length(), Math.max(GRAM, (form.length() + 1) / 2));
  }

  /** True if no secret has been added. */
  public boolean isEmpty() {
    return needles.forms.isEmpty();
  }

  /**
   * Returns {@code text} with every form of every secret replaced by {@value #MASK}.
   *
   * @param text the text, may be null
   * @return the redacted text (null for null)
   */
  public String redact(String text) {
    Needles n = needles;
    if (text == null || text.isEmpty() || n.forms.isEmpty()) {
      return text;
    }
    boolean[] masked = new boolean[text.length()];
    boolean any = mark(n, View.of(text), masked);
    View once = View.decode(View.of(text));
    if (once != null) {
      any |= mark(n, once, masked);
      View twice = View.decode(once);
      if (twice != null) {
        any |= mark(n, twice, masked);
      }
    }
    if (!any) {
      return text;
    }
    widenToTokens(text, masked);
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      if (masked[i]) {
        b.append(MASK);
        while (i < text.length() && masked[i]) {
          i++;
        }
      } else {
        b.append(text.charAt(i++));
      }
    }
    return b.toString();
  }

  /**
   * Widens each masked run to the whole token around it (letters, digits and {@code + / = _ -}), so that no
   * neighbouring characters of an encoded payload (the {@code api:} before a key in HTTP Basic, base64
   * padding) stay next to the mask.
   */
  private static void widenToTokens(String text, boolean[] masked) {
    for (int i = 0; i < text.length(); i++) {
      if (masked[i] && (i == 0 || !masked[i - 1])) {
        for (int j = i - 1; j >= 0 && isTokenChar(text.charAt(j)); j--) {
          masked[j] = true;
        }
      }
    }
    for (int i = text.length() - 1; i >= 0; i--) {
      if (masked[i] && (i == text.length() - 1 || !masked[i + 1])) {
        for (int j = i + 1; j < text.length() && isTokenChar(text.charAt(j)); j++) {
          masked[j] = true;
        }
      }
    }
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
        || c == '=' || c == '_' || c == '-';
  }

  /** Marks, in the original text, what matches in {@code v}. */
  private static boolean mark(Needles n, View v, boolean[] masked) {
    String s = v.text;
    boolean any = false;
    for (Map.Entry<Integer, Set<String>> g : n.grams.entrySet()) {
      int len = g.getKey();
      for (int i = 0; i + len <= s.length(); i++) {
        if (g.getValue().contains(s.substring(i, i + len))) {
          any |= v.mask(i, i + len, masked);
        }
      }
    }
    // an echo cut short by the server: the start of a form, 10 characters or more, where a token ends
    for (String f : n.forms) {
      if (f.length() <= PREFIX) {
        continue;
      }
      for (int at = s.indexOf(f.substring(0, PREFIX)); at >= 0; at = s.indexOf(f.substring(0, PREFIX), at + 1)) {
        int len = PREFIX;
        while (len < f.length() && at + len < s.length() && s.charAt(at + len) == f.charAt(len)) {
          len++;
        }
        if (at + len == s.length() || !isTokenChar(s.charAt(at + len))) {
          any |= v.mask(at, at + len, masked);
        }
      }
    }
    // a cut echo at either edge of the text: the start of a form at the end, the end of a form at the start
    for (String f : n.forms) {
      int max = Math.min(f.length() - 1, Math.min(gramLength(f) - 1, s.length()));
      for (int len = max; len >= EDGE; len--) {
        if (s.endsWith(f.substring(0, len))) {
          any |= v.mask(s.length() - len, s.length(), masked);
          break;
        }
      }
      for (int len = max; len >= EDGE; len--) {
        if (s.startsWith(f.substring(f.length() - len))) {
          any |= v.mask(0, len, masked);
          break;
        }
      }
    }
    return any;
  }

  private record Needles(List<String> forms, Map<Integer, Set<String>> grams) {}

  /**
   * A decoded view of a text: {@code text}, and for each of its characters the range of the original text
   * it came from.
   */
  private static final class View {
    final String text;
    final int[] start;
    final int[] end;

    private View(String text, int[] start, int[] end) {
      this.text = text;
      this.start = start;
      this.end = end;
    }

    static View of(String s) {
      int[] start = new int[s.length()];
      int[] end = new int[s.length()];
      for (int i = 0; i < s.length(); i++) {
        start[i] = i;
        end[i] = i + 1;
      }
      return new View(s, start, end);
    }

    boolean mask(int from, int to, boolean[] masked) {
      for (int i = from; i < to; i++) {
        for (int j = start[i]; j < end[i]; j++) {
          masked[j] = true;
        }
      }
      return to > from;
    }

    /** Decodes one layer of percent, JSON and HTML escapes; null when there is none. */
    static View decode(View v) {
      String s = v.text;
      if (s.indexOf('%') < 0 && s.indexOf('\\') < 0 && s.indexOf('&') < 0) {
        return null;
      }
      StringBuilder b = new StringBuilder(s.length());
      List<int[]> spans = new ArrayList<>(s.length());
      boolean changed = false;
      for (int i = 0; i < s.length(); ) {
        int[] out = new int[2];
        int used = percent(s, i, b);
        if (used == 0) {
          used = json(s, i, b);
        }
        if (used == 0) {
          used = html(s, i, b);
        }
        if (used == 0) {
          b.append(s.charAt(i));
          used = 1;
        } else {
          changed = true;
        }
        out[0] = i;
        out[1] = i + used;
        // one span per produced character (a decoded sequence produces one or two chars)
        while (spans.size() < b.length()) {
          spans.add(out);
        }
        i += used;
      }
      if (!changed) {
        return null;
      }
      int[] start = new int[b.length()];
      int[] end = new int[b.length()];
      for (int k = 0; k < b.length(); k++) {
        int[] span = spans.get(k);
        start[k] = v.start[span[0]];
        end[k] = v.end[span[1] - 1];
      }
      return new View(b.toString(), start, end);
    }

    /** {@code %XX} (a run of them as UTF-8); returns the characters consumed, 0 if none. */
    private static int percent(String s, int i, StringBuilder b) {
      if (s.charAt(i) != '%') {
        return 0;
      }
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      int j = i;
      while (j + 2 < s.length() && s.charAt(j) == '%') {
        int hi = Character.digit(s.charAt(j + 1), 16);
        int lo = Character.digit(s.charAt(j + 2), 16);
        if (hi < 0 || lo < 0) {
          break;
        }
        bytes.write(hi * 16 + lo);
        j += 3;
        if (bytes.size() == 1 && (hi * 16 + lo) < 0x80) {
          break; // ASCII: one escape at a time, so each maps to its own span
        }
        if (bytes.size() >= 4) {
          break;
        }
      }
      if (bytes.size() == 0) {
        return 0;
      }
      byte[] raw = bytes.toByteArray();
      if (raw.length == 1 && raw[0] >= 0) {
        b.append((char) raw[0]);
        return j - i;
      }
      // a UTF-8 sequence: take the longest prefix that decodes to exactly one code point
      for (int n = raw.length; n >= 2; n--) {
        String d = new String(raw, 0, n, StandardCharsets.UTF_8);
        if (d.codePointCount(0, d.length()) == 1 && d.codePointAt(0) != 0xFFFD) {
          b.append(d);
          return n * 3;
        }
      }
      return 0;
    }

    /** {@code \/ \" \\ \\uXXXX} and friends; returns the characters consumed, 0 if none. */
    private static int json(String s, int i, StringBuilder b) {
      if (s.charAt(i) != '\\' || i + 1 >= s.length()) {
        return 0;
      }
      char c = s.charAt(i + 1);
      switch (c) {
        case '/', '"', '\\', '\'' -> {
          b.append(c);
          return 2;
        }
        case 'u' -> {
          if (i + 6 <= s.length()) {
            int v = 0;
            for (int k = i + 2; k < i + 6; k++) {
              int d = Character.digit(s.charAt(k), 16);
              if (d < 0) {
                return 0;
              }
              v = v * 16 + d;
            }
            b.append((char) v);
            return 6;
          }
          return 0;
        }
        case 'x' -> {
          if (i + 4 <= s.length()) {
            int hi = Character.digit(s.charAt(i + 2), 16);
            int lo = Character.digit(s.charAt(i + 3), 16);
            if (hi >= 0 && lo >= 0) {
              b.append((char) (hi * 16 + lo));
              return 4;
            }
          }
          return 0;
        }
        default -> {
          return 0;
        }
      }
    }

    private static final String[][] ENTITIES = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&sol;", "/"},
        {"&plus;", "+"}, {"&equals;", "="}, {"&colon;", ":"}, {"&period;", "."}, {"&lowbar;", "_"},
        {"&hyphen;", "-"}, {"&dash;", "-"}, {"&excl;", "!"}, {"&num;", "#"}, {"&dollar;", "$"},
        {"&percnt;", "%"}, {"&ast;", "*"}, {"&commat;", "@"}, {"&Hat;", "^"}, {"&tilde;", "~"}};

    /** HTML character references; returns the characters consumed, 0 if none. */
    private static int html(String s, int i, StringBuilder b) {
      if (s.charAt(i) != '&') {
        return 0;
      }
      if (i + 2 < s.length() && s.charAt(i + 1) == '#') {
        boolean hex = s.charAt(i + 2) == 'x' || s.charAt(i + 2) == 'X';
        int j = i + (hex ? 3 : 2);
        int v = 0;
        int digits = 0;
        while (j < s.length() && digits < 7) {
          int d = Character.digit(s.charAt(j), hex ? 16 : 10);
          if (d < 0) {
            break;
          }
          v = v * (hex ? 16 : 10) + d;
          digits++;
          j++;
        }
        if (digits == 0 || v > Character.MAX_CODE_POINT) {
          return 0;
        }
        if (j < s.length() && s.charAt(j) == ';') {
          j++;
        }
        b.appendCodePoint(v);
        return j - i;
      }
      for (String[] e : ENTITIES) {
        if (s.regionMatches(true, i, e[0], 0, e[0].length())) {
          b.append(e[1]);
          return e[0].length();
        }
      }
      return 0;
    }
  }
}
