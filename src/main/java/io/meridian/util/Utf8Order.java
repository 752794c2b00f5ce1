package io.meridian.util;

import java.util.Comparator;

/**
 * Orders strings as their UTF-8 bytes compare, which is the order Prometheus uses for label names,
 * label values and the index's symbol table. {@link String#compareTo} compares UTF-16 units and
 * disagrees for characters above U+FFFF against those in U+E000..U+FFFF; this does not.
 */
public final class Utf8Order {
  /** The order as a comparator. */
  public static final Comparator<String> COMPARATOR = Utf8Order::compare;

  private Utf8Order() {}

  /** Compares two strings by the unsigned bytes of their UTF-8 encodings, without encoding them. */
  public static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        if (ca >= Character.MIN_SURROGATE && cb >= Character.MIN_SURROGATE) {
          // Surrogates stand for code points above every BMP character, so lift them over
          // U+E000..U+FFFF; code point order is UTF-8 byte order.
          return codePointRank(ca) - codePointRank(cb);
        }
        return ca - cb;
      }
    }
    return a.length() - b.length();
  }

  private static int codePointRank(char c) {
    return Character.isSurrogate(c) ? c + 0x2000 : c - 0x800;
  }
}
