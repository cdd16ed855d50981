package dev.mailroom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link SigV4} against the vectors of AWS's published Signature Version 4 test suite. */
class SigV4Test {
  static final String STS_TOKEN = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMic"
      + "RXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0"
      + "wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8f"
      + "POLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
  static final Instant TIME = Instant.parse("2015-08-30T12:36:00Z");

  @Test
  void signsEveryVectorOfTheAwsTestSuiteExactly() throws IOException {
    List<String> lines = new ArrayList<>();
    try (InputStream in = SigV4Test.class.getResourceAsStream("aws-sigv4-test-suite.txt")) {
      assertThat(in).isNotNull();
      for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!l.isBlank() && !l.startsWith("#")) {
          lines.add(l);
        }
      }
    }
    assertThat(lines).hasSizeGreaterThanOrEqualTo(10);
    for (String line : lines) {
      String[] f = line.split("\\|", -1);
      Map<String, String> headers = new LinkedHashMap<>();
      if (!f[3].isEmpty()) {
        for (String h : f[3].split("\\^")) {
          int colon = h.indexOf(':');
          headers.put(h.substring(0, colon), h.substring(colon + 1));
        }
      }
      SigV4 signer = new SigV4("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
          f[0].startsWith("post-sts") ? STS_TOKEN : null, "us-east-1", "service");
      Map<String, String> added = signer.sign(f[1], URI.create("https://example.amazonaws.com" + f[2]), headers,
          SigV4.sha256Hex(f[4]), TIME);
      assertThat(added.get("Authorization")).as(f[0]).isEqualTo(f[5]);
      assertThat(added.get("X-Amz-Date")).isEqualTo("20150830T123600Z");
      if (f[0].startsWith("post-sts")) {
        assertThat(added.get("X-Amz-Security-Token")).isEqualTo(STS_TOKEN);
      }
    }
  }

  @Test
  void theEmptyPayloadHashIsTheSuitesOne() {
    assertThat(SigV4.sha256Hex("")).isEqualTo(SigV4.EMPTY_SHA256);
  }

  @Test
  void aNonDefaultPortIsPartOfTheSignedHost() {
    SigV4 signer = new SigV4("AKIDEXAMPLE", "secret", null, "eu-west-1", "ses");
    String a = signer.sign("POST", URI.create("http://127.0.0.1:8443/v2/email/outbound-emails"), Map.of(),
        SigV4.EMPTY_SHA256, TIME).get("Authorization");
    String b = signer.sign("POST", URI.create("http://127.0.0.1:8444/v2/email/outbound-emails"), Map.of(),
        SigV4.EMPTY_SHA256, TIME).get("Authorization");
    assertThat(a).isNotEqualTo(b).contains("/20150830/eu-west-1/ses/aws4_request");
  }
}
