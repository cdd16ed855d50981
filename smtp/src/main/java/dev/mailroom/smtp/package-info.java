/**
 * The SMTP sender of Mailroom: {@link dev.mailroom.smtp.SmtpSenderProvider}, found by
 * {@link java.util.ServiceLoader} when {@code mailroom-smtp} is on the class path or module path. It has no
 * options of its own: everything comes from {@link dev.mailroom.EmailSettings} and
 * {@link dev.mailroom.MailerOptions}.
 *
 * <p>What it guarantees:
 * <ul>
 *   <li>TLS 1.2 or later; certificates and host names checked against the JVM's trust store unless the
 *       settings turn verification off (then one WARN names the host). With
 *       {@link dev.mailroom.TlsMode#STARTTLS} no AUTH, MAIL, RCPT or DATA byte leaves before TLS is up, bytes
 *       received with the reply to STARTTLS are discarded, and a refused EHLO after TLS ends the session.
 *   <li>The read timeout bounds each whole server reply (not each read) and each socket write: a shared
 *       watchdog thread closes the socket of a read or write still blocked after its deadline (checked every
 *       100 ms), so the socket itself can block without a poll per reply; replies that are too long, have NUL
 *       bytes, bare CRs or no valid code end the connection.
 *   <li>Passwords and tokens never appear in exceptions, logs or the transcript
 *       ({@link dev.mailroom.MailerOptions#transcript()}, also logged at TRACE under
 *       {@code dev.mailroom.smtp.protocol}); message content is never in the transcript.
 *   <li>Connections are kept and reused up to {@code maxConnections}, checked with NOOP after
 *       {@code idleCheckAfter}, closed after {@code idleTimeout}, replaced after
 *       {@code maxMessagesPerConnection}; a kept connection the server closed is replaced without a retry
 *       being counted. PIPELINING is used when the server offers it.
 *   <li>A connection lost after the whole message went out and before the server confirmed it is
 *       {@link dev.mailroom.FailureCategory#OUTCOME_UNKNOWN}, never retried.
 * </ul>
 *
 * <p>Null policy as in {@link dev.mailroom}.
 */
package dev.mailroom.smtp;
