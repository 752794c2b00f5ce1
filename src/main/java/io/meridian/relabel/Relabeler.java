package io.meridian.relabel;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.meridian.model.Labels;
import io.meridian.model.NameValidation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * Applies relabel rules to a label set, as Prometheus's {@code relabel.Process} does for {@code
 * relabel_configs}, {@code metric_relabel_configs}, {@code write_relabel_configs} and {@code
 * alert_relabel_configs}.
 *
 * <p>Rules run in order on the result of the ones before; a {@code keep}, {@code drop}, {@code
 * keepequal} or {@code dropequal} that rejects the set ends the run and {@link #process} returns
 * null. When the rules change nothing the input instance itself is returned, and nothing is
 * allocated beyond what the regex matches need.
 *
 * <p>Label names follow Prometheus 3's UTF-8 rule by default: a name written by {@code replace}
 * (after expanding {@code target_label}) is used when it is non-empty, well-formed Unicode;
 * otherwise the rule leaves the set unchanged. {@link #process(Labels, List, NameValidation)} takes
 * the legacy rule instead, for {@code metric_name_validation_scheme: legacy}.
 *
 * <p>One deliberate difference from Prometheus: a {@code labelmap} whose replacement expands to an
 * empty or ill-formed name skips that label, where Prometheus would write a label that it then
 * rejects as invalid further on. {@link Labels} cannot hold such a name.
 *
 * <p>Stateless and thread-safe.
 */
public final class Relabeler {
  private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(Relabeler::newMd5);

  private Relabeler() {}

  /**
   * The labels after applying {@code rules} in order, or null when a rule drops the series or
   * target. Returns {@code in} itself when nothing changed.
   */
  public static Labels process(Labels in, List<RelabelRule> rules) {
    return process(in, rules, NameValidation.UTF8);
  }

  /**
   * As {@link #process(Labels, List)}, checking names that {@code replace} writes with {@code
   * names}.
   */
  public static Labels process(Labels in, List<RelabelRule> rules, NameValidation names) {
    if (rules.isEmpty()) {
      return in;
    }
    int lastLabelMap = -1;
    for (int i = rules.size() - 1; i >= 0; i--) {
      if (rules.get(i).action() == RelabelAction.LABELMAP) {
        lastLabelMap = i;
        break;
      }
    }
    EditedLabels lb = new EditedLabels(in);
    for (int i = 0; i < rules.size(); i++) {
      // A set that changes no value matters only to the iteration order of a later labelmap.
      if (!apply(rules.get(i), lb, names, i < lastLabelMap)) {
        return null;
      }
    }
    return lb.labels();
  }

  /** Applies one rule; false when it drops the set. */
  private static boolean apply(
      RelabelRule rule, EditedLabels lb, NameValidation names, boolean recordNoOp) {
    return switch (rule.action()) {
      case KEEP -> matches(rule, sourceValue(rule, lb));
      case DROP -> !matches(rule, sourceValue(rule, lb));
      case KEEPEQUAL -> sourceValue(rule, lb).equals(valueOf(lb, rule.targetLabel()));
      case DROPEQUAL -> !sourceValue(rule, lb).equals(valueOf(lb, rule.targetLabel()));
      case REPLACE -> {
        replace(rule, lb, names, recordNoOp);
        yield true;
      }
      case LOWERCASE -> {
        lb.set(rule.targetLabel(), lowerCase(sourceValue(rule, lb)), recordNoOp);
        yield true;
      }
      case UPPERCASE -> {
        lb.set(rule.targetLabel(), upperCase(sourceValue(rule, lb)), recordNoOp);
        yield true;
      }
      case HASHMOD -> {
        long mod = hashMod(sourceValue(rule, lb), rule.modulus());
        lb.set(rule.targetLabel(), Long.toUnsignedString(mod), recordNoOp);
        yield true;
      }
      case LABELMAP -> {
        labelMap(rule, lb, recordNoOp);
        yield true;
      }
      case LABELDROP -> {
        dropLabels(rule, lb, true);
        yield true;
      }
      case LABELKEEP -> {
        dropLabels(rule, lb, false);
        yield true;
      }
    };
  }

  private static void replace(
      RelabelRule rule, EditedLabels lb, NameValidation names, boolean recordNoOp) {
    String value = sourceValue(rule, lb);
    String target = rule.targetLabel();
    String result = rule.replacement();
    boolean references = RegexTemplate.hasReference(target) || RegexTemplate.hasReference(result);
    if (isDefaultRegex(rule)) {
      // (.*) matches every value whole, so the groups are known without running the regex.
      if (references) {
        target = RegexTemplate.expandWhole(target, value);
        result = RegexTemplate.expandWhole(result, value);
      }
    } else if (!matches(rule, value)) {
      return; // no match, no replacement
    } else if (references) {
      // Only now pay for the groups: re2j is much slower with captures than without.
      Matcher m = rule.regex().matcher(value);
      if (!m.find()) {
        return;
      }
      target = RegexTemplate.expand(target, value, m, rule.regex());
      result = RegexTemplate.expand(result, value, m, rule.regex());
    }
    if (names.labelNameError(target) != null) {
      return; // the expanded target is no label name: the rule does nothing
    }
    lb.set(target, result, recordNoOp); // an empty result deletes the target
  }

  private static boolean isDefaultRegex(RelabelRule rule) {
    return RelabelRule.DEFAULT_REGEX.equals(rule.regexText());
  }

  /** Whether the rule's regex matches {@code value}; (.*) matches anything without running. */
  private static boolean matches(RelabelRule rule, String value) {
    if (isDefaultRegex(rule)) {
      return true;
    }
    String text = rule.regexText();
    return LiteralPrefix.matches(rule.regex(), text, LiteralPrefix.length(text), value);
  }

  private static void labelMap(RelabelRule rule, EditedLabels lb, boolean recordNoOp) {
    int prefix = LiteralPrefix.length(rule.regexText());
    if (!lb.edited()) {
      Labels base = lb.base(); // immutable, so iterating it while setting is safe
      for (int i = 0; i < base.size(); i++) {
        mapLabel(rule, prefix, lb, base.name(i), base.value(i), recordNoOp);
      }
      return;
    }
    String[] pairs = lb.snapshot();
    for (int i = 0; i < pairs.length; i += 2) {
      mapLabel(rule, prefix, lb, pairs[i], pairs[i + 1], recordNoOp);
    }
  }

  private static void mapLabel(
      RelabelRule rule, int prefix, EditedLabels lb, String name, String value, boolean record) {
    Pattern re = rule.regex();
    if (!LiteralPrefix.matches(re, rule.regexText(), prefix, name)) {
      return; // the cheap test first; groups only for the names that match
    }
    String mapped = rule.replacement();
    if (RegexTemplate.hasReference(mapped)) {
      Matcher m = re.matcher(name);
      if (!m.find()) {
        return;
      }
      mapped = RegexTemplate.expand(mapped, name, m, re);
    }
    if (NameValidation.UTF8.labelNameError(mapped) == null) {
      lb.set(mapped, value, record);
    }
  }

  /** labeldrop when {@code dropMatching}, else labelkeep. */
  private static void dropLabels(RelabelRule rule, EditedLabels lb, boolean dropMatching) {
    Pattern re = rule.regex();
    String text = rule.regexText();
    int prefix = LiteralPrefix.length(text);
    if (!lb.edited()) {
      Labels base = lb.base();
      for (int i = 0; i < base.size(); i++) {
        if (LiteralPrefix.matches(re, text, prefix, base.name(i)) == dropMatching) {
          lb.delete(base.name(i));
        }
      }
      return;
    }
    String[] pairs = lb.snapshot();
    for (int i = 0; i < pairs.length; i += 2) {
      if (LiteralPrefix.matches(re, text, prefix, pairs[i]) == dropMatching) {
        lb.delete(pairs[i]);
      }
    }
  }

  /** The source label values joined by the separator; absent labels count as "". */
  private static String sourceValue(RelabelRule rule, EditedLabels lb) {
    List<String> sources = rule.sourceLabels();
    if (sources.isEmpty()) {
      return "";
    }
    if (sources.size() == 1) {
      return valueOf(lb, sources.get(0));
    }
    StringBuilder sb = new StringBuilder(64);
    for (int i = 0; i < sources.size(); i++) {
      if (i > 0) {
        sb.append(rule.separator());
      }
      sb.append(valueOf(lb, sources.get(i)));
    }
    return sb.toString();
  }

  private static String valueOf(EditedLabels lb, String name) {
    String v = lb.get(name);
    return v == null ? "" : v;
  }

  /**
   * Prometheus's hashmod: the MD5 of the UTF-8 value, its last 8 bytes read as a big-endian
   * unsigned 64-bit number, modulo {@code modulus} (also unsigned).
   */
  static long hashMod(String value, long modulus) {
    MessageDigest md5 = MD5.get();
    byte[] sum = md5.digest(value.getBytes(StandardCharsets.UTF_8));
    long h = 0;
    for (int i = 8; i < 16; i++) {
      h = (h << 8) | (sum[i] & 0xffL);
    }
    return Long.remainderUnsigned(h, modulus);
  }

  /** Go's {@code strings.ToLower}: each code point by its simple mapping, locale-free. */
  static String lowerCase(String s) {
    if (isAscii(s)) {
      return s.toLowerCase(Locale.ROOT);
    }
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> sb.appendCodePoint(Character.toLowerCase(cp)));
    return sb.toString();
  }

  /** Go's {@code strings.ToUpper}: each code point by its simple mapping ("ß" stays "ß"). */
  static String upperCase(String s) {
    if (isAscii(s)) {
      return s.toUpperCase(Locale.ROOT);
    }
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> sb.appendCodePoint(Character.toUpperCase(cp)));
    return sb.toString();
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no MD5, which every JDK must have", e);
    }
  }
}
