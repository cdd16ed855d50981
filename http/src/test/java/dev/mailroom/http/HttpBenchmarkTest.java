package dev.mailroom.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.bench.FormBenchmarkMain;
import dev.mailroom.bench.ThreadCpuMain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP benchmarks, each in a JVM of its own on the module path: 2,000 messages of 1 KB through the
 * form dialect against raw HttpClient, where one sequential caller's time goes (per group of threads, Linux
 * only), and the peak heap of 50 MB attachments. Not part of the normal
 * build: run {@code bash http/bench/run.sh} (or {@code mvn -Pbench -pl http -am test -Dtest=HttpBenchmarkTest
 * -Dsurefire.failIfNoSpecifiedTests=false}). Figures go to {@code http/target/bench/results.txt}.
 */
@Tag("bench")
class HttpBenchmarkTest {
  @Test
  void benchmark(@TempDir Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    String rounds = System.getProperty("bench.rounds", "11");
    String out = LargeAttachmentTest.runMain(dir, "512m", FormBenchmarkMain.class, "2000", "1,8", rounds);
    out.lines().filter(l -> !l.startsWith("SLF4J")).forEach(lines::add);
    if (Files.isDirectory(Path.of("/proc/self/task"))) {
      // where the time of one sequential caller goes, per group of threads (Linux only)
      lines.add("--- ThreadCpuMain raw,inline,mailroom 5000 " + rounds + " 3");
      LargeAttachmentTest.runMain(dir, "512m", ThreadCpuMain.class, "raw,inline,mailroom", "5000", rounds, "3")
          .lines().filter(l -> !l.startsWith("SLF4J")).forEach(lines::add);
      lines.add("--- ThreadCpuMain count 2000 1 1");
      LargeAttachmentTest.runMain(dir, "512m", ThreadCpuMain.class, "count", "2000", "1", "1")
          .lines().filter(l -> !l.startsWith("SLF4J")).forEach(lines::add);
    }
    for (String heap : List.of("64m", "16m")) {
      for (String[] c : List.of(new String[] {"form", "file"}, new String[] {"sendgrid", "stream"},
          new String[] {"form", "stream"}, new String[] {"brevo", "file"})) {
        String big = LargeAttachmentTest.run(dir, heap, c[0], Long.toString(LargeAttachmentTest.SIZE), c[1]);
        big.lines().filter(l -> l.startsWith("OK")).forEach(l -> lines.add("-Xmx" + heap + " " + l));
      }
    }
    Path results = Path.of("target", "bench", "results.txt");
    Files.createDirectories(results.getParent());
    Files.write(results, lines, StandardCharsets.UTF_8);
    lines.forEach(System.out::println);
    assertThat(lines).anyMatch(l -> l.startsWith("threads=1 ")).anyMatch(l -> l.startsWith("threads=8 "));
  }
}
