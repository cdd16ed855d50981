package dev.mailroom.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Dkim;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.InvalidSettingsException;
import dev.mailroom.Protocol;
import dev.mailroom.Secret;
import dev.mailroom.TlsMode;
import dev.mailroom.testing.DkimPy;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DKIM signatures (RSA and Ed25519, relaxed/relaxed) verified by an independent verifier, dkimpy, with the
 * public key supplied locally; tampering breaks them; a 50 MB attachment signs in a JVM with 64 MB heap.
 */
class DkimTest {
  static KeyPair rsa;
  static KeyPair ed25519;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    rsa = g.generateKeyPair();
    ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  static EmailSettings settings(KeyPair pair) {
    return EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1").port(2525).tlsMode(TlsMode.NONE)
        .emailAddress("billing@acme.example").dkim(Dkim.of("acme.example", "mail2026",
            Secret.of(DkimPy.pem(pair)))).build();
  }

  static byte[] signed(Email e, EmailSettings s) throws Exception {
    Address from = Address.of("billing@acme.example", "Acme Ltd — Rechnungen");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PreparedMime.of(e.toBuilder().from(from).build(), from, Address.of(from.email()), e.recipients(), s)
        .writeTo(out);
    return out.toByteArray();
  }

  static Email invoice() {
    return Email.builder().to("Zoë Customer <customer@example.com>").cc("office@example.com")
        .replyTo("office@acme.example").subject("Rechnung 42 — চালান ৪২ — Ankara 42")
        .text("Dear customer,  \r\n\r\n  the invoice is attached.\t \r\n.\r\n..dots\r\n\r\n\r\n")
        .html("<p>Dear customer, <img src=\"cid:logo\"></p>")
        .inline("logo", Attachment.ofBytes("logo.png", "image/png", new byte[] {1, 2, 3}))
        .attach(Attachment.ofBytes("চালান-০০৪২.pdf", "application/pdf", new byte[5000]))
        .header("X-Invoice", "INV-42").build();
  }

  @Test
  void rsaAndEd25519SignaturesVerifyWithDkimpy() throws Exception {
    DkimPy.assumeAvailable();
    for (KeyPair pair : List.of(rsa, ed25519)) {
      byte[] msg = signed(invoice(), settings(pair));
      String text = new String(msg, StandardCharsets.UTF_8);
      assertThat(text).startsWith("DKIM-Signature: v=1; a=" + (pair == rsa ? "rsa-sha256" : "ed25519-sha256")
          + "; c=relaxed/relaxed; d=acme.example;\r\n s=mail2026;");
      assertThat(text.substring(0, text.indexOf("bh=")).replaceAll("\\s", ""))
          .contains("h=from:to:cc:subject:date:message-id:mime-version:content-type:reply-to:from;");
      for (String line : text.substring(0, text.indexOf("\r\n\r\n")).split("\r\n")) {
        assertThat(line.length()).as(line).isLessThanOrEqualTo(78);
      }
      assertThat(DkimPy.verify(msg, "mail2026._domainkey.acme.example", DkimPy.txtRecord(pair.getPublic())))
          .as(pair.getPublic().getAlgorithm()).isEqualTo("pass");
    }
  }

  @Test
  void changesOnTheWayBreakTheSignature() throws Exception {
    DkimPy.assumeAvailable();
    String record = DkimPy.txtRecord(rsa.getPublic());
    String msg = new String(signed(invoice(), settings(rsa)), StandardCharsets.UTF_8);
    String[] tampered = {
        msg.replace("Cc: office@example.com", "Cc: evil@example.net"),
        // a second From above the signed one: From is signed twice, so this cannot be added
        msg.replaceFirst("\r\nDate: ", "\r\nFrom: Evil <evil@example.net>\r\nDate: "),
        msg.replace("the invoice is attached", "the invoice is attaches"),
        msg.replaceFirst("\r\nReply-To: office@acme.example", "\r\nReply-To: evil@example.net")};
    for (String t : tampered) {
      assertThat(t).isNotEqualTo(msg);
      assertThat(DkimPy.verify(t.getBytes(StandardCharsets.UTF_8), "mail2026._domainkey.acme.example", record))
          .startsWith("fail");
    }
    // relaxed canonicalization: re-folding, runs of blanks and trailing blanks on the way do not matter
    String refolded = msg.replace("\r\nCc: office@example.com", "\r\nCc:\r\n \t office@example.com  ")
        .replace("Dear customer,", "Dear   customer,");
    assertThat(DkimPy.verify(refolded.getBytes(StandardCharsets.UTF_8), "mail2026._domainkey.acme.example",
        record)).isEqualTo("pass");
  }

  @Test
  void aFiftyMegabyteAttachmentSignsIn64MegabytesOfHeap(@TempDir Path dir) throws Exception {
    DkimPy.assumeAvailable();
    Path key = dir.resolve("key.pem");
    Files.writeString(key, DkimPy.pem(rsa));
    Path out = dir.resolve("big.eml");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        LargeMain.class.getName(), key.toString(), out.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(Files.size(out)).isGreaterThan(50L * 1024 * 1024 * 4 / 3);
    assertThat(DkimPy.verify(out, "mail2026._domainkey.acme.example", DkimPy.txtRecord(rsa.getPublic())))
        .isEqualTo("pass");
  }

