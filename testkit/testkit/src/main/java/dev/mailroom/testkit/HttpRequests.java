package dev.mailroom.testkit;

import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.testkit.internal.JsonTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Reads the send requests of the HTTP dialects (as the HTTP sender writes them) into {@link ReceivedEmail}s. */
final class HttpRequests {
  private HttpRequests() {}

  static ReceivedEmail parse(String dialect, Request r) throws IOException {
    ReceivedEmail.Builder b = ReceivedEmail.builder("http:" + dialect);
    switch (dialect) {
      case "form" -> form(r, b);
      case "mailgun" -> mailgun(r, b);
      case "sendgrid" -> sendgrid(JsonTree.parse(r.getBodyAsString()), b);
      case "postmark" -> postmark(JsonTree.parse(r.getBodyAsString()), b);
      case "resend" -> resend(JsonTree.parse(r.getBodyAsString()), b);
      case "brevo" -> brevo(JsonTree.parse(r.getBodyAsString()), b);
      default -> throw new IOException("unknown dialect " + dialect);
    }
    return b.build();
  }

  // ---- multipart dialects

  private static void form(Request r, ReceivedEmail.Builder b) {
    for (Request.Part p : r.getParts()) {
      String name = p.getName();
      if (p.getFileName() != null) {
        attachment(b, p);
        continue;
      }
      String v = text(p);
      switch (name) {
        case "from" -> b.from(null, v);
        case "reply_to" -> split(v).forEach(b::replyTo);
        case "to" -> split(v).forEach(a -> b.to(a).envelopeRecipient(a));
        case "subject" -> b.subject(v);
        case "body" -> b.html(v);
        default -> b.header(name, v);
      }
    }
  }

  private static void mailgun(Request r, ReceivedEmail.Builder b) {
    for (Request.Part p : r.getParts()) {
      String name = p.getName();
      if (p.getFileName() != null || name.equals("attachment") || name.equals("inline")) {
        attachment(b, p);
        continue;
      }
      String v = text(p);
      switch (name) {
        case "from" -> {
          Address a = address(v);
          b.from(a.email(), a.name().orElse(null)).envelopeFrom(a.email());
        }
        case "to" -> addresses(v).forEach(a -> b.to(a).envelopeRecipient(a));
        case "cc" -> addresses(v).forEach(a -> b.cc(a).envelopeRecipient(a));
        case "bcc" -> addresses(v).forEach(a -> b.bcc(a).envelopeRecipient(a));
        case "subject" -> b.subject(v);
        case "text" -> b.text(v);
        case "html" -> b.html(v);
        default -> {
          if (name.equalsIgnoreCase("h:Reply-To")) {
            addresses(v).forEach(b::replyTo);
          } else if (name.startsWith("h:")) {
            b.header(name.substring(2), v);
          }
        }
      }
    }
  }

  private static void attachment(ReceivedEmail.Builder b, Request.Part p) {
    HttpHeader type = p.getHeader("Content-Type");
    String t = type == null || !type.isPresent() ? "application/octet-stream" : type.firstValue();
    int semi = t.indexOf(';');
    b.attachment(p.getFileName() == null ? "" : p.getFileName(), (semi < 0 ? t : t.substring(0, semi)).strip(),
        p.getBody().asBytes());
  }

  private static String text(Request.Part p) {
    return new String(p.getBody().asBytes(), StandardCharsets.UTF_8);
  }

  // ---- JSON dialects

  private static void sendgrid(Object root, ReceivedEmail.Builder b) {
    for (Object pers : JsonTree.list(root, "personalizations")) {
      for (Object a : JsonTree.list(pers, "to")) {
        b.to(JsonTree.string(a, "email")).envelopeRecipient(JsonTree.string(a, "email"));
      }
      for (Object a : JsonTree.list(pers, "cc")) {
        b.cc(JsonTree.string(a, "email")).envelopeRecipient(JsonTree.string(a, "email"));
      }
      for (Object a : JsonTree.list(pers, "bcc")) {
        b.bcc(JsonTree.string(a, "email")).envelopeRecipient(JsonTree.string(a, "email"));
      }
    }
    Map<String, Object> from = JsonTree.object(root, "from");
    if (from != null) {
      b.from(JsonTree.string(from, "email"), JsonTree.string(from, "name")).envelopeFrom(JsonTree.string(from, "email"));
    }
    Map<String, Object> replyTo = JsonTree.object(root, "reply_to");
    if (replyTo != null) {
      b.replyTo(JsonTree.string(replyTo, "email"));
    }
    for (Object a : JsonTree.list(root, "reply_to_list")) {
      b.replyTo(JsonTree.string(a, "email"));
    }
    b.subject(JsonTree.string(root, "subject"));
    for (Object c : JsonTree.list(root, "content")) {
      String type = JsonTree.string(c, "type");
      if ("text/plain".equals(type)) {
        b.text(JsonTree.string(c, "value"));
      } else if ("text/html".equals(type)) {
        b.html(JsonTree.string(c, "value"));
      }
    }
    for (Object a : JsonTree.list(root, "attachments")) {
      b.attachment(JsonTree.string(a, "filename"), JsonTree.string(a, "type"), base64(JsonTree.string(a, "content")));
    }
    headers(JsonTree.object(root, "headers"), b);
  }

