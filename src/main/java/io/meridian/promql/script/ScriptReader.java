package io.meridian.promql.script;

import com.google.re2j.PatternSyntaxException;
import io.meridian.model.Labels;
import io.meridian.util.PromDuration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a script in Prometheus's PromQL test language ({@code promql/promqltest}), as its runner
 * reads it: lines are trimmed, {@code #} lines are blank, a blank line ends a {@code load} or
 * {@code eval} block, and an expected scalar ends its {@code eval}. Queries are not parsed here;
 * the runner does that.
 *
 * <p>Not read as Prometheus does: start-timestamp lines ({@code metric@st ...}) are accepted and
 * ignored, as the stores have no start timestamps; {@code expect range vector} is refused on a
 * range query, where it means nothing.
 */
public final class ScriptReader {
  private static final Pattern SPACE = Pattern.compile("[\t ]+");
  private static final Pattern LOAD = Pattern.compile("^load(?:_(with_nhcb))?\\s+(.+?)$");
  private static final Pattern EVAL_INSTANT =
      Pattern.compile(
          "^eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
  private static final Pattern EVAL_RANGE =
      Pattern.compile(
          "^eval(?:_(fail|warn|info))?\\s+range\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+?)\\s+(.+)$");
  private static final Pattern EXPECT =
      Pattern.compile(
          "^expect\\s+(ordered|fail|warn|no_warn|info|no_info)(?:\\s+(regex|msg):(.+))?$");
  private static final Pattern EXPECT_RANGE =
      Pattern.compile("^expect range vector\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+)$");
  private static final Pattern SECONDS = Pattern.compile("\\d+(?:\\.\\d+)?");
  private static final String EXPECT_RANGE_PREFIX = "expect range vector";
  private static final String EXPECT_STRING_PREFIX = "expect string";

  private final String name;
  private final List<String> lines;
  private int i;

  private ScriptReader(String name, String text) {
    this.name = name;
    this.lines = text.lines().map(l -> l.strip().startsWith("#") ? "" : l.strip()).toList();
  }

  /**
   * Reads {@code text}.
   *
   * @param name what messages call the script (its file name)
   * @throws ScriptException {@code name:line: what is wrong}
   */
  public static Script read(String name, String text) {
    return new Script(name, new ScriptReader(name, text).commands());
  }

  private List<Command> commands() {
    List<Command> out = new ArrayList<>();
    for (i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.isEmpty()) {
        continue;
      }
      String word = SPACE.split(l, 2)[0].toLowerCase(Locale.ROOT);
      if (word.equals("clear")) {
        out.add(new Command.Clear(i + 1));
      } else if (word.startsWith("load")) {
        out.add(load());
      } else if (word.startsWith("eval")) {
        out.add(eval());
      } else {
        throw error(i, "invalid command \"" + l + "\"");
      }
    }
    return out;
  }

  private Command.Load load() {
    int first = i;
    Matcher m = LOAD.matcher(lines.get(i));
    if (!m.matches()) {
      throw error(i, "invalid load command. (load[_with_nhcb] <step:duration>)");
    }
    long interval;
    try {
      interval = PromDuration.parse(m.group(2)).toMillis();
    } catch (IllegalArgumentException e) {
      throw error(i, "invalid step definition \"" + m.group(2) + "\": " + e.getMessage());
    }
    Map<Labels, SeriesLine> series = new LinkedHashMap<>();
    while (i + 1 < lines.size() && !lines.get(i + 1).isEmpty()) {
      i++;
      String l = lines.get(i);
      if (isStartTimestampLine(l)) {
        continue;
      }
      SeriesLine s = series(l);
      series.remove(s.labels()); // the last line for a series wins, in the order written
      series.put(s.labels(), s);
    }
    return new Command.Load(
        first + 1, interval, m.group(1) != null, new ArrayList<>(series.values()));
  }

  /** {@code metric{...}@st <offsets>} or {@code @st <offsets>}: Prometheus's start timestamps. */
  private static boolean isStartTimestampLine(String l) {
    String[] parts = SPACE.split(l, 2);
    return parts.length == 2 && parts[0].endsWith("@st");
  }

  private Command.Eval eval() {
    int first = i;
    String l = lines.get(i);
    Matcher instant = EVAL_INSTANT.matcher(l);
    Matcher range = EVAL_RANGE.matcher(l);
    boolean isInstant = instant.matches();
    if (!isInstant && !range.matches()) {
      throw error(
          i,
          "invalid evaluation command. Must be either 'eval[_fail|_warn|_ordered|_info] instant [at"
              + " <offset:duration>] <query>' or 'eval[_fail|_warn|_info] range from <from> to <to>"
              + " step <step> <query>'");
    }
    Matcher m = isInstant ? instant : range;
    String query = isInstant ? m.group(3) : m.group(5);
    long start;
    long end;
    long step;
    if (isInstant) {
      start = time(m.group(2), "timestamp");
      end = start;
      step = 0;
    } else {
      start = time(m.group(2), "start timestamp");
      end = time(m.group(3), "end timestamp");
      if (end < start) {
        throw error(
            i,
            "invalid test definition, end timestamp ("
                + m.group(3)
                + ") is before start timestamp ("
                + m.group(2)
                + ")");
      }
      step = time(m.group(4), "step");
    }
    List<Expect> expects = new ArrayList<>();
    String modifier = m.group(1);
    if (modifier != null) {
      expects.add(Expect.any(Expect.Type.of(modifier)));
    }
    boolean legacyFail = "fail".equals(modifier);
    boolean rangeVector = false;
    Double scalar = null;
    String string = null;
    Map<Labels, SeriesLine> series = new LinkedHashMap<>();
    while (i + 1 < lines.size() && !lines.get(i + 1).isEmpty()) {
      i++;
      String d = lines.get(i);
      if (legacyFail && d.startsWith("expected_fail_message")) {
        String msg = d.substring("expected_fail_message".length()).strip();
        expects.set(0, new Expect(Expect.Type.FAIL, msg, null));
        break;
      }
      if (legacyFail && d.startsWith("expected_fail_regexp")) {
        String re = d.substring("expected_fail_regexp".length()).strip();
        expects.set(0, new Expect(Expect.Type.FAIL, null, regex(re, "expected_fail_regexp")));
        break;
      }
      if (d.startsWith(EXPECT_RANGE_PREFIX)) {
        if (!isInstant) {
          throw error(i, "expect range vector is only for instant queries");
        }
        Matcher r = EXPECT_RANGE.matcher(d);
        if (!r.matches()) {
          throw error(i, "invalid range vector definition \"" + d + "\"");
        }
        start = time(r.group(1), "start timestamp");
        end = time(r.group(2), "end timestamp");
        step = time(r.group(3), "step");
        if (end < start) {
          throw error(i, "invalid range vector definition, end is before start");
        }
        rangeVector = true;
        continue;
      }
      if (d.startsWith(EXPECT_STRING_PREFIX)) {
        string = stringLiteral(d);
        continue;
      }
      if (d.split(" ", 2)[0].equals("expect")) {
        expects.add(expect(d));
        validate(expects);
        continue;
      }
      OptionalDouble number = GoNumbers.parseNumber(d);
      if (number.isPresent()) {
        scalar = number.getAsDouble();
        break;
      }
      SeriesLine s = series(d);
      if (s.values().size() > 1 && isInstant && !rangeVector) {
        throw error(
            i,
            "expecting multiple values in instant evaluation not allowed. consider using 'expect"
                + " range vector' directive to enable a range vector result for an instant query");
      }
      series.remove(s.labels());
      series.put(s.labels(), s);
    }
    return new Command.Eval(
        first + 1,
        query,
        !isInstant,
        start,
        end,
        step,
        rangeVector,
        expects,
        scalar,
        scalar != null ? List.of() : new ArrayList<>(series.values()),
        string);
  }

  private Expect expect(String d) {
    Matcher m = EXPECT.matcher(d);
    if (!m.matches()) {
      throw error(
          i, "invalid expect statement, must match `expect <type> <match_type>: <string>` format");
    }
    Expect.Type type = Expect.Type.of(m.group(1));
    if (m.group(2) == null) {
      return Expect.any(type);
    }
    String text = m.group(3).strip();
    return m.group(2).equals("msg")
        ? new Expect(type, text, null)
        : new Expect(type, null, regex(text, type.word()));
  }

  private com.google.re2j.Pattern regex(String pattern, String what) {
    try {
      return com.google.re2j.Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw error(i, "invalid regex " + pattern + " for " + what + ": " + e.getMessage());
    }
  }

  private void validate(List<Expect> expects) {
    if (has(expects, Expect.Type.INFO) && has(expects, Expect.Type.NO_INFO)) {
      throw error(i, "invalid expect lines, info and no_info cannot be used together");
    }
    if (has(expects, Expect.Type.WARN) && has(expects, Expect.Type.NO_WARN)) {
      throw error(i, "invalid expect lines, warn and no_warn cannot be used together");
    }
    if (expects.stream().filter(e -> e.type() == Expect.Type.FAIL).count() > 1) {
      throw error(i, "invalid expect lines, multiple expect fail lines are not allowed");
    }
  }

  private static boolean has(List<Expect> expects, Expect.Type type) {
    return expects.stream().anyMatch(e -> e.type() == type);
  }

  /** {@code expect string "..."} or with back quotes, unquoted as Go's strconv.Unquote does. */
  private String stringLiteral(String d) {
    String rest = d.substring(EXPECT_STRING_PREFIX.length());
    if (rest.isEmpty() || !rest.startsWith(" ") || rest.length() == 1) {
      throw error(i, "expected string literal not valid - a quoted string literal is required");
    }
    String quoted = rest.substring(1);
    try {
      return GoStrings.unquote(quoted);
    } catch (IllegalArgumentException e) {
      throw error(
          i, "expected string literal not valid - check that the string is correctly quoted");
    }
  }

  private SeriesLine series(String l) {
    try {
      return SeriesDescription.parse(l, i + 1);
    } catch (IllegalArgumentException e) {
      throw error(i, e.getMessage());
    }
  }

  /** A time or duration: {@code 50m}, {@code 1h30m}, {@code 0}, or plain seconds ({@code 90}). */
  private long time(String s, String what) {
    if (s == null) {
      throw error(i, "invalid " + what + " definition: missing");
    }
    if (SECONDS.matcher(s).matches()) {
      return Math.round(Double.parseDouble(s) * 1000);
    }
    try {
      return PromDuration.parse(s).toMillis();
    } catch (IllegalArgumentException e) {
      throw error(i, "invalid " + what + " definition \"" + s + "\": " + e.getMessage());
    }
  }

  private ScriptException error(int index, String detail) {
    return new ScriptException(name, index + 1, detail);
  }
}
