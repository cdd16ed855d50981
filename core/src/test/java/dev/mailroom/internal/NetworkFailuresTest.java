package dev.mailroom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class NetworkFailuresTest {
  @Test
  void theJdksConnectTimeoutMessageIsAConnectTimeout() {
    // NioSocketImpl says "Connect timed out", the old PlainSocketImpl "connect timed out"
    for (String message : new String[] {"Connect timed out", "connect timed out"}) {
      Failure f = NetworkFailures.classify(new SocketTimeoutException(message), "smtp.example.com", 587, false)
          .build();
      assertThat(f.category()).isEqualTo(FailureCategory.CONNECTION);
      assertThat(f.hintKey()).isEqualTo("hint.connection.connect-timeout");
    }
  }

  @Test
  void aReadTimeoutIsATransientTimeout() {
    Failure f = NetworkFailures.classify(new SocketTimeoutException("Read timed out"), "smtp.example.com", 587,
        false).build();
    assertThat(f.category()).isEqualTo(FailureCategory.TIMEOUT);
    assertThat(f.isTransient()).isTrue();
  }

  private static Failure tls(String message) {
    SSLHandshakeException e = new SSLHandshakeException(message);
    e.initCause(new CertificateException(message));
    return NetworkFailures.classify(e, "smtp.example.com", 465, true).build();
  }

  @Test
  void aWeakKeyNamesTheKeyInTheMessageAndTheHint() {
    Failure f = tls("weak key: the server's certificate has a 1024-bit RSA key; at least 2048 bits are required");
    assertThat(f.category()).isEqualTo(FailureCategory.TLS);
    assertThat(f.isTransient()).isFalse();
    assertThat(f.hintKey()).isEqualTo("hint.tls.weak-key");
    assertThat(f.message()).contains("a 1024-bit RSA key; at least 2048 bits are required");
    assertThat(f.hint(Locale.ENGLISH)).contains("RSA 1024 bits");
    assertThat(f.hint(Locale.forLanguageTag("bn"))).contains("RSA 1024");
    assertThat(f.hint(Locale.forLanguageTag("sw"))).contains("RSA 1024");
    Failure ec = tls("weak key: the server's certificate has a 224-bit EC key; at least 256 bits are required");
    assertThat(ec.message()).contains("a 224-bit EC key; at least 256 bits are required");
  }

  @Test
  void aCertificateWithoutSubjectAltNameHasItsOwnHint() {
    // the policy's refusal (host name: the JDK would have fallen back to the CN), and the JDK's (IP address)
    for (String message : new String[] {"No subject alternative DNS names present: the certificate names its host"
        + " only in the subject CN, which is not accepted", "No subject alternative names present"}) {
      Failure f = tls(message);
      assertThat(f.category()).as(message).isEqualTo(FailureCategory.TLS);
      assertThat(f.hintKey()).as(message).isEqualTo("hint.tls.no-subject-alt-name");
      assertThat(f.hint(Locale.ENGLISH)).contains("subjectAltName").contains("smtp.example.com");
    }
    // a certificate for other names is still a mismatch
    assertThat(tls("No subject alternative DNS name matching smtp.example.com found.").hintKey())
        .isEqualTo("hint.tls.hostname-mismatch");
  }

  @Test
  void aServerBelowTls12IsAnOutdatedProtocol() {
    Failure f = tls("Received fatal alert: protocol_version");
    assertThat(f.hintKey()).isEqualTo("hint.tls.old-protocol");
    assertThat(f.message()).contains("older than TLS 1.2");
    assertThat(f.hint(Locale.ENGLISH)).contains("TLS 1.2").doesNotContain("Java no longer");
  }
}
