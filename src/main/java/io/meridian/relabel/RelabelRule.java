package io.meridian.relabel;

import com.google.re2j.Pattern;
import java.util.List;

/**
 * One relabel rule as Prometheus's {@code relabel_configs} entry has it, already validated: the
 * regex is compiled anchored ({@code ^(?:regex)$}), defaults are filled in.
 *
 * @param sourceLabels labels whose values, joined by {@code separator}, the regex is matched on
 * @param regexText the regex as written (default {@code (.*)}), for printing the config back
 * @param regex the compiled, anchored regex
 * @param modulus for {@code hashmod}; 0 otherwise
 * @param targetLabel the label written by replace, hashmod, lowercase, uppercase, keepequal,
 *     dropequal ("" when not used)
 * @param replacement the replacement with {@code $1}/{@code ${name}} references (default {@code
 *     $1})
 */
public record RelabelRule(
    List<String> sourceLabels,
    String separator,
    String regexText,
    Pattern regex,
    long modulus,
    String targetLabel,
    String replacement,
    RelabelAction action) {

  public static final String DEFAULT_SEPARATOR = ";";
  public static final String DEFAULT_REGEX = "(.*)";
  public static final String DEFAULT_REPLACEMENT = "$1";

  public RelabelRule {
    sourceLabels = List.copyOf(sourceLabels);
  }

  /** Compiles a regex as Prometheus does: anchored at both ends, {@code .} matching newlines. */
  public static Pattern compile(String regex) {
    return Pattern.compile("^(?s:" + regex + ")$");
  }
}
