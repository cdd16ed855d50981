package dev.mailroom;

import dev.mailroom.internal.Destinations;
import java.net.InetAddress;

/**
 * Decides which servers Mailroom may connect to. In a hosted application every tenant types its own
 * email settings, and a tenant may aim them at the application's internal network (a database, a cloud
 * metadata service at {@code 169.254.169.254}) instead of a mail server; a policy stops that.
 *
 * <pre>{@code
 * MailerOptions options = MailerOptions.builder()
 *     .destinationPolicy(DestinationPolicy.publicInternetOnly().allowing("10.1.2.25", "relay.corp.example"))
 *     .build();
 * }</pre>
 *
 * <p>The SMTP sender, the HTTP sender and every step of the connection diagnostics resolve the server's
 * name once, ask the policy about <em>every</em> address the name resolves to, right before connecting,
 * and connect only to an address that was asked about (no second DNS lookup, so a name that changes its
 * answer between the check and the connection cannot slip through). One refused address refuses the
 * server. A refusal is a {@link SendException} with category {@link FailureCategory#CONFIGURATION}, never
 * retried, whose hint tells the user that this server address is not allowed. Redirects are never
 * followed.
 *
 * <p>Implementations must be thread-safe, fast and must not do network I/O.
 */
@FunctionalInterface
public interface DestinationPolicy {
  /**
   * Allows every destination: the default, so that a desktop application can send through a mail server
   * on the same computer (Proton Mail Bridge on 127.0.0.1).
   */
  DestinationPolicy ANY = new DestinationPolicy() {
    @Override
    public boolean allows(String host, InetAddress address, int port) {
      return true;
    }

    @Override
    public String toString() {
      return "DestinationPolicy.ANY";
    }
  };

  /**
   * Tells whether Mailroom may connect to {@code address}, one of the addresses {@code host} resolved to.
   *
   * @param host the server name as in the settings (an IP address when the settings hold one), lower case
   *     and in ASCII (A-label) form
   * @param address one resolved address; the connection goes to exactly this address
   * @param port the port
   * @return true to allow the connection
   */
  boolean allows(String host, InetAddress address, int port);

  /**
   * Returns a policy for hosted, multi-tenant applications: only addresses on the public internet.
   * Refused: loopback ({@code 127/8}, {@code ::1}), unspecified ({@code 0.0.0.0/8}, {@code ::}),
   * link-local ({@code 169.254/16}, {@code fe80::/10}), private ({@code 10/8}, {@code 172.16/12},
   * {@code 192.168/16}, {@code fc00::/7}, {@code fec0::/10}), shared address space ({@code 100.64/10}),
   * multicast, broadcast, documentation, benchmarking and reserved ranges, the same addresses embedded in
   * IPv6 (IPv4-mapped, IPv4-compatible, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}, Teredo
   * {@code 2001::/32}), and, before any DNS lookup, the names {@code localhost}, {@code *.localhost},
   * {@code *.local}, {@code *.internal} (such as {@code metadata.google.internal}), {@code *.localdomain},
   * {@code *.home.arpa}, {@code *.onion} and {@code *.invalid}.
   *
   * @return the policy
   */
  static DestinationPolicy publicInternetOnly() {
    return Destinations.PUBLIC_INTERNET_ONLY;
  }

  /**
   * Returns this policy with exceptions on top: a destination is allowed when it matches one of the entries,
   * else when this policy allows it. Entries are host names ({@code relay.corp.example}, matched against
   * the server name in the settings, ignoring case), host name suffixes ({@code *.corp.example}), IP
   * addresses ({@code 10.1.2.25}, {@code fd00::25}) and address ranges in CIDR notation
   * ({@code 10.1.0.0/16}, {@code fd00::/64}), matched against the resolved address.
   *
   * @param entries host names, suffixes, addresses or ranges
   * @return the combined policy
   * @throws IllegalArgumentException if an entry is none of these; the message names it
   */
  default DestinationPolicy allowing(String... entries) {
    return Destinations.allowing(this, entries);
  }
}
