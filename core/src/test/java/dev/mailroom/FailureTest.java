package dev.mailroom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FailureTest {
  static final Locale BN = new Locale("bn");
  static final Locale SW = new Locale("sw");

  @Test
  void carriesTheServerReplyAndMakesAMessage() {
    Failure f = Failure.builder(FailureCategory.AUTHENTICATION).server("smtp.gmail.com", 587).code(535)
        .enhancedStatus("5.7.8").serverReply("5.7.8 Username and Password not accepted.\r\n For more")
        .provider("gmail").hint("hint.auth.gmail-bad-credentials", "").build();
    assertThat(f.message()).isEqualTo("The server rejected the login (smtp.gmail.com:587): 535 5.7.8 Username"
        + " and Password not accepted. For more");
    assertThat(f.code()).hasValue(535);
    assertThat(f.enhancedStatus()).contains("5.7.8");
    assertThat(f.isTransient()).isFalse();
    assertThat(f.provider()).contains("gmail");
    assertThat(f.hint(Locale.ENGLISH)).startsWith("Gmail rejected the login. Use your full Gmail address");
    assertThat(f.hint(BN)).startsWith("Gmail লগইন প্রত্যাখ্যান করেছে।");
    assertThat(f.hint(SW)).startsWith("Gmail imekataa kuingia.");
    assertThat(f.hint(Locale.FRENCH)).isEqualTo(f.hint(Locale.ENGLISH));
    assertThat(f.title(SW)).isEqualTo("Seva imekataa kuingia");
  }

  @Test
  void hintsQuoteHostPortDetailAndReply() {
    Failure f = Failure.builder(FailureCategory.RECIPIENT_REJECTED).server("mx.example", 587).code(550)
        .serverReply("5.1.1 <nobody@x.example>: Recipient address rejected").hint("hint.recipient.rejected",
            "nobody@x.example").build();
    assertThat(f.hint(Locale.ENGLISH)).isEqualTo("The server refused the recipient nobody@x.example. Check the"
        + " address. The server responded: 550 5.1.1 <nobody@x.example>: Recipient address rejected");
    Failure refused = Failure.builder(FailureCategory.CONNECTION).server("smtp.example.com", 2525)
        .hint("hint.connection.refused", "").build();
    assertThat(refused.hint(Locale.ENGLISH)).isEqualTo("smtp.example.com refuses connections on port 2525."
        + " Check the port: most providers use 587 with STARTTLS or 465 with SSL/TLS.");
  }

  @Test
  void aHintWhoseDetailIsNotKnownIsWordedWithoutIt() {
    Failure named = Failure.builder(FailureCategory.TLS).server("mail.acme.example", 465)
        .hint("hint.tls.hostname-mismatch", "mail.other.example").build();
    Failure unnamed = Failure.builder(FailureCategory.TLS).server("mail.acme.example", 465)
        .hint("hint.tls.hostname-mismatch", "").build();
    assertThat(named.hint(Locale.ENGLISH)).isEqualTo("The certificate of the server is for mail.other.example, not"
        + " for mail.acme.example. Use the server name the certificate was issued for.");
    assertThat(unnamed.hintKey()).isEqualTo("hint.tls.hostname-mismatch");
    assertThat(unnamed.hint(Locale.ENGLISH)).startsWith("The certificate of the server is not issued for"
        + " mail.acme.example. Use the server name the certificate was issued for");
    Failure expired = Failure.builder(FailureCategory.TLS).server("mail.acme.example", 465)
        .hint("hint.tls.expired", "").build();
    for (Locale l : List.of(Locale.ENGLISH, BN, SW)) {
      assertThat(unnamed.hint(l)).as(l.toString()).doesNotContain("()", "{", "another server");
      assertThat(expired.hint(l)).as(l.toString()).doesNotContain("()", "( )", "{");
    }
    assertThat(expired.hint(Locale.ENGLISH)).isEqualTo("The certificate of mail.acme.example has expired. Ask the"
        + " server's administrator to renew it.");
  }

  @Test
  void unknownHintKeysFallBackToTheCategory() {
    Failure f = Failure.builder(FailureCategory.RATE_LIMITED).transientFailure(true).server("h.example", 25)
        .retryAfter(Duration.ofSeconds(30)).hint("hint.plugin.unknown", "").build();
    assertThat(f.hintKey()).isEqualTo("hint.plugin.unknown");
    assertThat(f.hint(Locale.ENGLISH)).startsWith("The server h.example is busy");
    assertThat(f.retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(f.isTransient()).isTrue();
  }

  @Test
  void outcomeUnknownIsNeverTransient() {
    assertThat(Failure.builder(FailureCategory.OUTCOME_UNKNOWN).transientFailure(true).build().isTransient())
        .isFalse();
  }

  @Test
  void sanitizesServerText() {
    Failure f = Failure.builder(FailureCategory.PROTOCOL).serverReply("bad\u0000reply\r\n" + "x".repeat(2000))
        .build();
    assertThat(f.serverReply().orElseThrow()).startsWith("bad\\u0000reply x").hasSize(512).endsWith("...")
        .doesNotContain("\r", "\n", "\u0000");
  }

  @ParameterizedTest
  @EnumSource(FailureCategory.class)
  void everyCategoryHasATitleAndHintInEnglishBengaliAndSwahili(FailureCategory c) {
    Failure f = Failure.builder(c).server("h.example", 25).build();
    assertThat(f.title(Locale.ENGLISH)).doesNotStartWith("title.");
    assertThat(f.title(BN)).isNotEqualTo(f.title(Locale.ENGLISH));
    assertThat(f.title(SW)).isNotEqualTo(f.title(Locale.ENGLISH));
    assertThat(f.hint(Locale.ENGLISH)).doesNotStartWith("hint.").doesNotContain("{");
  }

  @Test
  void troubleshootingStepsComeFromTheFormsHelpPages() throws IOException {
    List<String> en = Failure.troubleshooting(Locale.ENGLISH);
    assertThat(en).containsExactly(
        "Double-check your SMTP server address, port number, and authentication settings.",
        "Verify that your username and password are correct (some providers require app-specific passwords).",
        "Ensure your firewall or antivirus isn't blocking SMTP connections.",
        "Try the same settings in another email client such as Mozilla Thunderbird to isolate the problem.");
    List<String> bn = Failure.troubleshooting(BN);
    List<String> sw = Failure.troubleshooting(SW);
    assertThat(bn).hasSize(4).doesNotContainAnyElementsOf(en);
    assertThat(sw).hasSize(4).doesNotContainAnyElementsOf(en);
    assertThat(sw.get(2)).isEqualTo("Hakikisha firewall yako au antivirus haizuizi muunganisho wa SMTP");
    assertThat(bn.get(2)).isEqualTo("নিশ্চিত করুন আপনার ফায়ারওয়াল বা অ্যান্টিভাইরাস SMTP সংযোগ ব্লক করছে না");
    // when the seed pages are beside the checkout, the texts must match them
    Path seeds = Path.of("..", "..", "shared", "seeds");
    if (Files.isDirectory(seeds)) {
      String all;
      try (var files = Files.list(seeds)) {
        all = files.map(p -> {
          try {
            return Files.readString(p, StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }).reduce("", String::concat);
      }
      assertThat(all).contains(sw.get(2), bn.get(2), sw.get(0).substring(0, 30));
    }
  }
}
