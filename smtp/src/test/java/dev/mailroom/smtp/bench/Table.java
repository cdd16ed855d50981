package dev.mailroom.smtp.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rounds of a benchmark by case and client, printed as Markdown tables: medians of msg/s and CPU per
 * message, and ratios of one client's msg/s to another's, taken round by round (both measured in the same
 * round, minutes apart at most) and reported as the median with the range.
 */
final class Table {
  private final List<String> clients;
  private final Map<String, Map<String, List<Measure.Round>>> rounds = new LinkedHashMap<>();

  Table(List<String> clients) {
    this.clients = clients;
  }

  void add(String caseName, String client, Measure.Round r) {
    rounds.computeIfAbsent(caseName, k -> new LinkedHashMap<>()).computeIfAbsent(client, k -> new ArrayList<>())
        .add(r);
  }

  /** Prints the table; {@code subject}'s msg/s is divided by each of {@code against}'s, round by round. */
  void print(PrintStream out, String subject, List<String> against) {
    int n = rounds.values().stream().flatMap(m -> m.values().stream()).mapToInt(List::size).max().orElse(0);
    StringBuilder head = new StringBuilder("| case (medians of " + n + " rounds) |");
    StringBuilder rule = new StringBuilder("|---|");
    for (String c : clients) {
      head.append(' ').append(c).append(" msg/s | ").append(c).append(" CPU us/msg |");
      rule.append("---:|---:|");
    }
    head.append(" sink CPU us/msg (" + subject + " rounds) |");
    rule.append("---:|");
    for (String a : against) {
      if (clients.contains(a)) {
        head.append(' ').append(subject).append(" / ").append(a).append(" (range) |");
        rule.append("---:|");
      }
    }
    out.println(head);
    out.println(rule);
    for (Map.Entry<String, Map<String, List<Measure.Round>>> e : rounds.entrySet()) {
      StringBuilder row = new StringBuilder("| " + e.getKey() + " |");
      for (String c : clients) {
        List<Measure.Round> rs = e.getValue().getOrDefault(c, List.of());
        if (rs.isEmpty()) {
          row.append(" - | - |");
          continue;
        }
        row.append(' ').append(Measure.fmt(Measure.median(rates(rs)))).append(" | ")
            .append(Measure.fmt(Measure.median(cpus(rs)))).append(" |");
      }
      List<Measure.Round> mine = e.getValue().getOrDefault(subject, List.of());
      List<Double> sink = new ArrayList<>();
      for (Measure.Round r : mine) {
        if (r.sinkCpuNanos() >= 0) {
          sink.add(r.sinkMicrosPerMsg());
        }
      }
      row.append(' ').append(sink.isEmpty() ? "-" : Measure.fmt(Measure.median(sink))).append(" |");
      for (String a : against) {
        if (!clients.contains(a)) {
          continue;
        }
        List<Measure.Round> theirs = e.getValue().getOrDefault(a, List.of());
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(mine.size(), theirs.size()); i++) {
          ratios.add(mine.get(i).msgPerSec() / theirs.get(i).msgPerSec());
        }
        row.append(ratios.isEmpty() ? " - |" : String.format(Locale.ROOT, " %.2fx (%.2f-%.2f) |",
            Measure.median(ratios), Measure.min(ratios), Measure.max(ratios)));
      }
      out.println(row);
    }
    out.println();
  }

  private static List<Double> rates(List<Measure.Round> rs) {
    List<Double> v = new ArrayList<>();
    for (Measure.Round r : rs) {
      v.add(r.msgPerSec());
    }
    return v;
  }

  private static List<Double> cpus(List<Measure.Round> rs) {
    List<Double> v = new ArrayList<>();
    for (Measure.Round r : rs) {
      v.add(r.cpuMicrosPerMsg());
    }
    return v;
  }
}
