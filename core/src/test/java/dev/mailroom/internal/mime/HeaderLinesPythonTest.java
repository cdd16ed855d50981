package dev.mailroom.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Address;
import dev.mailroom.Email;
import dev.mailroom.testing.PythonEmail;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Subjects and display names in several scripts and lengths: Python's email package decodes the subjects
 * (and ASCII names) exactly, registers no defect, and no header line with an encoded word is longer than 76
 * characters.
 */
class HeaderLinesPythonTest {
  static final List<String> TEXTS = List.of("Rechnung für März", "চালান নম্বর ১২৩৪ — ধন্যবাদ, মেসার্স রহমান ট্রেডার্স",
      "Ankara ya Mauzo Na. 42 kutoka Kampuni ya Biashara ya Mwanza na Washirika Wake",
      "請求書 2026年3月分のご案内 請求書 2026年3月分のご案内", "emoji 💶💶💶 ok 😀", "Zoë Ångström-Łukasiewicz",
      "Muuzaji: \"Duka la Juma\" (Mwanza); tawi la 2, Tanzania — ankara ya mwezi Machi");

  @Test
  void pythonDecodesSubjectsAndNamesExactlyWithShortLines() throws Exception {
    PythonEmail.assumeAvailable();
    List<byte[]> messages = new ArrayList<>();
    for (String t : TEXTS) {
      Address from = Address.of("accounts.receivable@acme.example", t);
      Email e = Email.builder().to(List.of(Address.of("customer@example.com", t))).subject(t).text("x").build();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PreparedMime.of(e.toBuilder().from(from).build(), from, Address.of(from.email()), e.recipients()).writeTo(out);
      messages.add(out.toByteArray());
    }
    List<PythonEmail.Parsed> parsed = PythonEmail.parse(messages);
    for (int i = 0; i < TEXTS.size(); i++) {
      PythonEmail.Parsed p = parsed.get(i);
      assertThat(p.defects()).as(TEXTS.get(i)).isEmpty();
      assertThat(p.longLines()).as(TEXTS.get(i)).isEmpty();
      assertThat(p.header("Subject")).isEqualTo(TEXTS.get(i));
      assertThat(p.header("From")).contains("<accounts.receivable@acme.example>");
      // ASCII names only: Python 3.11 puts a space between adjacent encoded words in a display name, which
      // RFC 2047 6.2 says to ignore (Jakarta Mail checks those names in HeadersTest and FileNamesTest)
      if (!TEXTS.get(i).matches(".*[\"();,:].*") && Headers.isAscii(TEXTS.get(i))) {
        assertThat(p.header("From")).contains(TEXTS.get(i));
      }
    }
  }
}
