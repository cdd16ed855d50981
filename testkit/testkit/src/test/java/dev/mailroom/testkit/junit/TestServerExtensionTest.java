package dev.mailroom.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.MailroomSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * {@link StartStop} and {@link TestServerExtension}: runs sample test classes (the static nested classes
 * below, which the build does not run on their own) through the JUnit Platform launcher and checks what
 * their servers did during and after the run.
 */
class TestServerExtensionTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void aStaticFieldRunsOnceForTheClassAndItsNestedClassesAndStopsAfterThem() {
    StaticFieldSample.ports.clear();
    assertThat(StaticFieldSample.smtp.isRunning()).isFalse();

    assertPassed(run(Map.of(), StaticFieldSample.class), 3);

    assertThat(StaticFieldSample.runningInBeforeAll).isTrue();
    assertThat(StaticFieldSample.runningInAfterAll).isTrue();
    assertThat(StaticFieldSample.ports).hasSize(3).containsOnly(StaticFieldSample.ports.get(0));
    assertThat(StaticFieldSample.smtp.isRunning()).as("stopped after the class").isFalse();
  }

  @Test
  void anInstanceFieldRunsForOneTest() {
    InstanceFieldSample.seen.clear();

    assertPassed(run(Map.of(), InstanceFieldSample.class), 2);

    assertThat(InstanceFieldSample.seen).hasSize(2);
    assertThat(InstanceFieldSample.seen.get(0)).isNotSameAs(InstanceFieldSample.seen.get(1));
    assertThat(InstanceFieldSample.seen).noneMatch(MailroomHttpServer::isRunning);
  }

  @Test
  void anInstanceFieldOfAPerClassInstanceRunsForTheClass() {
    PerClassSample.ports.clear();

    assertPassed(run(Map.of(), PerClassSample.class), 2);

    assertThat(PerClassSample.ports).hasSize(2).containsOnly(PerClassSample.ports.get(0));
    assertThat(PerClassSample.last.isRunning()).isFalse();
  }

  @Test
  void clearBetweenTestsFalseKeepsMailAndFaultsAreForgottenOtherwise() {
    assertPassed(run(Map.of(), KeepMailSample.class), 2);
    assertThat(KeepMailSample.smtp.isRunning()).isFalse();

    assertPassed(run(Map.of(), FaultsForgottenSample.class), 2);
    assertThat(FaultsForgottenSample.smtp.isRunning()).isFalse();
  }

  @Test
  void parametersGetStartedServersStoppedWhenTheTestEnds() {
    ParameterSample.seen.clear();

    assertPassed(run(Map.of(), ParameterSample.class), 2);

    // per test: the constructor's, @BeforeEach's and the test's MailroomSmtpServer, then the HTTP and faulty ones
    assertThat(ParameterSample.seen).hasSize(8).noneMatch(s -> ((dev.mailroom.testkit.TestServer) s).isRunning());
    assertThat(ParameterSample.seen.get(0)).isNotSameAs(ParameterSample.seen.get(4));
  }

  @Test
  void startStopOnAParameterRegistersTheExtension() {
    AnnotatedParameterSample.seen.clear();

    assertPassed(run(Map.of(), AnnotatedParameterSample.class), 1);

    assertThat(AnnotatedParameterSample.seen).hasSize(1);
    assertThat(AnnotatedParameterSample.seen.get(0).isRunning()).isFalse();
  }

  @Test
  void aServerTheTestStartedItselfIsClearedButLeftRunning() {
    try {
      assertPassed(run(Map.of(), AlreadyRunningSample.class), 2);
      assertThat(AlreadyRunningSample.smtp.isRunning()).as("not the extension's to stop").isTrue();
    } finally {
      AlreadyRunningSample.smtp.close();
    }
  }

  @Test
  void aNullFieldFailsWithWhatToDo() {
    TestExecutionSummary summary = run(Map.of(), NullFieldSample.class);

    assertThat(summary.getTotalFailureCount()).isEqualTo(1);
    assertThat(summary.getFailures().get(0).getException())
        .hasMessageContaining("@StartStop field " + NullFieldSample.class.getName() + ".smtp is null")
        .hasMessageContaining("MailroomSmtpServer.create()");
  }

  @Test
  void testClassesRunningInParallelEachHaveTheirOwnServer() {
    ParallelSample.servers.clear();
    Map<String, String> parallel = Map.of(
        "junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.mode.default", "same_thread",
        "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
        "junit.jupiter.execution.parallel.config.strategy", "fixed",
        "junit.jupiter.execution.parallel.config.fixed.parallelism", "2");

    assertPassed(run(parallel, ParallelSampleA.class, ParallelSampleB.class), 4);

    assertThat(ParallelSample.servers.get(ParallelSampleA.class)).isSameAs(ParallelSampleA.smtp);
    assertThat(ParallelSample.servers.get(ParallelSampleB.class)).isSameAs(ParallelSampleB.smtp);
    assertThat(ParallelSampleA.smtp.isRunning()).isFalse();
    assertThat(ParallelSampleB.smtp.isRunning()).isFalse();
  }

  // ---- the samples

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class StaticFieldSample {
    @StartStop
    static MailroomSmtpServer smtp = MailroomSmtpServer.create();

    static final List<Integer> ports = new CopyOnWriteArrayList<>();
    static volatile boolean runningInBeforeAll;
    static volatile boolean runningInAfterAll;

    @BeforeAll
    static void beforeAll() {
      runningInBeforeAll = smtp.isRunning();
    }

    @AfterAll
    static void afterAll() {
      runningInAfterAll = smtp.isRunning();
    }

    @Test
    @Order(1)
    void first() {
      ports.add(smtp.port());
      send(smtp.settings());
      smtp.awaitOne(WAIT);
    }

    @Test
    @Order(2)
    void secondSeesNoMailOfTheFirst() {
      ports.add(smtp.port());
      smtp.assertNoneReceived();
      send(smtp.settings());
      smtp.awaitOne(WAIT);
    }

    @Nested
    class Inner {
      @Test
      void seesTheOuterServerWithoutEarlierMail() {
        assertThat(smtp.isRunning()).isTrue();
        ports.add(smtp.port());
        smtp.assertNoneReceived();
      }
    }
  }

  static class InstanceFieldSample {
    static final List<MailroomHttpServer> seen = new CopyOnWriteArrayList<>();

    @StartStop
    MailroomHttpServer http = MailroomHttpServer.create();

    @Test
    void one() {
      assertThat(http.isRunning()).isTrue();
      seen.add(http);
    }

    @Test
    void two() {
      assertThat(http.isRunning()).isTrue();
      seen.add(http);
    }
  }

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  static class PerClassSample {
    static final List<Integer> ports = new CopyOnWriteArrayList<>();
    static volatile MailroomSmtpServer last;

    @StartStop
    MailroomSmtpServer smtp = MailroomSmtpServer.create();

    @Test
    void one() {
      last = smtp;
      ports.add(smtp.port());
    }

    @Test
    void two() {
      last = smtp;
      ports.add(smtp.port());
    }
  }

  static class KeepMailSample {
    @StartStop
    static MailroomSmtpServer smtp = MailroomSmtpServer.builder().clearBetweenTests(false).build();

    @RepeatedTest(2)
    void mailOfEarlierTestsStays(RepetitionInfo repetition) {
      assertThat(smtp.clearsBetweenTests()).isFalse();
      send(smtp.settings());
      int expected = repetition.getCurrentRepetition();
      assertThat(smtp.awaitReceived(expected, WAIT)).hasSize(expected);
    }
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class FaultsForgottenSample {
    @StartStop
    static FaultySmtpServer smtp = FaultySmtpServer.create();

    @Test
    @Order(1)
    void queuesAFaultAndSends() {
      smtp.failNext(Step.MAIL, "550 5.7.1 Not now");
      smtp.failNext(Step.MAIL, "550 5.7.1 Not now");
      assertThat(sendFails(smtp.settings())).isTrue();
    }

    @Test
    @Order(2)
    void theSecondFaultIsForgotten() {
      assertThat(smtp.clearsBetweenTests()).isTrue();
      assertThat(sendFails(smtp.settings())).isFalse();
      assertThat(smtp.awaitReceived(1, WAIT)).hasSize(1);
    }
  }

  @ExtendWith(TestServerExtension.class)
  static class ParameterSample {
    static final List<Object> seen = new CopyOnWriteArrayList<>();
    private final MailroomSmtpServer fromConstructor;
    private MailroomSmtpServer fromBeforeEach;

    ParameterSample(MailroomSmtpServer smtp) {
      this.fromConstructor = smtp;
    }

    @BeforeEach
    void before(MailroomSmtpServer smtp) {
      fromBeforeEach = smtp;
    }

    @Test
    void one(MailroomSmtpServer smtp, MailroomHttpServer http, FaultySmtpServer faulty) {
      check(smtp, http, faulty);
    }

    @Test
    void two(MailroomSmtpServer smtp, MailroomHttpServer http, FaultySmtpServer faulty) {
      check(smtp, http, faulty);
    }

    private void check(MailroomSmtpServer smtp, MailroomHttpServer http, FaultySmtpServer faulty) {
      assertThat(smtp).isSameAs(fromBeforeEach).isSameAs(fromConstructor);
      assertThat(smtp.isRunning()).isTrue();
      assertThat(http.isRunning()).isTrue();
      assertThat(faulty.isRunning()).isTrue();
      send(smtp.settings());
      assertThat(smtp.awaitReceived(1, WAIT)).hasSize(1);
      seen.addAll(List.of(fromConstructor, fromBeforeEach, smtp, http));
    }
  }

  static class AnnotatedParameterSample {
    static final List<FaultySmtpServer> seen = new CopyOnWriteArrayList<>();

    @Test
    void gets(@StartStop FaultySmtpServer faulty) {
      assertThat(faulty.isRunning()).isTrue();
      seen.add(faulty);
    }
  }

  static class AlreadyRunningSample {
    @StartStop
    static MailroomSmtpServer smtp = MailroomSmtpServer.create().start();

    @RepeatedTest(2)
    void eachTestStartsWithoutEarlierMail() {
      smtp.assertNoneReceived();
      send(smtp.settings());
      smtp.awaitOne(WAIT);
    }
  }

  static class NullFieldSample {
    @StartStop
    static MailroomSmtpServer smtp;

    @Test
    void neverRuns() {}
  }

  /** Both parallel samples wait for each other in {@code @BeforeAll}: they pass only when run concurrently. */
  static final CyclicBarrier BOTH_CLASSES = new CyclicBarrier(2);

  /** The tests of both parallel samples, each with its own {@code static} server. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class ParallelSample {
    static final Map<Class<?>, MailroomSmtpServer> servers = new ConcurrentHashMap<>();
    private final MailroomSmtpServer server;

    ParallelSample(MailroomSmtpServer server) {
      this.server = server;
    }

    @BeforeAll
    void meetTheOther() throws Exception {
      BOTH_CLASSES.await(60, TimeUnit.SECONDS);
      servers.put(getClass(), server);
    }

    @Test
    void one() {
      send(server.settings());
      assertThat(server.awaitReceived(1, WAIT)).hasSize(1);
    }

    @Test
    void two() {
      server.assertNoneReceived();
    }
  }

  static class ParallelSampleA extends ParallelSample {
    @StartStop
    static MailroomSmtpServer smtp = MailroomSmtpServer.create();
    ParallelSampleA() { super(smtp); }
  }

  static class ParallelSampleB extends ParallelSample {
    @StartStop
    static MailroomSmtpServer smtp = MailroomSmtpServer.create();
    ParallelSampleB() { super(smtp); }
  }

  // ---- helpers

  static void send(EmailSettings settings) {
    try (Mailer mailer = Mailer.open(settings)) {
      mailer.send(Email.builder().to("jane@customer.test").subject("Invoice INV-1").text("Attached.").build());
    } catch (SendException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  static boolean sendFails(EmailSettings settings) {
    try (Mailer mailer = Mailer.open(settings)) {
      mailer.send(Email.builder().to("jane@customer.test").subject("Invoice INV-1").text("Attached.").build());
      return false;
    } catch (SendException e) {
      return true;
    }
  }

  private static TestExecutionSummary run(Map<String, String> configuration, Class<?>... testClasses) {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
        .selectors(Arrays.stream(testClasses).map(DiscoverySelectors::selectClass).collect(Collectors.toList()))
        .configurationParameters(configuration)
        .build(), listener);
    return listener.getSummary();
  }

  private static void assertPassed(TestExecutionSummary summary, int tests) {
    String failures = summary.getFailures().stream()
        .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException())
        .collect(Collectors.joining("\n"));
    assertThat(summary.getTotalFailureCount()).as("failures:%n%s", failures).isZero();
    assertThat(summary.getTestsSucceededCount()).as("tests passed").isEqualTo(tests);
  }
}
