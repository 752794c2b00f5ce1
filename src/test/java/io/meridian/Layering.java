package io.meridian;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The blueprint's package table as ArchUnit rules: a package may use only packages listed above it
 * (and itself), and every package must be in the table.
 */
final class Layering {
  /**
   * Top to bottom, as in the blueprint. Subpackages of tsdb come before their root, as does
   * promql's parser; promql's script runner comes after the engine it runs.
   */
  static final List<String> ORDER =
      List.of(
          "util",
          "model",
          "exposition",
          "relabel",
          "storage",
          "tsdb.chunk",
          "tsdb.index",
          "tsdb.wal",
          "tsdb.head",
          "tsdb.block",
          "tsdb.agent",
          "tsdb",
          "promql.parser",
          "promql",
          "promql.script",
          "config",
          "discovery",
          "scrape",
          "tenant",
          "remote",
          "query",
          "rules",
          "web",
          "demo",
          "cli");

  private Layering() {}

  /** The rules for packages named {@code root + "." + entry} of {@code order}. */
  static ArchRule rules(String root, List<String> order) {
    List<ArchRule> rules = new ArrayList<>();
    String[] all = order.stream().map(p -> root + "." + p).toArray(String[]::new);
    for (int i = 0; i < all.length - 1; i++) {
      String[] below = java.util.Arrays.copyOfRange(all, i + 1, all.length);
      rules.add(
          noClasses()
              .that()
              .resideInAPackage(all[i])
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(below)
              .as(all[i] + " uses only packages above it in the blueprint's table")
              .allowEmptyShould(true));
    }
    rules.add(
        classes()
            .that()
            .resideInAPackage(root + "..")
            .should()
            .resideInAnyPackage(all)
            .as("every package under " + root + " has a row in the blueprint's table"));
    return CompositeArchRule.of(rules);
  }
}
