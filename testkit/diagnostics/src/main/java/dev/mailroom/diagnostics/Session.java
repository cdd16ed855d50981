package dev.mailroom.diagnostics;

import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.ProviderPreset;
import dev.mailroom.diagnostics.DiagnosticStep.Status;
import dev.mailroom.diagnostics.internal.Transcript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The mutable state of one diagnostics run; becomes a {@link DiagnosticReport}. Not thread-safe. */
final class Session {
  final EmailSettings settings;
  final DiagnosticOptions options;
  final Transcript transcript;
  final List<DiagnosticStep> steps = new ArrayList<>();
  final List<DiagnosticWarning> warnings = new ArrayList<>();
  private final Set<String> warningCodes = new LinkedHashSet<>();
  final long started = System.nanoTime();
  Failure failure;
  String failedStep;
  CertificateSummary certificate;
  ProviderPreset provider;
  String providerSourceKey;
  String providerEvidence = "";
  EmailSettings suggestedSettings;
  /** When the connection (step CONNECT) started, 0 before. */
  private long connectStarted;
  String suggestionKey;
  List<String> suggestionArgs = List.of();

  Session(EmailSettings settings, DiagnosticOptions options) {
    this.settings = settings;
    this.options = options;
    this.transcript = new Transcript(options.transcript());
    settings.password().ifPresent(p -> transcript.secret(p.reveal()));
    settings.apiKey().ifPresent(k -> transcript.secret(k.reveal()));
  }

  boolean failed() {
    return failure != null;
  }

  String host() {
    return settings.host().orElse("?");
  }

  int port() {
    return settings.port();
  }

  /** Starts timing a step. */
  static long start() {
    return System.nanoTime();
  }

  private static Duration since(long t0) {
    return Duration.ofNanos(Math.max(0, System.nanoTime() - t0));
  }

  void ok(String name, long t0, String key, String... args) {
    if (name.equals(DiagnosticStep.CONNECT)) {
      connectStarted = t0;
    }
    add(name, Status.OK, since(t0), key, args);
  }

  void warn(String name, long t0, String key, String... args) {
    add(name, Status.WARNING, since(t0), key, args);
  }

  void skip(String name, String key, String... args) {
    add(name, Status.SKIPPED, Duration.ZERO, key, args);
  }

  void fail(String name, long t0, Failure f, String key, String... args) {
    uniformTiming(name, name.equals(DiagnosticStep.CONNECT) ? t0 : connectStarted, f);
    add(name, Status.FAILED, since(t0), key, args);
    if (failure == null) {
      failure = f;
      failedStep = name;
    }
  }

  /**
   * With a destination policy other than {@code ANY} (an application where tenants type the settings), a
   * failure while connecting or waiting for the first answer takes at least the connect timeout from the
   * start of the connection: a closed port, a filtered one and a service that is not a mail server then
   * take the same time, so the button cannot be used to tell internal ports apart by timing.
   */
  private void uniformTiming(String name, long connectT0, Failure f) {
    if (connectT0 == 0 || options.destinationPolicy() == dev.mailroom.DestinationPolicy.ANY
        || !(name.equals(DiagnosticStep.CONNECT) || name.equals(DiagnosticStep.GREETING)
            || name.equals(DiagnosticStep.REQUEST) || name.equals(DiagnosticStep.TLS))) {
      return;
    }
    FailureCategory c = f.category();
    if (c != FailureCategory.CONNECTION && c != FailureCategory.TIMEOUT && c != FailureCategory.PROTOCOL
        && c != FailureCategory.TLS) {
      return;
    }
    long wait = connectT0 + settings.connectTimeout().toNanos() - System.nanoTime();
    if (wait > 0) {
      try {
        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Records a step that failed with the failure's own message as detail. */
  void fail(String name, long t0, Failure f) {
    fail(name, t0, f, "detail.raw", f.message());
  }

  private void add(String name, Status status, Duration d, String key, String... args) {
    String[] scrubbed = Arrays.stream(args).map(a -> a == null ? "" : transcript.scrub(a)).toArray(String[]::new);
    steps.add(new DiagnosticStep(name, status, d, key, List.of(scrubbed)));
  }

  /** Adds the steps of {@code names} not yet recorded as skipped because an earlier one failed. */
  void skipRest(String... names) {
    for (String n : names) {
      if (steps.stream().noneMatch(s -> s.name().equals(n))) {
        skip(n, "detail.skipped.earlier-failure");
      }
    }
  }

  void warning(String code, String... args) {
    if (warningCodes.add(code)) {
      warnings.add(new DiagnosticWarning(code, List.of(args)));
    }
  }

  void provider(ProviderPreset preset, String sourceKey, String evidence) {
    if (provider == null && preset != null) {
      provider = preset;
      providerSourceKey = sourceKey;
      providerEvidence = evidence == null ? "" : evidence;
    }
  }

  String providerId() {
    return provider == null ? null : provider.id();
  }

  void suggest(EmailSettings suggested, String key, String... args) {
    this.suggestedSettings = suggested;
    this.suggestionKey = key;
    this.suggestionArgs = List.of(args);
  }

  DiagnosticReport report() {
    return new DiagnosticReport(this, since(started));
  }
}
