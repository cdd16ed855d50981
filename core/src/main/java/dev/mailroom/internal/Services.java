package dev.mailroom.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where Mailroom uses {@link ServiceLoader}. A provider that fails to load is logged and
 * skipped, never fatal for the others.
 */
public final class Services {
  private static final Logger LOG = LoggerFactory.getLogger(Services.class);

  private Services() {}

  /** Loads every provider of {@code type} that can be instantiated, in discovery order. */
  public static <T> List<T> load(Class<T> type) {
    List<T> found = new ArrayList<>();
    ServiceLoader<T> loader = ServiceLoader.load(type, classLoader());
    Iterator<T> it = loader.iterator();
    // bounded: a broken iterator that keeps failing must not loop forever
    for (int guard = 0; guard < 1000; guard++) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError e) {
        LOG.warn("Skipping a {} that failed to load: {}", type.getSimpleName(), e.getMessage());
      }
    }
    return found;
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : Services.class.getClassLoader();
  }
}
