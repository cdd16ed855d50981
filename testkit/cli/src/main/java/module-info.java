/**
 * The {@code mailroom} command line: {@code demo}, {@code check}, {@code send} and {@code presets}.
 */
module dev.mailroom.cli {
  requires dev.mailroom;
  requires dev.mailroom.smtp;
  requires dev.mailroom.http;
  requires dev.mailroom.diagnostics;
  requires dev.mailroom.testkit;
  requires info.picocli;
  requires com.fasterxml.jackson.core;
  requires org.apache.commons.csv;

  exports dev.mailroom.cli;
  // picocli reads the commands' annotated fields reflectively
  opens dev.mailroom.cli to info.picocli;
}
