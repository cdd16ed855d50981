/**
 * The HTTP sender of Mailroom, on {@code java.net.http}.
 */
module dev.mailroom.http {
  requires dev.mailroom;
  requires java.net.http;
  requires org.slf4j;

  exports dev.mailroom.http;

  provides dev.mailroom.spi.SenderProvider with dev.mailroom.http.HttpSenderProvider;
}
