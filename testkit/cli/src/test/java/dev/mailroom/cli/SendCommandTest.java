package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.testkit.MailAssertions;
import dev.mailroom.testkit.MailroomSmtpServer;
import dev.mailroom.testkit.ReceivedEmail;
import dev.mailroom.testing.Canary;
import dev.mailroom.testkit.junit.StartStop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendCommandTest {
  @StartStop
  static MailroomSmtpServer smtp = MailroomSmtpServer.builder().user("billing@acme.test", Canary.PASSWORD).build();

  @Test
  void sendsOneEmailWithAnAttachment(@TempDir Path dir) throws Exception {
    Path pdf = dir.resolve("INV-7.pdf");
    Files.write(pdf, new byte[] {'%', 'P', 'D', 'F', '-', '1', '.', '4'});

    CliRun r = CliRun.run(Map.of("PW", Canary.PASSWORD), "send", "--url",
        "smtp://billing%40acme.test@127.0.0.1:" + smtp.port() + "?tls=none&name=Acme%20Ltd",
        "--password-env", "PW", "--to", "jane@customer.test", "--cc", "boss@customer.test",
        "--subject", "Invoice INV-7", "--text", "Attached.", "--attach", pdf.toString());

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).startsWith("Sent ").contains("jane@customer.test", "boss@customer.test");
    ReceivedEmail got = smtp.awaitOne(Duration.ofSeconds(10));
    MailAssertions.assertThat(got).hasSubject("Invoice INV-7").sentTo("jane@customer.test", "boss@customer.test")
        .hasAttachment("INV-7.pdf", "application/pdf").hasTextContaining("Attached.");
    assertThat(got.fromName()).hasValue("Acme Ltd");
    Canary.assertNoCanary(r.out() + r.err());
  }

  @Test
  void aFailedSendExitsOneWithTheHint() {
    CliRun r = CliRun.run(Map.of("PW", "wrong"), "send", "--host", "127.0.0.1", "--port",
        String.valueOf(smtp.port()), "--tls", "none", "--user", "billing@acme.test", "--password-env", "PW",
        "--to", "jane@customer.test", "--subject", "x", "--text", "y", "--read-timeout", "10s");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("The server rejected the login", "rejected the username or password");
    smtp.assertNoneReceived();
  }

  @Test
  void aMissingAttachmentIsAUsageError(@TempDir Path dir) {
    CliRun r = CliRun.run(Map.of("PW", Canary.PASSWORD), "send", "--host", "127.0.0.1", "--port",
        String.valueOf(smtp.port()), "--tls", "none", "--user", "billing@acme.test", "--password-env", "PW",
        "--to", "jane@customer.test", "--subject", "x", "--attach", dir.resolve("missing.pdf").toString());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--attach: cannot read");
  }
}
