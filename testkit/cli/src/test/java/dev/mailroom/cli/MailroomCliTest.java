package dev.mailroom.cli;

import dev.mailroom.testkit.ScriptedSmtpServer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.testkit.MailroomSmtpServer;
import dev.mailroom.testkit.internal.JsonTree;
import dev.mailroom.testing.Canary;
import dev.mailroom.testkit.junit.StartStop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailroomCliTest {
  @StartStop
  static MailroomSmtpServer smtp = MailroomSmtpServer.builder().user("billing@acme.test", Canary.PASSWORD).build();

  static final Map<String, String> ENV = Map.of("SMTP_PASSWORD", Canary.PASSWORD);

  String[] checkArgs(String... more) {
    List<String> a = new java.util.ArrayList<>(List.of("check", "--host", "127.0.0.1", "--port",
        String.valueOf(smtp.port()), "--tls", "none", "--user", "billing@acme.test", "--password-env",
        "SMTP_PASSWORD", "--read-timeout", "10s", "--no-mx"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void checkPrintsJsonAndExitsZeroWhenEverythingWorks() throws Exception {
    CliRun r = CliRun.run(ENV, checkArgs("--json", "--transcript"));

    assertThat(r.exitCode()).as(r.err()).isZero();
    Object json = JsonTree.parse(r.out());
    assertThat(((Map<?, ?>) json).get("ok")).isEqualTo(true);
    assertThat(JsonTree.string(json, "protocol")).isEqualTo("SMTP");
    assertThat(JsonTree.string(json, "host")).isEqualTo("127.0.0.1");
    assertThat(JsonTree.list(json, "steps")).extracting(s -> JsonTree.string(s, "name") + " "
        + JsonTree.string(s, "status")).containsExactly("resolve OK", "connect OK", "tls SKIPPED", "greeting OK",
        "ehlo OK", "starttls SKIPPED", "ehlo-tls SKIPPED", "auth OK", "send SKIPPED", "quit OK");
    assertThat(JsonTree.list(json, "transcript")).contains("-> AUTH PLAIN ******");
    assertThat(JsonTree.object(json, "failure")).isNull();
    Canary.assertNoCanary(r.out() + r.err());
  }

  @Test
  void checkExitsOneWithTheFailureInJson() throws Exception {
    CliRun r = CliRun.run(Map.of("SMTP_PASSWORD", "wrong-password"), checkArgs("--json"));

    assertThat(r.exitCode()).isEqualTo(1);
    Map<String, Object> failure = JsonTree.object(JsonTree.parse(r.out()), "failure");
    assertThat(failure.get("step")).isEqualTo("auth");
    assertThat(failure.get("category")).isEqualTo("AUTHENTICATION");
    assertThat(((Number) failure.get("code")).intValue()).isEqualTo(535);
    assertThat(failure.get("hintKey")).isEqualTo("hint.auth.bad-credentials");
    assertThat(JsonTree.list(JsonTree.parse(r.out()), "troubleshooting")).hasSize(4);
  }

  @Test
  void checkJsonAndTextNeverShowThePasswordEvenWhenTheServerEchoesIt() throws Exception {
    String plain = java.util.Base64.getEncoder().encodeToString(("\0billing@acme.test\0" + Canary.PASSWORD)
        .getBytes(StandardCharsets.UTF_8));
    try (dev.mailroom.testkit.ScriptedSmtpServer echo = dev.mailroom.testkit.ScriptedSmtpServer.builder()
        .on(dev.mailroom.testkit.ScriptedSmtpServer.Step.AUTH, dev.mailroom.testkit.ScriptedSmtpServer.Action.reply(
            "535-5.7.8 you sent " + plain, "535 5.7.8 password " + Canary.PASSWORD)).start()) {
      for (String format : List.of("--json", "--lang=bn")) {
        CliRun r = CliRun.run(ENV, "check", "--host", "127.0.0.1", "--port", String.valueOf(echo.port()), "--tls",
            "none", "--user", "billing@acme.test", "--password-env", "SMTP_PASSWORD", "--no-mx", "--transcript",
            "--to", "me@acme.test", format);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("******");
        Canary.assertNoCanary(r.out() + r.err());
      }
    }
  }

  @Test
  void checkSendsATestEmailWithTo() {
    CliRun r = CliRun.run(ENV, checkArgs("--to", "me@acme.test"));

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("All checks passed and the test email was sent.");
    assertThat(smtp.awaitOne(java.time.Duration.ofSeconds(10)).subject()).isEqualTo("Mailroom test email");
  }

  @Test
  void checkSpeaksSwahili() {
    CliRun r = CliRun.run(ENV, checkArgs("--lang", "sw"));

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Jaribu mipangilio ya barua pepe", "Kuingia (AUTH)");
  }

  @Test
  void settingsComeFromAUrlWithThePasswordFromTheEnvironment() {
    CliRun r = CliRun.run(ENV, "check", "--url", "smtp://billing%40acme.test@127.0.0.1:" + smtp.port()
        + "?tls=none&read-timeout=2s", "--password-env", "SMTP_PASSWORD", "--no-mx");

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("Signed in as billing@acme.test (PLAIN)");
  }

  @Test
  void refusesAPasswordInTheUrl() {
    CliRun r = CliRun.run("check", "--url", "smtps://billing:" + Canary.PASSWORD + "@127.0.0.1:465");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--url must not contain a password (command lines end up in shell history and"
        + " process lists): use --password-env VAR or type it at the prompt");
    Canary.assertNoCanary(r.out() + r.err());
  }

  @Test
  void settingsComeFromAPropertiesFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mail.properties");
    Files.writeString(file, "mail.protocol=SMTP\nmail.host=127.0.0.1\nmail.port=" + smtp.port()
        + "\nmail.tls-mode=NONE\nmail.username=billing@acme.test\nmail.read-timeout=2s\n", StandardCharsets.UTF_8);

    CliRun r = CliRun.run(ENV, "check", "--properties", file.toString(), "--prefix", "mail.", "--password-env",
        "SMTP_PASSWORD", "--no-mx");

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
  }

  @Test
  void withoutConsoleOrEnvironmentVariableItAsksForOne() {
    CliRun r = CliRun.run("check", "--host", "127.0.0.1", "--port", String.valueOf(smtp.port()), "--tls", "none",
        "--user", "billing@acme.test");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("a password is needed: name an environment variable that holds it with"
        + " --password-env VAR, put it in the --properties file, or run in a terminal to be asked (there is no"
        + " console to ask)");
  }

  @Test
  void anUnsetEnvironmentVariableIsNamed() {
    CliRun r = CliRun.run(checkArgs());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--password-env: the environment variable SMTP_PASSWORD is not set: export"
        + " SMTP_PASSWORD=... first, or name another variable");
  }

  @Test
  void invalidSettingsListEveryProblem() {
    CliRun r = CliRun.run("check", "--protocol", "smtp", "--port", "70000");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("The settings are not valid:", "host: ", "port: port must be between 1 and 65535:"
        + " 70000");
  }

  @Test
  void presetsListsAndShows() {
    CliRun list = CliRun.run("presets");
    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).contains("gmail", "smtp.gmail.com:587 STARTTLS", "office365", "yahoo");

    CliRun gmail = CliRun.run("presets", "gmail", "--lang", "bn");
    assertThat(gmail.exitCode()).isZero();
    assertThat(gmail.out()).contains("Gmail (gmail)", "Server:   smtp.gmail.com:587 STARTTLS",
        "1. আপনার গুগল হিসাবের সেটিংস-এ ২-ধাপের যাচাইকরণ চালু করুন");

    CliRun unknown = CliRun.run("presets", "nope");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown preset nope. Run: mailroom presets");
  }

  @Test
  void withoutSubcommandShowsUsage() {
    CliRun r = CliRun.run();
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).contains("Usage: mailroom", "demo", "check", "send", "presets");
  }
}
