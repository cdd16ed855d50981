package dev.mailroom.http.internal;

import com.github.mizosoft.methanol.WritableBodyPublisher;
import dev.mailroom.http.HttpDialect;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a dialect's body writer on a thread of the sender when the HTTP client subscribes, into Methanol's
 * {@link WritableBodyPublisher}, whose queue of buffers is bounded: the writer waits while the network is
 * slower. A writer failure fails the request; a request cancelled by a timeout stops the writer quietly.
 *
 * <p>The failure is delivered by this class, not by {@code WritableBodyPublisher.closeExceptionally}:
 * in Methanol 1.9.0 that call can let the body complete normally (truncated) and drop the error when the
 * subscriber is already attached. Here the writer's error is recorded first and the body closed; the
 * completion that follows reaches the HTTP client as that error.
 */
final class StreamingBody implements HttpRequest.BodyPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingBody.class);

  private final HttpDialect.BodyWriter writer;
  private final Executor writers;

  StreamingBody(HttpDialect.BodyWriter writer, Executor writers) {
    this.writer = writer;
    this.writers = writers;
  }

  @Override
  public long contentLength() {
    return -1;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    WritableBodyPublisher body = WritableBodyPublisher.create();
    body.subscribe(new Flow.Subscriber<ByteBuffer>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscriber.onSubscribe(s);
      }

      @Override
      public void onNext(ByteBuffer item) {
        subscriber.onNext(item);
      }

      @Override
      public void onError(Throwable t) {
        Throwable f = failure.get();
        subscriber.onError(f != null ? f : t);
      }

      @Override
      public void onComplete() {
        Throwable f = failure.get();
        if (f != null) {
          subscriber.onError(f);
        } else {
          subscriber.onComplete();
        }
      }
    });
    try {
      writers.execute(() -> {
        OutputStream out = body.outputStream();
        try {
          writer.writeTo(out);
        } catch (Throwable t) {
          if (body.isClosed()) {
            LOG.trace("Request body writer stopped: the request was cancelled ({})", t.getClass().getName());
            return;
          }
          failure.set(t instanceof IOException ? t : new IOException(String.valueOf(t), t));
        }
        body.close();
      });
    } catch (RejectedExecutionException e) {
      failure.set(new IOException("the HTTP sender is closed", e));
      body.close();
    }
  }
}
