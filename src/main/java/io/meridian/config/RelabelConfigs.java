package io.meridian.config;

import com.google.re2j.PatternSyntaxException;
import io.meridian.config.YamlNode.Scalar;
import io.meridian.model.NameValidation;
import io.meridian.relabel.RelabelAction;
import io.meridian.relabel.RelabelRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code relabel_configs}-shaped lists into {@link RelabelRule}s, with Prometheus's defaults
 * and its checks and messages (legacy label names, as Prometheus 2 checks them).
 */
final class RelabelConfigs {
  static final Set<String> FIELDS =
      Set.of(
          "source_labels",
          "separator",
          "regex",
          "modulus",
          "target_label",
          "replacement",
          "action");

  /** Prometheus's pattern for a target label that may hold {@code $1} or {@code ${name}}. */
  private static final Pattern TARGET =
      Pattern.compile("^(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*)+$");

  private RelabelConfigs() {}

  /**
   * Reads the list under {@code key}.
   *
   * @param nullMessage Prometheus's message for an empty entry, e.g. "empty or null target
   *     relabeling rule in scrape config"
   */
  static List<RelabelRule> read(Section parent, String key, String nullMessage)
      throws ConfigException {
    List<RelabelRule> rules = new ArrayList<>();
    List<YamlNode> items = parent.items(key, "[]*relabel.Config");
    for (int i = 0; i < items.size(); i++) {
      YamlNode n = items.get(i);
      String path = parent.field(key) + "[" + i + "]";
      if (n instanceof Scalar s && s.isNull()) {
        throw parent.source.error(n.mark(), path, nullMessage);
      }
      rules.add(rule(Section.of(parent.source, n, path, "relabel.Config", FIELDS)));
    }
    return List.copyOf(rules);
  }

  static RelabelRule rule(Section s) throws ConfigException {
    List<String> sourceLabels = s.strings("source_labels");
    for (String l : sourceLabels) {
      if (!NameValidation.isLegacyLabelName(l)) {
        throw s.error("source_labels", "\"" + l + "\" is not a valid label name");
      }
    }
    String separator = s.string("separator", RelabelRule.DEFAULT_SEPARATOR);
    String regexText = s.string("regex", RelabelRule.DEFAULT_REGEX);
    com.google.re2j.Pattern regex;
    try {
      regex = RelabelRule.compile(regexText);
    } catch (PatternSyntaxException e) {
      throw s.error("regex", e.getMessage());
    }
    long modulus = s.uint("modulus", 0);
    String target = s.string("target_label", "");
    String replacement = s.string("replacement", RelabelRule.DEFAULT_REPLACEMENT);
    String actionText = s.string("action", "replace");
    if (actionText.isEmpty()) {
      throw s.error("action", "relabel action cannot be empty");
    }
    RelabelAction action = RelabelAction.byConfigName(actionText);
    if (action == null) {
      throw s.error("action", "unknown relabel action \"" + actionText + "\"");
    }
    String name = action.configName();
    boolean defaultRest =
        separator.equals(RelabelRule.DEFAULT_SEPARATOR)
            && replacement.equals(RelabelRule.DEFAULT_REPLACEMENT)
            && modulus == 0;
    switch (action) {
      case HASHMOD -> {
        if (modulus == 0) {
          throw s.error("modulus", "relabel configuration for hashmod requires non-zero modulus");
        }
        requireTarget(s, target, name);
        if (!NameValidation.isLegacyLabelName(target)) {
          throw invalidTarget(s, target, name);
        }
      }
      case REPLACE -> {
        requireTarget(s, target, name);
        if (!TARGET.matcher(target).matches()) {
          throw invalidTarget(s, target, name);
        }
      }
      case LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL -> {
        requireTarget(s, target, name);
        if (!NameValidation.isLegacyLabelName(target)) {
          throw invalidTarget(s, target, name);
        }
        if ((action == RelabelAction.KEEPEQUAL || action == RelabelAction.DROPEQUAL)
            && (!defaultRest || !regexText.equals(RelabelRule.DEFAULT_REGEX))) {
          throw s.error(
              name
                  + " action requires only 'source_labels' and `target_label`, and no other"
                  + " fields");
        }
        if (!replacement.equals(RelabelRule.DEFAULT_REPLACEMENT)) {
          throw s.error("replacement", "'replacement' can not be set for " + name + " action");
        }
      }
      case LABELMAP -> {
        if (!TARGET.matcher(replacement).matches()) {
          throw s.error(
              "replacement",
              "\"" + replacement + "\" is invalid 'replacement' for labelmap action");
        }
      }
      case LABELDROP, LABELKEEP -> {
        if (!sourceLabels.isEmpty() || !target.isEmpty() || !defaultRest) {
          throw s.error(name + " action requires only 'regex', and no other fields");
        }
      }
      case KEEP, DROP -> {}
    }
    return new RelabelRule(
        sourceLabels, separator, regexText, regex, modulus, target, replacement, action);
  }

  private static void requireTarget(Section s, String target, String action)
      throws ConfigException {
    if (target.isEmpty()) {
      throw s.error(
          "target_label",
          "relabel configuration for " + action + " action requires 'target_label' value");
    }
  }

  private static ConfigException invalidTarget(Section s, String target, String action) {
    return s.error(
        "target_label", "\"" + target + "\" is invalid 'target_label' for " + action + " action");
  }
}
