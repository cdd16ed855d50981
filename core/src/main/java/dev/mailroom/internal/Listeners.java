package dev.mailroom.internal;

import dev.mailroom.AttemptEvent;
import dev.mailroom.AttemptResult;
import dev.mailroom.ConnectionEvent;
import dev.mailroom.Failure;
import dev.mailroom.MailerListener;
import dev.mailroom.RetryEvent;
import dev.mailroom.SendEvent;
import dev.mailroom.SendReceipt;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@link MailerListener}s so that one that throws never breaks a send: the first exception of a
 * listener is logged at WARN (class name and the event, never a secret), later ones at DEBUG.
 */
public final class Listeners {
  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  private Listeners() {}

  /** Wraps a listener so that none of its exceptions escapes; {@link MailerListener#NONE} stays itself. */
  public static MailerListener safe(MailerListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (listener == MailerListener.NONE || listener instanceof Guarded) {
      return listener;
    }
    return new Guarded(List.of(listener));
  }

  /** One listener that calls each of {@code listeners} in order, each guarded on its own. */
  public static MailerListener compose(List<MailerListener> listeners) {
    listeners.forEach(l -> Objects.requireNonNull(l, "listener"));
    return new Guarded(listeners);
  }

  /** Calls every delegate in order; an exception of one is logged and does not reach the others. */
  private static final class Guarded implements MailerListener {
    private final List<MailerListener> delegates;
    private final List<AtomicBoolean> warned;

    Guarded(List<MailerListener> delegates) {
      this.delegates = List.copyOf(delegates);
      this.warned = delegates.stream().map(d -> new AtomicBoolean()).toList();
    }

    private void call(String event, Consumer<MailerListener> call) {
      for (int i = 0; i < delegates.size(); i++) {
        MailerListener delegate = delegates.get(i);
        try {
          call.accept(delegate);
        } catch (Throwable t) { // a listener must never break a send, whatever it throws
          if (t instanceof VirtualMachineError) {
            throw (VirtualMachineError) t;
          }
          if (warned.get(i).compareAndSet(false, true)) {
            LOG.warn("MailerListener {} threw {} in {}; the send goes on. Further exceptions of this listener"
                + " are logged at DEBUG.", delegate.getClass().getName(), t.getClass().getName(), event);
          } else {
            LOG.debug("MailerListener {} threw {} in {}", delegate.getClass().getName(), t.getClass().getName(),
                event);
          }
        }
      }
    }

    @Override
    public void sendStarted(SendEvent send) {
      call("sendStarted", l -> l.sendStarted(send));
    }

    @Override
    public void attemptStarted(AttemptEvent attempt) {
      call("attemptStarted", l -> l.attemptStarted(attempt));
    }

    @Override
    public void attemptFinished(AttemptResult result) {
      call("attemptFinished", l -> l.attemptFinished(result));
    }

    @Override
    public void retryScheduled(RetryEvent retry) {
      call("retryScheduled", l -> l.retryScheduled(retry));
    }

    @Override
    public void sendSucceeded(SendEvent send, SendReceipt receipt) {
      call("sendSucceeded", l -> l.sendSucceeded(send, receipt));
    }

    @Override
    public void sendFailed(SendEvent send, Failure failure) {
      call("sendFailed", l -> l.sendFailed(send, failure));
    }

    @Override
    public void connectionOpened(ConnectionEvent connection) {
      call("connectionOpened", l -> l.connectionOpened(connection));
    }

    @Override
    public void connectionClosed(ConnectionEvent connection) {
      call("connectionClosed", l -> l.connectionClosed(connection));
    }

    @Override
    public String toString() {
      return delegates.size() == 1 ? delegates.get(0).toString() : "MailerListener.compose" + delegates;
    }
  }
}
