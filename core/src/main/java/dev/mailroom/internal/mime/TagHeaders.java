package dev.mailroom.internal.mime;

import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Presets;
import dev.mailroom.Protocol;
import dev.mailroom.ProviderPreset;
import dev.mailroom.internal.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tags and metadata of an email sent over SMTP, as the header the settings' provider documents: Mailgun
 * {@code X-Mailgun-Tag} and {@code X-Mailgun-Variables}, Postmark {@code X-PM-Tag} and
 * {@code X-PM-Metadata-*}, Amazon SES {@code X-SES-MESSAGE-TAGS} (the SES API's {@code EmailTags} follow the
 * same rule: {@link #sesTags}), SendGrid {@code X-SMTPAPI} (categories
 * and unique_args) and Brevo {@code X-Mailin-Tag} and {@code X-Mailin-custom}. For any other server an
 * email with tags or metadata is refused: no header is known that would carry them.
 */
public final class TagHeaders {
  /** Amazon SES and Resend: names and values of ASCII letters, digits, '_' and '-'. */
  public static final Pattern NAME_VALUE_TOKEN = Pattern.compile("^[A-Za-z0-9_-]{1,256}$");

  private TagHeaders() {}

  /**
   * The provider's header lines (name: value, folded) for the email's tags and metadata; empty when it
   * has none, or when the settings are for HTTP (the HTTP dialects carry them as API fields).
   *
   * @param e the email
   * @param settings the settings, or null
   * @return the header lines
   * @throws IllegalArgumentException if the provider has no header for them, or they break its rules
   */
  public static List<String> of(Email e, EmailSettings settings) {
    if (e.tags().isEmpty() && e.metadata().isEmpty() || settings == null
        || settings.protocol() != Protocol.SMTP) {
      return List.of();
    }
    String provider = provider(settings);
    List<String> h = new ArrayList<>();
    List<String> tags = e.tags();
    Map<String, String> meta = e.metadata();
    switch (provider) {
      case "mailgun" -> {
        // Mailgun: up to 3 tags per message
        if (tags.size() > 3) {
          throw limit("Mailgun", "3 tags per email", tags.size() + " tags");
        }
        for (String t : tags) {
          h.add(header("X-Mailgun-Tag", t));
        }
        if (!meta.isEmpty()) {
          h.add(header("X-Mailgun-Variables", json(meta)));
        }
      }
      case "postmark" -> {
        if (tags.size() > 1) {
          throw limit("Postmark", "one tag per email", tags.size() + " tags");
        }
        PostmarkRules.checkMetadata(meta);
        for (String t : tags) {
          h.add(header("X-PM-Tag", t));
        }
        for (Map.Entry<String, String> m : meta.entrySet()) {
          h.add(header("X-PM-Metadata-" + m.getKey(), m.getValue()));
        }
      }
      case "ses" -> {
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, String> p : sesTags(e)) {
          pairs.add(p.getKey() + "=" + p.getValue());
        }
        h.add(header("X-SES-MESSAGE-TAGS", String.join(", ", pairs)));
      }
      case "sendgrid" -> {
        StringBuilder b = new StringBuilder("{");
        if (!tags.isEmpty()) {
          b.append("\"category\": [");
          for (int i = 0; i < tags.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(jsonString(tags.get(i)));
          }
          b.append(']');
        }
        if (!meta.isEmpty()) {
          b.append(tags.isEmpty() ? "" : ", ").append("\"unique_args\": ").append(json(meta));
        }
        h.add(header("X-SMTPAPI", b.append('}').toString()));
      }
      case "brevo" -> {
        if (tags.size() > 1) {
          throw limit("Brevo's SMTP relay", "one tag per email (X-Mailin-Tag)", tags.size() + " tags");
        }
        for (String t : tags) {
          h.add(header("X-Mailin-Tag", t));
        }
        if (!meta.isEmpty()) {
          h.add(header("X-Mailin-custom", brevoCustom(meta)));
        }
      }
      default -> throw new Refusal(Refusal.TAGS, "no SMTP header is known for them",
          "tags and metadata need a provider that documents an SMTP header for them (SendGrid, Mailgun,"
          + " Postmark, Amazon SES or Brevo); " + settings.host().orElse("this server") + " has none, so they"
          + " would be lost: remove them from the email, or send through one of those providers");
    }
    return h;
  }

  /** Brevo's {@code X-Mailin-custom} value: {@code key:value|key:value}. */
  public static String brevoCustom(Map<String, String> meta) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> m : meta.entrySet()) {
      if (m.getValue().indexOf('|') >= 0) {
        throw new Refusal(Refusal.LIMIT, "Brevo: no '|' in metadata values", "Brevo carries metadata as"
            + " key:value|key:value, so a value must not contain '|': metadata " + m.getKey() + " = "
            + Text.quote(m.getValue()));
      }
      b.append(b.length() == 0 ? "" : "|").append(m.getKey()).append(':').append(m.getValue());
    }
    return b.toString();
  }

  /** Postmark's rules for metadata, shared by its SMTP headers and its API. */
  public static final class PostmarkRules {
    private PostmarkRules() {}

    /**
     * Postmark: at most 10 fields, names up to 20 characters, values up to 80.
     *
     * @param meta the metadata
     * @throws IllegalArgumentException naming the rule that is broken
     */
    public static void checkMetadata(Map<String, String> meta) {
      for (Map.Entry<String, String> m : meta.entrySet()) {
        if (m.getKey().length() > 20) {
          throw limit("Postmark", "metadata names of 20 characters", "metadata " + m.getKey());
        }
        if (m.getValue().length() > 80) {
          throw limit("Postmark", "metadata values of 80 characters", "metadata " + m.getKey() + " with "
              + m.getValue().length() + " characters");
        }
      }
    }
  }

  /**
   * Amazon SES message tags for the email, one rule for the SMTP header {@code X-SES-MESSAGE-TAGS} and the
   * SES API's {@code EmailTags}: each tag as {@code tag=true}, each metadata entry as {@code key=value}, in
   * that order; names and values of ASCII letters, digits, '_' and '-', up to 256 characters.
   *
   * @param e the email
   * @return the (name, value) pairs, empty if the email has neither tags nor metadata
   * @throws Refusal if a name or value breaks SES's rule
   */
  public static List<Map.Entry<String, String>> sesTags(Email e) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>(e.tags().size() + e.metadata().size());
    for (String t : e.tags()) {
      pairs.add(sesPair(t, "true"));
    }
    for (Map.Entry<String, String> m : e.metadata().entrySet()) {
      pairs.add(sesPair(m.getKey(), m.getValue()));
    }
    return pairs;
  }

  private static Map.Entry<String, String> sesPair(String name, String value) {
    if (!NAME_VALUE_TOKEN.matcher(name).matches() || !NAME_VALUE_TOKEN.matcher(value).matches()) {
      throw new Refusal(Refusal.LIMIT, "Amazon SES: tags of ASCII letters, digits, '_' and '-'", "Amazon SES"
          + " message tags take only ASCII letters, digits, '_' and '-' (up to 256): " + Text.quote(name + "="
          + value) + " cannot be sent; change the tag or metadata");
    }
    return Map.entry(name, value);
  }

  /** The provider of SMTP settings: the preset's, else the one whose server is the host; "" if unknown. */
  static String provider(EmailSettings settings) {
    Optional<ProviderPreset> p = settings.preset();
    if (p.isEmpty() && settings.host().isPresent()) {
      p = Presets.forHost(settings.host().get());
    }
    String id = p.map(ProviderPreset::id).orElse("");
    String host = settings.host().orElse("").toLowerCase(Locale.ROOT);
    if (id.startsWith("mailgun") || host.endsWith(".mailgun.org")) {
      return "mailgun";
    }
    if (id.startsWith("amazon-ses") || host.startsWith("email-smtp.") && host.endsWith(".amazonaws.com")) {
      return "ses";
    }
    if (id.equals("postmark") || host.equals("smtp.postmarkapp.com")) {
      return "postmark";
    }
    if (id.equals("sendgrid") || host.equals("smtp.sendgrid.net")) {
      return "sendgrid";
    }
    if (id.equals("brevo") || host.equals("smtp-relay.brevo.com") || host.equals("smtp-relay.sendinblue.com")) {
      return "brevo";
    }
    return "";
  }

  /** A refusal for a provider's documented limit. */
  public static Refusal limit(String provider, String rule, String found) {
    return new Refusal(Refusal.LIMIT, provider + ": at most " + rule, provider + " takes at most " + rule
        + "; this email has " + found + ": change the email so that it fits");
  }

  private static String header(String name, String value) {
    return name + ": " + Headers.unstructured(name, value);
  }

  /** A JSON object of strings, ASCII only (others as \\u escapes), with blanks after commas for folding. */
  static String json(Map<String, String> map) {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, String> m : map.entrySet()) {
      b.append(b.length() == 1 ? "" : ", ").append(jsonString(m.getKey())).append(": ")
          .append(jsonString(m.getValue()));
    }
    return b.append('}').toString();
  }

  static String jsonString(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
