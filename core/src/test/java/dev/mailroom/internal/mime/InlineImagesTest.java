package dev.mailroom.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.testing.PythonEmail;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Inline images: {@code multipart/related} (RFC 2387) inside {@code multipart/alternative}, each image with
 * a {@code Content-ID} (RFC 2392) the HTML refers to as {@code cid:}, judged by Jakarta Mail and Python.
 */
class InlineImagesTest {
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

  static Email invoice() {
    return Email.builder().to("customer@example.com").subject("Invoice 42")
        .text("Invoice 42 is attached.")
        .html("<p><img src=\"cid:logo\" alt=\"Acme\"></p><p>Invoice 42 is attached.</p>"
            + "<div style=\"background:url(cid:stamp.png)\"></div>")
        .inline("logo", Attachment.ofBytes("logo.png", "image/png", PNG))
        .inline("stamp.png", Attachment.ofBytes("স্ট্যাম্প.png", "image/png", PNG))
        .attach(Attachment.ofBytes("INV-42.pdf", "application/pdf", "%PDF-1.7".getBytes(StandardCharsets.US_ASCII)))
        .build();
  }

  @Test
  void relatedInsideAlternativeInsideMixed() throws Exception {
    byte[] raw = FileNamesTest.write(invoice());
    MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    MimeMultipart mixed = (MimeMultipart) m.getContent();
    assertThat(new ContentType(mixed.getContentType()).getBaseType()).isEqualTo("multipart/mixed");
    MimeMultipart alternative = (MimeMultipart) mixed.getBodyPart(0).getContent();
    assertThat(new ContentType(alternative.getContentType()).getBaseType()).isEqualTo("multipart/alternative");
    assertThat(alternative.getBodyPart(0).isMimeType("text/plain")).isTrue();
    MimeMultipart related = (MimeMultipart) alternative.getBodyPart(1).getContent();
    ContentType relatedType = new ContentType(related.getContentType());
    assertThat(relatedType.getBaseType()).isEqualTo("multipart/related");
    assertThat(relatedType.getParameter("type")).isEqualTo("text/html");
    assertThat(related.getCount()).isEqualTo(3);
    assertThat(related.getBodyPart(0).isMimeType("text/html")).isTrue();
    BodyPart logo = related.getBodyPart(1);
    assertThat(((MimeBodyPart) logo).getContentID()).isEqualTo("<logo>");
    assertThat(logo.getDisposition()).isEqualTo("inline");
    assertThat(logo.getFileName()).isEqualTo("logo.png");
    assertThat(logo.getInputStream().readAllBytes()).isEqualTo(PNG);
    BodyPart stamp = related.getBodyPart(2);
    assertThat(((MimeBodyPart) stamp).getContentID()).isEqualTo("<stamp.png>");
    assertThat(stamp.getFileName()).isEqualTo("স্ট্যাম্প.png");
    assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("INV-42.pdf");
    assertThat(mixed.getBodyPart(1).getDisposition()).isEqualTo("attachment");
  }

  @Test
  void htmlOnlyIsRelatedAtTheTop() throws Exception {
    Email e = Email.builder().to("customer@example.com").subject("Logo").html("<img src='cid:logo'>")
        .inline("logo", Attachment.ofBytes("logo.png", "image/png", PNG)).build();
    MimeMessage m = new MimeMessage(Session.getInstance(new Properties()),
        new ByteArrayInputStream(FileNamesTest.write(e)));
    assertThat(new ContentType(m.getContentType()).getBaseType()).isEqualTo("multipart/related");
    MimeMultipart related = (MimeMultipart) m.getContent();
    assertThat(related.getBodyPart(0).getContent()).isEqualTo("<img src='cid:logo'>");
    assertThat(((MimeBodyPart) related.getBodyPart(1)).getContentID()).isEqualTo("<logo>");
  }

  @Test
  void pythonFindsTheImagesByContentIdWithoutDefects() throws Exception {
    PythonEmail.assumeAvailable();
    PythonEmail.Parsed p = PythonEmail.parse(List.of(FileNamesTest.write(invoice()))).get(0);
    assertThat(p.defects()).isEmpty();
    assertThat(p.longLines()).isEmpty();
    assertThat(p.parts()).extracting(PythonEmail.Part::contentId, PythonEmail.Part::disposition,
        PythonEmail.Part::filename)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("<logo>", "inline", "logo.png"),
            org.assertj.core.groups.Tuple.tuple("<stamp.png>", "inline", "স্ট্যাম্প.png"),
            org.assertj.core.groups.Tuple.tuple(null, "attachment", "INV-42.pdf"));
    assertThat(p.parts().get(0).size()).isEqualTo(PNG.length);
  }

  @Test
  void theBuilderRefusesMissingAndMalformedContentIds() {
    Attachment logo = Attachment.ofBytes("logo.png", "image/png", PNG);
    assertThatThrownBy(() -> Email.builder().to("a@example.com").html("<img src=\"cid:logo\">").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cid:logo")
        .hasMessageContaining("inline(\"logo\", image)");
    assertThatThrownBy(() -> Email.builder().to("a@example.com").html("<img src=\"cid:logo\">")
        .inline("log", logo).build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("[log]");
    assertThatThrownBy(() -> Email.builder().to("a@example.com").text("no html").inline("logo", logo).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("html(");
    for (String bad : List.of("", "logo@acme.example", "<logo>", "two words", ".logo", "logo.", "lo..go",
        "lo\"go", "logo\r\nBcc: x@example.com", "ল০গ", "x".repeat(101))) {
      assertThatThrownBy(() -> Email.builder().inline(bad, logo)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inline content id");
    }
    assertThatThrownBy(() -> Email.builder().inline("logo", logo).inline("logo", logo))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("used twice");
    // ids with the characters a message id allows are fine, also percent-encoded in the HTML
    Email ok = Email.builder().to("a@example.com").html("<img src=\"cid:part1.0609%2B0408\">")
        .inline("part1.0609+0408", logo).build();
    assertThat(ok.inline()).containsKey("part1.0609+0408");
    // "cid:" in text is not a reference
    Email text = Email.builder().to("a@example.com").html("<p>write cid:logo in the source</p>").build();
    assertThat(text.inline()).isEmpty();
  }
}
