package io.meridian.exposition;

import io.meridian.model.Labels;
import io.meridian.util.Hash128;
import java.nio.charset.StandardCharsets;

/**
 * A pull parser for the text exposition formats over a byte array, line by line. {@link #next()}
 * says what the current line is; accessors read its parts. Nothing is allocated per sample unless
 * the caller asks for strings: the series' raw bytes ({@link #seriesStart()}..{@link #seriesEnd()})
 * let a scrape cache map a series it has seen to its ref without building labels.
 *
 * <p>Exemplars are read and skipped. Not thread-safe.
 */
public final class ExpositionParser {
  /** What a line is. */
  public enum Entry {
    SERIES,
    HELP,
    TYPE,
    UNIT,
    COMMENT,
    EOF
  }

  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  private final byte[] b;
  private final int end;
  private final TextFormat format;
  private int pos;
  private int line;
  private boolean sawEof;

  // The current line.
  private int nameStart;
  private int nameEnd;
  private int seriesEnd;
  private final int[] labelOffsets = new int[128]; // name start, name end, value start, value end
  private int labelCount;
  private boolean lazyLabels;
  private boolean labelsPending;
  private int expectedLength = -1;
  private long expectedLo;
  private long expectedHi;
  private Hash128 hash;
  private boolean matchedExpected;
  private int labelsFrom;
  private int labelsLineEnd;
  private boolean labelEscapes;
  private double value;
  private boolean hasTimestamp;
  private long timestamp;
  private int textStart;
  private int textEnd;

  public ExpositionParser(byte[] body, int length, TextFormat format) {
    this.b = body;
    this.end = length;
    this.format = format;
  }

  /** The current line number, 1-based. */
  public int line() {
    return line;
  }

  /**
   * Moves to the next line that says something.
   *
   * @return its kind; {@link Entry#EOF} at the end of input or at OpenMetrics' {@code # EOF}
   * @throws ParseException naming the line when it does not parse, or when an OpenMetrics body
   *     lacks its {@code # EOF} or has content after it
   */
  public Entry next() throws ParseException {
    while (true) {
      if (pos >= end) {
        if (format == TextFormat.OPENMETRICS_1_0 && !sawEof) {
          throw new ParseException(line, "expected \"# EOF\" at the end of an OpenMetrics body");
        }
        return Entry.EOF;
      }
      if (sawEof) {
        throw new ParseException(line + 1, "unexpected content after \"# EOF\"");
      }
      line++;
      int eol = pos;
      while (eol < end && b[eol] != '\n') {
        eol++;
      }
      int start = pos;
      pos = eol + 1;
      int lineEnd = eol > start && b[eol - 1] == '\r' ? eol - 1 : eol;
      if (lineEnd == start) {
        continue; // blank line
      }
      if (b[start] == '#') {
        Entry e = comment(start, lineEnd);
        if (e == Entry.COMMENT && format == TextFormat.PROMETHEUS_0_0_4) {
          continue;
        }
        return e;
      }
      series(start, lineEnd);
      return Entry.SERIES;
    }
  }

  private Entry comment(int start, int lineEnd) throws ParseException {
    int p = start + 1;
    if (p < lineEnd && b[p] == ' ') {
      p++;
    }
    Entry kind;
    if (startsWith(p, lineEnd, "HELP ")) {
      kind = Entry.HELP;
    } else if (startsWith(p, lineEnd, "TYPE ")) {
      kind = Entry.TYPE;
    } else if (format == TextFormat.OPENMETRICS_1_0 && startsWith(p, lineEnd, "UNIT ")) {
      kind = Entry.UNIT;
    } else if (format == TextFormat.OPENMETRICS_1_0 && startsWith(p, lineEnd, "EOF")) {
      if (p + 3 != lineEnd) {
        throw new ParseException(line, "unexpected text after \"# EOF\"");
      }
      sawEof = true;
      if (pos < end) {
        throw new ParseException(line + 1, "unexpected content after \"# EOF\"");
      }
      return Entry.EOF;
    } else {
      if (format == TextFormat.OPENMETRICS_1_0) {
        throw new ParseException(line, "unknown comment; OpenMetrics allows HELP, TYPE, UNIT, EOF");
      }
      return Entry.COMMENT;
    }
    p += 5;
    nameStart = p;
    while (p < lineEnd && b[p] != ' ') {
      p++;
    }
    nameEnd = p;
    if (nameEnd == nameStart) {
      throw new ParseException(line, "expected a metric name after # " + kind);
    }
    textStart = p < lineEnd ? p + 1 : p;
    textEnd = lineEnd;
    if (kind == Entry.TYPE && textStart == textEnd) {
      throw new ParseException(line, "expected a type after # TYPE " + metricFamily());
    }
    return kind;
  }

