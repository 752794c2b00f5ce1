package io.meridian.tsdb.block;

import java.math.BigInteger;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * A ULID, the name of a block directory: 48 bits of milliseconds then 80 random bits, written as 26
 * characters of Crockford's base32, so names sort by creation time.
 */
public record Ulid(String value) implements Comparable<Ulid> {
  private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final Pattern FORM = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");

  public Ulid {
    if (!FORM.matcher(value).matches()) {
      throw new IllegalArgumentException("not a ULID: " + value);
    }
  }

  /** Whether {@code s} has the form of a ULID (a block directory name, say). */
  public static boolean isUlid(String s) {
    return FORM.matcher(s).matches();
  }

  /** A new ULID for time {@code millis}. */
  public static Ulid generate(long millis, RandomGenerator random) {
    BigInteger v = BigInteger.valueOf(millis & 0xFFFFFFFFFFFFL).shiftLeft(80);
    v = v.or(BigInteger.valueOf(random.nextLong() & 0xFFFFL).shiftLeft(64));
    v = v.or(new BigInteger(1, longBytes(random.nextLong())));
    char[] out = new char[26];
    for (int i = 25; i >= 0; i--) {
      out[i] = ALPHABET.charAt(v.intValue() & 31);
      v = v.shiftRight(5);
    }
    return new Ulid(new String(out));
  }

  /** The milliseconds the ULID was made at. */
  public long millis() {
    long t = 0;
    for (int i = 0; i < 10; i++) {
      t = (t << 5) | ALPHABET.indexOf(value.charAt(i));
    }
    return t;
  }

  private static byte[] longBytes(long x) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) x;
      x >>>= 8;
    }
    return b;
  }

  @Override
  public int compareTo(Ulid o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
