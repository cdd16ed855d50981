package dev.mailroom.http.internal;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one exchange has done so far, for the read timeout (time since the last progress) and for telling
 * "the request was not fully sent" (safe to retry) from "the request was sent, the answer is missing"
 * (outcome unknown).
 */
final class Progress {
  final long startNanos = System.nanoTime();
  private volatile long lastNanos = startNanos;
  /** The HTTP client asked for the request body: the connection (and TLS) is up. */
  volatile boolean subscribed;
  /** The whole request body was handed to the HTTP client. */
  volatile boolean bodyDone;
  /** The response's status and headers, once they arrived. */
  volatile HttpResponse.ResponseInfo response;
  final AtomicLong sent = new AtomicLong();
  final AtomicLong received = new AtomicLong();

  void touch() {
    lastNanos = System.nanoTime();
  }

  long lastNanos() {
    return lastNanos;
  }

  /** Wraps a request body so that its progress is recorded here. */
  java.net.http.HttpRequest.BodyPublisher track(java.net.http.HttpRequest.BodyPublisher body) {
    return new java.net.http.HttpRequest.BodyPublisher() {
      @Override
      public long contentLength() {
        return body.contentLength();
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
        subscribed = true;
        bodyDone = false;
        touch();
        body.subscribe(new Flow.Subscriber<ByteBuffer>() {
          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            s.onSubscribe(subscription);
          }

          @Override
          public void onNext(ByteBuffer item) {
            sent.addAndGet(item.remaining());
            touch();
            s.onNext(item);
          }

          @Override
          public void onError(Throwable t) {
            s.onError(t);
          }

          @Override
          public void onComplete() {
            bodyDone = true;
            touch();
            s.onComplete();
          }
        });
      }
    };
  }
}
