package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.testing.Canary;
import dev.mailroom.testkit.MailroomSmtpServer;
import dev.mailroom.testkit.ReceivedEmail;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.internal.JsonTree;
import dev.mailroom.testkit.junit.StartStop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One behaviour for every command: JSON for every exit code, true exit codes, only real problems, no @file. */
class CliBehaviourTest {
  @StartStop
  static MailroomSmtpServer smtp = MailroomSmtpServer.builder().user("billing@acme.test", Canary.PASSWORD).build();

  static final Map<String, String> ENV = Map.of("PW", Canary.PASSWORD);

  List<String> server(String... more) {
    List<String> a = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(smtp.port()), "--tls",
        "none", "--user", "billing@acme.test", "--password-env", "PW", "--read-timeout", "10s"));
    a.addAll(List.of(more));
    return a;
  }

  /** The command (more[0]), then the settings options, then the rest. */
  static String[] args(List<String> settings, String... more) {
    List<String> a = new ArrayList<>(List.of(more[0]));
    a.addAll(settings);
    a.addAll(List.of(more).subList(1, more.length));
    return a.toArray(String[]::new);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> problems(CliRun r) throws Exception {
    Object json = JsonTree.parse(r.out());
    assertThat(((Map<?, ?>) json).get("ok")).isEqualTo(false);
    return (List<Map<String, Object>>) (List<?>) JsonTree.list(json, "problems");
  }

  @Test
  void aPasswordFromTheEnvironmentIsNeverReportedMissingBesideARealProblem(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mail.properties");
    Files.writeString(file, "host=127.0.0.1\nport=70000\nusername=billing\nemail-address=not an address\n");
    List<CliRun> runs = List.of(
        CliRun.run(ENV, "check", "--host", "smtp.acme.test", "--user", "billing", "--password-env", "PW", "--port",
            "70000", "--from", "not an address"),
        CliRun.run(ENV, "send", "--host", "smtp.acme.test", "--user", "billing", "--password-env", "PW", "--port",
            "70000", "--to", "jane@customer.test", "--subject", "x", "--text", "y"),
        CliRun.run(ENV, "check", "--properties", file.toString(), "--password-env", "PW"),
        CliRun.run(ENV, "settings", "--properties", file.toString(), "--password-env", "PW", "--json"));
    for (CliRun r : runs) {
      assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
      assertThat(r.out() + r.err()).contains("port must be between 1 and 65535: 70000")
          .doesNotContain("password is required").doesNotContainIgnoringCase("enter the password");
    }
    assertThat(problems(runs.get(3))).extracting(p -> p.get("field")).containsExactly("port", "emailAddress");
  }

  @Test
  void everyCommandAnswersBadUsageWithJsonOnStdout() throws Exception {
    List<CliRun> runs = List.of(
        CliRun.run("check", "--port", "70000", "--json"),
        CliRun.run("send", "--json", "--to", "jane@customer.test"),
        CliRun.run("send", "--json", "--host", "h", "--port", "587", "--to", "not-an-address", "--subject", "s"),
        CliRun.run("settings", "--url", "smtp://h:99999", "--json"),
        CliRun.run("presets", "nope", "--json"),
        CliRun.run("demo", "--json", "--no-such-option"),
        CliRun.run("check", "--json", "--port", "twelve"));
    for (CliRun r : runs) {
      assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
      List<Map<String, Object>> problems = problems(r);
      assertThat(problems).isNotEmpty().allSatisfy(p -> assertThat(p).containsKeys("field", "code", "message"));
    }
    assertThat(problems(runs.get(1))).extracting(p -> (String) p.get("message"))
        .anySatisfy(m -> assertThat(m).contains("--subject"));
    assertThat(problems(runs.get(6))).singleElement().satisfies(p -> assertThat(p.get("field")).isEqualTo("--port"));
  }

  @Test
  void everyHelpListsTheExitCodesItReturns() throws Exception {
    for (String command : List.of("check", "send", "demo", "settings", "presets")) {
      CliRun r = CliRun.run(command, "--help");
      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).contains("Exit codes:", "  0   ", "  2   bad usage or invalid settings");
      if (!command.equals("settings") && !command.equals("presets")) {
        assertThat(r.out()).as(command).contains("  1   ");
      }
    }
    assertThat(CliRun.run("--help").out()).contains("Exit codes:", "settings", "-v, --verbose");
  }

  @Test
  void atFilesAreNotExpanded(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-FILE-CONTENT");

    CliRun sent = CliRun.run(ENV, args(server(), "send", "--to", "jane@customer.test", "--subject", "s", "--text",
        "@" + secret));
    assertThat(sent.exitCode()).as(sent.err()).isZero();
    ReceivedEmail got = smtp.awaitOne(Duration.ofSeconds(10));
    assertThat(got.text().orElse("")).contains("@" + secret).doesNotContain("TOP-SECRET");

    CliRun bad = CliRun.run(ENV, args(server(), "send", "--to", "@" + secret, "--subject", "s"));
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.out() + bad.err()).doesNotContain("TOP-SECRET");
  }

  @Test
  void anApiKeyOrTokenInTheUrlIsRefusedLikeAPassword() throws Exception {
    for (String url : List.of("https://api.sendgrid.com/?api-key=" + Canary.API_KEY,
        "https://mail.vendor.example/api/send?access_token=" + Canary.API_KEY,
        "smtp://billing@smtp.acme.example:587?apikey=" + Canary.API_KEY)) {
      CliRun r = CliRun.run("check", "--url", url, "--json");
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(problems(r)).anySatisfy(p -> assertThat((String) p.get("message"))
          .startsWith("--url must not contain an API key, token or secret"));
      Canary.assertNoCanary(r.out() + r.err());
    }
  }

  @Test
  void aSecretFileOthersCanReadIsWarnedAboutAndRefusedWithStrict(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mail.properties");
    Files.writeString(file, "protocol=SMTP\nhost=127.0.0.1\nport=" + smtp.port() + "\ntls-mode=NONE\n"
        + "username=billing@acme.test\npassword=" + Canary.PASSWORD + "\nread-timeout=10s\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    CliRun warned = CliRun.run("settings", "--properties", file.toString());
    assertThat(warned.exitCode()).isZero();
    assertThat(warned.err()).contains("warning: " + file + " holds a password or API key and can be read by its"
        + " group and everyone (rw-r--r--): run chmod 600 " + file);
    assertThat(warned.out()).contains("password=******");

    CliRun strict = CliRun.run("check", "--properties", file.toString(), "--strict", "--json");
    assertThat(strict.exitCode()).isEqualTo(2);
    assertThat(problems(strict)).singleElement().satisfies(p -> {
      assertThat(p.get("field")).isEqualTo("--properties");
      assertThat(p.get("code")).isEqualTo("insecure");
    });

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    CliRun quiet = CliRun.run("check", "--properties", file.toString(), "--strict", "--no-mx");
    assertThat(quiet.exitCode()).as(quiet.out() + quiet.err()).isZero();
    assertThat(quiet.err()).doesNotContain("warning");
    Canary.assertNoCanary(warned.out() + warned.err() + strict.out() + quiet.out() + quiet.err());
  }

  @Test
  void settingsPrintsTheNormalisedSettingsWithSecretsMasked() throws Exception {
    CliRun text = CliRun.run(ENV, "settings", "--url", "smtp://billing%40acme.test@smtp.acme.example?name=Acme%20Ltd",
        "--password-env", "PW");
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out()).contains("The settings are valid.", "host=smtp.acme.example", "port=587",
        "username=billing@acme.test", "sender-name=Acme Ltd", "password=******");

    CliRun noPassword = CliRun.run("settings", "--url", "smtp://billing%40acme.test@smtp.acme.example", "--json");
    assertThat(noPassword.exitCode()).isZero();
    Map<String, Object> settings = JsonTree.object(JsonTree.parse(noPassword.out()), "settings");
    assertThat(settings).containsEntry("host", "smtp.acme.example").doesNotContainKey("password");
    Canary.assertNoCanary(text.out() + text.err());
  }

  @Test
  void sendAnswersInJsonForSuccessAndFailure() throws Exception {
    CliRun ok = CliRun.run(ENV, args(server(), "send", "--json", "--to", "jane@customer.test", "--subject", "s",
        "--text", "t"));
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    Object json = JsonTree.parse(ok.out());
    assertThat(((Map<?, ?>) json).get("ok")).isEqualTo(true);
    assertThat(JsonTree.list(json, "accepted")).containsExactly("jane@customer.test");

    CliRun failed = CliRun.run(Map.of("PW", "wrong"), args(server(), "send", "--json", "--to", "jane@customer.test",
        "--subject", "s", "--text", "t"));
    assertThat(failed.exitCode()).isEqualTo(1);
    Map<String, Object> failure = JsonTree.object(JsonTree.parse(failed.out()), "failure");
    assertThat(failure).containsEntry("category", "AUTHENTICATION").containsEntry("transient", false);
  }

  @Test
  void serverTextReachesTheTerminalWithItsControlsEscaped() throws Exception {
    try (ScriptedSmtpServer evil = ScriptedSmtpServer.builder().on(ScriptedSmtpServer.Step.AUTH,
        ScriptedSmtpServer.Action.reply("535 5.7.8 \u001b[2J\u001b]0;owned\u0007 no\u009b31m")).start()) {
      List<String> settings = List.of("--host", "127.0.0.1", "--port", String.valueOf(evil.port()), "--tls", "none",
          "--user", "billing@acme.test", "--password-env", "PW", "--read-timeout", "10s");
      for (String[] a : List.of(args(settings, "send", "--to", "j@customer.test", "--subject", "s", "--text", "t"),
          args(settings, "send", "--json", "--to", "j@customer.test", "--subject", "s", "--text", "t"),
          args(settings, "check", "--no-mx", "--transcript"), args(settings, "check", "--no-mx", "--json"))) {
        CliRun r = CliRun.run(ENV, a);
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        String all = r.out() + r.err();
        assertThat(all.chars().filter(c -> (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f)))
            .as(all).isEmpty();
        Canary.assertNoCanary(all);
      }
    }
  }

  @Test
  void presetsAnswerInJson() throws Exception {
    CliRun r = CliRun.run("presets", "gmail", "--json");
    assertThat(r.exitCode()).isZero();
    assertThat(JsonTree.list(JsonTree.parse(r.out()), "presets")).singleElement()
        .satisfies(p -> assertThat(JsonTree.string(p, "host")).isEqualTo("smtp.gmail.com"));
  }
}
