package dev.mailroom.spi;

import dev.mailroom.Protocol;

/** Registered for one test through the context class loader: the one HTTP provider discovery finds. */
public class DiscoveredHttpProvider extends ScriptedProvider {
  public DiscoveredHttpProvider() {
    super(Protocol.HTTP);
  }

  @Override
  public String name() {
    return "discovered-http";
  }
}
