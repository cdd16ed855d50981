package dev.mailroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 11, item 3: input that cannot hide, headers that cannot claim a verdict, addresses shown as sent. */
class InputHardeningTest {
  private static final byte[] PDF = "%PDF-1.4".getBytes(StandardCharsets.US_ASCII);

  @ParameterizedTest
  @ValueSource(strings = {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068",
      "\u2069", "\u200B", "\u200E", "\u200F", "\uFEFF", "\u061C", "\u00AD"})
  void attachmentNamesRefuseEveryHidingCharacter(String c) {
    assertThatThrownBy(() -> Attachment.ofBytes("invoice" + c + "fdp.exe", "application/pdf", PDF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attachment filename must not contain invisible or text-direction characters")
        .hasMessageContaining(String.format("U+%04X at index 7", (int) c.charAt(0)))
        .hasMessageContaining("hide the real extension")
        // the message itself never carries the raw character
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(c));
  }

  @Test
  void theRightToLeftOverrideTrickIsRefusedWithTheReason() {
    assertThatThrownBy(() -> Attachment.ofBytes("invoice\u202Efdp.exe", "application/pdf", PDF))
        .hasMessage("attachment filename must not contain invisible or text-direction characters (found U+202E"
            + " at index 7): they can hide the real extension of a file, so that invoice\\u202Efdp.exe shows as"
            + " invoiceexe.pdf. Remove them: \"invoice\\u202efdp.exe\"");
  }

  @Test
  void joinersStayAllowedEverywhere() {
    String bengali = "চিঠি\u200Cপত্র ক্\u200Dষ";
    assertThat(Attachment.ofBytes(bengali + ".pdf", "application/pdf", PDF).filename()).isEqualTo(bengali + ".pdf");
    assertThat(Email.builder().to("a@b.example").subject(bengali).build().subject()).isEqualTo(bengali);
    assertThat(Address.of("a@b.example", bengali).name()).hasValue(bengali);
    assertThat(Address.parse(bengali + " <a@b.example>").name()).hasValue(bengali);
    assertThat(EmailSettings.builder().protocol(Protocol.SMTP).host("smtp.example.com").port(587)
        .emailAddress("a@b.example").senderName(bengali).build().senderName()).hasValue(bengali);
  }

  @Test
  void rightToLeftMarksStayAllowedInDisplayedText() {
    String arabic = "فاتورة\u200F \u061C2024";
    assertThat(Email.builder().to("a@b.example").subject(arabic).build().subject()).isEqualTo(arabic);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068",
      "\u2069", "\u200B", "\uFEFF"})
  void subjectDisplayNamesAndSenderNameRefuseOverridesIsolatesAndInvisibles(String c) {
    String text = "Invoice " + c + "INV-1";
    assertThatThrownBy(() -> Email.builder().subject(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("subject must not contain text-direction overrides, isolates or invisible"
            + " characters (found " + String.format("U+%04X", (int) c.charAt(0)) + " at index 8)");
    assertThatThrownBy(() -> Address.of("a@b.example", text))
        .hasMessageStartingWith("display name must not contain text-direction overrides");
    assertThatThrownBy(() -> Address.parse("\"" + text + "\" <a@b.example>"))
        .hasMessageContaining("the display name contains a text-direction override");
    assertThatThrownBy(() -> Email.builder().to(text + " <a@b.example>"))
        .hasMessageContaining("text-direction override");
    assertThatThrownBy(() -> EmailSettings.builder().protocol(Protocol.SMTP).host("smtp.example.com")
        .port(587).emailAddress("a@b.example").senderName(text).build())
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
            .singleElement().satisfies(p -> {
              assertThat(p.field()).isEqualTo("senderName");
              assertThat(p.message()).startsWith("senderName must not contain text-direction overrides");
            }));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Authentication-Results", "authentication-results", "DKIM-Signature",
      "DomainKey-Signature", "ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results", "Received-SPF",
      "Resent-From", "Resent-To", "Resent-Bcc", "Resent-Date", "Delivered-To", "X-Original-To", "Return-Path",
      "Errors-To", "Received"})
  void headersThatClaimAVerdictOrDeliveryAreRefused(String name) {
    assertThatThrownBy(() -> Email.builder().header(name, "pass"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("header " + name + " claims an authentication result, a delivery or a resending"
            + " that only the receiving mail servers may record");
  }

  @Test
  void ordinaryCustomHeadersStayAllowed() {
    Email e = Email.builder().to("a@b.example").header("X-Invoice-Number", "INV-1")
        .header("X-Arc-Id", "7").header("List-Unsubscribe", "<mailto:u@b.example>").build();
    assertThat(e.headers()).containsKeys("X-Invoice-Number", "X-Arc-Id", "List-Unsubscribe");
  }

  @ParameterizedTest
  @ValueSource(strings = {"archive@acme.example\u3002evil.example", "archive@acme.example\uFF0Eevil.example",
      "archive@acme.example\uFF61evil.example", "archive@ａｃｍｅ.example.evil.example",
      "archive@acme.example\u200B.evil.example", "archive@ACME.example\u3002EVIL.example"})
  void addressesAreNormalisedSoWhatIsShownIsWhatIsSent(String typed) {
    Address a = Address.of(typed);
    assertThat(a.email()).isEqualToIgnoringCase("archive@acme.example.evil.example");
    assertThat(a.email()).isEqualTo(a.asciiEmail());
    assertThat(a.toString()).isEqualTo(a.email());
    assertThat(Address.parse("Archive <" + typed + ">").email()).isEqualTo(a.email());

    EmailSettings s = EmailSettings.builder().protocol(Protocol.SMTP).host("smtp.example.com").port(587)
        .emailAddress(typed).copyTo(typed).replyTo(typed).build();
    assertThat(s.copyTo()).hasValue(a.email());
    assertThat(s.replyTo()).hasValue(a.email());
    assertThat(s.emailAddress()).hasValue(a.email());
    assertThat(s.toString()).contains("copyTo=" + a.email()).doesNotContain("\u3002").doesNotContain("\uFF0E");
    assertThat(EmailSettings.fromProperties(s.toProperties(false))).isEqualTo(s);
  }

  @Test
  void aUsernameUsedAsTheSenderIsNormalisedToo() {
    EmailSettings s = EmailSettings.builder().protocol(Protocol.SMTP).host("smtp.example.com").port(587)
        .username("billing@acme.example\u3002evil.example").password("pw").build();
    assertThat(s.fromAddress()).isEqualTo("billing@acme.example.evil.example");
    assertThat(s.sender().email()).isEqualTo("billing@acme.example.evil.example");
  }

  @Test
  void internationalDomainsKeepTheirUnicodeFormAndMatchTheEnvelope() {
    Address a = Address.of("info@বাংলা\u3002example");
    assertThat(a.domain()).isEqualTo("বাংলা.example");
    assertThat(a.asciiDomain()).isEqualTo("xn--54b7fta0cc.example");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://mail.example.com/send?apikey=KEY123", "https://mail.example.com/send?api_key=K",
      "https://mail.example.com/send?x=1&token=K", "https://mail.example.com/send?access_token=K",
      "https://mail.example.com/send?Secret=K", "https://mail.example.com/send?password=K",
      "https://mail.example.com/send?key=K", "https://mail.example.com/send?X-Api-Key=K",
      "https://mail.example.com/send?sig=K", "https://mail.example.com/send?api%5Fkey=K"})
  void aSecretInTheServerUrlQueryIsRefusedAndNeverEchoed(String url) {
    assertThatThrownBy(() -> EmailSettings.builder().protocol(Protocol.HTTP).httpServer(url)
        .replyTo("office@acme.example").build())
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> {
          assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("httpServer");
            assertThat(p.code()).isEqualTo(SettingsProblem.INSECURE);
            assertThat(p.message()).startsWith("httpServer must not carry a secret in its query (parameter ")
                .endsWith("put the key in apiKey(...), which is never shown or logged.");
          });
          assertThat(e.getMessage()).doesNotContain("KEY123").doesNotContain("=K");
        });
  }

  @Test
  void anOrdinaryQueryStaysAllowed() {
    EmailSettings s = EmailSettings.builder().protocol(Protocol.HTTP)
        .httpServer("https://mail.example.com/send?region=eu&format=json").replyTo("office@acme.example").build();
    assertThat(s.httpServer().orElseThrow().getQuery()).isEqualTo("region=eu&format=json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://2130706433", "https://0", "https://0177.0.0.1", "https://0x7f.0.0.1",
      "https://0x7f000001", "https://127.1", "https://[fe80::1%25lo]", "https://017700000001",
      "https://127.0.0.01"})
  void oddIpv4SpellingsAndZoneIdsInTheServerUrlAreRefused(String url) {
    assertThatThrownBy(() -> EmailSettings.builder().protocol(Protocol.HTTP).httpServer(url)
        .replyTo("office@acme.example").build())
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
            .anySatisfy(p -> assertThat(p.field()).isEqualTo("httpServer")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.1", "fe80::1%lo"})
  void oddIpv4SpellingsAndZoneIdsAsSmtpHostAreRefused(String host) {
    assertThatThrownBy(() -> EmailSettings.builder().protocol(Protocol.SMTP).host(host).port(587)
        .emailAddress("a@b.example").build())
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
            .anySatisfy(p -> assertThat(p.field()).isEqualTo("host")));
  }
}
