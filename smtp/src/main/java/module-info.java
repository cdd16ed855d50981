/**
 * The SMTP sender of Mailroom, on Jakarta Mail (Eclipse Angus).
 */
module dev.mailroom.smtp {
  requires transitive dev.mailroom;
  requires jakarta.mail;
  requires org.eclipse.angus.mail;
  requires org.slf4j;

  exports dev.mailroom.smtp;

  provides dev.mailroom.spi.SenderProvider with dev.mailroom.smtp.SmtpSenderProvider;
}
