package dev.mailroom.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.eclipse.angus.mail.util.QPEncoderStream;
import org.junit.jupiter.api.Test;

/**
 * The MIME writer moved from the SMTP module to core without Jakarta Mail: its quoted-printable encoder,
 * folding and quoting write byte for byte what Angus's did, for random and edge-case inputs.
 */
class AngusCompatibilityTest {
  private static final String ALPHABET = "ab =\t\r\n.xyzé€😀\u0001~";

  private static String random(Random r, int max) {
    int n = r.nextInt(max);
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(10);
      if (k < 5) {
        b.append((char) ('a' + r.nextInt(26)));
      } else {
        b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
      }
    }
    return b.toString();
  }

  private static byte[] angusQp(byte[] in) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    QPEncoderStream qp = new QPEncoderStream(out);
    qp.write(in);
    qp.flush();
    return out.toByteArray();
  }

  private static byte[] ourQp(byte[] in) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    QuotedPrintable.encode(in, out);
    return out.toByteArray();
  }

  @Test
  void quotedPrintableIsAngusByteForByte() throws Exception {
    Random r = new Random(42);
    for (int i = 0; i < 3000; i++) {
      byte[] in = random(r, 400).getBytes(StandardCharsets.UTF_8);
      assertThat(ourQp(in)).as("%s", new String(in, StandardCharsets.UTF_8)).isEqualTo(angusQp(in));
    }
    for (String s : new String[] {"", " ", "  ", "a ", "x".repeat(75) + " ", "x".repeat(74) + "é ",
        " ".repeat(200), "=".repeat(100), "a \r\nb \nc\r", "x".repeat(20000), "é".repeat(9000) + " "}) {
      byte[] in = s.getBytes(StandardCharsets.UTF_8);
      assertThat(ourQp(in)).as(s).isEqualTo(angusQp(in));
    }
  }

  @Test
  void foldingIsAngusFolding() {
    Random r = new Random(7);
    for (int i = 0; i < 3000; i++) {
      // header values never hold controls other than TAB (Email refuses them)
      String s = random(r, 300).replace("\r", "").replace("\n", "").replace("\u0001", "");
      int used = r.nextInt(30);
      assertThat(Headers.fold(used, s)).as("%d %s", used, s).isEqualTo(MimeUtility.fold(used, s));
    }
    for (String s : new String[] {"", "word ".repeat(40), "a" + " ".repeat(300) + "b", "x".repeat(200),
        "trailing   ", "\tlead", "a\t \tb ".repeat(30), " " + "y".repeat(90), "\t\t" + "z ".repeat(60)}) {
      assertThat(Headers.fold(9, s)).as(s).isEqualTo(MimeUtility.fold(9, s));
    }
  }

  @Test
  void quotingIsAngusQuotingInQuotes() {
    for (String s : new String[] {"", "plain.pdf", "a b", "say \"hi\".pdf", "back\\slash", "semi;colon",
        "\"", "\\\\"}) {
      String angus = MimeUtility.quote(s, "\"\\ ()<>@,;:/[]?=\t");
      if (!angus.startsWith("\"")) {
        angus = "\"" + angus + "\"";
      }
      assertThat(Headers.quote(s)).isEqualTo(angus);
    }
  }
}
