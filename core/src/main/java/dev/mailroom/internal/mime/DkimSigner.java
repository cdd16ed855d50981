package dev.mailroom.internal.mime;

import dev.mailroom.Dkim;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * DKIM signing (RFC 6376, and RFC 8463 for Ed25519) of messages written by {@link PreparedMime}:
 * relaxed/relaxed canonicalization, {@code rsa-sha256} or {@code ed25519-sha256}, the body hash computed
 * from the body bytes as they are written (no copy in memory), and the header signature over exactly the
 * header lines that are written after it. Uses only the JDK's {@code java.security}: the signature has to
 * be computed over Mailroom's own streamed bytes, which the DKIM libraries on Maven Central (built around
 * Jakarta Mail's {@code MimeMessage} in memory) cannot do.
 */
public final class DkimSigner {
  /** The headers signed, in this order, when present; From is signed once more at the end. */
  static final List<String> SIGNED = List.of("from", "to", "cc", "subject", "date", "message-id",
      "mime-version", "content-type", "reply-to");
  private static volatile Function<Dkim, PrivateKey> keyAccess;

  private final Dkim dkim;
  private final PrivateKey key;

  private DkimSigner(Dkim dkim, PrivateKey key) {
    this.dkim = dkim;
    this.key = key;
  }

  /**
   * Called once by {@link Dkim}: how this package reads a key's parsed private key, which is not API.
   *
   * @param access reads the key
   */
  public static void keyAccess(Function<Dkim, PrivateKey> access) {
    if (keyAccess == null) {
      keyAccess = access;
    }
  }

  /**
   * A signer for a key.
   *
   * @param dkim the key
   * @return the signer
   */
  public static DkimSigner of(Dkim dkim) {
    Objects.requireNonNull(dkim, "dkim");
    return new DkimSigner(dkim, keyAccess.apply(dkim));
  }

