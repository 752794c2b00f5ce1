package io.meridian.tsdb.wal;

import io.meridian.util.Decbuf;
import io.meridian.util.Encbuf;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.function.LongPredicate;

/**
 * Drops samples from native histogram records (types 7 and 8) for a checkpoint without decoding the
 * histograms: each sample's body is located by walking its layout and copied as it is, and only the
 * ref and time deltas are rewritten against the first kept sample. Not thread-safe.
 *
 * <pre>
 * 7 │ ref₀(8) │ t₀(8) │ { varint Δref │ varint Δt │ counter reset hint(1) │ varint schema │
 *     zero threshold(8) │ uvarint zero count │ uvarint count │ sum(8) │
 *     2 × { uvarint #spans │ (varint offset │ uvarint length)* } │
 *     2 × { uvarint #buckets │ varint delta* } }*
 * 8 │ the same with zero count, count and buckets as 8-byte floats
 * </pre>
 */
final class HistogramFilter {
  private final Encbuf out = new Encbuf(1024);
  private byte[] in = new byte[1024];
  long total;
  long kept;

  /**
   * Filters {@code rec}, whose type byte is 7 or 8, keeping samples of kept series at or after
   * {@code mint}; the result is in the returned buffer, empty if nothing was kept.
   *
   * @throws Decbuf.DecodeException if the record does not have the layout above
   */
  Encbuf filter(ByteBuffer rec, LongPredicate keep, long mint) {
    int n = rec.remaining();
    if (in.length < n) {
      in = new byte[Math.max(n, in.length * 2)];
    }
    rec.get(rec.position(), in, 0, n);
    boolean floats = (in[0] & 0xff) == Records.Type.FLOAT_HISTOGRAM_SAMPLES.code();
    Decbuf d = new Decbuf(MemorySegment.ofArray(in), 1, n);
    out.reset();
    if (d.remaining() == 0) {
      return out;
    }
    long ref0 = d.readBE64();
    long t0 = d.readBE64();
    long newRef0 = 0;
    long newT0 = 0;
    long seen = 0;
    long taken = 0;
    while (d.remaining() > 0) {
      long ref = ref0 + d.readVarint();
      long t = t0 + d.readVarint();
      int body = (int) d.position();
      skipBody(d, floats);
      seen++;
      if (t < mint || !keep.test(ref)) {
        continue;
      }
      if (taken++ == 0) {
        newRef0 = ref;
        newT0 = t;
        out.putByte(in[0]).putBE64(ref).putBE64(t);
      }
      out.putVarint(ref - newRef0).putVarint(t - newT0);
      out.putBytes(in, body, (int) d.position() - body);
    }
    total += seen;
    kept += taken;
    return out;
  }

  private static void skipBody(Decbuf d, boolean floats) {
    d.skip(1); // counter reset hint
    d.readVarint(); // schema
    d.skip(8); // zero threshold
    skipCount(d, floats); // zero count
    skipCount(d, floats); // count
    d.skip(8); // sum
    for (int side = 0; side < 2; side++) {
      long spans = d.readUvarint();
      for (long i = 0; i < spans; i++) {
        d.readVarint();
        d.readUvarint();
      }
    }
    for (int side = 0; side < 2; side++) {
      long buckets = d.readUvarint();
      for (long i = 0; i < buckets; i++) {
        skipCount(d, floats);
      }
    }
  }

  private static void skipCount(Decbuf d, boolean floats) {
    if (floats) {
      d.skip(8);
    } else {
      d.readUvarint();
    }
  }
}
