package dev.mailroom.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.InvoiceWithLogo;
import dev.mailroom.Dkim;
import dev.mailroom.SendReceipt;
import dev.mailroom.Secret;
import dev.mailroom.testing.DkimPy;
import dev.mailroom.testkit.MailroomSmtpServer;
import dev.mailroom.testkit.junit.StartStop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's invoice-with-logo snippet against the local SMTP server: sent, archived and signed. */
class InvoiceWithLogoSnippetRunTest {
  @StartStop
  static MailroomSmtpServer smtp = MailroomSmtpServer.create();

  @Test
  void theInvoiceWithLogoIsSentArchivedAndSigned(@TempDir Path dir) throws Exception {
    Path logo = Files.write(dir.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Path pdf = Files.write(dir.resolve("চালান-০০৪২.pdf"), "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
    KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
    KeyPair pair = g.generateKeyPair();
    Dkim dkim = Dkim.of("acme.test", "mail2026", Secret.of(DkimPy.pem(pair)));
    Path eml = dir.resolve("INV-42.eml");

    SendReceipt receipt = InvoiceWithLogo.send(smtp.settingsBuilder().dkim(dkim).build(), logo, pdf, eml);

    assertThat(receipt.acceptedRecipients()).containsExactly("jane@customer.example");
    assertThat(smtp.awaitOne(Duration.ofSeconds(5))).isNotNull();
    String archived = Files.readString(eml, StandardCharsets.UTF_8);
    assertThat(archived).startsWith("DKIM-Signature: v=1; a=ed25519-sha256;").contains("Content-ID: <logo>")
        .contains("filename*0*=UTF-8''").contains("text/calendar; method=REQUEST; charset=UTF-8");
    DkimPy.assumeAvailable();
    assertThat(DkimPy.verify(eml, dkim.dnsName(), DkimPy.txtRecord(pair.getPublic()))).isEqualTo("pass");
  }
}
