package dev.mailroom.testkit.junit;

import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.MailroomSmtpServer;
import dev.mailroom.testkit.TestServer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension that starts and stops the test kit's servers: those in fields annotated with
 * {@link StartStop} (which registers this extension) and those it creates for parameters. Register it with
 * {@code @ExtendWith(TestServerExtension.class)} when a test only takes parameters.
 *
 * <ul>
 *   <li>Before the tests of a class it starts the servers of the class's {@code static} {@code @StartStop}
 *       fields (and, with {@code @TestInstance(PER_CLASS)}, of its instance fields); the class's context
 *       stops them when it ends.
 *   <li>Before each test it starts the servers of the test instance's {@code @StartStop} fields (the outer
 *       instances' too, for a {@code @Nested} class) that do not run yet; the test's context stops them
 *       after it. Every server that runs already forgets earlier mail, unless built with
 *       {@code clearBetweenTests(false)} ({@link TestServer#clearsBetweenTests()}).
 *   <li>A test method, lifecycle method or constructor parameter of type {@link MailroomSmtpServer},
 *       {@link MailroomHttpServer} or {@link FaultySmtpServer} gets a server made with the type's
 *       {@code create()} and started, stopped when the context it was resolved in ends: a test's parameters,
 *       its {@code @BeforeEach} and {@code @AfterEach} methods' and (per-method lifecycle) its constructor's
 *       share one server per type; a {@code @BeforeAll} method's (or, with {@code PER_CLASS}, the
 *       constructor's) serves the whole class.
 * </ul>
 *
 * <p>All state lives in JUnit's {@link ExtensionContext.Store}: each context that starts a server keeps it in
 * its own store as a resource that JUnit closes, stopping the server, when that context ends. The extension
 * has no state of its own, so test classes and tests may run in parallel.
 */
public final class TestServerExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  private static final Namespace NAMESPACE = Namespace.create(TestServerExtension.class);
  private static final List<Class<? extends TestServer>> PARAMETER_TYPES =
      List.of(MailroomSmtpServer.class, MailroomHttpServer.class, FaultySmtpServer.class);

  /** Creates the extension; JUnit does this for {@link StartStop} or {@code @ExtendWith}. */
  public TestServerExtension() {}

  /**
   * Starts the servers of the test class's {@code static} {@link StartStop} fields (and of its instance
   * fields when the instance exists already, {@code PER_CLASS}), owned by the class's context.
   *
   * @param context the test class's context
   */
  @Override
  public void beforeAll(ExtensionContext context) {
    Servers own = servers(context);
    for (TestServer server : staticFields(context.getRequiredTestClass())) {
      own.startUnlessRunning(server);
    }
    if (context.getTestInstance().isPresent()) {
      for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
        for (TestServer server : instanceFields(instance)) {
          own.startUnlessRunning(server);
        }
      }
    }
  }

  /**
   * Starts the servers of the test's {@link StartStop} fields that do not run, owned by the test's context,
   * and makes every running one forget earlier mail (unless built with {@code clearBetweenTests(false)}).
   *
   * @param context the test's context
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    Servers own = servers(context);
    Set<TestServer> running = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Optional<ExtensionContext> c = context.getParent(); c.isPresent(); c = c.get().getParent()) {
      Servers outer = c.get().getStore(NAMESPACE).get(new Key(c.get().getUniqueId()), Servers.class);
      if (outer != null) {
        running.addAll(outer.started());
      }
    }
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      List<TestServer> fields = new ArrayList<>(staticFields(instance.getClass()));
      fields.addAll(instanceFields(instance));
      for (TestServer server : fields) {
        if (!own.startUnlessRunning(server)) {
          running.add(server);
        }
      }
    }
    for (TestServer server : running) {
      if (server.clearsBetweenTests() && server.isRunning()) {
        server.clear();
      }
    }
  }

  /**
   * Tells whether the parameter is one of the server types this extension creates.
   *
   * @param parameterContext the parameter
   * @param extensionContext the context it is resolved in
   * @return true for {@link MailroomSmtpServer}, {@link MailroomHttpServer} and {@link FaultySmtpServer}
   */
  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return PARAMETER_TYPES.contains(parameterContext.getParameter().getType());
  }

  /**
   * Returns the started server of the parameter's type for this context, creating and starting it on first
   * use; the context stops it when it ends.
   *
   * @param parameterContext the parameter
   * @param extensionContext the context it is resolved in
   * @return the running server
   * @throws ParameterResolutionException if the server does not start
   */
  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    try {
      return servers(extensionContext).forParameter(type);
    } catch (RuntimeException e) {
      throw new ParameterResolutionException("could not start a " + type.getSimpleName() + " for parameter "
          + parameterContext.getParameter().getName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Resolves constructor parameters in the test's context (per-method lifecycle), so that each test
   * instance gets servers of its own, shared with the test method's parameters.
   *
   * @param rootContext the engine's context
   * @return {@link ExtensionContextScope#TEST_METHOD}
   */
  @Override
  public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
    return ExtensionContextScope.TEST_METHOD;
  }

  /** The servers this context started, in its own store (the key holds the context's id). */
  private static Servers servers(ExtensionContext context) {
    return context.getStore(NAMESPACE)
        .getOrComputeIfAbsent(new Key(context.getUniqueId()), k -> new Servers(), Servers.class);
  }

  private static List<TestServer> staticFields(Class<?> testClass) {
    List<TestServer> servers = new ArrayList<>();
    for (Field field : annotatedFields(testClass)) {
      if (Modifier.isStatic(field.getModifiers())) {
        servers.add(read(field, null));
      }
    }
    return servers;
  }

  private static List<TestServer> instanceFields(Object instance) {
    List<TestServer> servers = new ArrayList<>();
    for (Field field : annotatedFields(instance.getClass())) {
      if (!Modifier.isStatic(field.getModifiers())) {
        servers.add(read(field, instance));
      }
    }
    return servers;
  }

  /** The class's {@link StartStop} fields, its superclasses' first. */
  private static List<Field> annotatedFields(Class<?> type) {
    List<Field> fields = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      List<Field> own = new ArrayList<>();
      for (Field field : c.getDeclaredFields()) {
        if (field.isAnnotationPresent(StartStop.class)) {
          own.add(field);
        }
      }
      fields.addAll(0, own);
    }
    return fields;
  }

  private static TestServer read(Field field, Object target) {
    String where = field.getDeclaringClass().getName() + "." + field.getName();
    Object value;
    try {
      if (!field.canAccess(target)) {
        field.setAccessible(true);
      }
      value = field.get(target);
    } catch (IllegalAccessException | RuntimeException e) {
      throw new ExtensionConfigurationException("cannot read @StartStop field " + where + " (" + e.getMessage()
          + "): on the module path, open the test's package to dev.mailroom.testkit", e);
    }
    if (value == null) {
      throw new ExtensionConfigurationException("@StartStop field " + where + " is null: assign it a server,"
          + " e.g. = MailroomSmtpServer.create()");
    }
    if (!(value instanceof TestServer)) {
      throw new ExtensionConfigurationException("@StartStop field " + where + " holds a "
          + value.getClass().getName() + ": it works on the test kit's servers (MailroomSmtpServer,"
          + " MailroomHttpServer, FaultySmtpServer)");
    }
    return (TestServer) value;
  }

  private static TestServer create(Class<?> type) {
    if (type == MailroomSmtpServer.class) {
      return MailroomSmtpServer.create();
    }
    if (type == MailroomHttpServer.class) {
      return MailroomHttpServer.create();
    }
    return FaultySmtpServer.create();
  }

  /** Names the {@link Servers} of one context in that context's store. */
  private record Key(String contextId) {}

  /**
   * The servers one context started, stopped (newest first) when JUnit closes the context's store. Values
   * of a store that are {@link AutoCloseable} are closed by JUnit 5.13 and later; older versions close a
   * {@code CloseableResource}; JUnit closes a value that is both once.
   */
  @SuppressWarnings("deprecation")
  private static final class Servers implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    private final List<TestServer> started = new ArrayList<>();
    private final Map<Class<?>, TestServer> parameters = new LinkedHashMap<>();

    /** Starts the server unless it runs; returns whether it did (then this context owns it). */
    boolean startUnlessRunning(TestServer server) {
      synchronized (server) {
        if (server.isRunning()) {
          return false;
        }
        server.start();
      }
      synchronized (this) {
        started.add(server);
      }
      return true;
    }

    synchronized TestServer forParameter(Class<?> type) {
      TestServer server = parameters.get(type);
      if (server == null) {
        server = create(type);
        server.start();
        parameters.put(type, server);
        started.add(server);
      }
      return server;
    }

    synchronized List<TestServer> started() {
      return List.copyOf(started);
    }

    @Override
    public void close() {
      List<TestServer> servers;
      synchronized (this) {
        servers = new ArrayList<>(started);
        started.clear();
        parameters.clear();
      }
      RuntimeException failure = null;
      for (int i = servers.size() - 1; i >= 0; i--) {
        try {
          servers.get(i).stop();
        } catch (RuntimeException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }
}
