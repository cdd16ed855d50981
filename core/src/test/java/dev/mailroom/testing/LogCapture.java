package dev.mailroom.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line at every level while open: SLF4J (through logback) and java.util.logging (used
 * by Angus Mail and the JDK's HTTP client), with messages, arguments and stack traces. For tests that
 * prove a secret never reaches a log.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.start()) {
 *   ... failing sends ...
 *   Canary.assertAbsent(logs.text(), CANARY_PASSWORD);
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();
  private final AppenderBase<ILoggingEvent> appender;
  private final Handler julHandler;
  private final ch.qos.logback.classic.Level previousRoot;
  private final java.util.logging.Level previousJul;

  private LogCapture() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    previousRoot = root.getLevel();
    appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        StringBuilder b = new StringBuilder(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage());
        appendThrowable(b, e.getThrowableProxy());
        add(b.toString());
      }
    };
    appender.setContext(ctx);
    appender.start();
    root.addAppender(appender);
    root.setLevel(ch.qos.logback.classic.Level.ALL);

    java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
    previousJul = julRoot.getLevel();
    julHandler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        StringBuilder b = new StringBuilder("JUL " + r.getLevel() + " " + r.getLoggerName() + " ");
        String msg = r.getMessage();
        if (msg != null && r.getParameters() != null) {
          try {
            msg = java.text.MessageFormat.format(msg, r.getParameters());
          } catch (IllegalArgumentException ignored) {
            // keep the raw message
          }
          for (Object p : r.getParameters()) {
            b.append(' ').append(p);
          }
        }
        b.append(' ').append(msg);
        Throwable t = r.getThrown();
        while (t != null) {
          b.append("\n").append(t);
          t = t.getCause();
        }
        add(b.toString());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    julHandler.setLevel(java.util.logging.Level.ALL);
    julRoot.addHandler(julHandler);
    julRoot.setLevel(java.util.logging.Level.ALL);
  }

  /**
   * Starts capturing.
   *
   * @return the capture; close it to stop
   */
  public static LogCapture start() {
    return new LogCapture();
  }

  private synchronized void add(String line) {
    lines.add(line);
  }

  /** Returns the captured lines so far. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** Returns all captured lines joined with newlines. */
  public synchronized String text() {
    return String.join("\n", lines);
  }

  @Override
  public void close() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(appender);
    root.setLevel(previousRoot);
    appender.stop();
    java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
    julRoot.removeHandler(julHandler);
    julRoot.setLevel(previousJul);
  }

  private static void appendThrowable(StringBuilder b, IThrowableProxy t) {
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      b.append("\n").append(t.getClassName()).append(": ").append(t.getMessage());
      for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
        b.append("\n\tat ").append(s.getSTEAsString());
      }
      for (IThrowableProxy sup : t.getSuppressed()) {
        b.append("\nSuppressed: ").append(sup.getClassName()).append(": ").append(sup.getMessage());
      }
    }
  }
}
