package dev.mailroom.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HelpersTest {
  @Test
  void htmlFromText() {
    assertThat(Html.fromText("a & b")).isEqualTo("<p>a &amp; b</p>");
    assertThat(Html.fromText("one\ntwo\r\n\r\n\r\nthree\rfour")).isEqualTo("<p>one<br>\ntwo</p>\n<p>three<br>\nfour</p>");
    assertThat(Html.fromText("<script>alert('x')</script>"))
        .isEqualTo("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>");
    assertThat(Html.fromText("")).isEmpty();
    assertThat(Html.fromText("\n\n  \n")).isEmpty();
    assertThat(Html.fromText("&")).isEqualTo("<p>&amp;</p>");
    assertThat(Html.fromText("x&y<z>\"q\" 'r'")).isEqualTo("<p>x&amp;y&lt;z&gt;&quot;q&quot; &#39;r&#39;</p>");
    assertThat(Html.fromText("  lead\n    indented &\n\ntail  ")).isEqualTo("<p>lead<br>\n    indented &amp;</p>\n<p>tail</p>");
    assertThat(Html.fromText("caf\u00e9 \u4e2d\u6587 <\ud83d\ude00>")).isEqualTo("<p>caf\u00e9 \u4e2d\u6587 &lt;\ud83d\ude00&gt;</p>");
  }

  @Test
  void bodiesInMemoryAreRecognised(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    assertThat(Bodies.inMemory(Bodies.ofBytes(new byte[] {1, 2}))).isTrue();
    assertThat(Bodies.ofBytes(new byte[] {1, 2}).contentLength()).isEqualTo(2);
    assertThat(Bodies.inMemory(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[1]))).isTrue();
    assertThat(Bodies.inMemory(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[4], 1, 2))).isTrue();
    assertThat(Bodies.inMemory(java.net.http.HttpRequest.BodyPublishers.ofString("x"))).isTrue();
    assertThat(Bodies.inMemory(java.net.http.HttpRequest.BodyPublishers.noBody())).isTrue();
    java.nio.file.Path f = java.nio.file.Files.writeString(dir.resolve("a.txt"), "a");
    assertThat(Bodies.inMemory(java.net.http.HttpRequest.BodyPublishers.ofFile(f))).isFalse();
    assertThat(Bodies.inMemory(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
        () -> new java.io.ByteArrayInputStream(new byte[1])))).isFalse();
    assertThat(Bodies.inMemory(java.net.http.HttpRequest.BodyPublishers.ofByteArrays(java.util.List.of()))).isFalse();
    assertThat(Bodies.inMemory(com.github.mizosoft.methanol.MultipartBodyPublisher.newBuilder()
        .textPart("a", "b").build())).isFalse();
  }

  @Test
  void jsonReadsOnlyOneBoundedValue() {
    assertThat(Json.parse("{\"a\":[1,\"x\",true,null,{\"b\":2.5}]}")).hasValue(
        Map.of("a", java.util.Arrays.asList(1, "x", true, null, Map.of("b", 2.5))));
    assertThat(Json.parse("{\"a\":1} trailing")).isEmpty();
    assertThat(Json.parse("not json")).isEmpty();
    assertThat(Json.parse("")).isEmpty();
    assertThat(Json.parse("[".repeat(100) + "]".repeat(100))).isPresent();
    assertThat(Json.parse("[".repeat(10_000) + "]".repeat(10_000))).isEmpty();
    Object root = Json.parse("{\"errors\":[{\"message\":\"m\"}],\"n\":3}").orElseThrow();
    assertThat(Json.string(root, "n")).hasValue("3");
    assertThat(Json.list(root, "errors")).hasSize(1);
    assertThat(Json.list(root, "n")).isEmpty();
    assertThat(Json.string(root, "errors", "message")).isEmpty();
  }

  @Test
  void recognisesTheJdkPoolClosingAStaleConnection() {
    java.io.IOException closed = new java.io.IOException("connection closed locally");
    closed.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("jdk.internal.net.http.SocketTube", "signalClosed", "SocketTube.java", 159),
        new StackTraceElement("jdk.internal.net.http.ConnectionPool", "cleanup", "ConnectionPool.java", 498)});
    java.io.IOException seen = new java.io.IOException("HTTP/1.1 header parser received no bytes",
        new java.io.IOException("HTTP/1.1 header parser received no bytes", closed));
    assertThat(HttpFailures.isStalePooledConnection(seen)).isTrue();
    // our own cancellation or any other local close is not that case
    assertThat(HttpFailures.isStalePooledConnection(new java.io.IOException("connection closed locally"))).isFalse();
    assertThat(HttpFailures.isStalePooledConnection(new java.io.IOException("Connection reset"))).isFalse();
  }

  @Test
  void splitsBlindCopiesIntoTheirOwnRequests() {
    dev.mailroom.Email e = dev.mailroom.Email.builder().from("Acme <billing@acme.example>").to("a@x.example")
        .cc("b@x.example").bcc("c@x.example", "a@X.EXAMPLE").idempotencyKey("k").build();
    dev.mailroom.spi.SendRequest r = new dev.mailroom.spi.SendRequest(e, dev.mailroom.Address.of("billing@acme.example"),
        e.recipients(), Optional.of(dev.mailroom.Address.of("archive@acme.example")), 1);
    List<dev.mailroom.spi.SendRequest> parts = HttpSender.split(r);
    assertThat(parts).hasSize(3);
    assertThat(parts.get(0).envelopeRecipients()).extracting(dev.mailroom.Address::email)
        .containsExactly("a@x.example", "b@x.example");
    assertThat(parts.get(0).email().bcc()).isEmpty();
    assertThat(parts.get(0).email().idempotencyKey()).isEqualTo("k");
    assertThat(parts.get(1).email().to()).extracting(dev.mailroom.Address::email).containsExactly("c@x.example");
    assertThat(parts.get(1).email().cc()).isEmpty();
    assertThat(parts.get(1).email().idempotencyKey()).isEqualTo("k.copy1");
    assertThat(parts.get(2).email().to()).extracting(dev.mailroom.Address::email).containsExactly("archive@acme.example");
    assertThat(parts.get(2).email().idempotencyKey()).isEqualTo("k.copy2");
  }
}
