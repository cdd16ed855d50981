package dev.mailroom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An independent DKIM verifier for tests: dkimpy (Debian's {@code python3-dkim}, with {@code python3-nacl}
 * for Ed25519) run by the system's {@code /usr/bin/python3}, with the public key supplied locally instead
 * of from DNS. When it is missing, the first test that needs it installs it with {@code apt-get} (as root,
 * bounded in time); if that is not possible the test is skipped with the reason in the report.
 */
public final class DkimPy {
  private static final String PYTHON = "/usr/bin/python3";
  private static String unavailable;
  private static boolean checked;

  private DkimPy() {}

  /** Makes sure dkimpy can run, installing it if needed; skips the calling test (visibly) otherwise. */
  public static synchronized void assumeAvailable() {
    if (!checked) {
      checked = true;
      unavailable = check();
    }
    assumeTrue(unavailable == null, () -> "DKIM verifier dkimpy not available, DKIM signature not verified"
        + " independently: " + unavailable);
  }

  private static String check() {
    if (run(List.of(PYTHON, "-c", "import dkim, nacl"), 30) == 0) {
      return null;
    }
    if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      return "no /usr/bin/python3 with python3-dkim and python3-nacl, and no apt-get to install them";
    }
    SystemTools.aptInstall("python3-dkim", "python3-nacl");
    return run(List.of(PYTHON, "-c", "import dkim, nacl"), 30) == 0 ? null
        : "apt-get install python3-dkim python3-nacl failed (not root, or no package index reachable)";
  }

  private static int run(List<String> cmd, int seconds) {
    return SystemTools.run(cmd, null, seconds);
  }

  /** The DNS TXT record for a public key: {@code v=DKIM1; k=rsa|ed25519; p=...}. */
  public static String txtRecord(PublicKey key) {
    byte[] spki = key.getEncoded();
    if (key.getAlgorithm().equals("RSA")) {
      return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(spki);
    }
    // RFC 8463: the raw 32-byte Ed25519 key, the end of the SubjectPublicKeyInfo
    return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki,
        spki.length - 32, spki.length));
  }

  /** The private key as PKCS#8 PEM. */
  public static String pem(KeyPair pair) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  /**
   * Verifies a message file's DKIM signature.
   *
   * @return {@code pass}, or {@code fail: } and dkimpy's reasons
   */
  public static String verify(Path message, String dnsName, String txtRecord) throws IOException,
      InterruptedException {
    Path dir = Files.createTempDirectory("mailroom-dkim");
    try {
      Path script = dir.resolve("dkim_verify.py");
      try (InputStream in = DkimPy.class.getResourceAsStream("dkim_verify.py")) {
        Files.write(script, in.readAllBytes());
      }
      Path record = dir.resolve("record.txt");
      Files.writeString(record, txtRecord);
      Process p = new ProcessBuilder(PYTHON, script.toString(), message.toString(), dnsName, record.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("dkimpy finished").isTrue();
      return out;
    } finally {
      Files.deleteIfExists(dir.resolve("dkim_verify.py"));
      Files.deleteIfExists(dir.resolve("record.txt"));
      Files.deleteIfExists(dir);
    }
  }

  /** Verifies a message's DKIM signature. */
  public static String verify(byte[] message, String dnsName, String txtRecord) throws IOException,
      InterruptedException {
    Path f = Files.createTempFile("mailroom-dkim", ".eml");
    try {
      Files.write(f, message);
      return verify(f, dnsName, txtRecord);
    } finally {
      Files.deleteIfExists(f);
    }
  }
}