  private boolean startsWith(int p, int lineEnd, String s) {
    if (lineEnd - p < s.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (b[p + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void series(int start, int lineEnd) throws ParseException {
    labelCount = 0;
    labelEscapes = false;
    labelsPending = false;
    int guess = expectedLength;
    expectedLength = -1;
    matchedExpected = false;
    int p;
    if (guess >= 0 && startsWithExpected(guess, start, lineEnd)) {
      // The series the caller has seen before, byte for byte: its name and labels were checked
      // then; only where they end matters now.
      nameStart = start;
      nameEnd = -1;
      matchedExpected = true;
      p = start + guess;
      labelsFrom = -1;
      labelsLineEnd = lineEnd;
      labelsPending = true;
    } else {
      p = seriesText(start, lineEnd);
    }
    seriesEnd = p;
    if (p >= lineEnd || (b[p] != ' ' && b[p] != '\t')) {

      throw new ParseException(
          line, "expected a space and a value after the series, got " + found(p, lineEnd));
    }
    p = skipSpace(p, lineEnd);
    int vs = p;
    while (p < lineEnd && b[p] != ' ' && b[p] != '\t') {
      p++;
    }
    value = parseFloat(vs, p, "value");
    hasTimestamp = false;
    p = skipSpace(p, lineEnd);
    if (p < lineEnd && b[p] != '#') {
      int ts = p;
      while (p < lineEnd && b[p] != ' ' && b[p] != '\t') {
        p++;
      }
      timestamp = parseTimestamp(ts, p);
      hasTimestamp = true;
      p = skipSpace(p, lineEnd);
    }
    if (p < lineEnd) {
      if (b[p] == '#' && format == TextFormat.OPENMETRICS_1_0) {
        return; // an exemplar: read past it
      }
      throw new ParseException(line, "unexpected " + found(p, lineEnd) + " after the sample");
    }
  }

  /**
   * Whether the line's first {@code length} bytes have the expected hash and a space or tab
   * follows.
   */
  private boolean startsWithExpected(int length, int start, int lineEnd) {
    int end = start + length;
    if (end >= lineEnd || (b[end] != ' ' && b[end] != '\t')) {
      return false;
    }
    hash.hash(b, start, length);
    return hash.lo() == expectedLo && hash.hi() == expectedHi;
  }

  /** Reads a series' name and label set (checked now, or later when deferred); returns its end. */
  private int seriesText(int start, int lineEnd) throws ParseException {
    int p = start;
    nameStart = p;
    while (p < lineEnd && isNameChar(b[p], p == start)) {
      p++;
    }
    nameEnd = p;
    if (nameEnd == nameStart) {
      throw new ParseException(line, "expected a metric name, got " + found(p, lineEnd));
    }
    if (p < lineEnd && b[p] == '{') {
      int end = lazyLabels ? skipLabels(p + 1, lineEnd) : -1;
      if (end < 0) {
        p = labels(p + 1, lineEnd);
      } else {
        labelsFrom = p + 1;
        labelsLineEnd = lineEnd;
        labelsPending = true;
        p = end;
      }
    }
    return p;
  }

  /** Finds the end of the name of a series read by {@link #expect}, and where its labels begin. */
  private void locateName() {
    if (nameEnd >= 0) {
      return;
    }
    int p = nameStart;
    while (p < seriesEnd && b[p] != '{') {
      p++;
    }
    nameEnd = p;
    if (p < seriesEnd) {
      labelsFrom = p + 1;
    } else {
      labelsPending = false;
    }
  }

  /**
   * Offers the series the caller expects on the next series line (a scrape cache's guess: targets
   * write their series in the same order each time), as the length and {@link Hash128} of its raw
   * text; a negative length offers none. When the line starts with text of that length and hash,
   * its name and label set are neither scanned nor checked, and {@link #matchedExpected()} says so.
   * Takes effect with {@link #deferLabelChecks()}.
   */
  public void expect(int length, long lo, long hi) {
    if (!lazyLabels || length < 0) {
      expectedLength = -1;
      return;
    }
    if (hash == null) {
      hash = new Hash128();
    }
    expectedLength = length;
    expectedLo = lo;
    expectedHi = hi;
  }

  /** Whether the current series line is the one last {@link #expect}ed. */
  public boolean matchedExpected() {
    return matchedExpected;
  }

  /**
   * The end of a label set (after its '}'), found by quotes alone, without checking names; -1 when
   * there is none (the checking parse then says what is wrong).
   */
  private int skipLabels(int p, int lineEnd) {
    boolean quoted = false;
    for (; p < lineEnd; p++) {
      byte c = b[p];
      if (quoted) {
        if (c == '\\') {
          p++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '}') {
        return p + 1;
      }
    }
    return -1;
  }

  /**
   * Checks label sets only when {@link #labels()} asks for them, not on every line: a scrape cache
   * asks only for series it has not seen, and a series it has seen, byte for byte, was checked
   * then. Lines whose label set has no end are still refused by {@link #next()}.
   */
  public void deferLabelChecks() {
    lazyLabels = true;
  }

  private int labels(int p, int lineEnd) throws ParseException {
    while (true) {
      if (p < lineEnd && b[p] == '}') {
        return p + 1;
      }
      int ns = p;
      while (p < lineEnd && isNameChar(b[p], p == ns) && b[p] != ':') {
        p++;
      }
      if (p == ns) {
        throw new ParseException(line, "expected a label name, got " + found(p, lineEnd));
      }
      int ne = p;
      if (p >= lineEnd || b[p] != '=') {
        throw new ParseException(line, "expected \"=\" after label name, got " + found(p, lineEnd));
      }
      p++;
      if (p >= lineEnd || b[p] != '"') {
        throw new ParseException(line, "expected a quoted label value, got " + found(p, lineEnd));
      }
      p++;
      int vs = p;
      while (p < lineEnd && b[p] != '"') {
        if (b[p] == '\\') {
          labelEscapes = true;
          p++;
        }
        p++;
      }
      if (p >= lineEnd) {
        throw new ParseException(line, "unterminated label value");
      }
      if (labelCount * 4 + 4 > labelOffsets.length) {
        throw new ParseException(line, "more than " + labelOffsets.length / 4 + " labels");
      }
      labelOffsets[labelCount * 4] = ns;
      labelOffsets[labelCount * 4 + 1] = ne;
      labelOffsets[labelCount * 4 + 2] = vs;
      labelOffsets[labelCount * 4 + 3] = p;
      labelCount++;
      p++;
      if (p < lineEnd && b[p] == ',') {
        p++;
      } else if (p >= lineEnd || b[p] != '}') {
        throw new ParseException(
            line, "expected \",\" or \"}\" after a label, got " + found(p, lineEnd));
      }
    }
  }

  private static boolean isNameChar(byte c, boolean first) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '_'
        || c == ':'
        || (!first && c >= '0' && c <= '9');
  }

  private int skipSpace(int p, int lineEnd) {
    while (p < lineEnd && (b[p] == ' ' || b[p] == '\t')) {
      p++;
    }
    return p;
  }

  private String found(int p, int lineEnd) {
    if (p >= lineEnd) {
      return "end of line";
    }
    return "\"" + new String(b, p, Math.min(lineEnd - p, 16), StandardCharsets.UTF_8) + "\"";
  }

  /**
   * Parses a float without allocating in the common case: plain decimals of up to 15 digits take
   * one exact division (correctly rounded); anything else goes through {@link Double#parseDouble}.
   */
  private double parseFloat(int s, int e, String what) throws ParseException {
    if (s == e) {
      throw new ParseException(line, "expected a " + what);
    }
    int p = s;
    boolean neg = false;
    if (b[p] == '-' || b[p] == '+') {
      neg = b[p] == '-';
      p++;
    }
    long mant = 0;
    int digits = 0;
    int frac = -1;
    boolean simple = p < e;
    for (; p < e; p++) {
      byte c = b[p];
      if (c >= '0' && c <= '9') {
        if (mant != 0 || c != '0') {
          digits++;
        }
        mant = mant * 10 + (c - '0');
        if (frac >= 0) {
          frac++;
        }
      } else if (c == '.' && frac < 0) {
        frac = 0;
      } else {
        simple = false;
        break;
      }
    }
    if (simple && digits <= 15 && (frac < 0 || frac <= 22)) {
      double v = frac > 0 ? mant / POW10[frac] : mant;
      return neg ? -v : v;
    }
    String t = new String(b, s, e - s, StandardCharsets.US_ASCII);
    switch (t.toLowerCase(java.util.Locale.ROOT)) {
      case "nan", "+nan", "-nan" -> {
        return Double.NaN;
      }
      case "inf", "+inf", "infinity", "+infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      default -> {}
    }
    try {
      if (t.indexOf('x') >= 0 || t.indexOf('X') >= 0 || t.endsWith("d") || t.endsWith("f")) {
        throw new NumberFormatException();
      }
      return Double.parseDouble(t);
    } catch (NumberFormatException ex) {
      throw new ParseException(line, "invalid " + what + " \"" + t + "\"");
    }
  }

  private long parseTimestamp(int s, int e) throws ParseException {
    if (format == TextFormat.OPENMETRICS_1_0) {
      double secs = parseFloat(s, e, "timestamp");
      if (Double.isNaN(secs) || Double.isInfinite(secs)) {
        throw new ParseException(line, "invalid timestamp");
      }
      return (long) (secs * 1000); // what Prometheus does: truncate the float product
    }
    long v = 0;
    int p = s;
    boolean neg = b[p] == '-';
    if (neg || b[p] == '+') {
      p++;
    }
    if (p == e) {
      throw new ParseException(line, "invalid timestamp");
    }
    for (; p < e; p++) {
      if (b[p] < '0' || b[p] > '9') {
        throw new ParseException(
            line,
            "invalid timestamp \"" + new String(b, s, e - s, StandardCharsets.US_ASCII) + "\"");
      }
      v = v * 10 + (b[p] - '0');
    }
    return neg ? -v : v;
  }

  /** The metric name of the current sample, or the family name of a HELP, TYPE or UNIT line. */
  public String metricFamily() {
    locateName();
    return new String(b, nameStart, nameEnd - nameStart, StandardCharsets.UTF_8);
  }

  /** The text of a HELP, TYPE or UNIT line (escapes of HELP resolved). */
  public String text() {
    return unescape(textStart, textEnd);
  }

  /** Offset of the current series' raw text ({@code name{labels}}) in the body. */
  public int seriesStart() {
    return nameStart;
  }

  /** End of the current series' raw text. */
  public int seriesEnd() {
    return seriesEnd;
  }

  /** The body the offsets refer to. */
  public byte[] body() {
    return b;
  }

  public double value() {
    return value;
  }

  public boolean hasTimestamp() {
    return hasTimestamp;
  }

  /** The sample's timestamp in ms (OpenMetrics seconds converted). */
  public long timestamp() {
    return timestamp;
  }

  /**
   * Builds the current sample's labels, {@code __name__} included.
   *
   * @throws ParseException if a label name repeats or is invalid
   */
  public Labels labels() throws ParseException {
    locateName();
    if (labelsPending) {
      labelsPending = false;
      labels(labelsFrom, labelsLineEnd);
    }
    String[] pairs = new String[2 * labelCount + 2];
    pairs[0] = Labels.METRIC_NAME;
    pairs[1] = metricFamily();
    for (int i = 0; i < labelCount; i++) {
      int o = i * 4;
      pairs[2 * i + 2] =
          new String(
              b, labelOffsets[o], labelOffsets[o + 1] - labelOffsets[o], StandardCharsets.UTF_8);
      pairs[2 * i + 3] =
          labelEscapes
              ? unescape(labelOffsets[o + 2], labelOffsets[o + 3])
              : new String(
                  b,
                  labelOffsets[o + 2],
                  labelOffsets[o + 3] - labelOffsets[o + 2],
                  StandardCharsets.UTF_8);
    }
    try {
      return Labels.of(pairs);
    } catch (IllegalArgumentException e) {
      throw new ParseException(line, e.getMessage());
    }
  }

  private String unescape(int s, int e) {
    boolean any = false;
    for (int i = s; i < e; i++) {
      if (b[i] == '\\') {
        any = true;
        break;
      }
    }
    if (!any) {
      return new String(b, s, e - s, StandardCharsets.UTF_8);
    }
    byte[] out = new byte[e - s];
    int n = 0;
    for (int i = s; i < e; i++) {
      byte c = b[i];
      if (c == '\\' && i + 1 < e) {
        byte d = b[++i];
        switch (d) {
          case 'n' -> out[n++] = '\n';
          case '\\', '"' -> out[n++] = d;
          default -> {
            // Not an escape: both bytes stay, in order.
            out[n++] = '\\';
            out[n++] = d;
          }
        }
      } else {
        out[n++] = c;
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }
}