  /** Writes a DKIM-signed message with a 50 MB streamed attachment (run with -Xmx64m). */
  public static final class LargeMain {
    public static void main(String[] args) throws Exception {
      EmailSettings s = EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1").port(2525)
          .tlsMode(TlsMode.NONE).emailAddress("billing@acme.example")
          .dkim(Dkim.of("acme.example", "mail2026", Secret.of(Files.readString(Path.of(args[0]))))).build();
      long size = 50L * 1024 * 1024;
      Attachment big = Attachment.ofStream("archive.bin", "application/octet-stream", () -> new InputStream() {
        long left = size;

        @Override
        public int read() {
          return left-- > 0 ? (int) (left & 0xff) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
          if (left <= 0) {
            return -1;
          }
          int n = (int) Math.min(len, left);
          for (int i = 0; i < n; i++) {
            b[off + i] = (byte) ((left - i - 1) & 0xff);
          }
          left -= n;
          return n;
        }
      });
      Email e = Email.builder().to("customer@example.com").subject("Archive").text("Attached.").attach(big)
          .build();
      try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(Path.of(args[1])))) {
        byte[] msg = null;
        Address from = Address.of("billing@acme.example");
        PreparedMime.of(e.toBuilder().from(from).build(), from, from, e.recipients(), s).writeTo(out);
      }
    }
  }

  @Test
  void keysAreCheckedAndNeverPrinted() throws Exception {
    String pem = DkimPy.pem(rsa);
    Dkim d = Dkim.of("Bücher.Example", "mail2026", Secret.of(pem));
    assertThat(d.domain()).isEqualTo("xn--bcher-kva.example");
    assertThat(d.algorithm()).isEqualTo("rsa-sha256");
    assertThat(d.dnsName()).isEqualTo("mail2026._domainkey.xn--bcher-kva.example");
    assertThat(d.toString()).doesNotContain(pem.substring(40, 80)).contains("******");
    String body = pem.substring(pem.indexOf('\n') + 1, pem.indexOf("-----END"));
    assertThat(settings(rsa).toString()).doesNotContain(body.substring(0, 40)).contains("dkim=Dkim[d=acme.example");
    assertThat(Dkim.of("acme.example", "s", Secret.of(DkimPy.pem(ed25519))).algorithm()).isEqualTo("ed25519-sha256");

    // PKCS#1 ("BEGIN RSA PRIVATE KEY", as opendkim-genkey writes it) is read too
    byte[] pkcs8 = rsa.getPrivate().getEncoded();
    assertThat(pkcs8[22]).isEqualTo((byte) 0x04);
    byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
    String pkcs1Pem = "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs1)
        + "\n-----END RSA PRIVATE KEY-----\n";
    assertThat(DkimSigner.readPem(pkcs1Pem)).isEqualTo(rsa.getPrivate());

    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    String weak = DkimPy.pem(g.generateKeyPair());
    assertThatThrownBy(() -> Dkim.of("acme.example", "s", Secret.of(weak)))
        .hasMessageContaining("1024 bits").hasMessageContaining("2048");
    for (String bad : List.of("not a key", "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----",
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----",
        "-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----")) {
      assertThatThrownBy(() -> Dkim.of("acme.example", "s", Secret.of(bad))).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DKIM private key")
          .message().doesNotContain("AAAAAAAA");
    }
    assertThatThrownBy(() -> Dkim.of("acme example", "s", Secret.of(pem))).hasMessageContaining("DKIM domain");
    assertThatThrownBy(() -> Dkim.of("acme.example", "bad selector", Secret.of(pem)))
        .hasMessageContaining("DKIM selector");
  }

  @Test
  void withHttpDkimIsASettingsProblemOfTheFieldDkim() {
    Dkim d = Dkim.of("acme.example", "s", Secret.of(DkimPy.pem(ed25519)));
    InvalidSettingsException e = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> EmailSettings.builder().protocol(Protocol.HTTP).httpServer("https://api.sendgrid.com")
            .httpDialect("sendgrid").apiKey("SG.x").replyTo("office@acme.example").dkim(d).build(),
        InvalidSettingsException.class);
    assertThat(e.problems()).extracting(p -> p.field()).containsExactly("dkim");
    assertThat(e.problems().get(0).message()).contains("dashboard");
  }

  @Test
  void relaxedBodyCanonicalization() throws Exception {
    assertThat(canonical("")).isEmpty();
    assertThat(canonical("\r\n\r\n")).isEmpty();
    assertThat(canonical(" a  b \t\r\n\r\n c\r\n \r\n\r\n")).isEqualTo(" a b\r\n\r\n c\r\n");
    assertThat(canonical("no line end")).isEqualTo("no line end\r\n");
    assertThat(DkimSigner.relaxedHeader("Subject :  Hello\r\n   World  ")).isEqualTo("subject:Hello World");
  }

  private static String canonical(String body) throws Exception {
    // the hash of the canonical form equals the hash of the expected text
    DkimSigner.BodyHash h = new DkimSigner.BodyHash();
    h.write(body.getBytes(StandardCharsets.UTF_8));
    byte[] got = h.finish();
    for (String candidate : List.of("", " a b\r\n\r\n c\r\n", "no line end\r\n")) {
      if (Arrays.equals(got, java.security.MessageDigest.getInstance("SHA-256")
          .digest(candidate.getBytes(StandardCharsets.UTF_8)))) {
        return candidate;
      }
    }
    return "?";
  }
}
