package dev.mailroom.diagnostics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.Protocol;
import dev.mailroom.ProviderPreset;
import dev.mailroom.TlsMode;
import dev.mailroom.internal.NetworkFailures;
import dev.mailroom.diagnostics.DiagnosticStep.Status;
import dev.mailroom.diagnostics.internal.Texts;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ConnectionDiagnostics} found: every step with its outcome, the first failure with its hint,
 * warnings, the server's certificate, the recognized provider, a "did you mean" suggestion and, on
 * request, a redacted transcript.
 *
 * <pre>{@code
 * DiagnosticReport report = ConnectionDiagnostics.run(settings);
 * if (!report.ok()) {
 *   Failure f = report.failure().orElseThrow();
 *   showError(f.title(locale), f.hint(locale), report.troubleshooting(locale));
 * }
 * System.out.println(report.toText(locale));
 * }</pre>
 *
 * <p>Immutable and thread-safe. Never contains a password, AUTH payload, token or API key.
 */
public final class DiagnosticReport {
  private static final EnumSet<FailureCategory> TROUBLESHOOTING = EnumSet.of(FailureCategory.CONNECTION,
      FailureCategory.TLS, FailureCategory.AUTHENTICATION, FailureCategory.TIMEOUT, FailureCategory.PROTOCOL);
  private static final JsonFactory JSON = new JsonFactory();

  private final Protocol protocol;
  private final String host;
  private final int port;
  private final TlsMode tlsMode;
  private final URI httpServer;
  private final List<DiagnosticStep> steps;
  private final Failure failure;
  private final String failedStep;
  private final List<DiagnosticWarning> warnings;
  private final CertificateSummary certificate;
  private final ProviderPreset provider;
  private final String providerSourceKey;
  private final String providerEvidence;
  private final EmailSettings suggestedSettings;
  private final String suggestionKey;
  private final List<String> suggestionArgs;
  private final List<String> transcript;
  private final boolean testEmailSent;
  private final Duration duration;
  private final Locale locale;

  DiagnosticReport(Session s, Duration duration) {
    this.protocol = s.settings.protocol();
    this.host = s.settings.host().orElse("?");
    this.port = s.settings.port();
    this.tlsMode = s.settings.tlsMode();
    this.httpServer = s.settings.httpServer().orElse(null);
    this.steps = List.copyOf(s.steps);
    this.failure = s.failure;
    this.failedStep = s.failedStep;
    this.warnings = List.copyOf(s.warnings);
    this.certificate = s.certificate;
    this.provider = s.provider;
    this.providerSourceKey = s.providerSourceKey;
    this.providerEvidence = s.providerEvidence;
    this.suggestedSettings = s.suggestedSettings;
    this.suggestionKey = s.suggestionKey;
    this.suggestionArgs = s.suggestionArgs;
    this.transcript = s.transcript.lines();
    this.testEmailSent = s.steps.stream()
        .anyMatch(x -> x.name().equals(DiagnosticStep.SEND) && x.status() == Status.OK);
    this.duration = duration;
    this.locale = s.options.locale();
  }

  /**
   * Tells whether every step worked (warnings allowed).
   *
   * @return true if no step failed
   */
  public boolean ok() {
    return failure == null;
  }

  /**
   * Returns the steps in the order they ran, including skipped ones.
   *
   * @return the steps
   */
  public List<DiagnosticStep> steps() {
    return steps;
  }

