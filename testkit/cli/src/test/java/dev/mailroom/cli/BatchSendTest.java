package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.testkit.MailroomSmtpServer;
import dev.mailroom.testkit.ReceivedEmail;
import dev.mailroom.testing.Canary;
import dev.mailroom.testkit.junit.StartStop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchSendTest {
  @StartStop
  static MailroomSmtpServer smtp = MailroomSmtpServer.builder().user("billing@acme.test", Canary.PASSWORD).build();

  String[] args(Path csv, String... more) {
    String[] base = {"send", "--host", "127.0.0.1", "--port", String.valueOf(smtp.port()), "--tls", "none",
        "--user", "billing@acme.test", "--password-env", "PW", "--batch", csv.toString()};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void sendsOneEmailPerRowWithAProgressBarAndAResultsFile(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("INV-1.pdf"), new byte[] {'%', 'P', 'D', 'F'});
    Path csv = dir.resolve("invoices.csv");
    Files.writeString(csv, "to,cc,subject,text,attach,id\n"
        + "jane@customer.test,,Invoice INV-1,\"Dear Jane, attached.\",INV-1.pdf,inv-1\n"
        + "bob@customer.test;ann@customer.test,boss@customer.test,Invoice INV-2,Attached.,,inv-2\n",
        StandardCharsets.UTF_8);
    Path results = dir.resolve("results.csv");

    CliRun r = CliRun.run(Map.of("PW", Canary.PASSWORD), args(csv, "--results", results.toString()));

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("Sent 2 of 2 emails from invoices.csv");
    assertThat(r.err()).contains("[##############################] 2/2  sent 2  failed 0");
    List<ReceivedEmail> got = smtp.awaitReceived(2, Duration.ofSeconds(10));
    assertThat(got).extracting(ReceivedEmail::subject).containsExactlyInAnyOrder("Invoice INV-1", "Invoice INV-2");
    assertThat(got).filteredOn(e -> e.subject().equals("Invoice INV-1")).singleElement()
        .satisfies(e -> assertThat(e.attachments()).extracting(a -> a.filename()).containsExactly("INV-1.pdf"));
    assertThat(Files.readAllLines(results)).hasSize(3).element(1).asString().startsWith("2,jane@customer.test,SENT,");
    Canary.assertNoCanary(r.out() + r.err());
  }

  @Test
  void aBadRowStopsTheBatchBeforeAnythingIsSent(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("invoices.csv");
    Files.writeString(csv, "to,subject\njane@customer.test,Invoice INV-1\nnot an address,Invoice INV-2\n",
        StandardCharsets.UTF_8);

    CliRun r = CliRun.run(Map.of("PW", Canary.PASSWORD), args(csv));

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("nothing was sent", "row 3: ");
    smtp.assertNoneReceived();
  }

  @Test
  void unknownColumnsAreNamed(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("invoices.csv");
    Files.writeString(csv, "to,subject,body\njane@customer.test,x,y\n", StandardCharsets.UTF_8);

    CliRun r = CliRun.run(Map.of("PW", Canary.PASSWORD), args(csv));

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("unknown: [body]");
  }

  @Test
  void aWrongPasswordStopsTheBatchAfterOneSignIn(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("invoices.csv");
    StringBuilder rows = new StringBuilder("to,subject\n");
    for (int i = 0; i < 20; i++) {
      rows.append("c").append(i).append("@customer.test,Invoice ").append(i).append('\n');
    }
    Files.writeString(csv, rows, StandardCharsets.UTF_8);

    CliRun r = CliRun.run(Map.of("PW", "wrong"), args(csv, "--connections", "1"));

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("Sent 0 of 20");
    assertThat(r.err()).contains("row 2 (c0@customer.test): FAILED: The server rejected the login")
        .contains("row 21 (c19@customer.test): NOT_ATTEMPTED");
    smtp.assertNoneReceived();
  }
}
