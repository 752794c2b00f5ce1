package io.meridian.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.model.Labels;
import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;

/** Invariants of relabelling over random label sets and rule lists. */
@ExtendWith(SeededRandomExtension.class)
class RelabelerRandomizedTest {
  private static final String[] NAMES = {"__name__", "a", "b", "job", "instance", "x.y", "ü"};
  private static final String[] REGEXES = {
    "(.*)", ".*", "a.*", "(b|c)", "([a-z]+)_(\\d)", "x", "", ".+", "(?P<n>[a-z])(.*)", "ü|a"
  };
  private static final String[] REPLACEMENTS = {"$1", "${1}_x", "", "static", "$2$1", "${n}", "$$"};
  private static final String[] VALUES = {"a", "b", "a_1", "xyz", "", "ü", "b_2"};
  private static final RelabelRule NEVER_MATCHING_LABELMAP =
      RelabelRule.builder()
          .action(RelabelAction.LABELMAP)
          .regex("never_[0-9]{40}")
          .replacement("x")
          .build();

  private static Labels randomLabels(SeededRandom r) {
    Labels.Builder b = Labels.builder();
    int n = r.nextInt(0, 6);
    for (int i = 0; i < n; i++) {
      String value = r.nextBoolean() ? r.pick(VALUES) : r.nextUnicode(1, 4);
      b.set(r.pick(NAMES), value);
    }
    return b.build();
  }

