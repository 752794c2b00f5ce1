package io.meridian.discovery;

import io.meridian.config.StaticConfig;
import io.meridian.model.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * Targets that share labels, as a discoverer delivers them (Prometheus's {@code
 * targetgroup.Group}): every mechanism, static or discovered, ends in these, so the scrape side has
 * one way to turn them into targets.
 *
 * @param source what the group is within its discoverer ({@code FILE:INDEX} for a file's group), so
 *     updates of one group can be told apart from another's
 * @param targets one label set per target, each with at least {@code __address__}
 * @param labels labels every target of the group gets unless it sets them itself
 */
public record TargetGroup(String source, List<Labels> targets, Labels labels) {
  /** The label a target's address is in. */
  public static final String ADDRESS = "__address__";

  public TargetGroup {
    targets = List.copyOf(targets);
  }

  /** A group of {@code static_configs} (or of a target group file): addresses and labels. */
  public static TargetGroup of(String source, StaticConfig group) {
    List<Labels> targets = new ArrayList<>();
    for (String address : group.targets()) {
      targets.add(Labels.of(ADDRESS, address));
    }
    return new TargetGroup(source, targets, group.labels());
  }
}
