package io.meridian.testing;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The randomness of a randomized test: deterministic from its seed, which {@link
 * SeededRandomExtension} prints with a reproduce command when the test fails.
 */
public final class SeededRandom implements RandomGenerator {
  private static final String ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";

  private final long seed;
  private final SplittableRandom random;

  public SeededRandom(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  /** The seed this source was made from. */
  public long seed() {
    return seed;
  }

  @Override
  public long nextLong() {
    return random.nextLong();
  }

  /** A string of {@code [a-zA-Z0-9_]} of length in [min, max]. */
  public String nextAscii(int min, int max) {
    int n = nextInt(min, max + 1);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(ALPHABET.charAt(nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  /**
   * A well-formed string of length in [min, max] code points drawn from a small, awkward set:
   * ASCII, Latin-1, characters from U+E000..U+FFFF and above U+FFFF (where UTF-16 and UTF-8 order
   * disagree), quotes, backslashes and newlines.
   */
  public String nextUnicode(int min, int max) {
    int[] pool = {
      'a', 'b', 'z', 'A', '_', '0', '"', '\\', '\n', 0xE9, 0xFF, 0xE000, 0xFFFD, 0x1F600
    };
    int n = nextInt(min, max + 1);
    StringBuilder sb = new StringBuilder(n * 2);
    for (int i = 0; i < n; i++) {
      sb.appendCodePoint(pool[nextInt(pool.length)]);
    }
    return sb.toString();
  }

  /** One of the given values. */
  @SafeVarargs
  public final <T> T pick(T... values) {
    return values[nextInt(values.length)];
  }
}
