package io.meridian.scrape;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Raw-deflate decompression by the system's libdeflate (Debian's {@code libdeflate0}), called
 * through the FFM API on the body arrays themselves.
 *
 * <p>Why: inflating gzip bodies was a fifth of a scraping server's CPU with the JDK's zlib;
 * libdeflate inflates a whole buffer at once, two to three times as fast. Where the library is
 * missing, {@link #system()} is empty and scrapes inflate with {@link java.util.zip.Inflater}.
 */
final class Libdeflate {
  /** {@link #inflate} could not decode the data. */
  static final long BAD_DATA = -1;

  /** {@link #inflate}'s output did not fit. */
  static final long NO_ROOM = -2;

  private static final Optional<Libdeflate> SYSTEM = load();

  private final MethodHandle alloc;
  private final MethodHandle free;
  private final MethodHandle decompress;

  /** Decompressors not in use (each holds ~11 KB of tables); at most one per concurrent scrape. */
  private final MemorySegment[] idle = new MemorySegment[64];

  private int idleCount;

  private Libdeflate(MethodHandle alloc, MethodHandle free, MethodHandle decompress) {
    this.alloc = alloc;
    this.free = free;
    this.decompress = decompress;
  }

  /** The system's libdeflate, or empty when it cannot be loaded. */
  static Optional<Libdeflate> system() {
    return SYSTEM;
  }

  @SuppressWarnings("restricted") // the launcher and the tests enable native access
  private static Optional<Libdeflate> load() {
    for (String name : new String[] {"libdeflate.so.0", "libdeflate.so"}) {
      try {
        SymbolLookup lib = SymbolLookup.libraryLookup(name, Arena.global());
        Linker linker = Linker.nativeLinker();
        MethodHandle alloc =
            linker.downcallHandle(
                lib.find("libdeflate_alloc_decompressor").orElseThrow(),
                FunctionDescriptor.of(ADDRESS));
        MethodHandle free =
            linker.downcallHandle(
                lib.find("libdeflate_free_decompressor").orElseThrow(),
                FunctionDescriptor.ofVoid(ADDRESS));
        // enum result (decompressor, in, in_nbytes, out, out_nbytes_avail, *actual_in_nbytes,
        // *actual_out_nbytes); critical: it runs briefly and may read and write heap arrays.
        MethodHandle decompress =
            linker.downcallHandle(
                lib.find("libdeflate_deflate_decompress_ex").orElseThrow(),
                FunctionDescriptor.of(
                    JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS),
                Linker.Option.critical(true));
        return Optional.of(new Libdeflate(alloc, free, decompress));
      } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
        // not on this system under this name
      }
    }
    return Optional.empty();
  }

  /**
   * Inflates the raw deflate stream at {@code in[inOff, inOff+inLen)} into {@code out[outOff,
   * outOff+outLen)}. Returns the bytes of input consumed shifted left 32 bits, or'ed with the bytes
   * written; {@link #BAD_DATA} or {@link #NO_ROOM} when it fails.
   */
  long inflate(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
    MemorySegment d = take();
    long[] actual = new long[2];
    int result;
    try {
      result =
          (int)
              decompress.invokeExact(
                  d,
                  MemorySegment.ofArray(in).asSlice(inOff, inLen),
                  (long) inLen,
                  MemorySegment.ofArray(out).asSlice(outOff, outLen),
                  (long) outLen,
                  MemorySegment.ofArray(actual).asSlice(0, 8),
                  MemorySegment.ofArray(actual).asSlice(8, 8));
    } catch (Throwable t) {
      throw new IllegalStateException("libdeflate call failed", t);
    } finally {
      give(d);
    }
    return switch (result) {
      case 0 -> actual[0] << 32 | actual[1];
      case 3 -> NO_ROOM;
      default -> BAD_DATA;
    };
  }

  private MemorySegment take() {
    synchronized (idle) {
      if (idleCount > 0) {
        MemorySegment d = idle[--idleCount];
        idle[idleCount] = null;
        return d;
      }
    }
    MemorySegment d;
    try {
      d = (MemorySegment) alloc.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException("libdeflate_alloc_decompressor failed", t);
    }
    if (d.equals(MemorySegment.NULL)) {
      throw new OutOfMemoryError("libdeflate_alloc_decompressor returned NULL");
    }
    return d;
  }

  private void give(MemorySegment d) {
    synchronized (idle) {
      if (idleCount < idle.length) {
        idle[idleCount++] = d;
        return;
      }
    }
    try {
      free.invokeExact(d); // more scrapes at once than are kept
    } catch (Throwable t) {
      throw new IllegalStateException("libdeflate_free_decompressor failed", t);
    }
  }
}
