package dev.mailroom.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.internal.mime.PreparedMime;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What goes on the wire in DATA: only CRLF (SMTP smuggling: bare LF, bare CR, {@code \n.\r\n},
 * {@code \r.\r}), dots stuffed, one end of data, lines of at most 998 octets however long the input lines
 * are, and a receiver decodes exactly what was given.
 */
class WireFormTest {
  private static MimeMessage parse(byte[] raw) throws Exception {
    return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
  }

  private static MimeMessage roundTrip(Email email) throws Exception {
    PreparedMessage p = PreparedMessage.of(WireForm.CFG, WireForm.request(email));
    byte[] content = WireForm.content(p);
    byte[] unstuffed = WireForm.check(WireForm.data(p));
    byte[] expected = content;
    if (!new String(content, StandardCharsets.ISO_8859_1).endsWith("\r\n")) {
      expected = Arrays.copyOf(content, content.length + 2);
      expected[content.length] = '\r';
      expected[content.length + 1] = '\n';
    }
    assertThat(unstuffed).as("content after un-stuffing").isEqualTo(expected);
    return parse(unstuffed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bare\nLF", "bare\rCR", "smuggle\n.\r\nMAIL FROM:<evil@example.com>\r\n",
      "smuggle\r.\rRCPT TO:<x@example.com>", "smuggle\n.\nDATA", ".", ".\r\n", "..\r\n...\r\n.x\r\n",
      "\r\n.\r\n", "end with dot\r\n.", "\n\n\r\r\r\n", ".leading\n.\n..\r.\r\n"})
  void bodiesWithLineEndTricksGoOutAsCrlfWithDotsStuffed(String body) throws Exception {
    Email email = Email.builder().to("customer@example.com").subject("dots").text(body).html(body).build();
    MimeMessage m = roundTrip(email);
    String normalized = PreparedMime.crlf(body);
    MimeMultipart alt = (MimeMultipart) m.getContent();
    assertThat(alt.getBodyPart(0).getContent()).isEqualTo(normalized);
    assertThat(alt.getBodyPart(1).getContent()).isEqualTo(normalized);
  }

  @Test
  void linesOf998OctetsAndLongerAreEncodedAndDecodeBack() throws Exception {
    for (int n : new int[] {996, 997, 998, 999, 1000, 5000}) {
      String line = "x".repeat(n);
      String dotted = "." + "y".repeat(n - 1);
      String body = line + "\n" + dotted + "\n" + "é".repeat(n) + "\nend";
      Email email = Email.builder().to("customer@example.com").subject("long lines").text(body).build();
      assertThat(roundTrip(email).getContent()).as("%d", n).isEqualTo(PreparedMime.crlf(body));
    }
  }

  @Test
  void aLastLineWithoutLineEndCountsLikeEveryOtherLine() throws Exception {
    // found by SmtpFuzzTest#wireForm: a last line of 998 octets went out as 7bit, and its stuffed dot made
    // 999 octets on the wire
    for (String body : new String[] {"." + "y".repeat(997), "x\n." + "y".repeat(997), "." + "y".repeat(996)}) {
      Email email = Email.builder().to("customer@example.com").subject("last line").text(body).build();
      // SMTP ends the data with a line end: a single text part gains it
      assertThat(roundTrip(email).getContent()).isEqualTo(PreparedMime.crlf(body) + "\r\n");
    }
    assertThat(PreparedMime.encoding(("." + "y".repeat(997)).getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("quoted-printable");
    assertThat(PreparedMime.encoding(("." + "y".repeat(996) + "\r\n").getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("7bit");
  }

  @Test
  void longHeadersAreFoldedOrEncodedAndDecodeBack() throws Exception {
    String longWord = "w".repeat(1200);
    String spaces = "a" + " ".repeat(1500) + "b";
    String words = "word ".repeat(400).strip();
    String longName = "N".repeat(1500);
    String spacedName = "Acme " + " ".repeat(1200) + "Ltd";
    String wordyName = "Acme Trading ".repeat(100).strip();
    for (String subject : new String[] {longWord, spaces, words, "é".repeat(2000)}) {
      Email email = Email.builder().to(List.of(Address.of("customer@example.com", wordyName))).cc(List.of(Address.of(
          "zoe@example.com", longName))).replyTo(List.of(Address.of("reply@example.com", spacedName))).subject(subject)
          .header("X-Long", subject).text("x").build();
      MimeMessage m = roundTrip(email);
      assertThat(m.getSubject()).isEqualTo(subject.strip());
      assertThat(((InternetAddress) m.getRecipients(MimeMessage.RecipientType.TO)[0]).getPersonal())
          .isEqualTo(wordyName);
      assertThat(((InternetAddress) m.getRecipients(MimeMessage.RecipientType.CC)[0]).getPersonal())
          .isEqualTo(longName);
      assertThat(((InternetAddress) m.getReplyTo()[0]).getAddress()).isEqualTo("reply@example.com");
      assertThat(jakarta.mail.internet.MimeUtility.decodeText(jakarta.mail.internet.MimeUtility.unfold(
          m.getHeader("X-Long")[0]))).isEqualTo(subject.strip());
    }
  }

  @Test
  void longFilenamesAndLongestAddressesStayWithinTheLimits() throws Exception {
    String local = "l".repeat(64);
    String label = "d".repeat(63);
    String domain = String.join(".", label, label, label, "e".repeat(57) + ".com");
    assertThat(domain).hasSize(253);
    String longest = local + "@" + domain;
    String file = "f".repeat(251) + ".pdf";
    String utf8File = "ф".repeat(251) + ".pdf";
    Email email = Email.builder().from(Address.of(longest, "N".repeat(300))).to(longest).cc(longest, longest)
        .subject("limits").text("x").attach(Attachment.ofBytes(file, "application/pdf", new byte[] {1}))
        .attach(Attachment.ofBytes(utf8File, "application/pdf", new byte[] {2})).build();
    PreparedMessage p = PreparedMessage.of(WireForm.CFG, WireForm.request(email));
    assertThat(p.envelope()).extracting(InternetAddress::getAddress).containsOnly(longest);
    MimeMessage m = roundTrip(email);
    assertThat(m.getMessageID()).isEqualTo("<" + email.idempotencyKey() + "@" + domain + ">");
    MimeMultipart mixed = (MimeMultipart) m.getContent();
    assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo(file);
    assertThat(mixed.getBodyPart(2).getFileName()).isEqualTo(utf8File);
  }

  @Test
  void loneSurrogatesAreRefusedWithAClearError() {
    assertThatThrownBy(() -> Email.builder().subject("bad \ud800 subject"))
        .hasMessage("subject must not contain line breaks or control characters (found U+D800 at index 4):"
            + " \"bad \\ud800 subject\"");
    assertThatThrownBy(() -> Email.builder().text("bad \udc00 text"))
        .hasMessage("text contains an unpaired surrogate at index 4");
    assertThatThrownBy(() -> Email.builder().html("<p>\ud83d</p>"))
        .hasMessage("html contains an unpaired surrogate at index 3");
    assertThatThrownBy(() -> Address.of("a@x.example", "Name \ud800"))
        .hasMessageStartingWith("display name must not contain line breaks or control characters (found U+D800");
    assertThatThrownBy(() -> Attachment.ofBytes("a\udfff.pdf", "application/pdf", new byte[0]))
        .hasMessageStartingWith("attachment filename must not contain line breaks or control characters");
    assertThatThrownBy(() -> Email.builder().header("X-Note", "\ud800"))
        .hasMessageStartingWith("header X-Note must not contain line breaks or control characters");
  }
}
