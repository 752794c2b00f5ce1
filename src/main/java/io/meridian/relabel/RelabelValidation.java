package io.meridian.relabel;

import com.google.re2j.Pattern;
import io.meridian.model.NameValidation;
import io.meridian.util.GoFormat;

/**
 * Prometheus's {@code relabel.Config.Validate}: the checks, their order and their messages.
 *
 * <p>Under {@link NameValidation#UTF8} a target or labelmap replacement is a valid name when it is
 * non-empty, well-formed Unicode, {@code $} references included. Under {@link
 * NameValidation#LEGACY} a name with references must match Prometheus's legacy pattern, letters,
 * digits and {@code _} around {@code $name} or {@code ${name}}.
 */
final class RelabelValidation {
  /** Prometheus's legacy pattern for a label name with {@code $} references in it. */
  private static final Pattern LEGACY_TARGET =
      Pattern.compile("^(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*)+$");

  private RelabelValidation() {}

  /** The first problem with the rule, in Prometheus's words, or null when there is none. */
  static String check(RelabelRule.Builder b, NameValidation names) {
    RelabelAction action = b.action();
    if (action == null) {
      return "relabel action cannot be empty";
    }
    String act = action.configName();
    String target = b.targetLabel();
    boolean equalAction = action == RelabelAction.KEEPEQUAL || action == RelabelAction.DROPEQUAL;
    boolean caseAction = action == RelabelAction.LOWERCASE || action == RelabelAction.UPPERCASE;
    boolean defaultReplacement = RelabelRule.DEFAULT_REPLACEMENT.equals(b.replacement());
    if (b.modulus() == 0 && action == RelabelAction.HASHMOD) {
      return "relabel configuration for hashmod requires non-zero modulus";
    }
    if ((action == RelabelAction.REPLACE
            || action == RelabelAction.HASHMOD
            || caseAction
            || equalAction)
        && target.isEmpty()) {
      return "relabel configuration for " + act + " action requires 'target_label' value";
    }
    if (action == RelabelAction.REPLACE && !validWithReferences(target, names)) {
      return invalidTarget(target, act);
    }
    if ((caseAction || equalAction) && !valid(target, names)) {
      return invalidTarget(target, act);
    }
    if ((caseAction || equalAction) && !defaultReplacement) {
      return "'replacement' can not be set for " + act + " action";
    }
    if (action == RelabelAction.LABELMAP && !validWithReferences(b.replacement(), names)) {
      return GoFormat.quote(b.replacement()) + " is invalid 'replacement' for " + act + " action";
    }
    if (action == RelabelAction.HASHMOD && !valid(target, names)) {
      return invalidTarget(target, act);
    }
    boolean otherFields =
        b.modulus() != 0
            || !RelabelRule.DEFAULT_SEPARATOR.equals(b.separator())
            || !defaultReplacement;
    if (equalAction && (b.regexSet() || otherFields)) {
      return act + " action requires only 'source_labels' and `target_label`, and no other fields";
    }
    if ((action == RelabelAction.LABELDROP || action == RelabelAction.LABELKEEP)
        && (b.sourceLabelsSet() || !target.isEmpty() || otherFields)) {
      return act + " action requires only 'regex', and no other fields";
    }
    return null;
  }

  private static String invalidTarget(String target, String act) {
    return GoFormat.quote(target) + " is invalid 'target_label' for " + act + " action";
  }

  private static boolean valid(String name, NameValidation names) {
    return names.labelNameError(name) == null;
  }

  /** A name that may hold {@code $} references, to be expanded when the rule runs. */
  private static boolean validWithReferences(String name, NameValidation names) {
    if (!RegexTemplate.hasReference(name) || names == NameValidation.UTF8) {
      return valid(name, names);
    }
    return LEGACY_TARGET.matches(name);
  }
}