  private static void postmark(Object root, ReceivedEmail.Builder b) {
    Address from = address(JsonTree.string(root, "From"));
    b.from(from.email(), from.name().orElse(null)).envelopeFrom(from.email());
    addresses(JsonTree.string(root, "To")).forEach(a -> b.to(a).envelopeRecipient(a));
    addresses(JsonTree.string(root, "Cc")).forEach(a -> b.cc(a).envelopeRecipient(a));
    addresses(JsonTree.string(root, "Bcc")).forEach(a -> b.bcc(a).envelopeRecipient(a));
    addresses(JsonTree.string(root, "ReplyTo")).forEach(b::replyTo);
    b.subject(JsonTree.string(root, "Subject"));
    b.text(JsonTree.string(root, "TextBody"));
    b.html(JsonTree.string(root, "HtmlBody"));
    for (Object h : JsonTree.list(root, "Headers")) {
      b.header(JsonTree.string(h, "Name"), JsonTree.string(h, "Value"));
    }
    for (Object a : JsonTree.list(root, "Attachments")) {
      b.attachment(JsonTree.string(a, "Name"), JsonTree.string(a, "ContentType"), base64(JsonTree.string(a, "Content")));
    }
  }

  private static void resend(Object root, ReceivedEmail.Builder b) {
    Address from = address(JsonTree.string(root, "from"));
    b.from(from.email(), from.name().orElse(null)).envelopeFrom(from.email());
    strings(root, "to").forEach(a -> b.to(a).envelopeRecipient(a));
    strings(root, "cc").forEach(a -> b.cc(a).envelopeRecipient(a));
    strings(root, "bcc").forEach(a -> b.bcc(a).envelopeRecipient(a));
    strings(root, "reply_to").forEach(b::replyTo);
    b.subject(JsonTree.string(root, "subject"));
    b.text(JsonTree.string(root, "text"));
    b.html(JsonTree.string(root, "html"));
    headers(JsonTree.object(root, "headers"), b);
    for (Object a : JsonTree.list(root, "attachments")) {
      b.attachment(JsonTree.string(a, "filename"), JsonTree.string(a, "content_type"),
          base64(JsonTree.string(a, "content")));
    }
  }

  private static void brevo(Object root, ReceivedEmail.Builder b) {
    Map<String, Object> sender = JsonTree.object(root, "sender");
    if (sender != null) {
      b.from(JsonTree.string(sender, "email"), JsonTree.string(sender, "name"))
          .envelopeFrom(JsonTree.string(sender, "email"));
    }
    for (Object a : JsonTree.list(root, "to")) {
      b.to(JsonTree.string(a, "email")).envelopeRecipient(JsonTree.string(a, "email"));
    }
    for (Object a : JsonTree.list(root, "cc")) {
      b.cc(JsonTree.string(a, "email")).envelopeRecipient(JsonTree.string(a, "email"));
    }
    for (Object a : JsonTree.list(root, "bcc")) {
      b.bcc(JsonTree.string(a, "email")).envelopeRecipient(JsonTree.string(a, "email"));
    }
    Map<String, Object> replyTo = JsonTree.object(root, "replyTo");
    if (replyTo != null) {
      b.replyTo(JsonTree.string(replyTo, "email"));
    }
    b.subject(JsonTree.string(root, "subject"));
    b.text(JsonTree.string(root, "textContent"));
    b.html(JsonTree.string(root, "htmlContent"));
    headers(JsonTree.object(root, "headers"), b);
    for (Object a : JsonTree.list(root, "attachment")) {
      String name = JsonTree.string(a, "name");
      b.attachment(name, Attachment.guessContentType(name == null ? "" : name), base64(JsonTree.string(a, "content")));
    }
  }

  // ---- helpers

  private static void headers(Map<String, Object> headers, ReceivedEmail.Builder b) {
    if (headers != null) {
      headers.forEach((k, v) -> b.header(k, String.valueOf(v)));
    }
  }

  private static List<String> strings(Object root, String key) {
    List<String> out = new ArrayList<>();
    for (Object o : JsonTree.list(root, key)) {
      out.add(address(String.valueOf(o)).email());
    }
    return out;
  }

  private static byte[] base64(String s) {
    return s == null ? new byte[0] : Base64.getMimeDecoder().decode(s);
  }

  private static Address address(String text) {
    return Address.parse(text.strip());
  }

  /** Addresses of a comma-separated list such as {@code "Jane" <jane@x.test>, bob@y.test}; quotes respected. */
  static List<String> addresses(String list) {
    List<String> out = new ArrayList<>();
    for (String part : splitQuoted(list)) {
      out.add(address(part).email());
    }
    return out;
  }

  private static List<String> split(String list) {
    List<String> out = new ArrayList<>();
    if (list != null) {
      for (String s : list.split("[,;]")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
    }
    return out;
  }

  private static List<String> splitQuoted(String list) {
    List<String> out = new ArrayList<>();
    if (list == null) {
      return out;
    }
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < list.length(); i++) {
      char c = list.charAt(i);
      if (c == '"' && (i == 0 || list.charAt(i - 1) != '\\')) {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        if (!cur.toString().isBlank()) {
          out.add(cur.toString().strip());
        }
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (!cur.toString().isBlank()) {
      out.add(cur.toString().strip());
    }
    return out;
  }
}
