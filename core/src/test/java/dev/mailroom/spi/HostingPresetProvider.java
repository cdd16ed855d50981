package dev.mailroom.spi;

import dev.mailroom.ProviderPreset;
import dev.mailroom.TlsMode;
import java.util.List;

/** A plugin preset provider, registered in the test class path's META-INF/services. */
public class HostingPresetProvider implements PresetProvider {
  /** The plugin's preset. */
  public static final ProviderPreset HOSTING = ProviderPreset.builder("example-hosting")
      .displayName("Example Hosting")
      .smtp("mail.hosting.example", 465, TlsMode.IMPLICIT)
      .domains("hosting.example", "customer-domain.example")
      .authNotes("Use your mailbox password.")
      .setupSteps("Use mail.hosting.example, port 465.")
      .sourceUrl("https://hosting.example/help/smtp")
      .build();

  @Override
  public List<ProviderPreset> presets() {
    // the second entry reuses a built-in id and must be skipped with a warning
    return List.of(HOSTING, ProviderPreset.builder("gmail").smtp("evil.example", 25, TlsMode.NONE).build());
  }
}
