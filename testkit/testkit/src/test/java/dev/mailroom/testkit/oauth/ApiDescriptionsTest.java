package dev.mailroom.testkit.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.OAuth2;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.junit.StartStop;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The fakes check every request against the providers' published API descriptions (excerpts of Graph's OpenAPI,
 * the SES v2 service model and the Gmail discovery document, stored with the test kit), so that every test of the
 * dialects also validates their requests: here, requests that do not match are refused.
 */
class ApiDescriptionsTest {
  @StartStop
  static MailroomHttpServer graph = MailroomHttpServer.builder().dialect("graph").build();
  @StartStop
  static MailroomHttpServer gmail = MailroomHttpServer.builder().dialect("gmail").build();

  private static HttpResponse<String> post(URI uri, String token, String type, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void graphRefusesAMessageThatIsNotInItsDescription() throws Exception {
    String token = OAuth2.clientCredentials(graph.tokenEndpoint(OAuth2.GRAPH_APP_SCOPE), graph.clientId(),
        graph.clientSecret()).accessToken().reveal();
    URI send = graph.settings().httpServer().orElseThrow().resolve("/v1.0/users/" + MailroomHttpServer.SENDER
        + "/sendMail");
    HttpResponse<String> unknownMember = post(send, token, "application/json",
        "{\"message\":{\"subject\":\"x\",\"bodyText\":\"x\"}}");
    assertThat(unknownMember.statusCode()).isEqualTo(400);
    assertThat(unknownMember.body()).contains("bodyText is not a member of microsoft.graph.message");
    HttpResponse<String> badEnum = post(send, token, "application/json",
        "{\"message\":{\"subject\":\"x\",\"body\":{\"contentType\":\"markdown\",\"content\":\"x\"}}}");
    assertThat(badEnum.body()).contains("must be one of text,html");
    HttpResponse<String> noMessage = post(send, token, "application/json", "{\"saveToSentItems\":true}");
    assertThat(noMessage.body()).contains("lacks the required message");
    graph.assertNoneReceived();
  }

  @Test
  void gmailRefusesMediaItsDescriptionDoesNotAccept() throws Exception {
    String token = OAuth2.googleServiceAccount(gmail.serviceAccountKey(), MailroomHttpServer.SENDER,
        OAuth2.GMAIL_SEND_SCOPE).accessToken().reveal();
    URI send = gmail.settings().httpServer().orElseThrow()
        .resolve("/upload/gmail/v1/users/me/messages/send?uploadType=media");
    HttpResponse<String> r = post(send, token, "text/plain", "Subject: x\r\n\r\nx");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("badContent");
    gmail.assertNoneReceived();
  }
}
