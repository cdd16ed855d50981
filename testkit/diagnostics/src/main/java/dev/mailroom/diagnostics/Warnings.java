package dev.mailroom.diagnostics;

import dev.mailroom.TlsMode;
import dev.mailroom.internal.AddressSyntax;
import dev.mailroom.internal.HostNames;
import java.util.List;
import java.util.Locale;

/** The warnings that do not depend on a failure: risky settings and provider rules. */
final class Warnings {
  private Warnings() {}

  static void afterSmtp(Session s, List<String> capabilities) {
    String host = s.host();
    boolean local = HostNames.isLoopback(host);
    if (s.settings.tlsMode() == TlsMode.NONE) {
      if (s.port() == 25) {
        s.warning(DiagnosticWarning.UNENCRYPTED_PORT_25, host);
      } else if (!local) {
        s.warning(DiagnosticWarning.UNENCRYPTED, host, String.valueOf(s.port()));
      }
    }
    common(s);
  }

  static void common(Session s) {
    if (!s.settings.verifyTlsCertificate() && ProviderDetection.wellKnown(s.provider)) {
      s.warning(DiagnosticWarning.VERIFY_OFF_WELL_KNOWN, s.provider.displayName());
    }
    senderDomain(s);
  }

  private static void senderDomain(Session s) {
    if (!ProviderDetection.rejectsForeignSender(s.provider)) {
      return;
    }
    String login = s.settings.username().orElse(null);
    String from = s.settings.fromAddress();
    if (login == null || from == null || !AddressSyntax.isAddrSpec(login) || !AddressSyntax.isAddrSpec(from)) {
      return;
    }
    String loginDomain = domain(login);
    String fromDomain = domain(from);
    if (!loginDomain.equals(fromDomain)) {
      s.warning(DiagnosticWarning.SENDER_DOMAIN_MISMATCH, from, login, s.provider.displayName());
    }
  }

  private static String domain(String address) {
    return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
  }
}
