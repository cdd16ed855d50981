package dev.mailroom.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.InvalidSettingsException;
import dev.mailroom.SettingsProblem;
import dev.mailroom.internal.Text;

/**
 * Jazzer fuzz tests of the parsers that guard the wire. In a normal test run they replay the inputs kept
 * under {@code src/test/resources/dev/mailroom/fuzz/CoreFuzzTestInputs/} (regression mode); with
 * {@code JAZZER_FUZZ=1} they fuzz.
 */
class CoreFuzzTest {

  /** Nothing the address parser accepts can carry a line break or control character into a header. */
  @FuzzTest(maxDuration = "30s")
  void addressParsing(FuzzedDataProvider data) {
    String input = data.consumeRemainingAsString();
    Address a;
    try {
      a = Address.parse(input);
    } catch (IllegalArgumentException e) {
      return;
    }
    assertThat(Text.isHeaderSafe(a.toString())).isTrue();
    assertThat(Text.hasDangerousEncodedWord(a.toString())).isFalse();
    assertThat(a.email()).doesNotContain("\r", "\n", " ", "<", ">", ",", ";", "\"");
    assertThat(Address.parse(a.toString())).isEqualTo(a);
  }

  /** Whatever the email builder accepts into a header is free of line breaks, also after decoding. */
  @FuzzTest(maxDuration = "30s")
  void headerBuilding(FuzzedDataProvider data) {
    String subject = data.consumeString(200);
    String name = data.consumeString(50);
    String value = data.consumeString(200);
    String filename = data.consumeRemainingAsString();
    Email.Builder b = Email.builder().to("a@x.example");
    accept(() -> b.subject(subject));
    accept(() -> b.header("X-" + name.replaceAll("[^A-Za-z0-9-]", ""), value));
    accept(() -> b.attach(Attachment.ofBytes(filename, "application/pdf", new byte[0])));
    Email e = b.build();
    assertThat(Text.isHeaderSafe(e.subject())).isTrue();
    assertThat(Text.hasDangerousEncodedWord(e.subject())).isFalse();
    e.headers().forEach((k, v) -> assertThat(Text.isHeaderSafe(k + v)).isTrue());
    e.attachments().forEach(x -> assertThat(Text.isHeaderSafe(x.filename())).isTrue());
  }

  private static final String SECRET = "Canary-Secret-77";

  /**
   * Settings URLs with a password in the password position either build or report problems; never another
   * exception, and no problem message shows the password, however malformed the rest is.
   */
  @FuzzTest(maxDuration = "30s")
  void settingsUrlParsing(FuzzedDataProvider data) {
    String scheme = data.pickValue(new String[] {"smtp://", "smtps://", "https://", "http://", "", "smtp:"});
    String user = data.consumeString(20);
    String rest = data.consumeRemainingAsString();
    if ((user + rest).contains("Canary") || user.contains("?") || user.contains("/") || user.contains("#")) {
      return;
    }
    String url = scheme + user + ":" + SECRET + "@" + rest;
    try {
      EmailSettings s = EmailSettings.builder().url(url).build();
      assertThat(s.toString()).doesNotContain(SECRET);
      s.host().ifPresent(h -> assertThat(Text.isHeaderSafe(h)).isTrue());
    } catch (InvalidSettingsException e) {
      assertThat(e.problems()).isNotEmpty();
      for (SettingsProblem p : e.problems()) {
        assertThat(p.message()).doesNotContain(SECRET);
      }
      assertThat(e.getMessage()).doesNotContain(SECRET);
    }
  }

  private static void accept(Runnable r) {
    try {
      r.run();
    } catch (IllegalArgumentException e) {
      // refused input is fine
    }
  }
}
