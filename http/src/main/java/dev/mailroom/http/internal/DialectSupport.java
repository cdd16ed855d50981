package dev.mailroom.http.internal;

import dev.mailroom.Address;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Secret;
import dev.mailroom.http.HttpDialect;
import dev.mailroom.internal.mime.Refusal;
import dev.mailroom.spi.SendRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Helpers shared by the built-in dialects. */
final class DialectSupport {
  private DialectSupport() {}

  /** The email's bcc plus the settings' copy address, unless the copy address is a recipient already. */
  static List<Address> bccWithCopy(SendRequest r) {
    List<Address> bcc = new ArrayList<>(r.email().bcc());
    r.copyTo().ifPresent(c -> {
      if (!contains(r.email().recipients(), c)) {
        bcc.add(c);
      }
    });
    return bcc;
  }

  /** True if {@code list} holds the address {@code a} (local part exact, domain ignoring case). */
  static boolean contains(List<Address> list, Address a) {
    for (Address x : list) {
      if (x.localPart().equals(a.localPart()) && x.domain().equalsIgnoreCase(a.domain())) {
        return true;
      }
    }
    return false;
  }

  /** The settings' API key, required by the dialect. */
  static void requireApiKey(EmailSettings settings, String dialect, String where) {
    if (settings.apiKey().isEmpty()) {
      throw new IllegalArgumentException("The " + dialect + " HTTP dialect needs an API key: set apiKey in"
          + " the email settings to " + where + ".");
    }
  }

  /** The API key of the settings; the dialect's {@code checkSettings} made sure there is one. */
  static Secret apiKey(HttpDialect.Context ctx, String dialect) {
    return ctx.settings().apiKey().orElseThrow(() -> new IllegalArgumentException("The " + dialect
        + " HTTP dialect needs an API key: set apiKey in the email settings"));
  }

  /**
   * Refuses, before anything is sent, an email with parts this API cannot carry: inline images, tags or
   * metadata (never dropped without a word).
   *
   * @throws Refusal naming what the provider cannot carry
   */
  static void refuseUncarried(SendRequest r, String provider, boolean inline, boolean tags, boolean metadata) {
    Email e = r.email();
    if (!inline && !e.inline().isEmpty()) {
      throw new Refusal(Refusal.INLINE, provider + " has no inline images", provider + " cannot carry inline"
          + " images (cid:): this email has " + e.inline().keySet() + "; attach the images instead, or use a"
          + " provider that supports inline images");
    }
    if (!tags && !e.tags().isEmpty() || !metadata && !e.metadata().isEmpty()) {
      throw new Refusal(Refusal.TAGS, provider + " has no " + (!tags && !e.tags().isEmpty() ? "tags" : "metadata"),
          provider + " cannot carry the email's " + (!tags && !e.tags().isEmpty() ? "tags " + e.tags()
          : "metadata " + e.metadata().keySet()) + ": remove them, or use a provider that supports them");
    }
  }

  /**
   * Refuses an email without a To recipient for an API that requires one (a bcc-only email would be an
   * invalid request).
   *
   * @throws Refusal naming the rule
   */
  static void requireTo(SendRequest r, String provider) {
    if (r.email().to().isEmpty()) {
      throw new Refusal(Refusal.LIMIT, provider + " needs at least one To recipient", provider + " requires at"
          + " least one To recipient, this email has none (only cc or bcc): put one address in to, for example"
          + " your own, and keep the others in cc or bcc");
    }
  }

  /**
   * Refuses a recipient list longer than the API takes in one request.
   *
   * @throws Refusal naming the limit
   */
  static void requireAtMost(String provider, String field, List<Address> list, int max) {
    if (list.size() > max) {
      throw new Refusal(Refusal.LIMIT, provider + ": at most " + max + " " + field + " recipients per email",
          provider + " takes at most " + max + " " + field + " recipients per email, this email has " + list.size()
              + ": split it into several emails");
    }
  }

  /**
   * Refuses an email with its own Message-ID for an API that cannot carry one (a receipt would report an
   * id the provider never used).
   *
   * @throws Refusal saying so
   */
  static void refuseMessageId(SendRequest r, String provider) {
    if (r.email().messageId().isPresent()) {
      throw new Refusal(Refusal.LIMIT, provider + " sets the Message-ID itself", provider + " cannot carry a"
          + " Message-ID of your own (" + r.email().messageId().get() + "): leave messageId unset");
    }
  }

