package dev.mailroom.testkit;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailroom.EmailSettings;
import dev.mailroom.Protocol;
import dev.mailroom.TlsMode;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void smoke() {
    GreenMail gm = new GreenMail(new ServerSetup[] {new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort(),
        new ServerSetup(0, "127.0.0.1", "smtps").dynamicPort()});
    gm.start();
    try {
      gm.setUser("billing@acme.example", "billing@acme.example", "secret-pw");
      EmailSettings s = EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1")
          .port(gm.getSmtp().getPort()).tlsMode(TlsMode.NONE).username("billing@acme.example")
          .password(dev.mailroom.Secret.of("secret-pw")).readTimeout(Duration.ofSeconds(2)).build();
      DiagnosticReport r = ConnectionDiagnostics.run(s, DiagnosticOptions.builder().transcript(true)
          .testRecipient("someone@acme.example").build());
      System.out.println(r.toText());
      System.out.println(r.toText(Locale.forLanguageTag("bn")));
      EmailSettings tls = s.toBuilder().port(gm.getSmtps().getPort()).tlsMode(TlsMode.IMPLICIT).build();
      r = ConnectionDiagnostics.run(tls, DiagnosticOptions.builder().transcript(true).build());
      System.out.println(r.toText());
      System.out.println(r.toJson());
      r = ConnectionDiagnostics.run(tls.toBuilder().port(gm.getSmtp().getPort()).build(), DiagnosticOptions.builder().transcript(true).build());
      System.out.println(r.toText());
      r = ConnectionDiagnostics.run(tls.toBuilder().port(gm.getSmtps().getPort()).tlsMode(TlsMode.NONE).build(), DiagnosticOptions.builder().transcript(true).build());
      System.out.println(r.toText());
    } finally {
      gm.stop();
    }
  }
}
