package dev.mailroom.smtp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Measuring helpers of the benchmarks: CPU time of this JVM and of another process, medians, load. */
final class Measure {
  /** Clock ticks per second of /proc/PID/stat (USER_HZ, 100 on Linux). */
  private static final double TICKS = 100;

  private Measure() {}

  /** One measured round of one client: messages, wall time, client CPU time, sink CPU time (or -1). */
  record Round(int messages, long wallNanos, long cpuNanos, long sinkCpuNanos) {
    double msgPerSec() {
      return messages / (wallNanos / 1e9);
    }

    double cpuMicrosPerMsg() {
      return cpuNanos / 1e3 / messages;
    }

    double sinkMicrosPerMsg() {
      return sinkCpuNanos < 0 ? -1 : sinkCpuNanos / 1e3 / messages;
    }
  }

  /** The whole JVM's CPU time: every thread, GC and JIT included. */
  static long jvmCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
  }

  /** User + system CPU time of another process from /proc, or -1 when unknown (pid 0 or not Linux). */
  static long processCpuNanos(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
      // the command name may hold spaces: fields are counted after the closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return (long) (ticks / TICKS * 1e9);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static double median(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  static double min(List<Double> values) {
    return Collections.min(values);
  }

  static double max(List<Double> values) {
    return Collections.max(values);
  }

  /** The load averages of the machine, as {@code uptime} prints them. */
  static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
      return String.format(Locale.ROOT, "load average: %s, %s, %s", f[0], f[1], f[2]);
    } catch (IOException | RuntimeException e) {
      return "load average: unknown";
    }
  }

  /** Formats a rate or a CPU figure for the tables. */
  static String fmt(double v) {
    if (v < 0) {
      return "-";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
