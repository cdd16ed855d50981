package dev.mailroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EmailSettingsTest {

  static EmailSettings.Builder gmail() {
    return EmailSettings.builder()
        .protocol(Protocol.SMTP)
        .host("smtp.gmail.com")
        .port(587)
        .username("billing@acme.example")
        .password("app-password");
  }

  static List<SettingsProblem> problems(EmailSettings.Builder b) {
    return catchThrowableOfType(InvalidSettingsException.class, b::build).problems();
  }

  static SettingsProblem onlyProblem(EmailSettings.Builder b) {
    List<SettingsProblem> p = problems(b);
    assertThat(p).hasSize(1);
    return p.get(0);
  }

  @Test
  void buildsValidSmtpSettingsWithDefaults() {
    EmailSettings s = gmail().build();
    assertThat(s.protocol()).isEqualTo(Protocol.SMTP);
    assertThat(s.host()).contains("smtp.gmail.com");
    assertThat(s.port()).isEqualTo(587);
    assertThat(s.tlsMode()).isEqualTo(TlsMode.STARTTLS);
    assertThat(s.verifyTlsCertificate()).isTrue();
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.fromAddress()).isEqualTo("billing@acme.example");
    assertThat(s.password()).contains(Secret.of("app-password"));
    assertThat(s.copyTo()).isEmpty();
  }

  @Test
  void port465DefaultsToImplicitTlsAndOtherPortsToStarttls() {
    assertThat(gmail().port(465).build().tlsMode()).isEqualTo(TlsMode.IMPLICIT);
    assertThat(gmail().port(25).build().tlsMode()).isEqualTo(TlsMode.STARTTLS);
    assertThat(gmail().port(2525).build().tlsMode()).isEqualTo(TlsMode.STARTTLS);
  }

  @Test
  void noneOnlyWhenSetExplicitly() {
    EmailSettings s = EmailSettings.builder().protocol(Protocol.SMTP).host("localhost").port(25)
        .tlsMode(TlsMode.NONE).emailAddress("me@acme.example").build();
    assertThat(s.tlsMode()).isEqualTo(TlsMode.NONE);
  }

  @Test
  void fromAddressPrefersEmailAddressOverUsername() {
    EmailSettings s = gmail().username("acme-billing").emailAddress("billing@acme.example").build();
    assertThat(s.fromAddress()).isEqualTo("billing@acme.example");
    assertThat(s.sender()).isEqualTo(Address.of("billing@acme.example"));
    assertThat(gmail().senderName("Acme Ltd").build().sender())
        .isEqualTo(Address.of("billing@acme.example", "Acme Ltd"));
  }

  @Test
  void toStringNeverShowsSecrets() {
    EmailSettings s = gmail().password("hunter2-secret").build();
    assertThat(s.toString()).doesNotContain("hunter2-secret").contains("password=******");
    EmailSettings h = EmailSettings.builder().protocol(Protocol.HTTP).httpServer("https://mail.example.com/send")
        .replyTo("office@acme.example").apiKey("key-123456789").build();
    assertThat(h.toString()).doesNotContain("key-123456789").contains("apiKey=******");
    EmailSettings o = gmail().password((String) null).oauth2(() -> Secret.of("tok")).build();
    assertThat(o.toString()).contains("oauth2=******");
  }

  @Test
  void equalsAndHashCodeCoverAllFields() {
    assertThat(gmail().build()).isEqualTo(gmail().build()).hasSameHashCodeAs(gmail().build());
    assertThat(gmail().build()).isNotEqualTo(gmail().password("other").build());
    assertThat(gmail().build()).isNotEqualTo(gmail().copyTo("archive@acme.example").build());
    assertThat(gmail().build()).isNotEqualTo(gmail().verifyTlsCertificate(false).build());
  }

  @Test
  void toBuilderRoundTripsAndReDerivesTlsFromANewPort() {
    EmailSettings s = gmail().copyTo("archive@acme.example").replyTo("office@acme.example").build();
    assertThat(s.toBuilder().build()).isEqualTo(s);
    EmailSettings moved = s.toBuilder().port(465).build();
    assertThat(moved.tlsMode()).isEqualTo(TlsMode.IMPLICIT);
  }

  @Test
  void blankFormFieldsAreUnsetAndValuesAreTrimmed() {
    EmailSettings s = gmail().host("  smtp.gmail.com ").copyTo("  ").replyTo("").build();
    assertThat(s.host()).contains("smtp.gmail.com");
    assertThat(s.copyTo()).isEmpty();
    assertThat(s.replyTo()).isEmpty();
  }

  @Test
  void presetSetsHostPortAndTls() {
    EmailSettings s = EmailSettings.builder().preset(Presets.YAHOO).username("me@yahoo.com").password("x").build();
    assertThat(s.protocol()).isEqualTo(Protocol.SMTP);
    assertThat(s.host()).contains("smtp.mail.yahoo.com");
    assertThat(s.port()).isEqualTo(465);
    assertThat(s.tlsMode()).isEqualTo(TlsMode.IMPLICIT);
    assertThat(s.preset()).contains(Presets.YAHOO);
    EmailSettings alt = EmailSettings.builder().preset(Presets.YAHOO).port(587).username("me@yahoo.com")
        .password("x").build();
    assertThat(alt.tlsMode()).isEqualTo(TlsMode.STARTTLS);
  }

  @Test
  void oauth2IsAnAlternativeToAPassword() throws Exception {
    EmailSettings s = EmailSettings.builder().preset(Presets.OFFICE365).username("me@contoso.example")
        .oauth2(() -> Secret.of("token")).build();
    assertThat(s.oauth2()).isPresent();
    assertThat(s.oauth2().get().accessToken().reveal()).isEqualTo("token");
    assertThat(s.password()).isEmpty();
  }

  @Nested
  class Validation {
    @Test
    void protocolIsRequired() {
      SettingsProblem p = onlyProblem(EmailSettings.builder());
      assertThat(p).isEqualTo(new SettingsProblem("protocol", "required", "Choose a protocol: SMTP or HTTP."));
    }

    @Test
    void smtpNeedsHostAndPortAndSender() {
      List<SettingsProblem> p = problems(EmailSettings.builder().protocol(Protocol.SMTP));
      assertThat(p).containsExactly(
          new SettingsProblem("host", "required",
              "Enter the SMTP server name from your email provider, e.g. smtp.gmail.com."),
          new SettingsProblem("port", "required", "Enter the SMTP port: 465 (SSL/TLS) or 587 (STARTTLS)."),
          new SettingsProblem("emailAddress", "required",
              "emailAddress is required when there is no username: enter the sender's email address."));
    }

    @Test
    void reportsEveryProblemAtOnce() {
      InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class, () -> gmail()
          .host("smtp gmail.com").port(70000).copyTo("bob@").replyTo("a@x.example, b@x.example").build());
      assertThat(e.problems()).extracting(SettingsProblem::field)
          .containsExactly("host", "port", "copyTo", "replyTo");
      assertThat(e.getMessage()).startsWith("Invalid email settings (4 problems): host: ");
      assertThat(e.problemsOf("port")).hasSize(1);
    }

    @Test
    void rejectsHostWithScheme() {
      assertThat(onlyProblem(gmail().host("smtp://smtp.gmail.com")).message())
          .isEqualTo("host must be a server name without a scheme: remove \"smtp://\" from \"smtp://smtp.gmail.com\"");
    }

    @Test
    void rejectsHostWithSpaces() {
      assertThat(onlyProblem(gmail().host("smtp gmail.com")))
          .isEqualTo(new SettingsProblem("host", "invalid", "host must not contain spaces: \"smtp gmail.com\""));
    }

    @Test
    void rejectsHostWithPort() {
      assertThat(onlyProblem(gmail().host("smtp.gmail.com:587")).message())
          .isEqualTo("host must not contain a port: put 587 in the port field (\"smtp.gmail.com:587\")");
    }

    @Test
    void rejectsInvalidHostCharacters() {
      assertThat(onlyProblem(gmail().host("smtp_gmail!.com")).message()).isEqualTo(
          "host is not a valid server name (only letters, digits, hyphens and dots are allowed, and no label"
              + " may start or end with a hyphen): \"smtp_gmail!.com\"");
    }

    @Test
    void acceptsIpAddressesAndInternationalHostNames() {
      assertThat(gmail().host("192.168.1.10").build().host()).contains("192.168.1.10");
      assertThat(gmail().host("::1").build().host()).contains("::1");
      assertThat(gmail().host("mail.bücher.example").build().host()).contains("mail.bücher.example");
      assertThat(onlyProblem(gmail().host("300.1.1.1")).message())
          .isEqualTo("host is not a valid IPv4 address: \"300.1.1.1\"");
    }

    @Test
    void rejectsPortOutOfRange() {
      assertThat(onlyProblem(gmail().port(0)))
          .isEqualTo(new SettingsProblem("port", "out-of-range", "port must be between 1 and 65535: 0"));
      assertThat(onlyProblem(gmail().port(65536)).message()).isEqualTo("port must be between 1 and 65535: 65536");
      assertThat(gmail().port(65535).build().port()).isEqualTo(65535);
      assertThat(gmail().port(1).build().port()).isEqualTo(1);
    }

    @Test
    void flagsImplicitTlsOn587AndStarttlsOn465() {
      assertThat(onlyProblem(gmail().port(587).tlsMode(TlsMode.IMPLICIT))).isEqualTo(new SettingsProblem(
          "tlsMode", "likely-mistake",
          "port 587 uses STARTTLS, not IMPLICIT TLS: set tlsMode STARTTLS, or use port 465 for IMPLICIT"));
      assertThat(onlyProblem(gmail().port(465).tlsMode(TlsMode.STARTTLS))).isEqualTo(new SettingsProblem(
          "tlsMode", "likely-mistake",
          "port 465 expects IMPLICIT TLS from the first byte, not STARTTLS: set tlsMode IMPLICIT, or use port"
              + " 587 for STARTTLS"));
    }

    @Test
    void requiresEmailAddressWhenUsernameIsNotAnAddress() {
      assertThat(onlyProblem(gmail().username("acme-billing"))).isEqualTo(new SettingsProblem(
          "emailAddress", "required", "emailAddress is required because the username \"acme-billing\" is not"
              + " an email address: enter the sender's email address."));
      assertThat(gmail().username("acme-billing").emailAddress("billing@acme.example").build().fromAddress())
          .isEqualTo("billing@acme.example");
    }

    @Test
    void everyAddressMustBeOneValidAddress() {
      assertThat(onlyProblem(gmail().copyTo("bob@"))).isEqualTo(new SettingsProblem("copyTo", "invalid",
          "copyTo is not a valid email address (has nothing after '@'): \"bob@\""));
      assertThat(onlyProblem(gmail().replyTo("a@x.example, b@x.example"))).isEqualTo(new SettingsProblem(
          "replyTo", "invalid", "replyTo must be a single email address: \"a@x.example, b@x.example\""));
      assertThat(onlyProblem(gmail().username("x").emailAddress("Acme <billing@acme.example>")).message())
          .isEqualTo("emailAddress is not a valid email address (must be a plain address such as"
              + " name@example.com, without '<' '>'): \"Acme <billing@acme.example>\"");
      assertThat(gmail().copyTo("archiv@bücher.example").build().copyTo()).contains("archiv@bücher.example");
    }

    @Test
    void passwordNeedsUsernameAndUsernameNeedsPassword() {
      assertThat(onlyProblem(gmail().password((String) null))).isEqualTo(new SettingsProblem("password",
          "required", "password is required for username \"billing@acme.example\"; leave the username empty if"
              + " the server needs no login."));
      List<SettingsProblem> p = problems(gmail().username(null).emailAddress("me@acme.example"));
      assertThat(p).containsExactly(new SettingsProblem("username", "required",
          "username is required when a password or OAuth2 token is set."));
    }

    @Test
    void passwordAndOauth2Conflict() {
      assertThat(onlyProblem(gmail().oauth2(() -> Secret.of("t")))).isEqualTo(
          new SettingsProblem("password", "conflict", "Set either a password or oauth2, not both."));
    }

    @Test
    void refusesPlaintextPasswordToRemoteHost() {
      assertThat(onlyProblem(gmail().port(25).tlsMode(TlsMode.NONE))).isEqualTo(new SettingsProblem(
          "tlsMode", "insecure", "tlsMode NONE would send the password unencrypted to smtp.gmail.com: choose"
              + " STARTTLS or IMPLICIT (plain text is only allowed to localhost)."));
      assertThat(gmail().host("127.0.0.1").port(2525).tlsMode(TlsMode.NONE).build().tlsMode())
          .isEqualTo(TlsMode.NONE);
    }

    @Test
    void controlCharactersAreRejectedWithoutEchoingSecrets() {
      InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class,
          () -> gmail().password("pa\r\nss-secret").senderName("Acme\r\nBcc: x@evil.example").build());
      assertThat(e.problems()).containsExactly(
          new SettingsProblem("password", "invalid", "password must not contain line breaks or control characters."),
          new SettingsProblem("senderName", "invalid", "senderName must not contain line breaks or control"
              + " characters (found U+000D at index 4): \"Acme\\r\\nBcc: x@evil.example\""));
      assertThat(e.getMessage()).doesNotContain("ss-secret");
    }

    @Test
    void timeoutsMustBePositiveAndBounded() {
      assertThat(onlyProblem(gmail().connectTimeout(Duration.ZERO))).isEqualTo(new SettingsProblem(
          "connectTimeout", "out-of-range", "connectTimeout must be more than 0 and at most 10 minutes: PT0S"));
      assertThat(onlyProblem(gmail().readTimeout(Duration.ofMinutes(11))).message())
          .isEqualTo("readTimeout must be more than 0 and at most 10 minutes: PT11M");
    }

    @Test
    void apiKeyIsForHttpOnly() {
      assertThat(onlyProblem(gmail().apiKey("k"))).isEqualTo(new SettingsProblem("apiKey", "conflict",
          "apiKey is only used with HTTP; for SMTP put the key in password."));
    }
  }

  @Nested
  class Http {
    EmailSettings.Builder form() {
      return EmailSettings.builder().protocol(Protocol.HTTP).httpServer("https://email.example.com/send")
          .replyTo("office@acme.example");
    }

    @Test
    void buildsHttpSettings() {
      EmailSettings s = form().senderName("Acme Ltd").build();
      assertThat(s.httpServer()).hasValueSatisfying(u -> assertThat(u).hasToString("https://email.example.com/send"));
      assertThat(s.host()).contains("email.example.com");
      assertThat(s.port()).isEqualTo(443);
      assertThat(s.tlsMode()).isEqualTo(TlsMode.IMPLICIT);
      assertThat(s.fromAddress()).isEqualTo("office@acme.example");
    }

    @Test
    void bareHostGetsHttps() {
      assertThat(form().httpServer("email.example.com").build().httpServer().orElseThrow())
          .hasToString("https://email.example.com/");
    }

    @Test
    void needsServerAndReplyTo() {
      assertThat(problems(EmailSettings.builder().protocol(Protocol.HTTP))).containsExactly(
          new SettingsProblem("httpServer", "required",
              "Enter the URL of the HTTP mail service, e.g. https://email.example.com."),
          new SettingsProblem("replyTo", "required", "replyTo is required for HTTP: enter the address where"
              + " replies should go, usually your business address."));
    }

    @Test
    void plainHttpOnlyForLoopback() {
      assertThat(onlyProblem(form().httpServer("http://mail.example.com/send"))).isEqualTo(new SettingsProblem(
          "httpServer", "insecure", "httpServer must use https:// (plain http:// is only allowed for"
              + " localhost): \"http://mail.example.com\""));
      EmailSettings local = form().httpServer("http://127.0.0.1:8080/send").build();
      assertThat(local.tlsMode()).isEqualTo(TlsMode.NONE);
      assertThat(local.port()).isEqualTo(8080);
      assertThat(form().httpServer("http://localhost:9/x").build().host()).contains("localhost");
    }

    @Test
    void rejectsCredentialsInTheUrlAndOtherSchemes() {
      assertThat(onlyProblem(form().httpServer("https://user:pw@mail.example.com/")).message())
          .isEqualTo("httpServer must not contain a user name or password: put the key in apiKey.");
      assertThat(onlyProblem(form().httpServer("ftp://mail.example.com/")).message())
          .isEqualTo("httpServer must start with https://, not \"ftp://\"");
    }
  }

  @Nested
  class Urls {
    @Test
    void parsesSmtpUrl() {
      EmailSettings s = EmailSettings.builder()
          .url("smtp://billing@smtp.gmail.com:587?from=billing%2Binvoices@acme.example&name=Acme%20Ltd")
          .password("pw").build();
      assertThat(s.protocol()).isEqualTo(Protocol.SMTP);
      assertThat(s.host()).contains("smtp.gmail.com");
      assertThat(s.port()).isEqualTo(587);
      assertThat(s.tlsMode()).isEqualTo(TlsMode.STARTTLS);
      assertThat(s.username()).contains("billing");
      assertThat(s.fromAddress()).isEqualTo("billing+invoices@acme.example");
      assertThat(s.senderName()).contains("Acme Ltd");
    }

    @Test
    void smtpsDefaultsTo465WithImplicitTlsAndDecodesThePassword() {
      EmailSettings s = EmailSettings.fromUrl("smtps://me%40acme.example:p%40ss%2Fw0rd@mail.acme.example");
      assertThat(s.port()).isEqualTo(465);
      assertThat(s.tlsMode()).isEqualTo(TlsMode.IMPLICIT);
      assertThat(s.username()).contains("me@acme.example");
      assertThat(s.password().orElseThrow().reveal()).isEqualTo("p@ss/w0rd");
    }

    @Test
    void parsesPresetAndOptions() {
      EmailSettings s = EmailSettings.fromUrl(
          "smtp://me@gmail.com:pw@?preset=gmail&copy-to=archive@acme.example&read-timeout=5s&connect-timeout=PT2S");
      assertThat(s.host()).contains("smtp.gmail.com");
      assertThat(s.preset()).contains(Presets.GMAIL);
      assertThat(s.copyTo()).contains("archive@acme.example");
      assertThat(s.readTimeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void parsesHttpUrlKeepingForeignParameters() {
      EmailSettings s = EmailSettings.fromUrl(
          "https://api.example.com/v1/send?region=eu&reply-to=office@acme.example&dialect=form&name=Acme");
      assertThat(s.protocol()).isEqualTo(Protocol.HTTP);
      assertThat(s.httpServer().orElseThrow()).hasToString("https://api.example.com/v1/send?region=eu");
      assertThat(s.replyTo()).contains("office@acme.example");
      assertThat(s.httpDialect()).contains("form");
      assertThat(s.senderName()).contains("Acme");
    }

    @Test
    void reportsUrlProblemsWithoutThePassword() {
      InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class,
          () -> EmailSettings.fromUrl("smtp://me@acme.example:Secret-9@mail.acme.example:abc?bogus=1"));
      assertThat(e.problems()).extracting(SettingsProblem::field).containsExactly("url", "port");
      assertThat(e.problems().get(0).message()).startsWith("unknown url parameter \"bogus\"");
      assertThat(e.problems().get(1).message()).isEqualTo("port must be a number between 1 and 65535 in the url");
      assertThat(e.getMessage()).doesNotContain("Secret-9");
      InvalidSettingsException noScheme = catchThrowableOfType(InvalidSettingsException.class,
          () -> EmailSettings.fromUrl("me:Secret-9@mail.acme.example"));
      assertThat(noScheme.getMessage()).doesNotContain("Secret-9")
          .contains("url must start with smtp://, smtps://, https:// or http://");
    }
  }

  @Nested
  class PropertiesRoundTrip {
    @Test
    void roundTripsWithoutSecretsByDefault() {
      EmailSettings s = gmail().senderName("Acme Ltd").copyTo("archive@acme.example")
          .replyTo("office@acme.example").readTimeout(Duration.ofSeconds(5)).build();
      Properties p = s.toProperties(false);
      assertThat(p.getProperty("password")).isNull();
      assertThat(p.getProperty("host")).isEqualTo("smtp.gmail.com");
      EmailSettings back = EmailSettings.builder().properties(p, "").password("app-password").build();
      assertThat(back).isEqualTo(s);
    }

    @Test
    void roundTripsWithSecretsWhenAsked() {
      EmailSettings s = gmail().port(465).build();
      assertThat(EmailSettings.fromProperties(s.toProperties(true))).isEqualTo(s);
      EmailSettings h = EmailSettings.builder().protocol(Protocol.HTTP).httpServer("https://api.sendgrid.com/v3/mail/send")
          .httpDialect("sendgrid").apiKey("k-1").replyTo("office@acme.example").emailAddress("billing@acme.example")
          .build();
      assertThat(EmailSettings.fromProperties(h.toProperties(true))).isEqualTo(h);
    }

    @Test
    void readsWithPrefixAndReportsUnknownKeys() {
      Properties p = new Properties();
      p.setProperty("mail.protocol", "smtp");
      p.setProperty("mail.preset", "gmail");
      p.setProperty("mail.username", "me@gmail.com");
      p.setProperty("mail.password", "x");
      p.setProperty("mail.colour", "blue");
      p.setProperty("other.key", "ignored");
      InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class,
          () -> EmailSettings.builder().properties(p, "mail.").build());
      assertThat(e.problems()).singleElement().satisfies(x -> {
        assertThat(x.field()).isEqualTo("mail.colour");
        assertThat(x.code()).isEqualTo("unknown");
      });
      p.remove("mail.colour");
      assertThat(EmailSettings.builder().properties(p, "mail.").build().host()).contains("smtp.gmail.com");
    }
  }

  @Test
  void secretPrintsMasked() {
    assertThat(Secret.of("abc")).hasToString("******");
    assertThat(Secret.of("abc")).isEqualTo(Secret.of("abc")).isNotEqualTo(Secret.of("abd"));
    assertThatThrownBy(() -> Secret.of("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a secret must not be empty");
  }
}