  /**
   * Reads a PEM private key: PKCS#8 RSA or Ed25519, or PKCS#1 RSA.
   *
   * @param pem the PEM text
   * @return the key
   * @throws IllegalArgumentException if it cannot be read; the message never shows the key
   */
  public static PrivateKey readPem(String pem) {
    String text = pem.strip();
    if (text.contains("ENCRYPTED")) {
      throw new IllegalArgumentException("the DKIM private key is encrypted: give it unencrypted (openssl pkey"
          + " -in key.pem -out plain.pem) and keep it as a secret instead");
    }
    boolean pkcs1 = text.contains("-----BEGIN RSA PRIVATE KEY-----");
    if (!pkcs1 && !text.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new IllegalArgumentException("the DKIM private key must be in PEM form, starting with"
          + " -----BEGIN PRIVATE KEY----- (PKCS#8) or -----BEGIN RSA PRIVATE KEY----- (PKCS#1)");
    }
    String b64 = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the DKIM private key is not valid PEM: its base64 text is damaged");
    }
    if (pkcs1) {
      der = pkcs1ToPkcs8(der);
    }
    for (String alg : new String[] {"RSA", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException | RuntimeException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("the DKIM private key is neither an RSA nor an Ed25519 key that Java can"
        + " read: create one with openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048, or"
        + " -algorithm ed25519");
  }

  /**
   * The DKIM algorithm for a key.
   *
   * @param key the key
   * @return {@code rsa-sha256} or {@code ed25519-sha256}
   * @throws IllegalArgumentException for RSA keys under 2048 bits and other key types
   */
  public static String algorithm(PrivateKey key) {
    if (key instanceof RSAKey) {
      int bits = ((RSAKey) key).getModulus().bitLength();
      if (bits < 2048) {
        throw new IllegalArgumentException("the DKIM RSA key has " + bits + " bits; receivers need at least"
            + " 2048: create a new one with openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048");
      }
      return "rsa-sha256";
    }
    String alg = key.getAlgorithm();
    if (alg.equalsIgnoreCase("Ed25519") || alg.equalsIgnoreCase("EdDSA")) {
      return "ed25519-sha256";
    }
    throw new IllegalArgumentException("the DKIM private key must be RSA or Ed25519, not " + alg);
  }

  /** A new body hash: an output stream that canonicalizes (relaxed) and hashes what is written to it. */
  BodyHash bodyHash() {
    return new BodyHash();
  }

  /**
   * The DKIM-Signature header line (folded, without the final CRLF) for a message with these header lines
   * and body hash.
   *
   * @param headers the message's header lines in order, folded, without CRLF
   * @param bodyHash the SHA-256 of the canonical body
   */
  String sign(List<String> headers, byte[] bodyHash) {
    StringBuilder canonical = new StringBuilder(1024);
    List<String> names = new ArrayList<>();
    for (String name : SIGNED) {
      String h = last(headers, name);
      if (h != null) {
        canonical.append(relaxedHeader(h)).append("\r\n");
        names.add(name);
      }
    }
    // From once more: a second From added on the way breaks the signature
    names.add("from");
    StringBuilder prefix = new StringBuilder("DKIM-Signature: v=1; a=").append(dkim.algorithm())
        .append("; c=relaxed/relaxed; d=").append(dkim.domain()).append(";\r\n s=").append(dkim.selector())
        .append("; t=").append(Instant.now().getEpochSecond()).append(";\r\n h=");
    int used = 3;
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i) + (i + 1 < names.size() ? ":" : ";");
      if (used + n.length() > 76) {
        prefix.append("\r\n  ");
        used = 2;
      }
      prefix.append(n);
      used += n.length();
    }
    prefix.append("\r\n bh=").append(Base64.getEncoder().encodeToString(bodyHash)).append(";\r\n b=");
    canonical.append(relaxedHeader(prefix.toString()));
    byte[] data = canonical.toString().getBytes(StandardCharsets.UTF_8);
    String b = Base64.getEncoder().encodeToString(signature(data));
    StringBuilder out = new StringBuilder(prefix.length() + b.length() + 16).append(prefix);
    int first = Math.min(b.length(), 73);
    out.append(b, 0, first);
    for (int i = first; i < b.length(); i += 74) {
      out.append("\r\n ").append(b, i, Math.min(b.length(), i + 74));
    }
    return out.toString();
  }

  private byte[] signature(byte[] data) {
    try {
      if (key instanceof RSAKey) {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update(data);
        return s.sign();
      }
      // RFC 8463: PureEdDSA over the SHA-256 hash of the data
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(MessageDigest.getInstance("SHA-256").digest(data));
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("DKIM signing failed: " + e.getClass().getSimpleName(), e);
    }
  }

  /** The last header line with this name (the one a verifier takes first), or null. */
  private static String last(List<String> headers, String name) {
    for (int i = headers.size() - 1; i >= 0; i--) {
      String h = headers.get(i);
      int colon = h.indexOf(':');
      if (colon == name.length() && h.regionMatches(true, 0, name, 0, colon)) {
        return h;
      }
    }
    return null;
  }

  /**
   * RFC 6376 3.4.2: the name in lower case, line breaks of folding removed, runs of blanks as one space,
   * no blanks at the end of the value or around the colon.
   */
  static String relaxedHeader(String header) {
    int colon = header.indexOf(':');
    String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    String value = header.substring(colon + 1).replace("\r\n", "");
    StringBuilder b = new StringBuilder(name.length() + value.length() + 1).append(name).append(':');
    boolean blank = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ' || c == '\t') {
        blank = true;
        continue;
      }
      if (blank && b.length() > name.length() + 1) {
        b.append(' ');
      }
      blank = false;
      b.append(c);
    }
    return b.toString();
  }

  private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
    byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
        0x01, 0x01, 0x05, 0x00};
    ByteArrayOutputStream inner = new ByteArrayOutputStream(pkcs1.length + 32);
    inner.writeBytes(new byte[] {0x02, 0x01, 0x00});
    inner.writeBytes(algorithm);
    inner.write(0x04);
    writeLength(inner, pkcs1.length);
    inner.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(inner.size() + 8);
    out.write(0x30);
    writeLength(out, inner.size());
    out.writeBytes(inner.toByteArray());
    return out.toByteArray();
  }

  private static void writeLength(ByteArrayOutputStream out, int len) {
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else if (len < 0x10000) {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len & 0xff);
    } else {
      out.write(0x83);
      out.write(len >> 16);
      out.write((len >> 8) & 0xff);
      out.write(len & 0xff);
    }
  }

  /**
   * The relaxed body canonicalization (RFC 6376 3.4.4) fed to SHA-256 as the body is written: blanks at
   * line ends dropped, runs of blanks as one space, empty lines at the end dropped, a final CRLF added to
   * a body that does not end with one.
   */
  static final class BodyHash extends OutputStream {
    private final MessageDigest digest;
    private final byte[] buf = new byte[8192];
    private int n;
    private long emptyLines;
    private boolean blank;
    private boolean lineHasContent;
    private boolean cr;

    BodyHash() {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void write(int b) {
      byte x = (byte) b;
      if (cr) {
        cr = false;
        if (x == '\n') {
          endLine();
          return;
        }
        content((byte) '\r');
      }
      if (x == '\r') {
        cr = true;
      } else if (x == ' ' || x == '\t') {
        blank = true;
      } else if (x == '\n') {
        // a bare LF never comes from the writer; SMTP would send it as CRLF
        endLine();
      } else {
        content(x);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    private void content(byte x) {
      while (emptyLines > 0) {
        put((byte) '\r');
        put((byte) '\n');
        emptyLines--;
      }
      if (blank) {
        put((byte) ' ');
        blank = false;
      }
      lineHasContent = true;
      put(x);
    }

    private void endLine() {
      blank = false;
      if (lineHasContent) {
        put((byte) '\r');
        put((byte) '\n');
        lineHasContent = false;
      } else {
        emptyLines++;
      }
    }

    private void put(byte x) {
      if (n == buf.length) {
        digest.update(buf, 0, n);
        n = 0;
      }
      buf[n++] = x;
    }

    /** The hash of the canonical body. */
    byte[] finish() {
      if (cr) {
        cr = false;
        content((byte) '\r');
      }
      if (lineHasContent) {
        blank = false;
        put((byte) '\r');
        put((byte) '\n');
      }
      digest.update(buf, 0, n);
      n = 0;
      return digest.digest();
    }

    @Override
    public void flush() throws IOException {
      // nothing buffered that matters before finish()
    }
  }
}
