package dev.mailroom.http;

import dev.mailroom.EmailSettings;
import dev.mailroom.http.internal.BrevoDialect;
import dev.mailroom.http.internal.FormDialect;
import dev.mailroom.http.internal.GmailDialect;
import dev.mailroom.http.internal.GraphDialect;
import dev.mailroom.http.internal.SesDialect;
import dev.mailroom.http.internal.MailgunDialect;
import dev.mailroom.http.internal.PostmarkDialect;
import dev.mailroom.http.internal.ResendDialect;
import dev.mailroom.http.internal.SendGridDialect;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The known {@link HttpDialect}s: the built-in ones and those found with {@link ServiceLoader}.
 *
 * <p>Built-in ids and the hosts they are inferred from: {@code form} (every other host),
 * {@code sendgrid} ({@code api.sendgrid.com}, {@code api.eu.sendgrid.com}), {@code mailgun}
 * ({@code api.mailgun.net}, {@code api.eu.mailgun.net}), {@code postmark} ({@code api.postmarkapp.com}),
 * {@code resend} ({@code api.resend.com}) and {@code brevo} ({@code api.brevo.com},
 * {@code api.sendinblue.com}). A plugin whose id is already taken is skipped with a warning; a plugin that
 * fails to load is logged and skipped.
 *
 * <p>The {@code form} dialect speaks the settings form's own HTTP mail service: a multipart form with the
 * fields {@code from} (the sender's display name), {@code reply_to}, {@code to}, {@code subject} and
 * {@code body} (HTML; a text body is converted to escaped HTML), one file part per attachment, and
 * {@code Authorization: Bearer} only when an API key is set. That protocol has no cc or bcc: cc recipients
 * are added to {@code to} (they are visible anyway), and every blind recipient (the email's bcc and the
 * settings' copy address) gets a request of its own, addressed to them alone, so that no recipient ever
 * sees a blind one. If such a copy fails after the main message went out, the failure says so, and the
 * {@link dev.mailroom.Mailer}'s retry sends only the copies not yet delivered.
 *
 * <p>Plugins are looked up once, on first use. Thread-safe.
 */
public final class HttpDialects {
  /** The id of the default dialect, the settings form's own HTTP mail protocol. */
  public static final String FORM = "form";

  private static final Logger LOG = LoggerFactory.getLogger(HttpDialects.class);

  private HttpDialects() {}

  private static final class Holder {
    static final Map<String, HttpDialect> ALL = load();
  }

  private static Map<String, HttpDialect> load() {
    Map<String, HttpDialect> all = new LinkedHashMap<>();
    for (HttpDialect d : List.of(new FormDialect(), new SendGridDialect(), new MailgunDialect(),
        new PostmarkDialect(), new ResendDialect(), new BrevoDialect(), new GraphDialect(),
        new GmailDialect(), new SesDialect())) {
      all.put(d.id(), d);
    }
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    ServiceLoader<HttpDialect> loader = ServiceLoader.load(HttpDialect.class,
        context != null ? context : HttpDialects.class.getClassLoader());
    Iterator<HttpDialect> it = loader.iterator();
    // bounded: a broken iterator that keeps failing must not loop forever
    for (int guard = 0; guard < 1000; guard++) {
      HttpDialect d;
      try {
        if (!it.hasNext()) {
          break;
        }
        d = it.next();
      } catch (ServiceConfigurationError e) {
        LOG.warn("Skipping an HTTP dialect that failed to load: {}", e.getMessage());
        continue;
      }
      String id = d.id();
      if (id == null || !id.matches("^[a-z0-9][a-z0-9-]{0,62}$")) {
        LOG.warn("Skipping HTTP dialect {}: its id {} is not lower-case letters, digits and '-'",
            d.getClass().getName(), id);
      } else if (all.containsKey(id)) {
        LOG.warn("Skipping HTTP dialect {}: the id {} is already taken by {}", d.getClass().getName(), id,
            all.get(id).getClass().getName());
      } else {
        all.put(id, d);
      }
    }
    return java.util.Collections.unmodifiableMap(all);
  }

  /**
   * Returns every known dialect: the built-in ones first, then the plugins in discovery order.
   *
   * @return the dialects
   */
  public static List<HttpDialect> all() {
    return List.copyOf(Holder.ALL.values());
  }

  /**
   * Returns the ids of every known dialect, sorted.
   *
   * @return the ids
   */
  public static List<String> ids() {
    return Holder.ALL.keySet().stream().sorted().collect(Collectors.toUnmodifiableList());
  }

  /**
   * Finds a dialect by its id.
   *
   * @param id the id, e.g. {@code sendgrid}
   * @return the dialect, or empty when no dialect has that id
   */
  public static Optional<HttpDialect> byId(String id) {
    Objects.requireNonNull(id, "id");
    return Optional.ofNullable(Holder.ALL.get(id));
  }

  /**
   * Infers the dialect from a server URL: the one whose {@link HttpDialect#matchesHost(String)} accepts
   * the URL's host, else {@code form}.
   *
   * @param server the server URL
   * @return the dialect
   * @throws IllegalArgumentException if several dialects claim the host; the message lists them
   */
  public static HttpDialect forServer(URI server) {
    Objects.requireNonNull(server, "server");
    String host = server.getHost() == null ? "" : server.getHost().toLowerCase(Locale.ROOT);
    List<HttpDialect> matching = new ArrayList<>();
    for (HttpDialect d : Holder.ALL.values()) {
      if (d.matchesHost(host)) {
        matching.add(d);
      }
    }
    if (matching.size() > 1) {
      throw new IllegalArgumentException("Several HTTP dialects claim the host " + host + ": "
          + matching.stream().map(HttpDialect::id).collect(Collectors.joining(", "))
          + ". Choose one with httpDialect in the email settings.");
    }
    return matching.isEmpty() ? Holder.ALL.get(FORM) : matching.get(0);
  }

  /**
   * Returns the dialect the settings ask for: {@link EmailSettings#httpDialect()} if set, else the one
   * inferred from {@link EmailSettings#httpServer()}.
   *
   * @param settings HTTP settings
   * @return the dialect
   * @throws IllegalArgumentException if the settings name an unknown dialect (the message lists the known
   *     ids) or several dialects claim the server's host
   */
  public static HttpDialect forSettings(EmailSettings settings) {
    Objects.requireNonNull(settings, "settings");
    Optional<String> id = settings.httpDialect();
    if (id.isPresent()) {
      return byId(id.get()).orElseThrow(() -> new IllegalArgumentException("Unknown HTTP dialect \""
          + id.get() + "\" in httpDialect. Known dialects: " + String.join(", ", ids())
          + ". Add the module that provides it, or choose one of these."));
    }
    URI server = settings.httpServer().orElseThrow(() -> new IllegalArgumentException(
        "httpServer is required for HTTP: enter the URL of the HTTP mail service"));
    return forServer(server);
  }
}
