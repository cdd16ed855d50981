package dev.mailroom.cli;

import dev.mailroom.Attachment;
import dev.mailroom.BatchOptions;
import dev.mailroom.BatchProgress;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code mailroom send --batch invoices.csv}: one email per row of a CSV file, sent with
 * {@link Mailer#sendAll}, with a progress bar on the error stream and, with {@code --results}, a CSV of what
 * became of every row. Every row is checked before anything is sent.
 *
 * <p>The first row names the columns: {@code to} and {@code subject} (required), {@code cc}, {@code bcc},
 * {@code text}, {@code html}, {@code attach} (files, relative to the CSV file's folder) and {@code id} (an
 * idempotency key, so that a re-run of the failed rows sends the same message ids). Several addresses or
 * files in one cell are separated by {@code ;}.
 */
final class BatchSend {
  static final Set<String> COLUMNS = Set.of("to", "cc", "bcc", "subject", "text", "html", "attach", "id");
  private static final int MAX_PROBLEMS = 20;
  private static final int BAR = 30;

  private final Path csv;
  private final Path results;
  private final int connections;
  private final Locale locale;
  private final PrintWriter out;
  private final PrintWriter err;

  BatchSend(Path csv, Path results, int connections, Locale locale, PrintWriter out, PrintWriter err) {
    this.csv = csv;
    this.results = results;
    this.connections = connections;
    this.locale = locale;
    this.out = out;
    this.err = err;
  }

  /** Reads, checks and sends; returns the exit code. */
  int run(EmailSettings settings) {
    List<Email> emails = new ArrayList<>();
    List<Long> rows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (!Files.isReadable(csv)) {
      err.println("--batch: cannot read " + csv);
      return MailroomCli.USAGE;
    }
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
        .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
    try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        CSVParser parser = CSVParser.parse(reader, format)) {
      Set<String> unknown = new TreeSet<>();
      for (String h : parser.getHeaderNames()) {
        if (!COLUMNS.contains(h)) {
          unknown.add(h);
        }
      }
      if (!unknown.isEmpty() || !parser.getHeaderNames().contains("to")
          || !parser.getHeaderNames().contains("subject")) {
        err.println("--batch: the first row of " + csv.getFileName() + " must name the columns: to and subject,"
            + " and any of cc, bcc, text, html, attach, id" + (unknown.isEmpty() ? "" : "; unknown: " + unknown));
        return MailroomCli.USAGE;
      }
      for (CSVRecord r : parser) {
        try {
          emails.add(email(r));
          rows.add(r.getRecordNumber() + 1); // the line in a spreadsheet, the header being line 1
        } catch (IllegalArgumentException e) {
          problems.add("row " + (r.getRecordNumber() + 1) + ": " + e.getMessage());
        }
      }
    } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
      err.println("--batch: " + csv.getFileName() + " is not a valid CSV file: " + e.getMessage());
      return MailroomCli.USAGE;
    }
    if (!problems.isEmpty()) {
      err.println("--batch: nothing was sent; fix these rows of " + csv.getFileName() + ":");
      problems.stream().limit(MAX_PROBLEMS).forEach(p -> err.println("  " + p));
      if (problems.size() > MAX_PROBLEMS) {
        err.println("  ... and " + (problems.size() - MAX_PROBLEMS) + " more");
      }
      return MailroomCli.USAGE;
    }
    if (emails.isEmpty()) {
      err.println("--batch: " + csv.getFileName() + " has no rows to send");
      return MailroomCli.USAGE;
    }
    List<SendResult> sent;
    try (Mailer mailer = Mailer.open(settings, MailerOptions.builder().maxConnections(connections).build())) {
      sent = mailer.sendAll(emails, BatchOptions.builder().progress(this::bar).build());
    }
    err.println();
    return report(sent, rows);
  }

  private Email email(CSVRecord r) {
    Email.Builder b = Email.builder().to(list(r, "to")).subject(cell(r, "subject"));
    String[] cc = list(r, "cc");
    if (cc.length > 0) {
      b.cc(cc);
    }
    String[] bcc = list(r, "bcc");
    if (bcc.length > 0) {
      b.bcc(bcc);
    }
    if (!cell(r, "text").isEmpty()) {
      b.text(cell(r, "text"));
    }
    if (!cell(r, "html").isEmpty()) {
      b.html(cell(r, "html"));
    }
    for (String file : list(r, "attach")) {
      Path p = csv.toAbsolutePath().getParent().resolve(file);
      if (!Files.isReadable(p)) {
        throw new IllegalArgumentException("attach: cannot read " + file);
      }
      b.attach(Attachment.ofFile(p));
    }
    if (!cell(r, "id").isEmpty()) {
      b.idempotencyKey(cell(r, "id"));
    }
    return b.build();
  }

  private static String cell(CSVRecord r, String column) {
    return r.isMapped(column) && r.isSet(column) ? r.get(column).strip() : "";
  }

  private static String[] list(CSVRecord r, String column) {
    return Arrays.stream(cell(r, column).split(";")).map(String::strip).filter(s -> !s.isEmpty())
        .toArray(String[]::new);
  }

  /** The progress bar: one line, redrawn; called by the batch one call at a time. */
  private void bar(BatchProgress p) {
    int done = p.sent() + p.failed();
    int filled = p.total() == 0 ? BAR : done * BAR / p.total();
    err.print("\r[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + done + "/" + p.total() + "  sent "
        + p.sent() + "  failed " + p.failed()
        + p.estimatedTimeLeft().filter(d -> !p.done()).map(d -> "  about " + human(d) + " left").orElse("")
        + "   ");
    err.flush();
  }

  static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s >= 3600 ? s / 3600 + " h " + (s % 3600) / 60 + " min" : s >= 60 ? s / 60 + " min " + s % 60 + " s"
        : s + " s";
  }

  private int report(List<SendResult> sent, List<Long> rows) {
    long ok = sent.stream().filter(SendResult::sent).count();
    out.println("Sent " + ok + " of " + sent.size() + " emails from " + csv.getFileName());
    for (SendResult r : sent) {
      if (!r.sent()) {
        Failure f = r.failure().orElseThrow();
        err.println("row " + rows.get(r.index()) + " (" + String.join(", ", r.email().to().stream()
            .map(a -> a.email()).toList()) + "): " + r.status() + ": " + f.title(locale) + ". " + f.hint(locale)
            + (r.outcomeUnknown() ? " It may have been delivered: check before sending it again." : ""));
      }
    }
    if (results != null) {
      try (CSVPrinter printer = new CSVPrinter(Files.newBufferedWriter(results, StandardCharsets.UTF_8),
          CSVFormat.DEFAULT.builder().setHeader("row", "to", "status", "message_id", "category", "hint").get())) {
        for (SendResult r : sent) {
          printer.printRecord(rows.get(r.index()), String.join(";", r.email().to().stream().map(a -> a.email())
              .toList()), r.status(), r.receipt().map(x -> x.messageId()).orElse(""),
              r.failure().map(f -> f.category().name()).orElse(""), r.failure().map(f -> f.hint(locale)).orElse(""));
        }
      } catch (IOException e) {
        err.println("--results: cannot write " + results + ": " + e.getMessage());
        return MailroomCli.FAILED;
      }
    }
    return ok == sent.size() ? 0 : MailroomCli.FAILED;
  }
}
