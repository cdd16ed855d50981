/**
 * The Mailroom test kit: local SMTP and HTTP mail servers, fault injection, provider personas, a recording
 * sender and one assertion API over all of them. The servers are plain {@code AutoCloseable} objects that
 * need no test framework; the JUnit 5 extension on top ({@code dev.mailroom.testkit.junit}) needs
 * {@code junit-jupiter-api}, an optional dependency.
 *
 * <p>WireMock's standalone jar carries a module descriptor of a library it shades, so it cannot be required
 * by name: on the module path, run with {@code --add-reads dev.mailroom.testkit=ALL-UNNAMED} and WireMock on
 * the class path. On the class path (the usual way tests run) nothing is needed.
 */
module dev.mailroom.testkit {
  requires transitive dev.mailroom;
  requires dev.mailroom.smtp;
  requires dev.mailroom.http;
  requires jakarta.mail;
  requires greenmail;
  requires static org.junit.jupiter.api;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.util;
  requires org.slf4j;

  exports dev.mailroom.testkit;
  // the JUnit 5 extension over the servers; needs junit-jupiter-api, which the servers do not
  exports dev.mailroom.testkit.junit;
  // the bounded JSON reader, for the command line's tests
  exports dev.mailroom.testkit.internal to dev.mailroom.cli;
}