  /**
   * Finds a step by name.
   *
   * @param name a step name such as {@link DiagnosticStep#AUTH}
   * @return the step, or empty when this protocol has no such step
   */
  public Optional<DiagnosticStep> step(String name) {
    Objects.requireNonNull(name, "name");
    return steps.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /**
   * Returns why the first failed step failed: category, host and port, the server's reply and a hint
   * for the user ({@link Failure#hint(Locale)}), classified like the senders classify the same failure.
   *
   * @return the failure, or empty when everything worked
   */
  public Optional<Failure> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Returns the first step that failed.
   *
   * @return the step, or empty when everything worked
   */
  public Optional<DiagnosticStep> failedStep() {
    return failedStep == null ? Optional.empty() : step(failedStep);
  }

  /**
   * Returns what deserves attention even when everything worked.
   *
   * @return the warnings
   */
  public List<DiagnosticWarning> warnings() {
    return warnings;
  }

  /**
   * Returns the server certificate seen during the TLS handshake, also when verification failed.
   *
   * @return the certificate, or empty when no TLS handshake took place
   */
  public Optional<CertificateSummary> certificate() {
    return Optional.ofNullable(certificate);
  }

  /**
   * Returns the provider recognized from the preset, the server name, the greeting or the MX records of
   * the sender's domain.
   *
   * @return the provider, or empty
   */
  public Optional<ProviderPreset> provider() {
    return Optional.ofNullable(provider);
  }

  /**
   * Returns the "did you mean" suggestion after a port/mode mistake, e.g. "Choose STARTTLS for port 587".
   *
   * @param locale the user's locale
   * @return the suggestion, or empty
   */
  public Optional<String> suggestion(Locale locale) {
    return suggestionKey == null ? Optional.empty()
        : Optional.of(Texts.get(locale, suggestionKey, suggestionArgs.toArray()));
  }

  /**
   * Returns the settings with the encryption mode that the probe found working, ready to offer to the
   * user ("Use these settings?").
   *
   * @return the corrected settings, or empty
   */
  public Optional<EmailSettings> suggestedSettings() {
    return Optional.ofNullable(suggestedSettings);
  }

  /**
   * Returns the settings form's troubleshooting steps when the failure is one they help with (connection,
   * encryption, sign-in, timeouts): re-check server, port and authentication; app-specific passwords;
   * firewall or antivirus; try the settings in another mail client such as Thunderbird.
   *
   * @param locale the user's locale
   * @return the steps, or empty when everything worked or the failure is about the message or a recipient
   */
  public List<String> troubleshooting(Locale locale) {
    return failure != null && TROUBLESHOOTING.contains(failure.category()) ? Failure.troubleshooting(locale)
        : List.of();
  }

  /**
   * Returns the transcript of the conversation, swaks style ({@code ->} sent, {@code <-} received,
   * {@code ~>}/{@code <~} inside TLS, {@code ===} notes), with passwords, AUTH payloads and tokens shown as
   * {@code ******}.
   *
   * @return the lines; empty unless {@link DiagnosticOptions.Builder#transcript(boolean)} was set
   */
  public List<String> transcript() {
    return transcript;
  }

  /**
   * Tells whether a test email was sent and accepted.
   *
   * @return true if the test email went out
   */
  public boolean testEmailSent() {
    return testEmailSent;
  }

  /**
   * Returns how long the whole run took.
   *
   * @return the duration
   */
  public Duration duration() {
    return duration;
  }

  /**
   * Returns the report as text in the language of {@link DiagnosticOptions#locale()}.
   *
   * @return the text
   */
  public String toText() {
    return toText(locale);
  }

  /**
   * Returns the report as text for a user: the steps, the failure with its hint and the server's reply,
   * the suggestion, the certificate, the warnings, the troubleshooting steps and the transcript.
   *
   * @param locale the user's locale; English, Bengali ({@code bn}) and Swahili ({@code sw}) are available
   * @return the text
   */
  public String toText(Locale locale) {
    Objects.requireNonNull(locale, "locale");
    StringBuilder b = new StringBuilder();
    b.append(Texts.get(locale, "report.title")).append(": ").append(target()).append('\n');
    if (provider != null) {
      b.append(Texts.get(locale, "report.provider")).append(": ").append(provider.displayName()).append(" (")
          .append(Texts.get(locale, providerSourceKey, providerEvidence)).append(")\n");
    }
    b.append('\n');
    int width = steps.stream().mapToInt(s -> s.title(locale).length()).max().orElse(10);
    int statusWidth = EnumSet.allOf(Status.class).stream()
        .mapToInt(s -> Texts.get(locale, "status." + s.name()).length()).max().orElse(8);
    for (DiagnosticStep s : steps) {
      String status = Texts.get(locale, "status." + s.status().name());
      b.append("  ").append(pad(status, statusWidth)).append("  ").append(pad(s.title(locale), width));
      String ms = s.status() == Status.SKIPPED ? "" : s.duration().toMillis() + " ms";
      b.append("  ").append(padLeft(ms, 8));
      String detail = s.detail(locale);
      if (!detail.isEmpty()) {
        b.append("  ").append(detail);
      }
      b.append('\n');
    }
    b.append('\n');
    if (failure == null) {
      b.append(Texts.get(locale, testEmailSent ? "report.result.ok-sent" : "report.result.ok")).append('\n');
    } else {
      b.append(Texts.get(locale, "report.result.failed", step(failedStep).map(s -> s.title(locale))
          .orElse(failedStep))).append('\n');
      b.append(failure.title(locale)).append('\n');
      String hint = failure.hint(locale);
      b.append(hint).append('\n');
      failure.serverReply().ifPresent(r -> {
        if (!hint.contains(r)) {
          b.append(Texts.get(locale, "report.server-replied", serverReplyText())).append('\n');
        }
      });
    }
    suggestion(locale).ifPresent(s -> b.append(Texts.get(locale, "report.suggestion")).append(": ").append(s)
        .append('\n'));
    if (certificate != null) {
      b.append('\n').append(Texts.get(locale, "report.certificate")).append(":\n");
      CertificateSummary c = certificate;
      line(b, Texts.get(locale, "cert.subject"), c.subject());
      line(b, Texts.get(locale, "cert.san"), c.subjectAlternativeNames().isEmpty() ? "-"
          : String.join(", ", c.subjectAlternativeNames()));
      line(b, Texts.get(locale, "cert.issuer"), c.issuer() + (c.selfSigned()
          ? " (" + Texts.get(locale, "cert.self-signed") + ")" : ""));
      line(b, Texts.get(locale, "cert.validity"), Texts.get(locale, "cert.validity-range",
          NetworkFailures.date(Date.from(c.notBefore())), NetworkFailures.date(Date.from(c.notAfter()))));
      line(b, Texts.get(locale, "cert.fingerprint"), c.sha256Fingerprint());
      line(b, Texts.get(locale, "cert.verified"), Texts.get(locale, c.verified() ? "cert.verified.yes"
          : "cert.verified.no"));
      c.interceptedBy().ifPresent(p -> line(b, "!", Texts.get(locale, "cert.intercepted", p)));
    }
    if (!warnings.isEmpty()) {
      b.append('\n').append(Texts.get(locale, "report.warnings")).append(":\n");
      for (DiagnosticWarning w : warnings) {
        b.append("  - ").append(w.message(locale)).append('\n');
      }
    }
    List<String> help = troubleshooting(locale);
    if (!help.isEmpty()) {
      b.append('\n').append(Texts.get(locale, "report.troubleshooting")).append(":\n");
      for (int i = 0; i < help.size(); i++) {
        b.append("  ").append(i + 1).append(". ").append(help.get(i)).append('\n');
      }
    }
    if (!transcript.isEmpty()) {
      b.append('\n').append(Texts.get(locale, "report.transcript")).append(":\n");
      for (String l : transcript) {
        b.append("  ").append(l).append('\n');
      }
    }
    return b.toString();
  }

  /** The reply as the server sent it: code, enhanced status and text, e.g. {@code 535 5.7.8 Bad login}. */
  private String serverReplyText() {
    String r = failure.serverReply().orElse("");
    StringBuilder b = new StringBuilder();
    if (failure.code().isPresent() && !r.startsWith(String.valueOf(failure.code().getAsInt()))) {
      b.append(failure.code().getAsInt()).append(' ');
    }
    if (failure.enhancedStatus().isPresent() && !r.contains(failure.enhancedStatus().get())) {
      b.append(failure.enhancedStatus().get()).append(' ');
    }
    return b.append(r).toString();
  }

  private String target() {
    if (protocol == Protocol.HTTP && httpServer != null) {
      return "HTTP " + httpServer;
    }
    return protocol + " " + host + ":" + port + " (" + tlsMode + ")";
  }

  private static void line(StringBuilder b, String label, String value) {
    b.append("  ").append(label).append(": ").append(value).append('\n');
  }

  private static String pad(String s, int width) {
    StringBuilder b = new StringBuilder(s);
    while (b.length() < width) {
      b.append(' ');
    }
    return b.toString();
  }

  private static String padLeft(String s, int width) {
    StringBuilder b = new StringBuilder();
    while (b.length() + s.length() < width) {
      b.append(' ');
    }
    return b.append(s).toString();
  }

  /**
   * Returns the report as JSON in English; see {@link #toJson(Locale)}.
   *
   * @return the JSON text
   */
  public String toJson() {
    return toJson(Locale.ENGLISH);
  }

  /**
   * Returns the report as a JSON object for programs: {@code ok}, {@code protocol}, {@code host},
   * {@code port}, {@code tlsMode}, {@code provider}, {@code steps} (name, title, status, durationMillis,
   * detail), {@code failure} (category, transient, message, title, hint, hintKey, code, enhancedStatus,
   * serverReply, host, port), {@code warnings} (code, message), {@code certificate}, {@code suggestion},
   * {@code troubleshooting} and {@code transcript}. Texts are in the given language.
   *
   * @param locale the language of titles, details and hints
   * @return the JSON text
   */
  public String toJson(Locale locale) {
    Objects.requireNonNull(locale, "locale");
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeBooleanField("ok", ok());
      g.writeStringField("protocol", protocol.name());
      g.writeStringField("host", host);
      g.writeNumberField("port", port);
      g.writeStringField("tlsMode", tlsMode.name());
      if (httpServer != null) {
        g.writeStringField("httpServer", httpServer.toString());
      }
      g.writeNumberField("durationMillis", duration.toMillis());
      g.writeBooleanField("testEmailSent", testEmailSent);
      if (provider != null) {
        g.writeObjectFieldStart("provider");
        g.writeStringField("id", provider.id());
        g.writeStringField("name", provider.displayName());
        g.writeStringField("source", providerSourceKey.substring(providerSourceKey.lastIndexOf('.') + 1));
        g.writeEndObject();
      }
      g.writeArrayFieldStart("steps");
      for (DiagnosticStep s : steps) {
        g.writeStartObject();
        g.writeStringField("name", s.name());
        g.writeStringField("title", s.title(locale));
        g.writeStringField("status", s.status().name());
        g.writeNumberField("durationMillis", s.duration().toMillis());
        g.writeStringField("detail", s.detail(locale));
        g.writeEndObject();
      }
      g.writeEndArray();
      if (failure != null) {
        g.writeObjectFieldStart("failure");
        g.writeStringField("step", failedStep);
        g.writeStringField("category", failure.category().name());
        g.writeBooleanField("transient", failure.isTransient());
        g.writeStringField("message", failure.message());
        g.writeStringField("title", failure.title(locale));
        g.writeStringField("hint", failure.hint(locale));
        g.writeStringField("hintKey", failure.hintKey());
        if (failure.code().isPresent()) {
          g.writeNumberField("code", failure.code().getAsInt());
        }
        if (failure.enhancedStatus().isPresent()) {
          g.writeStringField("enhancedStatus", failure.enhancedStatus().get());
        }
        if (failure.serverReply().isPresent()) {
          g.writeStringField("serverReply", failure.serverReply().get());
        }
        if (failure.host().isPresent()) {
          g.writeStringField("host", failure.host().get());
        }
        if (failure.port().isPresent()) {
          g.writeNumberField("port", failure.port().getAsInt());
        }
        g.writeEndObject();
      }
      g.writeArrayFieldStart("warnings");
      for (DiagnosticWarning warning : warnings) {
        g.writeStartObject();
        g.writeStringField("code", warning.code());
        g.writeStringField("message", warning.message(locale));
        g.writeEndObject();
      }
      g.writeEndArray();
      if (certificate != null) {
        CertificateSummary c = certificate;
        g.writeObjectFieldStart("certificate");
        g.writeStringField("subject", c.subject());
        g.writeArrayFieldStart("subjectAlternativeNames");
        for (String n : c.subjectAlternativeNames()) {
          g.writeString(n);
        }
        g.writeEndArray();
        g.writeStringField("issuer", c.issuer());
        g.writeStringField("notBefore", c.notBefore().toString());
        g.writeStringField("notAfter", c.notAfter().toString());
        g.writeStringField("sha256Fingerprint", c.sha256Fingerprint());
        g.writeBooleanField("selfSigned", c.selfSigned());
        g.writeNumberField("chainLength", c.chainLength());
        g.writeBooleanField("verified", c.verified());
        if (c.interceptedBy().isPresent()) {
          g.writeStringField("interceptedBy", c.interceptedBy().get());
        }
        g.writeEndObject();
      }
      Optional<String> suggestion = suggestion(locale);
      if (suggestion.isPresent()) {
        g.writeStringField("suggestion", suggestion.get());
      }
      if (suggestedSettings != null) {
        g.writeStringField("suggestedTlsMode", suggestedSettings.tlsMode().name());
      }
      g.writeArrayFieldStart("troubleshooting");
      for (String t : troubleshooting(locale)) {
        g.writeString(t);
      }
      g.writeEndArray();
      if (!transcript.isEmpty()) {
        g.writeArrayFieldStart("transcript");
        for (String l : transcript) {
          g.writeString(l);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** Summarizes the outcome in English, e.g. {@code DiagnosticReport[FAILED at auth: ...]}. */
  @Override
  public String toString() {
    return "DiagnosticReport[" + (ok() ? "OK" : "FAILED at " + failedStep + ": " + failure.message())
        + ", " + target() + ", " + warnings.size() + " warning(s)]";
  }
}
