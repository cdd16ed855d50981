package dev.mailroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmailTest {

  @Test
  void buildsAnInvoiceEmail() throws IOException {
    Email e = Email.builder()
        .to("Jane Doe <jane@customer.example>")
        .cc("accounts@customer.example")
        .bcc("audit@acme.example")
        .subject("Invoice INV-1 – ১০০ টাকা")
        .text("Please find the invoice attached.")
        .html("<p>Please find the invoice attached.</p>")
        .attach(Attachment.ofBytes("INV-1.pdf", "application/pdf", "%PDF-1.4".getBytes(StandardCharsets.US_ASCII)))
        .header("X-Invoice-Number", "INV-1")
        .build();
    assertThat(e.to()).containsExactly(Address.of("jane@customer.example", "Jane Doe"));
    assertThat(e.recipients()).hasSize(3);
    assertThat(e.subject()).isEqualTo("Invoice INV-1 – ১০০ টাকা");
    assertThat(e.attachments()).singleElement().satisfies(a -> {
      assertThat(a.filename()).isEqualTo("INV-1.pdf");
      assertThat(a.size()).hasValue(8);
    });
    assertThat(e.headers()).containsEntry("X-Invoice-Number", "INV-1");
    assertThat(e.idempotencyKey()).hasSize(36);
    assertThat(e.toString()).doesNotContain("Please find").contains("bcc=1 address(es)")
        .doesNotContain("audit@acme.example");
  }

  @Test
  void toBuilderKeepsTheIdempotencyKey() {
    Email e = Email.builder().to("a@x.example").build();
    assertThat(e.toBuilder().subject("x").build().idempotencyKey()).isEqualTo(e.idempotencyKey());
    assertThat(Email.builder().to("a@x.example").build().idempotencyKey()).isNotEqualTo(e.idempotencyKey());
  }

  @Test
  void needsARecipientAndCapsThem() {
    assertThatThrownBy(() -> Email.builder().subject("x").build()).isInstanceOf(IllegalStateException.class)
        .hasMessage("an email needs at least one recipient: call to(...), cc(...) or bcc(...)");
    List<Address> many = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      many.add(Address.of("r" + i + "@x.example"));
    }
    assertThatThrownBy(() -> Email.builder().bcc(many).build()).isInstanceOf(IllegalStateException.class)
        .hasMessage("an email may have at most 1000 recipients (to, cc and bcc together), not 10000: split it"
            + " into several emails");
  }

  @Test
  void rejectsHeaderInjectionEverywhere() {
    assertThatThrownBy(() -> Email.builder().subject("Invoice\r\nBcc: evil@x.example"))
        .hasMessage("subject must not contain line breaks or control characters (found U+000D at index 7):"
            + " \"Invoice\\r\\nBcc: evil@x.example\"");
    assertThatThrownBy(() -> Email.builder().subject("a\u0085b")).hasMessageContaining("found U+0085");
    assertThatThrownBy(() -> Email.builder().subject("a\u2028b")).hasMessageContaining("found U+2028");
    assertThatThrownBy(() -> Email.builder().header("X-Ref", "1\nBcc: evil@x.example"))
        .hasMessage("header X-Ref must not contain line breaks or control characters (found U+000A at index 1):"
            + " \"1\\nBcc: evil@x.example\"");
    assertThatThrownBy(() -> Email.builder().header("X-Ref\r\nBcc", "1"))
        .hasMessage("header name must be 1 to 76 printable ASCII characters without ':' or spaces:"
            + " \"X-Ref\\r\\nBcc\"");
    assertThatThrownBy(() -> Email.builder().header("Bcc", "evil@x.example"))
        .hasMessage("header Bcc is set by Mailroom: use the builder's own method for it");
    assertThatThrownBy(() -> Email.builder().to("Jane\r\n <jane@x.example>"))
        .hasMessageStartingWith("to: not a valid email address (contains a line break or control character)");
    assertThatThrownBy(() -> Email.builder().replyTo("a@x.example\nBcc: b@x.example"))
        .hasMessageStartingWith("replyTo: not a valid email address");
    assertThatThrownBy(() -> Attachment.ofBytes("INV\r\n.pdf", "application/pdf", new byte[0]))
        .hasMessage("attachment filename must not contain line breaks or control characters (found U+000D at"
            + " index 3): \"INV\\r\\n.pdf\"");
    assertThatThrownBy(() -> Email.builder().messageId("abc@x.example>\r\nBcc: y"))
        .hasMessageStartingWith("messageId must look like unique-part@domain in printable ASCII");
  }

  @Test
  void bodiesRejectNulAndLoneSurrogates() {
    assertThatThrownBy(() -> Email.builder().text("a\u0000b"))
        .hasMessage("text must not contain NUL characters (found at index 1)");
    assertThatThrownBy(() -> Email.builder().html("a\ud800b"))
        .hasMessage("html contains an unpaired surrogate at index 1");
    assertThat(Email.builder().to("a@x.example").text("line\nline\r\n.dot\r").build().text()).isPresent();
  }

  @Test
  void bodyRefusesExactlyNulAndUnpairedSurrogates() {
    java.util.Random random = new java.util.Random(16);
    char[] alphabet = {'a', '\u0000', '\u0001', '\ud7ff', '\ud800', '\udbff', '\udc00', '\udfff', '\ue000',
        '\uffff', '\u00e9', '\n'};
    for (int round = 0; round < 5000; round++) {
      char[] c = new char[random.nextInt(8)];
      for (int i = 0; i < c.length; i++) {
        c[i] = alphabet[random.nextInt(alphabet.length)];
      }
      String s = new String(c);
      String expected = null;
      for (int i = 0; i < c.length && expected == null; i++) {
        if (c[i] == 0) {
          expected = "text must not contain NUL characters (found at index " + i + ")";
        } else if (Character.isHighSurrogate(c[i]) && i + 1 < c.length && Character.isLowSurrogate(c[i + 1])) {
          i++;
        } else if (Character.isSurrogate(c[i])) {
          expected = "text contains an unpaired surrogate at index " + i;
        }
      }
      if (expected == null) {
        assertThat(Email.builder().to("a@example.com").text(s).build().text()).contains(s);
      } else {
        assertThatThrownBy(() -> Email.builder().text(s)).as("%s", s).hasMessage(expected);
      }
    }
  }

  @Test
  void attachmentsFromFilesAndStreams(@TempDir Path dir) throws IOException {
    Path pdf = dir.resolve("INV-2.pdf");
    Files.write(pdf, new byte[] {1, 2, 3});
    Attachment a = Attachment.ofFile(pdf);
    assertThat(a.filename()).isEqualTo("INV-2.pdf");
    assertThat(a.contentType()).isEqualTo("application/pdf");
    assertThat(a.size()).hasValue(3);
    assertThat(a.file()).contains(pdf);
    try (InputStream in = a.open()) {
      assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
    }
    Attachment s = Attachment.ofStream("Rechnung März.pdf", "Application/PDF",
        () -> InputStream.nullInputStream());
    assertThat(s.contentType()).isEqualTo("application/pdf");
    assertThat(s.size()).isEmpty();
    assertThatThrownBy(() -> Attachment.ofFile(dir.resolve("missing.pdf")))
        .hasMessage("attachment file does not exist or is not a regular file: " + dir.resolve("missing.pdf"));
    assertThatThrownBy(() -> Attachment.ofBytes("../x.pdf", "application/pdf", new byte[0]))
        .hasMessage("attachment filename must be a plain name without '/' or '\\': \"../x.pdf\"");
    assertThatThrownBy(() -> Attachment.ofBytes("x.pdf", "pdf", new byte[0]))
        .hasMessage("attachment content type must look like type/subtype, e.g. application/pdf: \"pdf\"");
    assertThat(Attachment.guessContentType("report.XLSX"))
        .isEqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assertThat(Attachment.guessContentType("data.bin")).isEqualTo("application/octet-stream");
  }

  @Test
  void bytesAreCopied() throws IOException {
    byte[] data = {1, 2};
    Attachment a = Attachment.ofBytes("a.bin", "application/octet-stream", data);
    data[0] = 9;
    try (InputStream in = a.open()) {
      assertThat(in.readAllBytes()).containsExactly(1, 2);
    }
  }
}
