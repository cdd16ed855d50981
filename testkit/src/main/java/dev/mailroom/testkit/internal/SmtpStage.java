package dev.mailroom.testkit.internal;

/** Where in the SMTP conversation a reply came. */
public enum SmtpStage {
  /** The server's greeting. */
  GREETING,
  /** EHLO or HELO. */
  EHLO,
  /** The STARTTLS command. */
  STARTTLS,
  /** AUTH and its continuation lines. */
  AUTH,
  /** MAIL FROM. */
  MAIL,
  /** RCPT TO. */
  RCPT,
  /** The DATA command. */
  DATA,
  /** The reply after the final dot. */
  DATA_END,
  /** QUIT. */
  QUIT
}
