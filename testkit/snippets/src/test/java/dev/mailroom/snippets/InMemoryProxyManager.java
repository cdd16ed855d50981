package dev.mailroom.snippets;

import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A Bucket4j proxy manager whose "shared store" is a map in this JVM: the bucket state goes through
 * Bucket4j's serialized compare-and-swap path exactly as with Redis or JDBC, so two limiters on it behave
 * like two application instances sharing a mailbox.
 */
final class InMemoryProxyManager extends AbstractCompareAndSwapBasedProxyManager<String> {
  private final ConcurrentMap<String, byte[]> store = new ConcurrentHashMap<>();

  InMemoryProxyManager() {
    super(ClientSideConfig.getDefault());
  }

  @Override
  protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
    return new CompareAndSwapOperation() {
      @Override
      public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
        return Optional.ofNullable(store.get(key));
      }

      @Override
      public boolean compareAndSwap(byte[] original, byte[] replacement, RemoteBucketState state,
          Optional<Long> timeoutNanos) {
        return original == null ? store.putIfAbsent(key, replacement) == null
            : store.replace(key, original, replacement);
      }
    };
  }

  @Override
  protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
    throw new UnsupportedOperationException("synchronous only");
  }

  @Override
  public void removeProxy(String key) {
    store.remove(key);
  }

  @Override
  protected CompletableFuture<Void> removeAsync(String key) {
    store.remove(key);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public boolean isAsyncModeSupported() {
    return false;
  }
}
