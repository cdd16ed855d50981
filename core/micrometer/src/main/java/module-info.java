/**
 * Micrometer metrics for Mailroom: {@link dev.mailroom.micrometer.MicrometerMailerListener} records a
 * {@link dev.mailroom.Mailer}'s sends, attempts, retries and open connections in a
 * {@code MeterRegistry}.
 */
module dev.mailroom.micrometer {
  requires transitive dev.mailroom;
  requires transitive micrometer.core;

  exports dev.mailroom.micrometer;
}
