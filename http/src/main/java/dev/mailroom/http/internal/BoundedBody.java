package dev.mailroom.http.internal;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads at most {@code limit} bytes of a response body as UTF-8 text; beyond that it stops reading (the
 * connection is then closed, not reused). Records progress for the read timeout.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<String> {
  private final int limit;
  private final Progress progress;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final CompletableFuture<String> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  BoundedBody(int limit, Progress progress) {
    this.limit = limit;
    this.progress = progress;
  }

  /** A body handler that records the status and headers, then reads a bounded body. */
  static HttpResponse.BodyHandler<String> handler(int limit, Progress progress) {
    return info -> {
      progress.response = info;
      progress.touch();
      return new BoundedBody(limit, progress);
    };
  }

  @Override
  public CompletionStage<String> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    this.subscription = s;
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    progress.touch();
    for (ByteBuffer b : items) {
      progress.received.addAndGet(b.remaining());
      int room = limit - bytes.size();
      int n = Math.min(room, b.remaining());
      byte[] chunk = new byte[n];
      b.get(chunk);
      bytes.write(chunk, 0, n);
      if (b.hasRemaining()) {
        subscription.cancel();
        complete();
        return;
      }
    }
    subscription.request(1);
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    complete();
  }

  private void complete() {
    result.complete(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
  }
}
