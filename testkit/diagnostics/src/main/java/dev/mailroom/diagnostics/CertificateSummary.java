package dev.mailroom.diagnostics;

import dev.mailroom.diagnostics.internal.Interception;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * The server certificate as the diagnostics saw it during the TLS handshake, shown even when verification
 * failed: who it is for, who issued it, when it expires, and its fingerprint.
 *
 * @param subject the subject's distinguished name, e.g. {@code CN=smtp.gmail.com}
 * @param subjectAlternativeNames the DNS names and IP addresses the certificate is valid for
 * @param issuer the issuer's distinguished name
 * @param notBefore the start of validity
 * @param notAfter the end of validity
 * @param sha256Fingerprint the SHA-256 fingerprint of the certificate, upper-case hex pairs joined by
 *     {@code :}
 * @param selfSigned whether the certificate was issued by itself
 * @param chainLength how many certificates the server sent
 * @param verified whether certificate and host name passed verification (false when verification
 *     failed or was turned off)
 * @param interceptedBy the antivirus or proxy product the issuer's name points to, when it looks like
 *     TLS interception (e.g. {@code Avast}, {@code Zscaler})
 */
public record CertificateSummary(
    String subject,
    List<String> subjectAlternativeNames,
    String issuer,
    Instant notBefore,
    Instant notAfter,
    String sha256Fingerprint,
    boolean selfSigned,
    int chainLength,
    boolean verified,
    Optional<String> interceptedBy) {

  /**
   * Validates and copies the components.
   *
   * @param subject see the record component
   * @param subjectAlternativeNames see the record component
   * @param issuer see the record component
   * @param notBefore see the record component
   * @param notAfter see the record component
   * @param sha256Fingerprint see the record component
   * @param selfSigned see the record component
   * @param chainLength see the record component
   * @param verified see the record component
   * @param interceptedBy see the record component
   * @throws NullPointerException if a component is null
   */
  public CertificateSummary {
    Objects.requireNonNull(subject, "subject");
    subjectAlternativeNames = List.copyOf(subjectAlternativeNames);
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(sha256Fingerprint, "sha256Fingerprint");
    Objects.requireNonNull(interceptedBy, "interceptedBy");
  }

  /**
   * Summarizes a chain as a server presented it.
   *
   * @param chain the chain, leaf first; not empty
   * @param verified whether it passed verification
   * @return the summary of the leaf certificate
   * @throws IllegalArgumentException if the chain is empty
   */
  public static CertificateSummary of(X509Certificate[] chain, boolean verified) {
    if (chain == null || chain.length == 0) {
      throw new IllegalArgumentException("the certificate chain is empty");
    }
    X509Certificate leaf = chain[0];
    String subject = leaf.getSubjectX500Principal().getName(X500Principal.RFC2253);
    String issuer = leaf.getIssuerX500Principal().getName(X500Principal.RFC2253);
    Optional<String> product = Optional.empty();
    for (X509Certificate c : chain) {
      product = Interception.product(c.getIssuerX500Principal().getName(X500Principal.RFC2253));
      if (product.isPresent()) {
        break;
      }
    }
    return new CertificateSummary(subject, alternativeNames(leaf), issuer, leaf.getNotBefore().toInstant(),
        leaf.getNotAfter().toInstant(), fingerprint(leaf), isSelfSigned(leaf), chain.length, verified, product);
  }

  /**
   * Tells whether the certificate has expired at {@code now}.
   *
   * @param now the time to check
   * @return true if {@code now} is after {@link #notAfter()}
   */
  public boolean expiredAt(Instant now) {
    return now.isAfter(notAfter);
  }

  /**
   * Returns the names the certificate is valid for: the alternative names, or the subject's CN when there
   * are none.
   *
   * @return the names, comma-separated
   */
  public String validFor() {
    if (!subjectAlternativeNames.isEmpty()) {
      return String.join(", ", subjectAlternativeNames);
    }
    for (String part : subject.split(",")) {
      if (part.strip().toUpperCase(Locale.ROOT).startsWith("CN=")) {
        return part.strip().substring(3);
      }
    }
    return subject;
  }

  private static List<String> alternativeNames(X509Certificate c) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = c.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          Object type = san.get(0);
          if ((Integer.valueOf(2).equals(type) || Integer.valueOf(7).equals(type)) && san.get(1) instanceof String) {
            names.add((String) san.get(1));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // no readable alternative names: show none
    }
    return names;
  }

  private static boolean isSelfSigned(X509Certificate c) {
    if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
      return false;
    }
    try {
      c.verify(c.getPublicKey());
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static String fingerprint(X509Certificate c) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      return "";
    }
  }
}
