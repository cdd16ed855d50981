package dev.mailroom.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.Address;
import jakarta.mail.internet.MimeUtility;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HeadersTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "Rechnung für März", "চালান নম্বর ১২৩৪ — ধন্যবাদ", "請求書 2026年3月分のご案内", "emoji 💶💶💶 ok",
      "a", "Mixed ASCII with one é at the end of a fairly long subject line that needs folding",
      "x_y=z?q\t tab", "日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語"})
  void encodedWordsDecodeBackAndStayShort(String text) throws Exception {
    for (boolean b64 : new boolean[] {false, true}) {
      String enc = Headers.encodeWords(text, "Subject: ".length(), b64);
      assertThat(MimeUtility.decodeText(MimeUtility.unfold(enc))).isEqualTo(text);
      for (String line : enc.split("\r\n")) {
        String word = line.strip();
        assertThat(word.length()).as(word).isLessThanOrEqualTo(75);
        assertThat(word).matches("=\\?UTF-8\\?[QB]\\?[^ ?]*\\?=");
      }
      for (int i = 0; i < enc.length(); i++) {
        assertThat(enc.charAt(i)).isLessThan((char) 128);
      }
    }
  }

  @Test
  void unstructuredAsciiIsOnlyFolded() {
    assertThat(Headers.unstructured("Subject", "Invoice 42")).isEqualTo("Invoice 42");
    String longSubject = "word ".repeat(40).strip();
    String folded = Headers.unstructured("Subject", longSubject);
    assertThat(folded).contains("\r\n ");
    assertThat(MimeUtility.unfold(folded)).isEqualTo(longSubject);
  }

  @Test
  void encodedWordsThatDecodeToLineBreaksAreRefused() {
    assertThatThrownBy(() -> Headers.unstructured("Subject", "Hi =?UTF-8?B?DQpCY2M6IGV2aWxAZXhhbXBsZS5jb20=?="))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Subject contains an encoded word");
    assertThatThrownBy(() -> Headers.addresses("From", List.of(Address.of("a@example.com",
        "=?utf-8?q?x=0D=0ABcc:_evil@example.com?=")), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("display name");
    assertThatThrownBy(() -> Headers.disposition("=?UTF-8?Q?a=0Ab.pdf?="))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attachment filename");
    // a harmless encoded word is left alone
    assertThat(Headers.unstructured("Subject", "=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=")).isEqualTo("=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=");
  }

  @Test
  void encodedWordsInACharsetJavaCannotDecodeAreRefused() {
    // UTF-7 "+AA0ACg-" is CR LF: a receiver that knows UTF-7 would show a forged header
    for (String v : new String[] {"=?UTF-7?Q?+AA0ACg-Bcc:_evil@example.com?=", "x =?x-no-such-charset?B?QQ==?="}) {
      assertThatThrownBy(() -> Headers.unstructured("Subject", v)).as(v)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Subject contains an encoded word");
      assertThatThrownBy(() -> Headers.disposition(v)).as(v).isInstanceOf(IllegalArgumentException.class);
    }
    // found anywhere, not only between blanks (Angus decodes only whitespace-separated words)
    assertThatThrownBy(() -> Headers.unstructured("X-Note", "x=?UTF-8?Q?=0D=0A?=y"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void longNamesAndRunsOfBlanksNeverMakeALineLongerThan998Octets() throws Exception {
    String blanks = "a" + " ".repeat(1500) + "b";
    String v = Headers.unstructured("Subject", blanks);
    assertThat(Headers.longestLine(v)).isLessThanOrEqualTo(78);
    assertThat(MimeUtility.decodeText(MimeUtility.unfold(v))).isEqualTo(blanks);
    for (String name : new String[] {"N".repeat(1500), "Acme Trading ".repeat(100).strip(), "\"".repeat(400)}) {
      String a = Headers.addresses("From", List.of(Address.of("a@example.com", name)), false);
      assertThat(Headers.longestLine(a)).as(name).isLessThanOrEqualTo(100);
      jakarta.mail.internet.InternetAddress parsed = new jakarta.mail.internet.InternetAddress(MimeUtility.unfold(a));
      assertThat(parsed.getPersonal()).isEqualTo(name);
      assertThat(parsed.getAddress()).isEqualTo("a@example.com");
    }
  }

  @Test
  void addressListsQuoteOrEncodeNamesAndUseALabels() {
    String v = Headers.addresses("To", List.of(Address.of("a@bücher.example", "Müller, Hans"),
        Address.of("b@example.com", "Acme, Ltd."), Address.of("c@example.com", "Plain Name"),
        Address.of("d@example.com")), false);
    assertThat(v).contains("<a@xn--bcher-kva.example>").contains("\"Acme, Ltd.\" <b@example.com>")
        .contains("Plain Name <c@example.com>").endsWith("d@example.com").contains("=?UTF-8?");
    for (String line : v.split("\r\n")) {
      assertThat(line.length()).isLessThanOrEqualTo(78);
    }
  }

  @Test
  void fileNamesUseRfc2231AndAnAsciiNameFallback() {
    assertThat(Headers.disposition("invoice 42.pdf")).isEqualTo("attachment;\r\n filename=\"invoice 42.pdf\"");
    assertThat(Headers.disposition("März.pdf")).isEqualTo("attachment;\r\n filename*=UTF-8''M%C3%A4rz.pdf");
    assertThat(Headers.contentType("application/pdf", "März.pdf")).isEqualTo("application/pdf; name=\"Marz.pdf\"");
    String longName = "請求書".repeat(30) + ".pdf";
    String d = Headers.disposition(longName);
    assertThat(d).contains("filename*0*=UTF-8''").contains("filename*1*=");
    for (String line : d.split("\r\n")) {
      assertThat(line.length()).isLessThanOrEqualTo(78);
      assertThat(line).doesNotContainPattern("%[0-9A-F]?$");
    }
    for (String line : Headers.contentType("application/pdf", longName).split("\r\n")) {
      assertThat(line.length()).isLessThanOrEqualTo(78);
    }
  }
}
