package dev.mailroom.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.testing.PythonEmail;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.junit.jupiter.api.Test;

/**
 * Attachment file names of any script, length, quotes, semicolons and spaces come out exactly in three
 * independent parsers: Jakarta Mail (Angus), Apache mime4j in strict mode and Python's email package (no
 * defect), with every header line that carries an encoded word or RFC 2231 value within 76 characters.
 */
class FileNamesTest {
  static final Address FROM = Address.of("billing@acme.example", "Acme Ltd");

  static final List<String> NAMES = List.of(
      "invoice 42.pdf",
      "চালান-০০৪২.pdf",
      "Ankara ya Mauzo №42 \"final\"; v2.pdf",
      "চালান নম্বর ".repeat(15).strip() + ".pdf",
      "Rechnung März 2026 (Kopie).pdf",
      "請求書_2026年3月分.xlsx",
      "فاتورة رقم ٤٢.pdf",
      "💶 receipt 😀.pdf",
      "quote's 100% * done; ok.pdf",
      "say \"hi\".txt",
      "=?UTF-8?Q?not_an_encoded_word?=.pdf",
      "x".repeat(250) + ".pdf",
      ("Ünïcödé " + "长".repeat(3)).repeat(30).substring(0, 251) + ".pdf",
      "a;b=c,d.csv",
      "tab\tname.txt");

