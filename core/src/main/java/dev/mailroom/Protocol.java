package dev.mailroom;

/**
 * How mail leaves the application: the settings form's "Protocol" field.
 */
public enum Protocol {
  /** SMTP submission to the provider's outgoing mail server (module {@code mailroom-smtp}). */
  SMTP,
  /** An HTTP mail service or provider API (module {@code mailroom-http}). */
  HTTP
}
