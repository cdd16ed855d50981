package dev.mailroom.diagnostics;

import dev.mailroom.Presets;
import dev.mailroom.ProviderPreset;
import dev.mailroom.internal.HostNames;
import dev.mailroom.diagnostics.internal.Dns;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Recognizes the email provider behind settings: from the preset, the server name, the server's greeting
 * or the MX records of the sender's domain, so the report can give that provider's hints.
 */
final class ProviderDetection {
  private static final Set<String> RESERVED_TLDS = Set.of("test", "example", "invalid", "localhost", "local",
      "internal", "lan", "home", "arpa");
  private static final Set<String> RESERVED_DOMAINS = Set.of("example.com", "example.net", "example.org");

  /** Providers where "Do not verify TLS certificate" is never needed: every preset except Proton Bridge. */
  static boolean wellKnown(ProviderPreset p) {
    return p != null && !p.id().equals("proton-bridge");
  }

  /** Providers that refuse (or rewrite) a From address other than the signed-in account's. */
  static boolean rejectsForeignSender(ProviderPreset p) {
    return p != null && Set.of("gmail", "google-workspace-relay", "office365", "outlook", "yahoo", "aol", "icloud")
        .contains(p.id());
  }

  private ProviderDetection() {}

  /** Detection before connecting: preset, host name, then MX records. */
  static void beforeConnect(Session s) {
    s.settings.preset().ifPresent(p -> s.provider(p, "provider.source.preset", p.id()));
    if (s.provider == null) {
      // on this computer only a preset's own port counts (Proton Bridge listens on 127.0.0.1:1025)
      s.settings.host().flatMap(Presets::forHost)
          .filter(p -> !HostNames.isLoopback(s.host()) || p.port() == s.port())
          .ifPresent(p -> s.provider(p, "provider.source.host", s.host()));
    }
    if (s.provider == null && s.options.mxLookup()) {
      String from = s.settings.fromAddress();
      if (from != null && from.indexOf('@') > 0) {
        String domain = from.substring(from.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        if (!reserved(domain)) {
          lookUpMx(s, domain);
        }
      }
    }
  }

  private static void lookUpMx(Session s, String domain) {
    String ascii;
    try {
      ascii = HostNames.toAscii(domain);
    } catch (RuntimeException e) {
      return;
    }
    try {
      List<String> mx = Dns.mx(ascii, s.options.dnsServers(), s.options.dnsTimeout());
      s.transcript.note("MX " + ascii + ": " + (mx.isEmpty() ? "none" : String.join(", ", mx)));
      for (String host : mx) {
        Optional<ProviderPreset> p = fromMxHost(host);
        if (p.isPresent()) {
          s.provider(p.get(), "provider.source.mx", domain);
          return;
        }
      }
    } catch (IOException e) {
      s.transcript.note("MX lookup for " + ascii + " failed: " + e.getMessage());
    }
  }

  /** After the greeting: a banner that names the provider. */
  static void fromGreeting(Session s, String greeting) {
    if (s.provider != null) {
      return;
    }
    String g = greeting.toLowerCase(Locale.ROOT);
    ProviderPreset p = null;
    if (g.contains("gsmtp") || g.contains("smtp.gmail.com")) {
      p = Presets.GMAIL;
    } else if (g.contains("outlook.office365.com") || g.contains("protection.outlook.com")
        || g.contains("prod.outlook.com")) {
      p = Presets.OFFICE365;
    } else if (g.contains("smtp.mail.yahoo.com") || g.contains("yahoo.com esmtp")) {
      p = Presets.YAHOO;
    }
    if (p != null) {
      s.provider(p, "provider.source.greeting", s.host());
    }
  }

  static Optional<ProviderPreset> fromMxHost(String mxHost) {
    String h = mxHost.toLowerCase(Locale.ROOT);
    if (h.endsWith(".google.com") || h.endsWith(".googlemail.com") || h.equals("smtp.google.com")) {
      return Optional.of(Presets.GMAIL);
    }
    if (h.endsWith(".outlook.com") || h.endsWith(".office365.us")) {
      return Optional.of(Presets.OFFICE365);
    }
    if (h.endsWith(".yahoodns.net") || h.endsWith(".yahoo.com")) {
      return Optional.of(Presets.YAHOO);
    }
    if (h.endsWith(".zoho.eu")) {
      return Optional.of(Presets.ZOHO_EU);
    }
    if (h.endsWith(".zoho.com")) {
      return Optional.of(Presets.ZOHO);
    }
    if (h.endsWith(".icloud.com") || h.endsWith(".me.com")) {
      return Optional.of(Presets.ICLOUD);
    }
    if (h.endsWith(".messagingengine.com")) {
      return Optional.of(Presets.FASTMAIL);
    }
    if (h.endsWith(".yandex.net") || h.endsWith(".yandex.ru")) {
      return Optional.of(Presets.YANDEX);
    }
    if (h.endsWith(".mail.ru")) {
      return Optional.of(Presets.MAIL_RU);
    }
    return Optional.empty();
  }

  /** Reserved and local-only domains (RFC 2606, RFC 6761): never looked up. */
  static boolean reserved(String domain) {
    String d = domain.toLowerCase(Locale.ROOT);
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    String tld = d.substring(d.lastIndexOf('.') + 1);
    if (RESERVED_TLDS.contains(tld) || d.indexOf('.') < 0) {
      return true;
    }
    for (String r : RESERVED_DOMAINS) {
      if (d.equals(r) || d.endsWith("." + r)) {
        return true;
      }
    }
    return false;
  }
}
