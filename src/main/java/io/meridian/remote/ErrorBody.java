package io.meridian.remote;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The start of an error body, enough for its first line: the first {@code max} bytes are kept, and
 * the rest is cancelled rather than read, however much the server sends.
 */
final class ErrorBody implements HttpResponse.BodySubscriber<byte[]> {
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final byte[] buf;
  private int n;
  private Flow.Subscription subscription;

  ErrorBody(int max) {
    this.buf = new byte[max];
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    for (ByteBuffer b : items) {
      int take = Math.min(b.remaining(), buf.length - n);
      b.get(buf, n, take);
      n += take;
    }
    if (n == buf.length) {
      subscription.cancel();
      result.complete(Arrays.copyOf(buf, n));
    } else {
      subscription.request(1);
    }
  }

  @Override
  public void onError(Throwable t) {
    result.complete(Arrays.copyOf(buf, n)); // the status says what failed; keep what came
  }

  @Override
  public void onComplete() {
    result.complete(Arrays.copyOf(buf, n));
  }
}
