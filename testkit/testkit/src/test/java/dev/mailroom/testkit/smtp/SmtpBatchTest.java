package dev.mailroom.testkit.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.junit.StartStop;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code Mailer.sendAll} through the fault-injecting server: nothing lost, nothing duplicated. */
class SmtpBatchTest {
  @StartStop
  static FaultySmtpServer smtp = FaultySmtpServer.create();

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aBatchWithFaultsDeliversEveryEmailOnceOrReportsIt() {
    BatchRun run = new BatchRun(240, 3, 20).run(smtp);
    assertThat(run.faultsInjected).isGreaterThanOrEqualTo(8);
    assertThat(run.sent + run.failed).isEqualTo(240);
    assertThat(run.failed).isPositive(); // the 550s and the dropped connections are reported, not hidden
    assertThat(run.retried).isPositive(); // the 451s and 421s were retried and delivered
    assertThat(run.notAttempted).isZero();
    assertThat(run.progressCalls).isEqualTo(240);
  }
}
