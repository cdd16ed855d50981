package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The demo end to end, in this process: the same code as {@code mvn -Pdemo}. */
class DemoCommandTest {
  @Test
  void runsTheDiagnosticsSendsTheInvoiceAndShowsWhatArrived() {
    CliRun r = CliRun.run("demo");

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    String out = r.out();
    assertThat(out).contains("== Mailroom demo: a local SMTP server on 127.0.0.1:");
    assertThat(out).contains("== 1. Test email settings (the diagnostics)", "Sign in (AUTH)",
        "All checks passed. No test email was sent (no test recipient).", "-> AUTH PLAIN ******");
    assertThat(out).contains("== 2. Send invoice INV-1 with a PDF attachment", "accepted for jane@customer.test");
    assertThat(out).contains("== 3. What the server received",
        "From:        Acme Ltd <sender@mailroom.test>",
        "To:          jane@customer.test",
        "Hidden copy: archive@acme.test (the settings' copy address: in the envelope, in no header)",
        "Subject:     Invoice INV-1 from Acme Ltd");
    assertThat(out).containsPattern("Attachment:  INV-1\\.pdf \\(application/pdf, \\d+ bytes, identical to the PDF"
        + " sent\\)");
    assertThat(out).contains("password=******").doesNotContain("DIFFERENT");
  }

  @Test
  void speaksBengali() {
    CliRun r = CliRun.run("demo", "--lang", "bn", "--no-transcript");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("ইমেইল সেটিংস পরীক্ষা", "সাইন ইন (AUTH)").doesNotContain("-> AUTH");
  }

  @Test
  void answersInJson() throws Exception {
    CliRun r = CliRun.run("demo", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    Object json = dev.mailroom.testkit.internal.JsonTree.parse(r.out());
    assertThat(((java.util.Map<?, ?>) json).get("ok")).isEqualTo(true);
    assertThat(dev.mailroom.testkit.internal.JsonTree.object(json, "received")).containsEntry("subject",
        "Invoice INV-1 from Acme Ltd");
  }
}
