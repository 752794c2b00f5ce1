package io.meridian.util;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A 128-bit hash of a byte range, built like MurmurHash3's x64 128-bit variant: two 64-bit lanes
 * that take 16 bytes a round and feed each other, then a final avalanche of each.
 *
 * <p>A scrape cache keeps a series' hash instead of its text (a series' text is some 100 to 200
 * bytes; a head of 100k series spent more on these copies than on its samples). With 128 bits, two
 * different series of one target share a hash with a probability far below that of a memory error
 * (about n^2 / 2^129); the hash is not keyed, so a target could craft a pair on purpose, which
 * would only mix up that target's own series.
 *
 * <p>An instance holds the last result, so hashing allocates nothing. Not thread-safe.
 */
public final class Hash128 {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private long lo;
  private long hi;

  /** Hashes {@code b[off, off+len)}; read the result with {@link #lo()} and {@link #hi()}. */
  public void hash(byte[] b, int off, int len) {
    long h1 = 0;
    long h2 = 0;
    int i = off;
    int end = off + len;
    for (; i + 16 <= end; i += 16) {
      h1 ^= mixK1((long) LONGS.get(b, i));
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2((long) LONGS.get(b, i + 8));
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    int rest = end - i;
    if (rest > 8) {
      h2 ^= mixK2(tail(b, i + 8, rest - 8, off));
    }
    if (rest > 0) {
      h1 ^= mixK1(tail(b, i, Math.min(rest, 8), off));
    }
    h1 ^= len;
    h2 ^= len;
    h1 += h2;
    h2 += h1;
    h1 = avalanche(h1);
    h2 = avalanche(h2);
    h1 += h2;
    h2 += h1;
    lo = h1;
    hi = h2;
  }

  /** The low 64 bits of the last hash. */
  public long lo() {
    return lo;
  }

  /** The high 64 bits of the last hash. */
  public long hi() {
    return hi;
  }

  private static long mixK1(long k) {
    return Long.rotateLeft(k * C1, 31) * C2;
  }

  private static long mixK2(long k) {
    return Long.rotateLeft(k * C2, 33) * C1;
  }

  /**
   * {@code n} (1 to 8) bytes at {@code i}, little-endian. When the hashed range, which starts at
   * {@code from}, has 8 bytes ending where these end, one load of those and a shift: a series' text
   * always has, and a loop per byte was a third of the hashing.
   */
  private static long tail(byte[] b, int i, int n, int from) {
    if (i + n - 8 >= from) {
      return (long) LONGS.get(b, i + n - 8) >>> (64 - 8 * n);
    }
    long k = 0;
    for (int j = n - 1; j >= 0; j--) {
      k = (k << 8) | (b[i + j] & 0xffL);
    }
    return k;
  }

  private static long avalanche(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    return k ^ (k >>> 33);
  }
}