  static byte[] write(Email e) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PreparedMime.of(e, FROM, Address.of(FROM.email()), e.recipients()).writeTo(out);
    return out.toByteArray();
  }

  static Email withAttachment(String name) {
    return Email.builder().to("customer@example.com").subject("Invoice").text("See attached.")
        .attach(Attachment.ofBytes(name, "application/pdf", name.getBytes(StandardCharsets.UTF_8))).build();
  }

  @Test
  void jakartaMailReadsEveryNameExactly() throws Exception {
    Session session = Session.getInstance(new Properties());
    for (String name : NAMES) {
      MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(write(withAttachment(name))));
      Part part = ((MimeMultipart) m.getContent()).getBodyPart(1);
      assertThat(part.getFileName()).as(name).isEqualTo(name.strip());
      assertThat(part.getInputStream().readAllBytes()).isEqualTo(name.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void strictMime4jReadsEveryNameExactly() throws Exception {
    DefaultMessageBuilder builder = new DefaultMessageBuilder();
    builder.setMimeEntityConfig(MimeConfig.STRICT);
    builder.setDecodeMonitor(DecodeMonitor.STRICT);
    for (String name : NAMES) {
      Message m = builder.parseMessage(new ByteArrayInputStream(write(withAttachment(name))));
      Entity part = ((Multipart) m.getBody()).getBodyParts().get(1);
      assertThat(part.getFilename()).as(name).isEqualTo(name.strip());
      assertThat(part.getDispositionType()).isEqualTo("attachment");
    }
  }

  @Test
  void pythonReadsEveryNameExactlyWithoutDefects() throws Exception {
    PythonEmail.assumeAvailable();
    List<byte[]> messages = new ArrayList<>();
    for (String name : NAMES) {
      messages.add(write(withAttachment(name)));
    }
    List<PythonEmail.Parsed> parsed = PythonEmail.parse(messages);
    for (int i = 0; i < NAMES.size(); i++) {
      PythonEmail.Parsed p = parsed.get(i);
      assertThat(p.defects()).as(NAMES.get(i)).isEmpty();
      assertThat(p.longLines()).as(NAMES.get(i)).isEmpty();
      assertThat(p.parts()).as(NAMES.get(i)).hasSize(1);
      assertThat(p.parts().get(0).filename()).isEqualTo(NAMES.get(i).strip());
      assertThat(p.parts().get(0).size()).isEqualTo(NAMES.get(i).getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void theNameParameterIsAnAsciiStandInThatKeepsTheExtension() {
    assertThat(Headers.asciiFallback("চালান-০০৪২.pdf")).isEqualTo("0042.pdf");
    assertThat(Headers.asciiFallback("Ankara ya Mauzo №42 \"final\"; v2.pdf"))
        .isEqualTo("Ankara ya Mauzo No42 'final'; v2.pdf");
    assertThat(Headers.asciiFallback("Rechnung März.pdf")).isEqualTo("Rechnung Marz.pdf");
    assertThat(Headers.asciiFallback("চালান নম্বর ".repeat(15).strip() + ".pdf")).isEqualTo("attachment.pdf");
    assertThat(Headers.asciiFallback("y".repeat(250) + ".pdf")).hasSize(Headers.MAX_FALLBACK_NAME).endsWith(".pdf");
    String ct = Headers.contentType("application/pdf", "চালান-০০৪২.pdf");
    assertThat(ct).isEqualTo("application/pdf; name=\"0042.pdf\"").doesNotContain("=?");
  }

  @Test
  void rfc2231SectionsHoldWholeCharactersAndShortLines() {
    String name = "চালান নম্বর ".repeat(15).strip() + ".pdf";
    String d = Headers.disposition(name);
    assertThat(d).contains("filename*0*=UTF-8''").contains("filename*1*=");
    for (String line : d.split("\r\n")) {
      assertThat(line.length()).as(line).isLessThanOrEqualTo(76);
      String value = line.replaceFirst("^.*\\*=(UTF-8'')?", "").replaceFirst(";$", "");
      // every section decodes on its own: it never ends or starts inside a UTF-8 sequence
      byte[] bytes = java.net.URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8)
          .getBytes(StandardCharsets.UTF_8);
      assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain("\uFFFD");
    }
  }

  @Test
  void longDisplayNamesKeepEveryLineWithin76Characters() throws Exception {
    for (String name : List.of("মেসার্স রহমান ট্রেডার্স অ্যান্ড সন্স লিমিটেড", "Zoë Ångström-Łukasiewicz",
        "Kampuni ya Biashara ya Mwanza na Washirika Wake Limited")) {
      Address a = Address.of("accounts.receivable.department@very-long-domain-name.example", name);
      String v = Headers.addresses("From", List.of(a), false);
      for (String line : ("From: " + v).split("\r\n")) {
        assertThat(line.length()).as(line).isLessThanOrEqualTo(76);
      }
      jakarta.mail.internet.InternetAddress parsed = new jakarta.mail.internet.InternetAddress(
          jakarta.mail.internet.MimeUtility.unfold(v));
      assertThat(parsed.getPersonal()).isEqualTo(name);
    }
  }

  @Test
  void contentTypesKeepTheirParameters() throws Exception {
    Attachment invite = Attachment.ofBytes("invite.ics", "text/calendar; method=REQUEST; charset=UTF-8",
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(invite.contentType()).isEqualTo("text/calendar; method=REQUEST; charset=UTF-8");
    Email e = Email.builder().to("customer@example.com").subject("Meeting").text("Invite").attach(invite).build();
    MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(write(e)));
    Part part = ((MimeMultipart) m.getContent()).getBodyPart(1);
    jakarta.mail.internet.ContentType ct = new jakarta.mail.internet.ContentType(part.getContentType());
    assertThat(ct.getBaseType()).isEqualTo("text/calendar");
    assertThat(ct.getParameter("method")).isEqualTo("REQUEST");
    assertThat(ct.getParameter("charset")).isEqualTo("UTF-8");
    assertThat(part.getFileName()).isEqualTo("invite.ics");
    assertThat(Attachment.ofBytes("a.txt", "Text/Plain ;  Charset=\"utf-8\" ;", new byte[0]).contentType())
        .isEqualTo("text/plain; charset=utf-8");
    assertThat(Attachment.ofBytes("a.txt", "text/plain; x-note=\"two words\"", new byte[0]).contentType())
        .isEqualTo("text/plain; x-note=\"two words\"");
  }

  @Test
  void badContentTypesAreStillRefused() {
    for (String bad : List.of("pdf", "text/plain; charset", "text/plain; charset=\"utf-8", "text/plain; =x",
        "text/plain; charset=utf 8", "text/plain; charset=\"a\\\"b\"", "text/plain\r\nBcc: x@example.com",
        "text/plain; a=b\nc", "text/plain; name=x.pdf", "text/plain; a=1; a=2", "text/pla\"in",
        "text/plain; caf\u00e9=1", "text/plain; a=\"caf\u00e9\"", "text/plain; a*=utf-8''x")) {
      assertThatThrownBy(() -> Attachment.ofBytes("a.txt", bad, new byte[0])).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attachment content type");
    }
  }
}
