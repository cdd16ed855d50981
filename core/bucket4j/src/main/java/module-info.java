/**
 * A {@link dev.mailroom.SendLimiter} on Bucket4j: {@link dev.mailroom.bucket4j.Bucket4jSendLimiter}.
 */
module dev.mailroom.bucket4j {
  requires transitive dev.mailroom;
  requires transitive io.github.bucket4j.core;

  exports dev.mailroom.bucket4j;
}
