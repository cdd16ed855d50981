package dev.mailroom.cli;

import dev.mailroom.Presets;
import dev.mailroom.ProviderPreset;
import dev.mailroom.SettingsProblem;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mailroom presets}: list the provider presets, or show one. */
@Command(name = "presets", mixinStandardHelpOptions = true,
    description = "List the provider presets, or show one with its sign-in notes and setup steps.")
final class PresetsCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "ID", description = "A preset id, e.g. gmail.")
  private String id;

  @Option(names = "--json", description = "Print the presets as JSON.")
  private boolean json;

  @Option(names = "--lang", paramLabel = "LANG", defaultValue = "en",
      description = "Language of the setup steps: en, bn or sw.")
  private String lang;

  @Override
  public Integer call() {
    Output o = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    Locale locale = Locale.forLanguageTag(lang);
    if (json) {
      List<ProviderPreset> shown = id == null ? Presets.all() : Presets.byId(id).map(List::of).orElse(List.of());
      if (shown.isEmpty()) {
        return o.usage("ID", SettingsProblem.UNKNOWN, "Unknown preset " + id + ". Run: mailroom presets");
      }
      o.printJson(g -> {
        g.writeBooleanField("ok", true);
        g.writeArrayFieldStart("presets");
        for (ProviderPreset p : shown) {
          g.writeStartObject();
          g.writeStringField("id", p.id());
          g.writeStringField("name", p.displayName());
          g.writeStringField("host", p.host());
          g.writeNumberField("port", p.port());
          g.writeStringField("tlsMode", p.tlsMode().name());
          g.writeArrayFieldStart("domains");
          for (String d : p.domains()) {
            g.writeString(d);
          }
          g.writeEndArray();
          g.writeStringField("signIn", p.authNotes());
          g.writeBooleanField("appPasswordRequired", p.appPasswordRequired());
          g.writeBooleanField("oauth2", p.oauth2Supported());
          g.writeBooleanField("password", p.passwordSupported());
          g.writeArrayFieldStart("setup");
          for (String step : p.setupSteps(locale)) {
            g.writeString(step);
          }
          g.writeEndArray();
          g.writeStringField("source", String.valueOf(p.sourceUrl()));
          g.writeEndObject();
        }
        g.writeEndArray();
      });
      return 0;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (id == null) {
      List<ProviderPreset> all = Presets.all();
      int w = all.stream().mapToInt(p -> p.id().length()).max().orElse(10);
      int n = all.stream().mapToInt(p -> p.displayName().length()).max().orElse(10);
      for (ProviderPreset p : all) {
        out.println(pad(p.id(), w) + "  " + pad(p.displayName(), n) + "  " + p.host() + ":" + p.port() + " "
            + p.tlsMode());
      }
      return 0;
    }
    Optional<ProviderPreset> found = Presets.byId(id);
    if (found.isEmpty()) {
      return o.usage("ID", SettingsProblem.UNKNOWN, "Unknown preset " + id + ". Run: mailroom presets");
    }
    ProviderPreset p = found.get();
    out.println(p.displayName() + " (" + p.id() + ")");
    out.println("  Server:   " + p.host() + ":" + p.port() + " " + p.tlsMode());
    if (!p.domains().isEmpty()) {
      out.println("  Domains:  " + String.join(", ", p.domains()));
    }
    out.println("  Sign-in:  " + p.authNotes());
    out.println("  App password required: " + (p.appPasswordRequired() ? "yes" : "no")
        + "; OAuth2: " + (p.oauth2Supported() ? "yes" : "no") + "; password: "
        + (p.passwordSupported() ? "yes" : "no"));
    out.println("  Setup:");
    List<String> steps = p.setupSteps(locale);
    for (int i = 0; i < steps.size(); i++) {
      out.println("    " + (i + 1) + ". " + steps.get(i));
    }
    out.println("  Source:   " + p.sourceUrl());
    return 0;
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(Math.max(0, w - s.length()));
  }
}