  private static RelabelRule randomRule(SeededRandom r) {
    while (true) {
      RelabelRule.Builder b = RelabelRule.builder().action(r.pick(RelabelAction.values()));
      if (r.nextBoolean()) {
        int n = r.nextInt(1, 3);
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          sources.add(r.pick(NAMES));
        }
        b.sourceLabels(sources);
      }
      if (r.nextBoolean()) {
        b.regex(r.pick(REGEXES));
      }
      if (r.nextBoolean()) {
        b.targetLabel(r.nextBoolean() ? r.pick(NAMES) : r.pick("$1", "t_${1}", "${n}"));
      }
      if (r.nextBoolean()) {
        b.replacement(r.pick(REPLACEMENTS));
      }
      if (r.nextBoolean()) {
        b.modulus(r.nextInt(1, 10));
      }
      try {
        return b.build();
      } catch (RelabelConfigException e) {
        // not a valid combination: draw again
      }
    }
  }

  private static List<RelabelRule> randomRules(SeededRandom r) {
    List<RelabelRule> rules = new ArrayList<>();
    int n = r.nextInt(1, 7);
    for (int i = 0; i < n; i++) {
      rules.add(randomRule(r));
    }
    return rules;
  }

  @RepeatedTest(5)
  void keepThenDropWithTheSameRegexDropsEverything(SeededRandom r) {
    for (int i = 0; i < 200; i++) {
      Labels in = randomLabels(r);
      String source = r.pick(NAMES);
      String regex = r.pick(REGEXES);
      List<RelabelRule> rules =
          List.of(
              RelabelRule.builder()
                  .action(RelabelAction.KEEP)
                  .sourceLabels(source)
                  .regex(regex)
                  .build(),
              RelabelRule.builder()
                  .action(RelabelAction.DROP)
                  .sourceLabels(source)
                  .regex(regex)
                  .build());
      assertThat(Relabeler.process(in, rules)).as("%s on %s", regex, in).isNull();
    }
  }

  @RepeatedTest(5)
  void labelKeepOfEveryNameAndNoOpReplacesReturnTheSameInstance(SeededRandom r) {
    for (int i = 0; i < 200; i++) {
      Labels in = randomLabels(r);
      List<RelabelRule> rules = new ArrayList<>();
      rules.add(RelabelRule.builder().action(RelabelAction.LABELKEEP).regex("(?s:.+)").build());
      for (int j = 0; j < in.size(); j++) {
        // copy each label onto itself, and a replace whose regex cannot match
        rules.add(RelabelRule.builder().sourceLabels(in.name(j)).targetLabel(in.name(j)).build());
        rules.add(
            RelabelRule.builder()
                .sourceLabels(in.name(j))
                .regex("never_[0-9]{40}")
                .targetLabel("t")
                .build());
      }
      rules.add(RelabelRule.builder().action(RelabelAction.LABELDROP).regex("absent_.*").build());
      assertThat(Relabeler.process(in, rules)).isSameAs(in);
      // and again with a labelmap after them, which makes every no-op set count for its order
      rules.add(NEVER_MATCHING_LABELMAP);
      assertThat(Relabeler.process(in, rules)).isSameAs(in);
    }
  }

  @RepeatedTest(5)
  void labelDropThenLabelKeepOfTheSameRegexLeavesNothing(SeededRandom r) {
    for (int i = 0; i < 200; i++) {
      Labels in = randomLabels(r);
      String regex = r.pick(REGEXES);
      List<RelabelRule> rules = new ArrayList<>(randomRules(r));
      rules.add(RelabelRule.builder().action(RelabelAction.LABELDROP).regex(regex).build());
      rules.add(RelabelRule.builder().action(RelabelAction.LABELKEEP).regex(regex).build());
      Labels out = Relabeler.process(in, rules);
      if (out != null) {
        assertThat(out.isEmpty()).as("%s then %s", rules, in).isTrue();
      }
    }
  }

  /**
   * Skipping no-op writes when no labelmap follows must not change any result: a trailing labelmap
   * that never matches turns the skipping off without changing the meaning of the rules.
   */
  @RepeatedTest(10)
  void resultsAgreeWithAndWithoutNoOpSkipping(SeededRandom r) {
    for (int i = 0; i < 200; i++) {
      Labels in = randomLabels(r);
      List<RelabelRule> rules = randomRules(r);
      List<RelabelRule> withLabelMap = new ArrayList<>(rules);
      withLabelMap.add(NEVER_MATCHING_LABELMAP);
      Labels out = Relabeler.process(in, rules);
      assertThat(Relabeler.process(in, withLabelMap)).as("%s on %s", rules, in).isEqualTo(out);
      if (out != null) {
        // equal to the input exactly when it is the input
        if (out.equals(in)) {
          assertThat(out).as("%s on %s", rules, in).isSameAs(in);
        } else {
          assertThat(out).isNotSameAs(in);
        }
        for (int j = 0; j < out.size(); j++) {
          assertThat(out.name(j)).isNotEmpty();
          assertThat(out.value(j)).isNotEmpty();
        }
      }
    }
  }

  @RepeatedTest(5)
  void labelDropRemovesExactlyTheMatchingNames(SeededRandom r) {
    for (int i = 0; i < 200; i++) {
      Labels in = randomLabels(r);
      RelabelRule drop =
          RelabelRule.builder().action(RelabelAction.LABELDROP).regex(r.pick(REGEXES)).build();
      Labels out = Relabeler.process(in, List.of(drop));
      Labels.Builder expected = in.toBuilder();
      in.forEach((name, value) -> {
        if (drop.regex().matches(name)) {
          expected.del(name);
        }
      });
      assertThat(out).isEqualTo(expected.build());
    }
  }

  /** The default regex is never run; spelling it differently runs it, with the same outcome. */
  @RepeatedTest(5)
  void defaultRegexShortcutAgreesWithRunningTheRegex(SeededRandom r) {
    String spelled = "(?:(.*))";
    for (int i = 0; i < 200; i++) {
      Labels in = randomLabels(r);
      List<RelabelRule> rules = randomRules(r);
      List<RelabelRule> run = new ArrayList<>();
      for (RelabelRule rule : rules) {
        run.add(
            RelabelRule.DEFAULT_REGEX.equals(rule.regexText())
                ? new RelabelRule(
                    rule.sourceLabels(),
                    rule.separator(),
                    spelled,
                    RelabelRule.compile(spelled),
                    rule.modulus(),
                    rule.targetLabel(),
                    rule.replacement(),
                    rule.action())
                : rule);
      }
      assertThat(Relabeler.process(in, run))
          .as("%s on %s", rules, in)
          .isEqualTo(Relabeler.process(in, rules));
    }
  }
}
