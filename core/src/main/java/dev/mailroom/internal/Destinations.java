package dev.mailroom.internal;

import dev.mailroom.DestinationPolicy;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The one place where a {@link DestinationPolicy} is applied: {@link #resolve} looks a server name up
 * once, asks the policy about every address and returns the addresses to connect to. The SMTP sender
 * connects its socket to one of them; the HTTP sender and the diagnostics call it right before each
 * connection. Also holds the ready-made policies and the address ranges they refuse.
 */
public final class Destinations {
  /** Only public internet addresses; see {@link DestinationPolicy#publicInternetOnly()}. */
  public static final DestinationPolicy PUBLIC_INTERNET_ONLY = new PublicInternetOnly();

  private static final List<String> INTERNAL_SUFFIXES = List.of("localhost", "local", "internal",
      "localdomain", "home.arpa", "onion", "invalid");

  private static final Range[] V4_REFUSED = {
      Range.parse("0.0.0.0/8", "unspecified (\"this network\")"),
      Range.parse("10.0.0.0/8", "private"),
      Range.parse("100.64.0.0/10", "shared (carrier-grade NAT)"),
      Range.parse("127.0.0.0/8", "loopback"),
      Range.parse("169.254.0.0/16", "link-local"),
      Range.parse("172.16.0.0/12", "private"),
      Range.parse("192.0.0.0/24", "reserved (IETF protocol assignments)"),
      Range.parse("192.0.2.0/24", "reserved for documentation"),
      Range.parse("192.88.99.0/24", "reserved (6to4 relay)"),
      Range.parse("192.168.0.0/16", "private"),
      Range.parse("198.18.0.0/15", "reserved for benchmarking"),
      Range.parse("198.51.100.0/24", "reserved for documentation"),
      Range.parse("203.0.113.0/24", "reserved for documentation"),
      Range.parse("224.0.0.0/4", "multicast"),
      Range.parse("255.255.255.255/32", "broadcast"),
      Range.parse("240.0.0.0/4", "reserved"),
  };

  private static final Range[] V6_REFUSED = {
      Range.parse("::/128", "unspecified"),
      Range.parse("::1/128", "loopback"),
      Range.parse("fe80::/10", "link-local"),
      Range.parse("fec0::/10", "site-local"),
      Range.parse("fc00::/7", "private (unique local)"),
      Range.parse("ff00::/8", "multicast"),
      Range.parse("100::/64", "reserved (discard)"),
      Range.parse("2001:db8::/32", "reserved for documentation"),
      Range.parse("3fff::/20", "reserved for documentation"),
      Range.parse("2001:10::/28", "reserved (ORCHID)"),
      Range.parse("64:ff9b:1::/48", "reserved (local NAT64)"),
  };

  private static final Range GLOBAL_UNICAST = Range.parse("2000::/3", "");
  private static final Range V4_MAPPED = Range.parse("::ffff:0:0/96", "");
  private static final Range V4_COMPATIBLE = Range.parse("::/96", "");
  private static final Range NAT64 = Range.parse("64:ff9b::/96", "");
  private static final Range SIX_TO_FOUR = Range.parse("2002::/16", "");
  private static final Range TEREDO = Range.parse("2001::/32", "");

  private Destinations() {}

  /**
   * Resolves {@code host} once and checks every address with {@code policy}.
   *
   * @param policy the policy
   * @param host the server name or IP address (IPv6 with or without brackets)
   * @param port the port
   * @return the addresses, all allowed, in the resolver's order; connect to one of these, never to the name
   * @throws DestinationRefusedException if the name or one of its addresses is refused
   * @throws UnknownHostException if the name does not resolve
   */
  public static List<InetAddress> resolve(DestinationPolicy policy, String host, int port)
      throws DestinationRefusedException, UnknownHostException {
    checkName(policy, host, port);
    return checkAddresses(policy, host, port, List.of(InetAddress.getAllByName(normalize(host))));
  }

  /**
   * The first half of {@link #resolve}, for callers that look the name up themselves (with a time limit):
   * refuses a name that the policy refuses without a lookup.
   *
   * @throws DestinationRefusedException if the name is refused
   */
  public static void checkName(DestinationPolicy policy, String host, int port) throws DestinationRefusedException {
    Objects.requireNonNull(policy, "policy");
    String name = normalize(host);
    if (policy instanceof Named && ((Named) policy).refusesName(name)) {
      throw refused(host, port, null, "the name " + name + " is reserved for internal use");
    }
  }

  /**
   * The second half of {@link #resolve}: asks the policy about every address the caller's lookup gave.
   *
   * @param addresses the addresses of {@code host}, from one lookup
   * @return the addresses, all allowed; connect only to these
   * @throws DestinationRefusedException if one is refused
   */
  public static List<InetAddress> checkAddresses(DestinationPolicy policy, String host, int port,
      List<InetAddress> addresses) throws DestinationRefusedException {
    String name = normalize(host);
    List<InetAddress> allowed = new ArrayList<>(addresses.size());
    for (InetAddress a : addresses) {
      boolean ok;
      try {
        ok = policy.allows(name, a, port);
      } catch (RuntimeException e) {
        ok = false; // a broken policy refuses
      }
      if (!ok) {
        String why = describe(a);
        throw refused(host, port, a, why == null ? null : a.getHostAddress() + " is " + article(why) + why
            + " address");
      }
      allowed.add(a);
    }
    return List.copyOf(allowed);
  }

  /**
   * Checks {@code host} with {@code policy} when it is not {@link DestinationPolicy#ANY}: {@link #resolve} without a result.
   * The JVM keeps the answer of the lookup (30 s by default), so a client that looks the name up again at
   * once gets the same addresses.
   *
   * @throws DestinationRefusedException if refused
   * @throws UnknownHostException if the name does not resolve
   */
  public static void check(DestinationPolicy policy, String host, int port)
      throws DestinationRefusedException, UnknownHostException {
    if (policy != DestinationPolicy.ANY) {
      resolve(policy, host, port);
    }
  }

  /**
   * Checks that a connection made by someone else (a library that connects its own socket) reached one of
   * the addresses {@link #resolve} allowed.
   *
   * @param checked the addresses {@link #resolve} returned, or null if no check was made (then nothing is
   *     checked)
   * @param host the server name, for the message
   * @param port the port
   * @param peer the address the socket is connected to
   * @throws DestinationRefusedException if {@code peer} is not among {@code checked}
   */
  public static void requireChecked(List<InetAddress> checked, String host, int port, InetAddress peer)
      throws DestinationRefusedException {
    if (checked != null && (peer == null || !checked.contains(peer))) {
      throw refused(host, port, peer, "the name resolved to another address when connecting than when it was"
          + " checked");
    }
  }

  private static String article(String why) {
    return "aeiouAEIOU".indexOf(why.charAt(0)) >= 0 ? "an " : "a ";
  }

  private static DestinationRefusedException refused(String host, int port, InetAddress a, String why) {
    String addr = a == null ? "" : a.getHostAddress();
    String shown = normalize(host);
    String message = "Connecting to " + shown + (a == null || addr.equals(shown) ? "" : " (" + addr + ")")
        + ":" + port + " is not allowed by the application's destination policy"
        + (why == null ? "" : ": " + why);
    return new DestinationRefusedException(shown, port, message, addr.equals(shown) ? "" : addr);
  }

  /** Lower case, brackets and one trailing dot removed, non-ASCII names in A-label form. */
  static String normalize(String host) {
    String h = host.strip();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.endsWith(".") && h.length() > 1) {
      h = h.substring(0, h.length() - 1);
    }
    try {
      h = HostNames.toAscii(h);
    } catch (IllegalArgumentException e) {
      // not a valid name: the lookup will say so
    }
    return h.toLowerCase(Locale.ROOT);
  }

  /**
   * Says what kind of non-public address {@code a} is ("loopback", "private"...), looking into IPv6
   * addresses that embed an IPv4 address, or null if it is a public internet address.
   */
  public static String describe(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 4) {
      return describe4(b);
    }
    if (V4_MAPPED.contains(b) || NAT64.contains(b)) {
      return describeEmbedded(b, 12);
    }
    for (Range r : V6_REFUSED) {
      if (r.contains(b)) {
        return r.label;
      }
    }
    if (V4_COMPATIBLE.contains(b)) {
      String why = describeEmbedded(b, 12);
      return why != null ? why : "reserved (IPv4-compatible IPv6)";
    }
    if (SIX_TO_FOUR.contains(b)) {
      return describeEmbedded(b, 2);
    }
    if (TEREDO.contains(b)) {
      String server = describeEmbedded(b, 4);
      if (server != null) {
        return server;
      }
      byte[] client = new byte[4];
      for (int i = 0; i < 4; i++) {
        client[i] = (byte) ~b[12 + i];
      }
      String c = describe4(client);
      return c == null ? null : "Teredo address embedding " + article(c) + c;
    }
    if (!GLOBAL_UNICAST.contains(b)) {
      return "reserved";
    }
    return null;
  }

  private static String describeEmbedded(byte[] b, int offset) {
    byte[] v4 = new byte[4];
    System.arraycopy(b, offset, v4, 0, 4);
    String why = describe4(v4);
    return why == null ? null : "IPv6 address embedding " + article(why) + why;
  }

  private static String describe4(byte[] b) {
    for (Range r : V4_REFUSED) {
      if (r.contains(b)) {
        return r.label;
      }
    }
    return null;
  }

  /**
   * Adds exceptions to a policy; see {@link DestinationPolicy#allowing(String...)}.
   */
  public static DestinationPolicy allowing(DestinationPolicy base, String... entries) {
    Objects.requireNonNull(base, "policy");
    Objects.requireNonNull(entries, "entries");
    List<String> names = new ArrayList<>();
    List<String> suffixes = new ArrayList<>();
    List<Range> ranges = new ArrayList<>();
    for (String entry : entries) {
      Objects.requireNonNull(entry, "entry");
      String e = entry.strip().toLowerCase(Locale.ROOT);
      if (e.startsWith("*.")) {
        String suffix = e.substring(2);
        if (HostNames.hostNameProblem(suffix) != null) {
          throw new IllegalArgumentException("not a host name suffix such as *.corp.example: " + Text.quote(entry));
        }
        suffixes.add("." + HostNames.toAscii(suffix));
      } else if (e.indexOf('/') >= 0 || e.indexOf(':') >= 0 || e.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
        Range r = Range.tryParse(e.indexOf('/') >= 0 ? e : e + (e.indexOf(':') >= 0 ? "/128" : "/32"));
        if (r == null) {
          throw new IllegalArgumentException("not an IP address or CIDR range such as 10.1.0.0/16 or fd00::/64: "
              + Text.quote(entry));
        }
        ranges.add(r);
      } else {
        String problem = HostNames.hostNameProblem(e.endsWith(".") ? e.substring(0, e.length() - 1) : e);
        if (problem != null) {
          throw new IllegalArgumentException("not a host name, *.suffix, IP address or CIDR range ("
              + problem + "): " + Text.quote(entry));
        }
        names.add(normalize(e));
      }
    }
    return new AllowList(base, List.copyOf(names), List.copyOf(suffixes), List.copyOf(ranges),
        String.join(", ", entries));
  }

  /** A policy of Mailroom's own, which may refuse a name before it is looked up. */
  private abstract static class Named implements DestinationPolicy {
    private final String name;

    Named(String name) {
      this.name = name;
    }

    /** True to refuse {@code host} (normalized) without looking it up. */
    boolean refusesName(String host) {
      return false;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final class PublicInternetOnly extends Named {
    PublicInternetOnly() {
      super("DestinationPolicy.publicInternetOnly()");
    }

    @Override
    boolean refusesName(String host) {
      for (String s : INTERNAL_SUFFIXES) {
        if (host.equals(s) || host.endsWith("." + s)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public boolean allows(String host, InetAddress address, int port) {
      return describe(address) == null;
    }
  }

  private static final class AllowList extends Named {
    private final DestinationPolicy base;
    private final List<String> names;
    private final List<String> suffixes;
    private final List<Range> ranges;

    AllowList(DestinationPolicy base, List<String> names, List<String> suffixes, List<Range> ranges,
        String shown) {
      super(base + ".allowing(" + shown + ")");
      this.base = base;
      this.names = names;
      this.suffixes = suffixes;
      this.ranges = ranges;
    }

    private boolean nameListed(String host) {
      String h = normalize(host);
      if (names.contains(h)) {
        return true;
      }
      for (String s : suffixes) {
        if (h.endsWith(s)) {
          return true;
        }
      }
      return false;
    }

    @Override
    boolean refusesName(String host) {
      return !nameListed(host) && base instanceof Named && ((Named) base).refusesName(host);
    }

    @Override
    public boolean allows(String host, InetAddress address, int port) {
      if (nameListed(host)) {
        return true;
      }
      byte[] b = address.getAddress();
      for (Range r : ranges) {
        if (r.contains(b)) {
          return true;
        }
      }
      return base.allows(host, address, port);
    }
  }

  /** An address range: network bytes and prefix length. */
  private static final class Range {
    final byte[] network;
    final int prefix;
    final String label;

    private Range(byte[] network, int prefix, String label) {
      this.network = network;
      this.prefix = prefix;
      this.label = label;
    }

    static Range parse(String cidr, String label) {
      Range r = tryParse(cidr);
      if (r == null) {
        throw new IllegalStateException(cidr);
      }
      return new Range(r.network, r.prefix, label);
    }

    /** Parses {@code address/prefix} with a literal address (never a DNS lookup), or returns null. */
    static Range tryParse(String cidr) {
      int slash = cidr.indexOf('/');
      if (slash < 0) {
        return null;
      }
      String addr = cidr.substring(0, slash);
      String bits = cidr.substring(slash + 1);
      if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)) {
        return null;
      }
      byte[] bytes = literal(addr);
      if (bytes == null) {
        return null;
      }
      int prefix = Integer.parseInt(bits);
      if (prefix > bytes.length * 8) {
        return null;
      }
      return new Range(bytes, prefix, "");
    }

    /** The bytes of an IPv4 (four decimal parts) or IPv6 literal, or null. IPv4-mapped stays 16 bytes. */
    private static byte[] literal(String addr) {
      if (addr.indexOf(':') >= 0) {
        if (!addr.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
          return null;
        }
        try {
          InetAddress a = InetAddress.getByName("[" + addr + "]");
          byte[] b = a.getAddress();
          if (b.length == 4) { // the JDK turns ::ffff:a.b.c.d into IPv4; keep the IPv6 form
            byte[] v6 = new byte[16];
            v6[10] = (byte) 0xff;
            v6[11] = (byte) 0xff;
            System.arraycopy(b, 0, v6, 12, 4);
            return v6;
          }
          return b;
        } catch (UnknownHostException e) {
          return null;
        }
      }
      String[] parts = addr.split("\\.", -1);
      if (parts.length != 4) {
        return null;
      }
      byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) {
        String p = parts[i];
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)
            || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
          return null;
        }
        b[i] = (byte) Integer.parseInt(p);
      }
      return b;
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  /** Thrown from a connect when the policy refuses the destination; carries the user-facing failure. */
  public static final class DestinationRefusedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String host;
    private final int port;
    private final String detail;

    DestinationRefusedException(String host, int port, String message, String detail) {
      super(message);
      this.host = host;
      this.port = port;
      this.detail = detail;
    }

    /**
     * The failure to report: category CONFIGURATION, not transient, hint
     * {@code hint.configuration.destination-refused}.
     */
    public Failure.Builder failure() {
      return Failure.builder(FailureCategory.CONFIGURATION).server(host, port).transientFailure(false)
          .message(getMessage()).hint("hint.configuration.destination-refused", detail);
    }
  }
}
