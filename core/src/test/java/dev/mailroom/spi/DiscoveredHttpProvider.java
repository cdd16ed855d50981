package dev.mailroom.spi;

import dev.mailroom.Protocol;

/** Registered in META-INF/services: the one HTTP provider discovery finds in core's tests. */
public class DiscoveredHttpProvider extends ScriptedProvider {
  public DiscoveredHttpProvider() {
    super(Protocol.HTTP);
  }

  @Override
  public String name() {
    return "discovered-http";
  }
}
