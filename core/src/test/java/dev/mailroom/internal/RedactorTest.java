package dev.mailroom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {
  private static final String KEY = "SG.s3cr3t/key+value=Zq81&x";

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Redactor redactor() {
    return Redactor.of(Optional.of(Secret.of(KEY)));
  }

  @Test
  void removesThePlainKey() {
    assertThat(redactor().redact("a " + KEY + " b")).isEqualTo("a ****** b");
  }

  @Test
  void removesBase64AtEveryAlignmentAndHttpBasic() {
    Redactor r = redactor();
    assertThat(r.redact("b64 " + b64(KEY))).isEqualTo("b64 ******");
    assertThat(r.redact("basic " + b64("api:" + KEY) + " end")).isEqualTo("basic ****** end");
    assertThat(r.redact("plain " + b64("\0user\0" + KEY))).isEqualTo("plain ******");
    assertThat(r.redact("url " + Base64.getUrlEncoder().encodeToString(("x" + KEY).getBytes(StandardCharsets.UTF_8))))
        .isEqualTo("url ******");
  }

  @Test
  void removesPercentEncodingInEitherLetterCase() {
    String upper = URLEncoder.encode(KEY, StandardCharsets.UTF_8);
    String lower = upper.replace("%2F", "%2f").replace("%2B", "%2b").replace("%3D", "%3d").replace("%26", "%26");
    assertThat(upper).contains("%2F");
    assertThat(redactor().redact("q=" + upper + "&x")).doesNotContain("s3cr3t", "Zq81").contains("******");
    assertThat(redactor().redact("q=" + lower + " x")).doesNotContain("s3cr3t", "Zq81").contains("******");
    // every character encoded
    StringBuilder all = new StringBuilder();
    for (byte b : KEY.getBytes(StandardCharsets.UTF_8)) {
      all.append(String.format(Locale.ROOT, "%%%02x", b));
    }
    assertThat(redactor().redact("k " + all + " end")).isEqualTo("k ****** end");
  }

  @Test
  void removesJsonAndHtmlEscapedForms() {
    Redactor r = redactor();
    assertThat(r.redact("{\"key\":\"SG.s3cr3t\\/key+value=Zq81&x\"}")).doesNotContain("s3cr3t", "Zq81");
    assertThat(r.redact("{\"key\":\"SG.s3cr3t\\u002fkey\\u002Bvalue\\u003dZq81\\u0026x\"}"))
        .doesNotContain("s3cr3t", "Zq81");
    assertThat(r.redact("<p>SG.s3cr3t&#47;key&#x2B;value&#61;Zq81&amp;x</p>")).doesNotContain("s3cr3t", "Zq81");
    assertThat(r.redact("<p>SG.s3cr3t&sol;key+value=Zq81&amp;amp;x</p>")).doesNotContain("s3cr3t", "Zq81");
  }

  @ParameterizedTest
  @ValueSource(ints = {6, 10, 14, 20, 26})
  void removesAnEchoCutAtALengthLimit(int kept) {
    String body = "{\"error\":\"bad key " + KEY;
    String cut = body.substring(0, body.length() - KEY.length() + kept);
    assertThat(redactor().redact(cut)).doesNotContain(KEY.substring(0, kept)).endsWith("******");
    // and cut at the front
    assertThat(redactor().redact(KEY.substring(KEY.length() - kept) + " was the key"))
        .isEqualTo("****** was the key");
  }

  @Test
  void removesAnEchoTheServerCutShort() {
    assertThat(redactor().redact("{\"key\":\"" + KEY.substring(0, 12) + "...\",\"ok\":false}"))
        .isEqualTo("{\"key\":\"******...\",\"ok\":false}");
  }

  @Test
  void aWordThePasswordContainsIsNotMasked() {
    Redactor r = Redactor.of("secret-password");
    assertThat(r.redact("535 Invalid password")).isEqualTo("535 Invalid password");
    assertThat(r.redact("334 UGFzc3dvcmQ6")).isEqualTo("334 UGFzc3dvcmQ6");
    assertThat(r.redact("535 secret-password is wrong")).isEqualTo("535 ****** is wrong");
  }

  @Test
  void leavesOrdinaryTextAlone() {
    Redactor r = redactor();
    String text = "550 5.1.1 The email account that you tried to reach does not exist. Please try again.";
    assertThat(r.redact(text)).isSameAs(text);
    assertThat(Redactor.none().redact("nothing")).isEqualTo("nothing");
    assertThat(Redactor.of((String) null).redact("x")).isEqualTo("x");
    assertThat(Redactor.of("abc").isEmpty()).as("too short to search for").isTrue();
  }

  @Test
  void secretsCanBeAddedLater() {
    Redactor r = Redactor.of();
    assertThat(r.redact("pw hunter22")).isEqualTo("pw hunter22");
    r.addSecret("hunter22");
    assertThat(r.redact("pw hunter22")).isEqualTo("pw ******");
    r.addPayload("AHVzZXIAaHVudGVyMjI=");
    assertThat(r.redact("echo AHVzZXIAaHVudGVyMjI=")).isEqualTo("echo ******");
  }
}
