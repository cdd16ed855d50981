package dev.mailroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Spring Boot's spring.mail.* and Quarkus's quarkus.mailer.* files read unchanged, or every key reported. */
class EcosystemKeysTest {
  static Properties props(String text) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(text));
    return p;
  }

  static List<SettingsProblem> problems(Properties p, String prefix) {
    return catchThrowableOfType(InvalidSettingsException.class,
        () -> EmailSettings.builder().properties(p, prefix).build()).problems();
  }

  @Test
  void readsASpringBootMailConfiguration() throws IOException {
    EmailSettings s = EmailSettings.fromProperties(props("""
        spring.mail.host=smtp.gmail.com
        spring.mail.port=587
        spring.mail.username=billing@gmail.com
        spring.mail.password=app-password
        spring.mail.protocol=smtp
        spring.mail.default-encoding=UTF-8
        spring.mail.properties.mail.smtp.auth=true
        spring.mail.properties.mail.smtp.starttls.enable=true
        spring.mail.properties.mail.smtp.starttls.required=true
        spring.mail.properties.mail.smtp.connectiontimeout=5000
        spring.mail.properties.mail.smtp.timeout=3000
        spring.mail.properties.mail.smtp.writetimeout=3000
        """));

    assertThat(s.protocol()).isEqualTo(Protocol.SMTP);
    assertThat(s.host()).contains("smtp.gmail.com");
    assertThat(s.port()).isEqualTo(587);
    assertThat(s.tlsMode()).isEqualTo(TlsMode.STARTTLS);
    assertThat(s.username()).contains("billing@gmail.com");
    assertThat(s.password().orElseThrow().reveal()).isEqualTo("app-password");
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofMillis(5000));
    assertThat(s.readTimeout()).isEqualTo(Duration.ofMillis(3000));
  }

  @Test
  void springSslAndSmtpsMeanTlsFromTheFirstByte() throws IOException {
    for (String tls : List.of("spring.mail.protocol=smtps", "spring.mail.properties.mail.smtp.ssl.enable=true")) {
      EmailSettings s = EmailSettings.fromProperties(props("spring.mail.host=smtp.mail.yahoo.com\n"
          + "spring.mail.port=465\nspring.mail.username=a@yahoo.com\nspring.mail.password=x\n" + tls));
      assertThat(s.tlsMode()).as(tls).isEqualTo(TlsMode.IMPLICIT);
    }
  }

  @Test
  void theSpringPrefixWorksInsideAWholeApplicationFile() throws IOException {
    Properties p = props("server.port=8080\nspring.datasource.url=jdbc:h2:mem:x\nspring.mail.host=smtp.acme.example\n"
        + "spring.mail.port=587\nspring.mail.username=billing@acme.example\nspring.mail.password=x\n");

    assertThat(EmailSettings.builder().properties(p, "spring.mail.").build().host()).contains("smtp.acme.example");
    assertThat(EmailSettings.fromProperties(p).host()).contains("smtp.acme.example");
  }

  @Test
  void keysMailroomCannotHonourAreReportedByName() throws IOException {
    List<SettingsProblem> problems = problems(props("""
        spring.mail.host=smtp.acme.example
        spring.mail.port=587
        spring.mail.username=billing@acme.example
        spring.mail.password=x
        spring.mail.jndi-name=mail/Session
        spring.mail.default-encoding=ISO-8859-1
        spring.mail.properties.mail.smtp.localhost=client.acme.example
        spring.mail.properties.mail.smtp.timeout=3000
        spring.mail.properties.mail.smtp.writetimeout=9000
        spring.mail.properties.mail.smtp.auth=false
        """), "");

    assertThat(problems).extracting(SettingsProblem::field).containsExactlyInAnyOrder("spring.mail.jndi-name",
        "spring.mail.default-encoding", "spring.mail.properties.mail.smtp.localhost",
        "spring.mail.properties.mail.smtp.writetimeout", "spring.mail.properties.mail.smtp.auth");
    assertThat(problems).filteredOn(p -> p.field().equals("spring.mail.properties.mail.smtp.localhost"))
        .singleElement().satisfies(p -> assertThat(p.message()).startsWith(
            "Mailroom does not support the Jakarta Mail property \"spring.mail.properties.mail.smtp.localhost\""));
  }

  @Test
  void readsAQuarkusMailerConfiguration() throws IOException {
    EmailSettings s = EmailSettings.fromProperties(props("""
        quarkus.mailer.host=smtp.acme.example
        quarkus.mailer.port=587
        quarkus.mailer.username=billing
        quarkus.mailer.password=x
        quarkus.mailer.from=Acme Ltd <billing@acme.example>
        quarkus.mailer.start-tls=REQUIRED
        quarkus.mailer.mock=false
        """));

    assertThat(s.tlsMode()).isEqualTo(TlsMode.STARTTLS);
    assertThat(s.emailAddress()).contains("billing@acme.example");
    assertThat(s.senderName()).contains("Acme Ltd");
    assertThat(s.username()).contains("billing");

    EmailSettings tls = EmailSettings.fromProperties(props("quarkus.mailer.host=smtp.acme.example\n"
        + "quarkus.mailer.port=465\nquarkus.mailer.tls=true\nquarkus.mailer.from=billing@acme.example\n"));
    assertThat(tls.tlsMode()).isEqualTo(TlsMode.IMPLICIT);
  }

  @Test
  void quarkusKeysMailroomCannotHonourAreReportedByName() throws IOException {
    List<SettingsProblem> problems = problems(props("""
        quarkus.mailer.host=smtp.acme.example
        quarkus.mailer.port=587
        quarkus.mailer.from=billing@acme.example
        quarkus.mailer.mock=true
        quarkus.mailer.start-tls=SOMETIMES
        quarkus.mailer.keep-alive=true
        """), "");

    assertThat(problems).extracting(SettingsProblem::field).containsExactlyInAnyOrder("quarkus.mailer.mock",
        "quarkus.mailer.start-tls", "quarkus.mailer.keep-alive");
  }
}
