package dev.mailroom.spi;

import dev.mailroom.ProviderPreset;
import java.util.List;

/**
 * Adds provider presets to {@link dev.mailroom.Presets}: e.g. a hosting company's own mail servers.
 *
 * <p>Presets are found by id and by email domain after the built-in ones; a preset whose id is already
 * taken is skipped with a warning. Implementations need a public no-argument constructor.
 */
@FunctionalInterface
public interface PresetProvider {
  /**
   * Returns the presets this plugin contributes. Called once, when presets are first looked up.
   *
   * @return the presets
   */
  List<ProviderPreset> presets();
}
