package dev.mailroom.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Presets;
import dev.mailroom.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tags and metadata over SMTP: the header each provider documents, or a refusal. */
class TagHeadersTest {
  static EmailSettings smtp(String host) {
    return EmailSettings.builder().protocol(Protocol.SMTP).host(host).port(587).emailAddress("billing@acme.example")
        .build();
  }

  static Email tagged() {
    return Email.builder().to("customer@example.com").subject("Invoice").text("x").tag("invoice")
        .metadata("invoice_id", "INV-42").metadata("customer", "C-7").build();
  }

  @Test
  void eachProviderGetsItsOwnHeaders() {
    assertThat(TagHeaders.of(tagged(), smtp("smtp.mailgun.org"))).containsExactly("X-Mailgun-Tag: invoice",
        "X-Mailgun-Variables: {\"invoice_id\": \"INV-42\", \"customer\": \"C-7\"}");
    assertThat(TagHeaders.of(tagged(), smtp("smtp.postmarkapp.com"))).containsExactly("X-PM-Tag: invoice",
        "X-PM-Metadata-invoice_id: INV-42", "X-PM-Metadata-customer: C-7");
    assertThat(TagHeaders.of(tagged(), smtp("email-smtp.eu-west-1.amazonaws.com")))
        .containsExactly("X-SES-MESSAGE-TAGS: invoice=true, invoice_id=INV-42, customer=C-7");
    assertThat(TagHeaders.of(tagged(), smtp("smtp.sendgrid.net"))).extracting(h -> h.replace("\r\n", ""))
        .containsExactly(
        "X-SMTPAPI: {\"category\": [\"invoice\"], \"unique_args\": {\"invoice_id\": \"INV-42\", \"customer\":"
            + " \"C-7\"}}");
    assertThat(TagHeaders.of(tagged(), EmailSettings.builder().protocol(Protocol.SMTP).preset(Presets.BREVO)
        .emailAddress("billing@acme.example").build()))
        .containsExactly("X-Mailin-Tag: invoice", "X-Mailin-custom: invoice_id:INV-42|customer:C-7");
  }

  @Test
  void sesTagsAreTheOneRuleForTheSmtpHeaderAndTheApi() {
    assertThat(TagHeaders.sesTags(tagged())).containsExactly(java.util.Map.entry("invoice", "true"),
        java.util.Map.entry("invoice_id", "INV-42"), java.util.Map.entry("customer", "C-7"));
    assertThat(TagHeaders.sesTags(Email.builder().to("a@example.com").build())).isEmpty();
    Email dot = tagged().toBuilder().tag("v1.2").build();
    assertThatThrownBy(() -> TagHeaders.sesTags(dot)).isInstanceOf(Refusal.class)
        .hasMessageContaining("\"v1.2=true\"").extracting(e -> ((Refusal) e).hintKey()).isEqualTo(Refusal.LIMIT);
    Email long257 = tagged().toBuilder().metadata("k", "x".repeat(257)).build();
    assertThatThrownBy(() -> TagHeaders.sesTags(long257)).isInstanceOf(Refusal.class);
    assertThat(TagHeaders.sesTags(tagged().toBuilder().metadata("k", "x".repeat(256)).build())).hasSize(4);
  }

  @Test
  void unknownServersAndBrokenLimitsAreRefused() {
    assertThatThrownBy(() -> TagHeaders.of(tagged(), smtp("mail.acme.example"))).isInstanceOf(Refusal.class)
        .hasMessageContaining("mail.acme.example has none").extracting(e -> ((Refusal) e).hintKey())
        .isEqualTo(Refusal.TAGS);
    Email two = tagged().toBuilder().tag("march").build();
    assertThatThrownBy(() -> TagHeaders.of(two, smtp("smtp.postmarkapp.com"))).isInstanceOf(Refusal.class)
        .hasMessageContaining("one tag");
    Email longKey = tagged().toBuilder().metadata("a_very_long_metadata_key", "x").build();
    assertThatThrownBy(() -> TagHeaders.of(longKey, smtp("smtp.postmarkapp.com")))
        .hasMessageContaining("20 characters");
    Email spaces = tagged().toBuilder().metadata("note", "two words").build();
    assertThatThrownBy(() -> TagHeaders.of(spaces, smtp("email-smtp.us-east-1.amazonaws.com")))
        .isInstanceOf(Refusal.class).hasMessageContaining("Amazon SES");
    // without tags nothing is needed, whatever the server
    assertThat(TagHeaders.of(Email.builder().to("a@example.com").build(), smtp("mail.acme.example"))).isEmpty();
    // non-ASCII in SendGrid's JSON header stays ASCII
    Email bn = Email.builder().to("a@example.com").tag("চালান").build();
    assertThat(TagHeaders.of(bn, smtp("smtp.sendgrid.net"))).containsExactly(
        "X-SMTPAPI: {\"category\": [\"\\u099a\\u09be\\u09b2\\u09be\\u09a8\"]}");
    assertThat(List.of(Refusal.TAGS, Refusal.INLINE, Refusal.LIMIT)).allMatch(k -> k.startsWith("hint."));
  }

  @Test
  void theBuilderChecksTagsAndMetadata() {
    assertThatThrownBy(() -> Email.builder().tag("")).hasMessageContaining("tag must be");
    assertThatThrownBy(() -> Email.builder().tag("a\r\nBcc: x@example.com")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Email.builder().metadata("bad key", "x")).hasMessageContaining("metadata key");
    assertThatThrownBy(() -> Email.builder().metadata("k", "a\nb")).isInstanceOf(IllegalArgumentException.class);
    Email.Builder b = Email.builder();
    for (int i = 0; i < 10; i++) {
      b.tag("t" + i);
    }
    assertThatThrownBy(() -> b.tag("t10")).hasMessageContaining("at most 10 tags");
  }
}
