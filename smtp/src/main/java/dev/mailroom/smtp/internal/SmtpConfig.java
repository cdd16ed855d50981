package dev.mailroom.smtp.internal;

import dev.mailroom.internal.TlsPolicy;
import dev.mailroom.spi.SenderContext;
import dev.mailroom.EmailSettings;
import dev.mailroom.ProviderPreset;
import dev.mailroom.TlsMode;
import dev.mailroom.internal.HostNames;
import jakarta.mail.Session;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything fixed for one SMTP sender: where to connect, how to secure it, the timeouts and the two
 * Angus sessions (plain ASCII and SMTPUTF8). The Angus properties are built here and nowhere else, so no
 * other Angus setting (trust, debug, socket factories) can be slipped in.
 */
final class SmtpConfig {
  private static final Logger LOG = LoggerFactory.getLogger(SmtpConfig.class);

  private final EmailSettings settings;
  private final SenderContext options;
  private final String host;
  private final String asciiHost;
  private final int port;
  private final TlsMode tlsMode;
  private final boolean verify;
  private final boolean loopback;
  private final long readTimeoutNanos;
  private final long writeTimeoutNanos;
  private final String presetId;
  private final Session session;
  private volatile Session utf8Session;

  SmtpConfig(EmailSettings settings, SenderContext options) {
    this.settings = settings;
    this.options = options;
    this.host = settings.host().orElseThrow(() -> new IllegalArgumentException(
        "host: the SMTP sender needs the SMTP server's host name"));
    this.asciiHost = HostNames.toAscii(host);
    this.port = settings.port();
    this.tlsMode = settings.tlsMode();
    this.verify = settings.verifyTlsCertificate();
    this.loopback = HostNames.isLoopback(host);
    this.readTimeoutNanos = settings.readTimeout().toNanos();
    this.writeTimeoutNanos = settings.readTimeout().toNanos();
    // only an explicit preset; SmtpReplies recognizes the provider from the host and the replies
    this.presetId = settings.preset().map(ProviderPreset::id).orElse(null);
    if (tlsMode == TlsMode.NONE && hasCredentials() && !loopback) {
      // EmailSettings refuses this already; the sender keeps its own guard
      throw new IllegalArgumentException("tlsMode: NONE would send the password unencrypted to " + host
          + "; choose STARTTLS or IMPLICIT");
    }
    if (!verify && tlsMode != TlsMode.NONE) {
      LOG.warn("TLS certificate verification is turned off for {}:{}: any certificate is accepted. Use this only"
          + " for your own server with a self-signed certificate.", host, port);
    }
    this.session = Session.getInstance(properties(false));
  }

  private Properties properties(boolean utf8) {
    Properties p = new Properties();
    p.setProperty("mail.smtp.host", asciiHost);
    p.setProperty("mail.smtp.port", Integer.toString(port));
    p.setProperty("mail.smtp.connectiontimeout", Long.toString(settings.connectTimeout().toMillis()));
    p.setProperty("mail.smtp.timeout", Long.toString(Math.max(1, settings.readTimeout().toMillis())));
    // our socket layer for plain and TLS sockets; never Angus's own or the JDK default as a fallback
    p.put("mail.smtp.socketFactory", SocketFactories.PLAIN);
    p.setProperty("mail.smtp.socketFactory.fallback", "false");
    p.put("mail.smtp.ssl.socketFactory", SocketFactories.TLS);
    p.setProperty("mail.smtp.ssl.enable", Boolean.toString(tlsMode == TlsMode.IMPLICIT));
    p.setProperty("mail.smtp.starttls.enable", Boolean.toString(tlsMode == TlsMode.STARTTLS));
    p.setProperty("mail.smtp.starttls.required", Boolean.toString(tlsMode == TlsMode.STARTTLS));
    p.setProperty("mail.smtp.ssl.checkserveridentity", Boolean.toString(verify));
    p.setProperty("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
    p.setProperty("mail.smtp.auth", Boolean.toString(hasCredentials()));
    p.setProperty("mail.smtp.auth.mechanisms", settings.oauth2().isPresent() ? "XOAUTH2" : "PLAIN LOGIN");
    p.setProperty("mail.smtp.sasl.enable", "false");
    p.setProperty("mail.smtp.ehlo", "true");
    p.setProperty("mail.smtp.quitwait", "true");
    p.setProperty("mail.smtp.sendpartial", "false");
    p.setProperty("mail.smtp.noop.strict", "true");
    p.setProperty("mail.smtp.userset", "false");
    p.setProperty("mail.smtp.allow8bitmime", "false");
    p.setProperty("mail.debug", "false");
    p.setProperty("mail.debug.auth", "false");
    p.setProperty("mail.debug.auth.username", "false");
    p.setProperty("mail.debug.auth.password", "false");
    p.setProperty("mail.mime.allowutf8", Boolean.toString(utf8));
    return p;
  }

  boolean hasCredentials() {
    return settings.password().isPresent() || settings.oauth2().isPresent();
  }

  EmailSettings settings() {
    return settings;
  }

  SenderContext options() {
    return options;
  }

  /** Which servers may be connected to (issue 11). */
  dev.mailroom.DestinationPolicy destinationPolicy() {
    return options.destinationPolicy();
  }

  String host() {
    return host;
  }

  String asciiHost() {
    return asciiHost;
  }

  int port() {
    return port;
  }

  TlsMode tlsMode() {
    return tlsMode;
  }

  boolean verifyTlsCertificate() {
    return verify;
  }

  boolean loopback() {
    return loopback;
  }

  long readTimeoutNanos() {
    return readTimeoutNanos;
  }

  long writeTimeoutNanos() {
    return writeTimeoutNanos;
  }

  long connectTimeoutMillis() {
    return TimeUnit.NANOSECONDS.toMillis(settings.connectTimeout().toNanos());
  }

  /** The TLS context of the one TLS policy ({@link TlsPolicy}): verifying, or not when the user chose so. */
  SSLContext sslContext() {
    return TlsPolicy.context(verify, null);
  }

  String presetId() {
    return presetId;
  }

  Consumer<String> transcript() {
    return options.transcript().orElse(null);
  }

  Session session(boolean utf8) {
    if (!utf8) {
      return session;
    }
    Session u = utf8Session;
    if (u == null) {
      synchronized (this) {
        u = utf8Session;
        if (u == null) {
          u = Session.getInstance(properties(true));
          utf8Session = u;
        }
      }
    }
    return u;
  }
}
