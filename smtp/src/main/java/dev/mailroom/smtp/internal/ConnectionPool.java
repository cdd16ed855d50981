package dev.mailroom.smtp.internal;

import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of one sender: at most {@code maxConnections} at once, kept open between sends, the
 * most recently used first. A kept connection idle longer than {@code idleCheckAfter} is checked with NOOP
 * before use, one idle longer than {@code idleTimeout} is closed (by the {@link Watchdog}, or before use),
 * and one that carried {@code maxMessagesPerConnection} messages is replaced. A connection whose send
 * failed is closed unless the server refused the message cleanly. When a kept connection turns out to
 * have been closed by the server at the first command, the message goes over a new connection at once.
 */
final class ConnectionPool implements Watchdog.Task {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);

  private final SmtpConfig cfg;
  private final Semaphore permits;
  private final ArrayDeque<SmtpConnection> idle = new ArrayDeque<>();
  private final long idleCheckNanos;
  private final long idleTimeoutNanos;
  private final int maxMessages;
  private int open;
  private boolean registered;
  private boolean closed;

  ConnectionPool(SmtpConfig cfg) {
    this.cfg = cfg;
    this.permits = new Semaphore(cfg.options().maxConnections(), true);
    this.idleCheckNanos = cfg.options().idleCheckAfter().toNanos();
    this.idleTimeoutNanos = cfg.options().idleTimeout().toNanos();
    this.maxMessages = cfg.options().maxMessagesPerConnection();
  }

  SendReceipt send(PreparedMessage p) throws SendException {
    SmtpConnection c = acquire();
    boolean keep = false;
    try {
      for (int round = 0; ; round++) {
        boolean reused = c != null;
        if (c != null) {
          long idleFor = c.idleNanos(System.nanoTime());
          if (idleFor >= idleTimeoutNanos) {
            dispose(c, true);
            c = null;
            reused = false;
          } else if (idleFor >= idleCheckNanos && !c.alive()) {
            LOG.debug("A kept connection to {}:{} was closed by the server; reconnecting", cfg.host(), cfg.port());
            dispose(c, false);
            c = null;
            reused = false;
          }
        }
        if (c == null) {
          c = create(false);
        }
        long transfer = System.nanoTime();
        try {
          SendReceipt r = c.send(p);
          keep = c.messages() < maxMessages;
          return r;
        } catch (SendException e) {
          if (reused && round == 0 && c.stale()) {
            LOG.debug("The kept connection to {}:{} was closed by the server ({}); sending over a new one",
                cfg.host(), cfg.port(), e.getMessage());
            dispose(c, false);
            c = null;
            continue;
          }
          keep = c.reusable();
          throw e;
        } finally {
          if (c != null) {
            cfg.options().events().attempt(c.timings(!reused, System.nanoTime() - transfer));
          }
        }
      }
    } finally {
      release(c, keep);
    }
  }

  /** Sends a message that needs SMTPUTF8 over a connection of its own (counted against the limit). */
  SendReceipt sendUtf8(PreparedMessage p) throws SendException {
    acquirePermit();
    SmtpConnection c = null;
    try {
      c = create(true);
      if (!c.supportsSmtpUtf8()) {
        String address = p.utf8Address.email();
        throw new SendException(Failure.builder(p.utf8Sender ? FailureCategory.SENDER_REJECTED
                : FailureCategory.RECIPIENT_REJECTED)
            .server(cfg.host(), cfg.port())
            .hint(p.utf8Sender ? "hint.sender.needs-smtputf8" : "hint.recipient.needs-smtputf8", address)
            .message("The address " + address + " has non-ASCII characters before the @, and " + cfg.host()
                + ":" + cfg.port() + " does not support SMTPUTF8")
            .build());
      }
      return c.send(p);
    } finally {
      if (c != null) {
        dispose(c, !c.isClosed());
      }
      permits.release();
    }
  }

  private void acquirePermit() throws SendException {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SendException(Failure.builder(FailureCategory.CONNECTION).server(cfg.host(), cfg.port())
          .message("Interrupted while waiting for a connection to " + cfg.host() + ":" + cfg.port()).build());
    }
  }

  private SmtpConnection acquire() throws SendException {
    acquirePermit();
    synchronized (this) {
      if (closed) {
        permits.release();
        throw new IllegalStateException("this sender is closed");
      }
      return idle.pollFirst();
    }
  }

  private SmtpConnection create(boolean utf8) throws SendException {
    SmtpConnection c = SmtpConnection.open(cfg, utf8);
    boolean register = false;
    synchronized (this) {
      open++;
      if (!registered) {
        registered = true;
        register = true;
      }
    }
    if (register) {
      Watchdog.SHARED.register(this);
    }
    cfg.options().events().connectionOpened(c.id());
    return c;
  }

  private void release(SmtpConnection c, boolean keep) {
    SmtpConnection dispose = null;
    synchronized (this) {
      if (c != null) {
        if (keep && !closed && !c.isClosed() && idleTimeoutNanos > 0) {
          idle.addFirst(c);
        } else {
          dispose = c;
        }
      }
    }
    permits.release();
    if (dispose != null) {
      dispose(dispose, !dispose.isClosed());
    }
  }

  private void dispose(SmtpConnection c, boolean polite) {
    if (polite) {
      c.close();
    } else {
      c.abort();
    }
    countClosed(c);
  }

  @Override
  public void tick(long now) {
    List<SmtpConnection> expired = null;
    synchronized (this) {
      Iterator<SmtpConnection> it = idle.descendingIterator();
      while (it.hasNext()) {
        SmtpConnection c = it.next();
        if (c.idleNanos(now) >= idleTimeoutNanos) {
          it.remove();
          if (expired == null) {
            expired = new ArrayList<>();
          }
          expired.add(c);
        }
      }
    }
    if (expired != null) {
      for (SmtpConnection c : expired) {
        LOG.debug("Closing a connection to {}:{} idle for longer than {}", cfg.host(), cfg.port(),
            cfg.options().idleTimeout());
        // writing QUIT to an idle connection does not block (its send buffer is empty), so the watchdog
        // thread can do it without holding up the write deadlines it enforces
        c.closeWithoutWaiting();
        countClosed(c);
      }
    }
  }

  private void countClosed(SmtpConnection c) {
    cfg.options().events().connectionClosed(c.id(), c.openFor(), c.messages());
    boolean unregister = false;
    synchronized (this) {
      open--;
      if (open == 0 && registered) {
        registered = false;
        unregister = true;
      }
    }
    if (unregister) {
      Watchdog.SHARED.unregister(this);
    }
  }

  /** Closes the kept connections with QUIT; connections in use are closed when their send ends. */
  void close() {
    List<SmtpConnection> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(idle);
      idle.clear();
    }
    for (SmtpConnection c : all) {
      dispose(c, true);
    }
  }

  synchronized int openConnections() {
    return open;
  }
}
