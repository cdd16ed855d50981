package dev.mailroom.spi;

import dev.mailroom.ProviderPreset;
import java.util.List;

/** A plugin that fails: it must be reported, not break the others. */
public class BrokenPresetProvider implements PresetProvider {
  @Override
  public List<ProviderPreset> presets() {
    throw new IllegalStateException("plugin bug");
  }
}
