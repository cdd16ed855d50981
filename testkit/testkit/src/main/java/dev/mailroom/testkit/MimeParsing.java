package dev.mailroom.testkit;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/** Turns a received MIME message into a {@link ReceivedEmail}. */
final class MimeParsing {
  private static final int MAX_DEPTH = 10;

  private MimeParsing() {}

  static ReceivedEmail parse(MimeMessage m, String envelopeFrom, List<String> envelopeRecipients, String via) {
    return parse(m, envelopeFrom, envelopeRecipients, via, b -> { });
  }

  /** As {@link #parse(MimeMessage, String, List, String)}, then {@code more} adds what came beside the message. */
  static ReceivedEmail parse(MimeMessage m, String envelopeFrom, List<String> envelopeRecipients, String via,
      java.util.function.Consumer<ReceivedEmail.Builder> more) {
    try {
      ReceivedEmail.Builder b = ReceivedEmail.builder(via).envelopeFrom(envelopeFrom);
      envelopeRecipients.forEach(b::envelopeRecipient);
      Address[] from = m.getFrom();
      if (from != null && from.length > 0 && from[0] instanceof InternetAddress) {
        InternetAddress f = (InternetAddress) from[0];
        b.from(f.getAddress(), f.getPersonal());
      }
      for (Address a : orEmpty(m.getRecipients(Message.RecipientType.TO))) {
        b.to(address(a));
      }
      for (Address a : orEmpty(m.getRecipients(Message.RecipientType.CC))) {
        b.cc(address(a));
      }
      if (m.getHeader("Reply-To") != null) {
        for (Address a : orEmpty(m.getReplyTo())) {
          b.replyTo(address(a));
        }
      }
      b.subject(m.getSubject());
      Enumeration<Header> headers = m.getAllHeaders();
      while (headers.hasMoreElements()) {
        Header h = headers.nextElement();
        b.header(h.getName(), decode(h.getValue()));
      }
      walk(m, b, 0);
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      m.writeTo(raw);
      b.raw(raw.toByteArray());
      more.accept(b);
      return b.build();
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException("cannot read a received message: " + e.getMessage(), e);
    }
  }

  /**
   * Returns what tests see of a message that cannot be read: its envelope, so that the delivery shows, and
   * in place of the subject why the content is missing.
   */
  static ReceivedEmail unreadable(String envelopeFrom, List<String> envelopeRecipients, String via, Exception e) {
    ReceivedEmail.Builder b = ReceivedEmail.builder(via).envelopeFrom(envelopeFrom)
        .subject("(unreadable message: " + e.getMessage() + ")");
    envelopeRecipients.forEach(b::envelopeRecipient);
    return b.build();
  }

  private static Address[] orEmpty(Address[] a) {
    return a == null ? new Address[0] : a;
  }

  private static String address(Address a) {
    return a instanceof InternetAddress ? ((InternetAddress) a).getAddress() : a.toString();
  }

  private static String decode(String value) {
    try {
      return MimeUtility.decodeText(MimeUtility.unfold(value));
    } catch (UnsupportedEncodingException | RuntimeException e) {
      return value;
    }
  }

  private static void walk(Part p, ReceivedEmail.Builder b, int depth) throws MessagingException, IOException {
    if (depth > MAX_DEPTH) {
      return;
    }
    ContentType type = new ContentType(p.getContentType());
    String base = type.getBaseType().toLowerCase(Locale.ROOT);
    String filename = filename(p);
    boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition()) || filename != null;
    if (base.startsWith("multipart/")) {
      Object content = p.getContent();
      if (content instanceof Multipart) {
        Multipart mp = (Multipart) content;
        for (int i = 0; i < mp.getCount(); i++) {
          BodyPart part = mp.getBodyPart(i);
          walk(part, b, depth + 1);
        }
      }
      return;
    }
    if (!attachment && base.equals("text/plain")) {
      b.text(text(p));
    } else if (!attachment && base.equals("text/html")) {
      b.html(text(p));
    } else {
      String[] cid = p.getHeader("Content-ID");
      String contentId = Part.INLINE.equalsIgnoreCase(p.getDisposition()) && cid != null && cid.length > 0
          ? cid[0].strip().replaceAll("^<|>$", "") : null;
      try (InputStream in = p.getInputStream()) {
        b.attachment(filename == null ? "" : filename, base, in.readAllBytes(), contentId);
      }
    }
  }

  private static String filename(Part p) throws MessagingException {
    String name = p.getFileName();
    if (name == null) {
      return null;
    }
    try {
      return MimeUtility.decodeText(name);
    } catch (UnsupportedEncodingException e) {
      return name;
    }
  }

  private static String text(Part p) throws MessagingException, IOException {
    Object c = p.getContent();
    if (c instanceof String) {
      return (String) c;
    }
    try (InputStream in = p.getInputStream()) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
