package dev.mailroom.diagnostics.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognizes certificate issuers of antivirus programs and proxies that intercept TLS by re-signing the
 * server's certificate with their own CA (names as they appear in those products' root certificates,
 * e.g. "Avast Web/Mail Shield Root", "ESET SSL Filter CA", "Kaspersky Anti-Virus Personal Root").
 */
public final class Interception {
  private record Product(String name, Pattern pattern) {}

  private static final List<Product> PRODUCTS = List.of(
      p("Avast", "\\bavast\\b"),
      p("AVG", "\\bavg\\b"),
      p("Kaspersky", "kaspersky"),
      p("ESET", "\\beset\\b"),
      p("Bitdefender", "bitdefender"),
      p("Norton", "\\bnorton\\b"),
      p("McAfee", "mcafee"),
      p("Trend Micro", "trend ?micro"),
      p("Sophos", "sophos"),
      p("Fortinet FortiGate", "forti(net|gate)"),
      p("Zscaler", "zscaler"),
      p("Blue Coat", "blue ?coat"),
      p("Cisco Umbrella", "cisco umbrella|\\bopendns\\b"),
      p("Netskope", "netskope"),
      p("Palo Alto Networks", "palo ?alto"),
      p("Check Point", "check ?point"),
      p("WatchGuard", "watchguard"),
      p("Barracuda", "barracuda"),
      p("Forcepoint", "forcepoint|websense"),
      p("SonicWall", "sonicwall"),
      p("Untangle", "untangle"),
      p("Smoothwall", "smoothwall"),
      p("Kerio Control", "\\bkerio\\b"),
      p("mitmproxy", "mitmproxy"),
      p("Fiddler", "fiddler"),
      p("Burp Suite", "portswigger|\\bburp\\b"),
      p("Charles Proxy", "charles proxy"));

  private Interception() {}

  private static Product p(String name, String regex) {
    return new Product(name, Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
  }

  /**
   * Returns the product whose name appears in an issuer or subject name.
   *
   * @param distinguishedName a certificate's issuer or subject
   * @return the product name, or empty
   */
  public static Optional<String> product(String distinguishedName) {
    String dn = distinguishedName.toLowerCase(Locale.ROOT);
    for (Product p : PRODUCTS) {
      if (p.pattern.matcher(dn).find()) {
        return Optional.of(p.name);
      }
    }
    return Optional.empty();
  }
}
