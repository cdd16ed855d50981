package dev.mailroom.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mailroom.SettingsProblem;
import dev.mailroom.cli.internal.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Where every command writes: results on stdout (text, or one JSON document with {@code --json}), warnings and
 * errors on stderr; every piece of text passes {@link TerminalText}, so nothing a server or a file says can drive
 * the terminal. Bad usage and invalid settings look the same from every command: exit code 2, and with
 * {@code --json} {@code {"ok":false,"problems":[{"field":...,"code":...,"message":...}]}} on stdout.
 */
final class Output {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  /** Writes a JSON document. */
  @FunctionalInterface
  interface JsonBody {
    void write(JsonGenerator g) throws IOException;
  }

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;

  Output(PrintWriter out, PrintWriter err, boolean json) {
    this.out = out;
    this.err = err;
    this.json = json;
  }

  boolean json() {
    return json;
  }

  /** A line of results on stdout, controls escaped. */
  void println(String text) {
    out.println(TerminalText.escape(text));
  }

  /** A line on stderr, controls escaped. */
  void error(String text) {
    err.println(TerminalText.escape(text));
  }

  /** A warning on stderr (also with --json, so stdout stays one JSON document). */
  void warn(String text) {
    err.println("warning: " + TerminalText.escape(text));
  }

  /** JSON text (e.g. a report's) on stdout, with no raw control character. */
  void printJson(String text) {
    out.println(TerminalText.json(text));
  }

  /** A JSON document on stdout. */
  void printJson(JsonBody body) {
    printJson(toJson(body));
  }

  /**
   * Reports bad usage or invalid settings and returns exit code 2: with --json the problems document on stdout,
   * otherwise the heading and one line per problem on stderr.
   */
  int problems(String heading, List<SettingsProblem> problems) {
    if (json) {
      printJson(g -> {
        g.writeBooleanField("ok", false);
        g.writeArrayFieldStart("problems");
        for (SettingsProblem p : problems) {
          g.writeStartObject();
          g.writeStringField("field", p.field());
          g.writeStringField("code", p.code());
          g.writeStringField("message", p.message());
          g.writeEndObject();
        }
        g.writeEndArray();
      });
    } else if (problems.size() == 1 && heading == null) {
      SettingsProblem p = problems.get(0);
      error(p.message().startsWith(p.field()) || !p.field().startsWith("-") ? p.message()
          : p.field() + ": " + p.message());
    } else {
      error(heading == null ? "The settings are not valid:" : heading);
      for (SettingsProblem p : problems) {
        error("  " + p.field() + ": " + p.message());
      }
    }
    return MailroomCli.USAGE;
  }

  /** One usage problem, exit code 2. */
  int usage(String field, String code, String message) {
    return problems(null, List.of(new SettingsProblem(field, code, message)));
  }

  static String toJson(JsonBody body) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }
}
