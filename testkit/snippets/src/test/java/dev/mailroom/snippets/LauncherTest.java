package dev.mailroom.snippets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.mailroom.testing.Canary;
import dev.mailroom.testkit.MailroomSmtpServer;
import dev.mailroom.testkit.ReceivedEmail;
import dev.mailroom.testkit.junit.StartStop;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code mailroom} command as a new user runs it: the launcher script and the executable jar that the
 * set-up commands build in {@code testkit/cli/target}, in their own processes, against a local server.
 */
class LauncherTest {
  static final Path TARGET = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize()
      .resolve("../cli/target").normalize();
  static final Path LAUNCHER = TARGET.resolve("mailroom");
  static final Path JAR = TARGET.resolve("mailroom.jar");

  @StartStop
  static MailroomSmtpServer smtp = MailroomSmtpServer.builder().user("billing@acme.test", Canary.PASSWORD).build();

  record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void posixShell() {
    assumeFalse(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win"),
        "the POSIX launcher is tested on POSIX systems");
  }

  static Run run(Map<String, String> env, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    File out = File.createTempFile("mailroom", ".out");
    File err = File.createTempFile("mailroom", ".err");
    try {
      Process p = pb.redirectOutput(out).redirectError(err).redirectInput(ProcessBuilder.Redirect.from(
          new File("/dev/null"))).start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("mailroom did not finish within 90 s: " + String.join(" ", command));
      }
      return new Run(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
          Files.readString(err.toPath(), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out.toPath());
      Files.deleteIfExists(err.toPath());
    }
  }

  static String[] mailroom(String... args) {
    List<String> a = new ArrayList<>(List.of(LAUNCHER.toString()));
    a.addAll(List.of(args));
    return a.toArray(String[]::new);
  }

  String[] server(String command, String... more) {
    List<String> a = new ArrayList<>(List.of(LAUNCHER.toString(), command, "--host", "127.0.0.1", "--port",
        String.valueOf(smtp.port()), "--tls", "none", "--user", "billing@acme.test", "--password-env",
        "SMTP_PASSWORD", "--read-timeout", "10s"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void theBuildLeavesAnExecutableLauncherNextToTheJar() {
    assertThat(LAUNCHER).isRegularFile().isExecutable();
    assertThat(JAR).isRegularFile();
    assertThat(TARGET.resolve("mailroom.cmd")).isRegularFile();
  }

  @Test
  void demoRunsWithoutLoggingNoise() throws Exception {
    Run r = run(Map.of(), mailroom("demo"));

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("== 3. What the server received", "identical to the PDF sent");
    assertThat(r.err()).doesNotContain("SLF4J");
  }

  @Test
  void checkJsonAndSendWorkAgainstALocalServer() throws Exception {
    Map<String, String> env = Map.of("SMTP_PASSWORD", Canary.PASSWORD);

    Run check = run(env, server("check", "--json", "--no-mx"));
    assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
    assertThat(check.out()).startsWith("{").contains("\"ok\" : true");

    Run send = run(env, server("send", "--to", "jane@customer.test", "--subject", "Invoice INV-1", "--text",
        "Attached.", "--verbose"));
    assertThat(send.exitCode()).as(send.out() + send.err()).isZero();
    assertThat(send.out()).startsWith("Sent ");
    assertThat(send.err()).contains("DEBUG").doesNotContain("SLF4J");
    ReceivedEmail got = smtp.awaitOne(Duration.ofSeconds(20));
    assertThat(got.subject()).isEqualTo("Invoice INV-1");
    Canary.assertNoCanary(check.out() + check.err() + send.out() + send.err());
  }

  @Test
  void badSettingsAnswerExitCodeTwoInJson() throws Exception {
    Run r = run(Map.of("SMTP_PASSWORD", "x"), mailroom("check", "--host", "smtp.acme.example", "--user", "u",
        "--password-env", "SMTP_PASSWORD", "--port", "70000", "--json"));

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).contains("\"ok\" : false", "\"field\" : \"port\"").doesNotContain("password");
  }

  @Test
  void theJarRunsWithJavaJarAndTheLauncherThroughASymbolicLink(@TempDir Path dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Run version = run(Map.of(), java, "-jar", JAR.toString(), "--version");
    assertThat(version.exitCode()).as(version.err()).isZero();
    assertThat(version.out()).contains("Mailroom");

    Path link = Files.createSymbolicLink(dir.resolve("mailroom"), LAUNCHER);
    Run viaLink = run(Map.of(), link.toString(), "presets", "gmail");
    assertThat(viaLink.exitCode()).as(viaLink.err()).isZero();
    assertThat(viaLink.out()).contains("smtp.gmail.com");
  }
}
