package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.fail;
import static dev.mailroom.testkit.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendException;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.Action;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Servers that abuse the client: the client fails closed, in bounded time and memory. */
@Timeout(30)
class SmtpHostileServerTest {
  private static SendException unsafe(Step step, Action action) {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().on(step, action).start()) {
      SendException e = fail(settings(server).build());
      assertThat(e.category()).isEqualTo(FailureCategory.PROTOCOL);
      assertThat(e.failure().hintKey()).isEqualTo("hint.protocol.unsafe-reply");
      assertThat(e.isTransient()).isFalse();
      assertThat(server.messages()).isEmpty();
      return e;
    }
  }

  @Test
  void replyLineFarLongerThanAnyLegitimateOne() {
    SendException e = unsafe(Step.EHLO, Action.reply("250 " + "x".repeat(100_000)));
    assertThat(e.getMessage()).contains("longer than 2048 bytes");
  }

  @Test
  void endlessContinuationLines() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      lines.add("250-PIPELINING" + i);
    }
    lines.add("250 OK");
    SendException e = unsafe(Step.EHLO, Action.reply(lines.toArray(new String[0])));
    assertThat(e.getMessage()).contains("more than 100 lines");
  }

  @Test
  void nonNumericReplyCode() {
    unsafe(Step.GREETING, Action.reply("2x0 hello"));
  }

  @Test
  void crOnlyLineEnds() {
    unsafe(Step.GREETING, Action.raw("220 hello\r250 more\r"));
  }

  @Test
  void nulBytes() {
    unsafe(Step.MAIL, Action.raw("250 2.1.0 O\0k\r\n"));
  }

  @Test
  void continuationWithAnotherCode() {
    unsafe(Step.EHLO, Action.reply("250-scripted.test", "550 but no"));
  }

  @Test
  void tlsBytesInsteadOfAGreeting() {
    unsafe(Step.GREETING, Action.raw(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46, '\r', '\n'}));
  }

  @Test
  void aBareCrArrivingInASegmentOfItsOwnIsStillRefused() {
    // one byte per write: the CR is the last byte the client has when it looks at it
    SendException e = unsafe(Step.GREETING, Action.slowly(Duration.ofMillis(2), "220 hi\r250-forged"));
    assertThat(e.getMessage()).contains("a CR without LF");
  }

  @Test
  void nulBytesInTheGreetingAndCrOnlyRepliesLater() {
    unsafe(Step.GREETING, Action.raw("220 hel\0lo\r\n"));
    unsafe(Step.RCPT, Action.raw("250 ok\r250 ok\r"));
  }

  @Test
  void hostileRepliesCostBoundedMemoryAndTime() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    byte[] longLine = ("250 " + "x".repeat(16 << 20) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] endless = "250-PIPELINING\r\n".repeat(1 << 20).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (Action reply : List.of(Action.raw(longLine), Action.raw(endless))) {
      long before = threads.getCurrentThreadAllocatedBytes();
      long start = System.nanoTime();
      unsafe(Step.EHLO, reply);
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      // the sender runs on this thread; 16 MB of hostile reply must not become 16 MB of heap
      assertThat(allocated).isLessThan(8L << 20);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }
  }

  @Test
  void oneBytePerAlmostTimeoutFailsWithinTheReadTimeout() {
    // each byte comes after 400 ms, well inside a 1 s per-read timeout, but the reply never completes in 1 s
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
        .on(Step.GREETING, Action.slowly(Duration.ofMillis(400), "220 slowly but surely")).start()) {
      SendException e = fail(Faults.timingOut(settings(server)).build());
      assertThat(e.category()).isEqualTo(FailureCategory.TIMEOUT);
      assertThat(e.isTransient()).isTrue();
    }
  }

  @Test
  void serverThatStopsReadingHitsTheWriteTimeout() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
        .on(Step.DATA, Action.reply("354 go ahead").then(Action.stall())).start();
        Mailer mailer = Mailer.open(Faults.timingOut(settings(server)).build(),
            MailerOptions.builder().maxAttempts(1).build())) {
      Email email = Email.builder().to("customer@example.com").subject("big").text("x")
          .attach(Attachment.ofStream("big.bin", "application/octet-stream",
              () -> SmtpReplyFailureTest.zeros(64L << 20))).build();
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(email));
      assertThat(e.category()).isEqualTo(FailureCategory.TIMEOUT);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.getMessage()).contains("stopped accepting data");
    }
  }

  @Test
  void strictServerAcceptsTheMessageUnchanged() throws Exception {
    String body = "line one\nline two\r.\n.leading dot\r\n\r\n.\r\n..\nend";
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().strictLineEndings().start();
        Mailer mailer = Mailer.open(settings(server).build(), MailerOptions.builder().maxAttempts(1).build())) {
      mailer.send(Email.builder().to("customer@example.com").subject("dots").text(body).build());
      assertThat(server.messages()).hasSize(1);
      String text = server.messages().get(0).text();
      String received = text.substring(text.indexOf("\r\n\r\n") + 4);
      assertThat(received).isEqualTo(body.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n") + "\r\n");
    }
  }
}
