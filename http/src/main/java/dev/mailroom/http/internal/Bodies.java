package dev.mailroom.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Request bodies: small ones are collected into one array, large ones stay streamed. */
final class Bodies {
  /** Bodies of at most this many bytes are built in memory and sent with a length. */
  static final long IN_MEMORY_LIMIT = 256 * 1024;
  /** The JDK's publishers of bytes already in memory ({@code ofByteArray}, {@code ofString}, {@code noBody}). */
  private static final Set<String> JDK_IN_MEMORY = Set.of(
      "jdk.internal.net.http.RequestPublishers$ByteArrayPublisher",
      "jdk.internal.net.http.RequestPublishers$StringPublisher",
      "jdk.internal.net.http.RequestPublishers$EmptyPublisher");

  private Bodies() {}

  /** A body of bytes in memory; {@link #inMemory} recognises it. */
  static BodyPublisher ofBytes(byte[] bytes) {
    return new InMemory(bytes);
  }

  /**
   * True if the body's bytes are all in memory, so that publishing it never blocks: a body of
   * {@link #ofBytes} or the JDK's {@code ofByteArray}, {@code ofString} or {@code noBody}. False for everything
   * else (files, streams, body writers, a plugin dialect's own publisher), whose reading may block.
   */
  static boolean inMemory(BodyPublisher body) {
    return body instanceof InMemory || JDK_IN_MEMORY.contains(body.getClass().getName());
  }

  private static final class InMemory implements BodyPublisher {
    private final BodyPublisher bytes;

    InMemory(byte[] bytes) {
      this.bytes = BodyPublishers.ofByteArray(bytes);
    }

    @Override
    public long contentLength() {
      return bytes.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      bytes.subscribe(subscriber);
    }
  }

  /**
   * Collects a body of known length up to {@link #IN_MEMORY_LIMIT} into one array, so that the HTTP client
   * writes it at once rather than in many small pieces (a multipart body is a dozen small buffers);
   * larger bodies and bodies of unknown length are returned as they are, to be streamed.
   *
   * @throws IOException if the body (an attachment) cannot be read
   */
  static BodyPublisher compact(BodyPublisher body) throws IOException {
    long length = body.contentLength();
    if (length < 0 || length > IN_MEMORY_LIMIT) {
      return body;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) length);
    CompletableFuture<Void> done = new CompletableFuture<>();
    body.subscribe(new Flow.Subscriber<ByteBuffer>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer b) {
        if (b.hasArray()) {
          out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
          b.position(b.limit());
        } else {
          byte[] a = new byte[b.remaining()];
          b.get(a);
          out.write(a, 0, a.length);
        }
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        done.complete(null);
      }
    });
    try {
      done.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException ? (IOException) cause : new IOException(String.valueOf(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while building the request");
    } catch (TimeoutException e) {
      throw new IOException("building the request body took too long", e);
    }
    return ofBytes(out.toByteArray());
  }
}
