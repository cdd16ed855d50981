package dev.mailroom.testkit;

final class Placeholder {
  private Placeholder() {}
}
