package io.meridian.relabel;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.meridian.model.NameValidation;
import io.meridian.util.GoFormat;
import java.util.List;
import java.util.Objects;

/**
 * One relabel rule as Prometheus's {@code relabel_configs} entry has it, already validated: the
 * regex is compiled anchored ({@code ^(?:regex)$}), defaults are filled in. {@link #builder()}
 * fills the defaults and checks the rule as Prometheus's {@code Config.Validate} does.
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

  /**
   * A builder starting from Prometheus's defaults: action replace, separator {@code ;}, regex
   * {@code (.*)}, replacement {@code $1}, no source labels, no target, modulus 0.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Collects a rule's fields as a config states them, then checks them in {@link #build()}. A field
   * never set keeps its default; for keepequal, dropequal, labeldrop and labelkeep, Prometheus also
   * rejects some fields merely for being present (a {@code regex: (.*)} written out, or {@code
   * source_labels: []}), so the parser should call a setter only for fields the config has.
   */
  public static final class Builder {
    private RelabelAction action = RelabelAction.REPLACE;
    private List<String> sourceLabels;
    private String separator = DEFAULT_SEPARATOR;
    private String regex;
    private long modulus;
    private String targetLabel = "";
    private String replacement = DEFAULT_REPLACEMENT;
    private NameValidation names = NameValidation.UTF8;

    private Builder() {}

    /** The action; null is rejected by {@link #build()} as Prometheus rejects an empty one. */
    public Builder action(RelabelAction action) {
      this.action = action;
      return this;
    }

    /**
     * The action by its config name, case-insensitively.
     *
     * @throws RelabelConfigException {@code unknown relabel action "x"}
     */
    public Builder action(String configName) {
      RelabelAction a = RelabelAction.byConfigName(configName);
      if (a == null) {
        throw new RelabelConfigException("unknown relabel action " + GoFormat.quote(configName));
      }
      this.action = a;
      return this;
    }

    /** The labels whose values are joined and matched; setting it, even empty, marks it present. */
    public Builder sourceLabels(List<String> names) {
      this.sourceLabels = List.copyOf(names);
      return this;
    }

    /** As {@link #sourceLabels(List)}. */
    public Builder sourceLabels(String... names) {
      return sourceLabels(List.of(names));
    }

    public Builder separator(String separator) {
      this.separator = Objects.requireNonNull(separator, "separator");
      return this;
    }

    /** The regex as written, unanchored; it is compiled anchored by {@link #build()}. */
    public Builder regex(String regex) {
      this.regex = Objects.requireNonNull(regex, "regex");
      return this;
    }

    /** The hashmod modulus, an unsigned 64-bit number as in Prometheus. */
    public Builder modulus(long modulus) {
      this.modulus = modulus;
      return this;
    }

    public Builder targetLabel(String targetLabel) {
      this.targetLabel = Objects.requireNonNull(targetLabel, "targetLabel");
      return this;
    }

    public Builder replacement(String replacement) {
      this.replacement = Objects.requireNonNull(replacement, "replacement");
      return this;
    }

    /**
     * How target and replacement label names are checked: {@link NameValidation#UTF8} (Prometheus
     * 3's default, and this builder's) or {@link NameValidation#LEGACY}.
     */
    public Builder nameValidation(NameValidation names) {
      this.names = Objects.requireNonNull(names, "names");
      return this;
    }

    /**
     * The checked rule.
     *
     * @throws RelabelConfigException with Prometheus's message when the regex does not compile or
     *     the fields do not fit the action
     */
    public RelabelRule build() {
      String text = regex == null ? DEFAULT_REGEX : regex;
      Pattern compiled;
      try {
        compiled = compile(text);
      } catch (PatternSyntaxException e) {
        throw new RelabelConfigException(e.getMessage(), e);
      }
      List<String> sources = sourceLabels == null ? List.of() : sourceLabels;
      for (String s : sources) {
        if (NameValidation.UTF8.labelNameError(s) != null) {
          throw new RelabelConfigException(GoFormat.quote(s) + " is not a valid label name");
        }
      }
      String error = RelabelValidation.check(this, names);
      if (error != null) {
        throw new RelabelConfigException(error);
      }
      return new RelabelRule(
          sources, separator, text, compiled, modulus, targetLabel, replacement, action);
    }

    RelabelAction action() {
      return action;
    }

    boolean sourceLabelsSet() {
      return sourceLabels != null;
    }

    String separator() {
      return separator;
    }

    boolean regexSet() {
      return regex != null;
    }

    long modulus() {
      return modulus;
    }

    String targetLabel() {
      return targetLabel;
    }

    String replacement() {
      return replacement;
    }
  }
}
