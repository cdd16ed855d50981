package com.acme.billing;

import dev.mailroom.EmailSettings;
import dev.mailroom.Protocol;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

public final class SettingsSources {
  /** The values of a settings form's fields; blank fields are simply unset. */
  public static EmailSettings fromForm(String host, int port, String username, String password, String emailAddress,
      String copyTo, String replyTo, boolean doNotVerifyTlsCertificate) {
    return EmailSettings.builder()
        .protocol(Protocol.SMTP).host(host).port(port)
        .username(username).password(password).emailAddress(emailAddress)
        .copyTo(copyTo).replyTo(replyTo)
        .verifyTlsCertificate(!doNotVerifyTlsCertificate)
        .build();
  }

  public static EmailSettings fromUrl(String password) {  // e.g. System.getenv("SMTP_PASSWORD")
    return EmailSettings.builder()
        .url("smtp://billing@smtp.gmail.com:587?from=billing@acme.example&name=Acme%20Ltd")
        .password(password)                           // never in the URL: a URL with a password is refused
        .build();
  }

  public static EmailSettings fromFile(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    }
    return EmailSettings.builder().properties(properties, "mail.").build(); // mail.host=..., mail.port=...
  }

  public static Properties save(EmailSettings settings) {
    return settings.toProperties(false);   // the password is left out unless asked for
  }
}
