package dev.mailroom;

import dev.mailroom.internal.HostNames;
import dev.mailroom.internal.Text;
import dev.mailroom.internal.mime.DkimSigner;
import java.security.PrivateKey;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A DKIM signing key (RFC 6376) for mail sent over SMTP: the signing domain ({@code d=}), the selector
 * ({@code s=}) under which the public key is published in DNS ({@code selector._domainkey.domain}) and the
 * private key, as a {@link Secret} that never prints. The algorithm follows the key: {@code rsa-sha256}
 * for RSA keys of at least 2048 bits, {@code ed25519-sha256} (RFC 8463) for Ed25519 keys.
 *
 * <pre>{@code
 * Dkim dkim = Dkim.of("acme.example", "mail2026", Secret.of(Files.readString(Path.of("dkim-private.pem"))));
 * EmailSettings settings = EmailSettings.builder()...dkim(dkim).build();
 * }</pre>
 *
 * <p>Mailroom signs with relaxed/relaxed canonicalization the headers From (twice, so that no second From
 * can be added), To, Cc, Subject, Date, Message-ID, MIME-Version, Content-Type and Reply-To, over exactly
 * the bytes that go on the wire; the body hash is computed while the message is written, so a large
 * attachment costs no memory. HTTP APIs sign with the keys set up in the provider's dashboard: with
 * protocol HTTP, a DKIM key is a settings problem.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows the domain, selector and algorithm, never the
 * key.
 */
public final class Dkim {
  private static final Pattern SELECTOR =
      Pattern.compile("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");

  static {
    DkimSigner.keyAccess(d -> d.key);
  }

  private final String domain;
  private final String selector;
  private final Secret privateKey;
  private final PrivateKey key;
  private final String algorithm;

  private Dkim(String domain, String selector, Secret privateKey, PrivateKey key, String algorithm) {
    this.domain = domain;
    this.selector = selector;
    this.privateKey = privateKey;
    this.key = key;
    this.algorithm = algorithm;
  }

  /**
   * A DKIM key from its PEM text: PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, as written by
   * {@code openssl genpkey}) for RSA or Ed25519, or PKCS#1 ({@code -----BEGIN RSA PRIVATE KEY-----}, as
   * written by {@code opendkim-genkey} and older {@code openssl genrsa}) for RSA.
   *
   * @param domain the signing domain, usually the domain of the sender's address, e.g. {@code acme.example}
   * @param selector the selector, e.g. {@code mail2026}: the public key is in DNS at
   *     {@code mail2026._domainkey.acme.example}
   * @param privateKeyPem the private key in PEM form
   * @return the DKIM key
   * @throws IllegalArgumentException if the domain or selector is not valid, the key cannot be read, is
   *     neither RSA nor Ed25519, or is an RSA key shorter than 2048 bits; the message never shows the key
   */
  public static Dkim of(String domain, String selector, Secret privateKeyPem) {
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    String d = checkDomain(domain);
    String s = checkSelector(selector);
    PrivateKey k = DkimSigner.readPem(privateKeyPem.reveal());
    return new Dkim(d, s, privateKeyPem, k, DkimSigner.algorithm(k));
  }

  /**
   * Returns the signing domain ({@code d=}), in lower-case A-labels.
   *
   * @return the domain
   */
  public String domain() {
    return domain;
  }

  /**
   * Returns the selector ({@code s=}).
   *
   * @return the selector
   */
  public String selector() {
    return selector;
  }

  /**
   * Returns the private key as given, in PEM form.
   *
   * @return the key; prints as {@code ******}
   */
  public Secret privateKey() {
    return privateKey;
  }

  /**
   * Returns the signing algorithm ({@code a=}): {@code rsa-sha256} or {@code ed25519-sha256}.
   *
   * @return the algorithm
   */
  public String algorithm() {
    return algorithm;
  }

  /**
   * Returns where the public key must be published: {@code selector._domainkey.domain}.
   *
   * @return the DNS name of the key's TXT record
   */
  public String dnsName() {
    return selector + "._domainkey." + domain;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Dkim && ((Dkim) o).domain.equals(domain) && ((Dkim) o).selector.equals(selector)
        && ((Dkim) o).privateKey.equals(privateKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(domain, selector);
  }

  /** Returns {@code Dkim[domain, selector, algorithm]}; never the key. */
  @Override
  public String toString() {
    return "Dkim[d=" + domain + ", s=" + selector + ", a=" + algorithm + ", key=******]";
  }

  private static String checkDomain(String domain) {
    Objects.requireNonNull(domain, "domain");
    String d = domain.strip();
    String problem = HostNames.check("DKIM domain", d);
    if (problem != null || d.isEmpty() || d.indexOf('.') < 0 || d.startsWith("[")) {
      throw new IllegalArgumentException("DKIM domain must be a domain name such as acme.example: "
          + Text.quote(domain));
    }
    try {
      return java.net.IDN.toASCII(d, java.net.IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("DKIM domain must be a domain name such as acme.example: "
          + Text.quote(domain), e);
    }
  }

  private static String checkSelector(String selector) {
    Objects.requireNonNull(selector, "selector");
    String s = selector.strip();
    if (s.length() > 200 || !SELECTOR.matcher(s).matches()) {
      throw new IllegalArgumentException("DKIM selector must be letters, digits and '-' (dots between"
          + " parts), as in the DNS name selector._domainkey.domain: " + Text.quote(selector));
    }
    return s;
  }
}
