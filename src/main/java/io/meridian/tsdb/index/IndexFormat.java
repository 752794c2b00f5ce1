package io.meridian.tsdb.index;

/**
 * The index file of a block, format version 2, as Prometheus writes it ({@code
 * ../shared/specs/tsdb-format/index.md}).
 *
 * <pre>
 * magic 0xBAAAD700 (4) │ version 2 (1)
 * symbol table   : len(4) #symbols(4) {uvarint len, utf-8 bytes}* crc32c(4)
 * series         : each 16-byte aligned, id = offset/16:
 *                  uvarint len, {#labels, (name sym, value sym)*, #chunks, chunk metas}, crc32c
 * label indices  : each 4-byte aligned: len(4) #names=1(4) #entries(4) {value sym(4)}* crc32c
 * postings       : each 4-byte aligned: len(4) #entries(4) {series id(4)}* crc32c;
 *                  first the list of all series under the empty name and value
 * label offsets  : len(4) #entries(4) {n=1, name, uvarint offset}* crc32c
 * postings offs  : len(4) #entries(4) {n=2, name, value, uvarint offset}* crc32c, sorted
 * TOC            : six 8-byte offsets (symbols, series, label indices, label offset table,
 *                  postings, postings offset table), crc32c
 * </pre>
 *
 * Every {@code len} counts the bytes between itself and the checksum, which covers exactly those.
 * Checksums are CRC-32C (Castagnoli), big-endian. Strings are sorted in UTF-8 byte order.
 */
public final class IndexFormat {
  public static final int MAGIC = 0xBAAAD700;
  public static final int VERSION = 2;
  public static final int HEADER_SIZE = 5;
  public static final int TOC_SIZE = 6 * 8 + 4;
  public static final int SERIES_ALIGNMENT = 16;
  public static final int POSTINGS_ALIGNMENT = 4;

  /** The name and value under which the postings of all series are stored. */
  public static final String ALL_POSTINGS_NAME = "";

  public static final String ALL_POSTINGS_VALUE = "";

  private IndexFormat() {}
}
