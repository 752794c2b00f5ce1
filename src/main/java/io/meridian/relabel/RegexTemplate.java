package io.meridian.relabel;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.Map;

/**
 * Expands a replacement template against a regex match the way Go's {@code Regexp.Expand} does,
 * which is what Prometheus uses for {@code replacement} and {@code target_label}.
 *
 * <ul>
 *   <li>{@code $name} takes the longest run of letters, digits and {@code _} after the {@code $} as
 *       the name, so {@code $1x} means the group named {@code 1x}, not group 1 then "x"; write
 *       {@code ${1}x} for that.
 *   <li>A name of digits only (no leading zero, below 10^8) is a group number; any other name is a
 *       named group. A group that does not exist or did not take part in the match expands to "".
 *   <li>{@code $$} is a literal {@code $}; a {@code $} not followed by a name or a closed {@code
 *       {name}} is kept as it is.
 * </ul>
 */
public final class RegexTemplate {
  private RegexTemplate() {}

  /** Whether {@code template} refers to any group, that is, contains a {@code $} at all. */
  static boolean hasReference(String template) {
    return template.indexOf('$') >= 0;
  }

  /**
   * The template with its references replaced by the groups of {@code match}, which has matched
   * {@code src} with {@code pattern}.
   */
  public static String expand(String template, String src, Matcher match, Pattern pattern) {
    return expandMatch(template, src, match, pattern);
  }

  /**
   * The template expanded for the default regex {@code (.*)}, which matches every {@code src}
   * whole: groups 0 and 1 are {@code src}, there are no others. No regex engine runs.
   */
  static String expandWhole(String template, String src) {
    return expandMatch(template, src, null, null);
  }

  /** A null match stands for the default regex having matched all of src. */
  private static String expandMatch(String template, String src, Matcher match, Pattern pattern) {
    int dollar = template.indexOf('$');
    if (dollar < 0) {
      return template;
    }
    if (template.equals("$1") || template.equals("${1}")) {
      // The default replacement: the group itself, and no copy when it is all of src.
      if (match == null) {
        return src;
      }
      return match.groupCount() < 1 || match.start(1) < 0
          ? ""
          : src.substring(match.start(1), match.end(1));
    }
    StringBuilder out = new StringBuilder(template.length() + 16);
    int i = 0;
    while (dollar >= 0) {
      out.append(template, i, dollar);
      i = dollar + 1;
      if (i < template.length() && template.charAt(i) == '$') {
        out.append('$');
        i++;
      } else {
        int end = reference(template, i, src, match, pattern, out);
        if (end < 0) {
          out.append('$'); // malformed: the $ stays as text and scanning goes on after it
        } else {
          i = end;
        }
      }
      dollar = template.indexOf('$', i);
    }
    return out.append(template, i, template.length()).toString();
  }

  /**
   * Reads the name or {@code {name}} starting at {@code from}, appends what it refers to, and
   * returns the index after it; or returns -1 without appending when there is no well-formed name.
   */
  private static int reference(
      String t, int from, String src, Matcher match, Pattern pattern, StringBuilder out) {
    boolean brace = from < t.length() && t.charAt(from) == '{';
    int start = brace ? from + 1 : from;
    int end = start;
    while (end < t.length()) {
      int cp = t.codePointAt(end);
      if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
        break;
      }
      end += Character.charCount(cp);
    }
    if (end == start) {
      return -1;
    }
    String name = t.substring(start, end);
    if (brace) {
      if (end >= t.length() || t.charAt(end) != '}') {
        return -1;
      }
      end++;
    }
    int group = groupNumber(name);
    if (match == null) {
      if (group == 0 || group == 1) {
        out.append(src);
      }
      return end;
    }
    if (group < 0) {
      Map<String, Integer> named = pattern.namedGroups();
      Integer g = named.get(name);
      group = g == null ? -1 : g;
    }
    if (group >= 0 && group <= match.groupCount()) {
      int s = match.start(group);
      if (s >= 0) {
        out.append(src, s, match.end(group));
      }
    }
    return end;
  }

  /** The group number {@code name} spells, or -1 if it is a name (as Go's {@code extract}). */
  private static int groupNumber(String name) {
    int num = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9' || num >= 100_000_000) {
        return -1;
      }
      num = num * 10 + (c - '0');
    }
    return name.charAt(0) == '0' && name.length() > 1 ? -1 : num;
  }
}
