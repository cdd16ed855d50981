package dev.mailroom.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.Email;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import dev.mailroom.testing.Canary;
import org.junit.jupiter.api.Test;

/** A dialect found through ServiceLoader, and the sender's checks around any dialect. */
class PluginDialectTest extends HttpTestSupport {
  @Test
  void sendsThroughAPluginDialect() throws Exception {
    wm.stubFor(post(urlEqualTo("/acme/send")).willReturn(aResponse().withStatus(200).withHeader("X-Acme-Id", "a-1")));
    try (Mailer m = oneAttempt(settings("/").httpDialect("acme-api").build())) {
      assertThat(m.send(Email.builder().to("jane@customer.example").subject("hello").text("x").build()).messageId())
          .isEqualTo("a-1");
    }
    assertThat(requests().get(0).getBodyAsString()).isEqualTo("to=jane@customer.example");
    assertThat(requests().get(0).getHeader("User-Agent")).startsWith("Mailroom");
  }

  @Test
  void aLineBreakInAHeaderIsRefusedBeforeAnythingIsSent() {
    try (Mailer m = oneAttempt(settings("/").httpDialect("acme-api").build())) {
      assertThatThrownBy(() -> m.send(Email.builder().to("jane@customer.example").subject("inject").text("x").build()))
          .isInstanceOfSatisfying(SendException.class, e -> {
            assertThat(e.category()).isEqualTo(FailureCategory.CONFIGURATION);
            assertThat(e.isTransient()).isFalse();
            assertThat(e.getMessage()).isEqualTo("The message cannot be sent with the acme-api HTTP dialect: invalid"
                + " header value: a line break or other character not allowed in HTTP headers (value not shown)");
            assertThat(Canary.describe(e)).doesNotContain("X-Evil");
          });
    }
    assertThat(requests()).isEmpty();
  }

  @Test
  void aPluginCannotTakeTheIdOfABuiltInDialect() {
    // DuplicateFormDialect (id "form") is registered too; it is skipped with a warning when the dialects load
    assertThat(HttpDialects.byId("form").orElseThrow().getClass().getName())
        .isEqualTo("dev.mailroom.http.internal.FormDialect");
    assertThat(HttpDialects.all()).noneMatch(d -> d instanceof DuplicateFormDialect);
  }
}