  /**
   * The settings' OAuth2 access token, for {@code Authorization: Bearer}. A refusal of Mailroom's own token
   * suppliers is a {@link dev.mailroom.internal.TokenEndpointException}, which the sender reports as it is.
   */
  static Secret bearer(HttpDialect.Context ctx, String dialect) throws java.io.IOException {
    dev.mailroom.AccessTokenSupplier supplier = ctx.settings().oauth2().orElseThrow(() ->
        new IllegalArgumentException("The " + dialect + " HTTP dialect needs an OAuth2 token: set oauth2 in the"
            + " email settings"));
    Secret token = supplier.accessToken();
    if (token == null) {
      throw new java.io.IOException("the OAuth2 token supplier returned no token");
    }
    return token;
  }

  /**
   * Checks an upload URL a provider handed out (Graph's upload session, Gmail's resumable upload): on the
   * configured server, or https on a public host (under one of {@code hostSuffixes} if any are given).
   *
   * @param url the URL from the provider's answer
   * @param server the settings' server
   * @param what what the URL is for, for the message
   * @param hostSuffixes the allowed host suffixes besides the server, e.g. {@code .googleapis.com}; none: any
   * @return the URI
   * @throws java.io.IOException if the URL is none of these (nothing is sent there)
   */
  static java.net.URI checkedUploadUrl(String url, java.net.URI server, String what, String... hostSuffixes)
      throws java.io.IOException {
    java.net.URI u;
    try {
      u = new java.net.URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new java.io.IOException(what + " is not a URL");
    }
    boolean sameServer = server.getScheme().equalsIgnoreCase(String.valueOf(u.getScheme()))
        && String.valueOf(server.getRawAuthority()).equalsIgnoreCase(String.valueOf(u.getRawAuthority()));
    boolean allowed = "https".equalsIgnoreCase(u.getScheme()) && u.getHost() != null && u.getRawUserInfo() == null
        && !dev.mailroom.internal.HostNames.isLoopback(u.getHost());
    if (allowed && hostSuffixes.length > 0) {
      String h = u.getHost().toLowerCase(java.util.Locale.ROOT);
      allowed = java.util.Arrays.stream(hostSuffixes).anyMatch(h::endsWith);
    }
    if (!sameServer && !allowed) {
      throw new java.io.IOException(what + " is neither on " + server.getHost() + " nor an allowed https host;"
          + " nothing was sent there");
    }
    return u;
  }

  /** {@code <id@host>} becomes {@code id@host}. */
  static String stripAngles(String id) {
    String s = id.strip();
    if (s.startsWith("<") && s.endsWith(">") && s.length() > 2) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  /** True if {@code host} is one of {@code hosts} (lower-case comparison). */
  static boolean hostIn(String host, String... hosts) {
    String h = host.toLowerCase(Locale.ROOT);
    for (String x : hosts) {
      if (h.equals(x)) {
        return true;
      }
    }
    return false;
  }

  /** Joins non-blank parts with "; ". */
  static Optional<String> join(List<String> parts) {
    List<String> p = new ArrayList<>();
    for (String s : parts) {
      if (s != null && !s.isBlank()) {
        p.add(s.strip());
      }
    }
    return p.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", p));
  }

  /** Header names already warned about; bounded, so a stream of distinct names cannot grow it. */
  private static final java.util.Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private static final int MAX_WARNED = 256;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DialectSupport.class);

  /**
   * Says in one WARN per header name (values never logged) that custom headers were not sent.
   *
   * @param why what cannot carry them, e.g. "Microsoft Graph takes only X- headers"
   * @param names the header names not sent
   */
  static void warnDropped(String why, java.util.Collection<String> names) {
    List<String> fresh = new java.util.ArrayList<>();
    for (String name : names) {
      if (WARNED.size() < MAX_WARNED && WARNED.add(Integer.toHexString(why.hashCode()) + ":" + name.toLowerCase(java.util.Locale.ROOT))) {
        fresh.add(name);
      }
    }
    if (!fresh.isEmpty()) {
      LOG.warn("{}: {} not sent (said once per header name)", why, String.join(", ", fresh));
    }
  }
}
