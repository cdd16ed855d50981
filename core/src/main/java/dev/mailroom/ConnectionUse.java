package dev.mailroom;

/** Whether an attempt opened a connection of its own or reused one that was kept open. */
public enum ConnectionUse {
  /** The attempt opened a new connection (and signed in, where the protocol does). */
  NEW,
  /** The attempt reused a connection kept open from an earlier send. */
  REUSED,
  /** The sender did not say (a sender without connection events, or a failure before connecting). */
  UNKNOWN
}
