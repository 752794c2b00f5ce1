package io.meridian.scrape;

import io.meridian.config.ScrapeConfig;
import io.meridian.discovery.TargetGroup;
import io.meridian.model.Labels;
import io.meridian.relabel.Relabeler;
import io.meridian.util.PromDuration;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The targets of one scrape config, after Prometheus's target label rules.
 *
 * @param active the targets to scrape, in config order, duplicates (same labels) removed
 * @param dropped the discovered labels of targets that relabeling dropped, kept for the targets API
 * @param errors one message per target that could not be made a target
 */
public record Targets(List<Target> active, List<Labels> dropped, List<String> errors) {

  public Targets {
    active = List.copyOf(active);
    dropped = List.copyOf(dropped);
    errors = List.copyOf(errors);
  }

  /** The targets of {@code cfg}'s {@code static_configs}. */
  public static Targets of(ScrapeConfig cfg) {
    return of(cfg, List.of());
  }

  /**
   * The targets of {@code cfg}'s {@code static_configs} followed by those of {@code discovered},
   * every group's labels applied the same way.
   */
  public static Targets of(ScrapeConfig cfg, List<TargetGroup> discovered) {
    List<TargetGroup> groups = new ArrayList<>(cfg.staticConfigs().size() + discovered.size());
    for (int i = 0; i < cfg.staticConfigs().size(); i++) {
      groups.add(TargetGroup.of(Integer.toString(i), cfg.staticConfigs().get(i)));
    }
    groups.addAll(discovered);
    List<Target> active = new ArrayList<>();
    List<Labels> dropped = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Set<Labels> seen = new HashSet<>();
    for (TargetGroup group : groups) {
      for (Labels targetLabels : group.targets()) {
        try {
          Target t = populate(targetLabels, group.labels(), cfg);
          if (t == null) {
            dropped.add(discovered(targetLabels, group.labels(), cfg));
          } else if (seen.add(t.labels())) {
            active.add(t);
          }
        } catch (TargetException e) {
          errors.add("instance " + targetLabels.get(Target.ADDRESS) + ": " + e.getMessage());
        }
      }
    }
    return new Targets(active, dropped, errors);
  }

  /**
   * Makes a target of discovered labels, as Prometheus's {@code PopulateLabels} does: the target's
   * own labels over its group's, then {@code job}, {@code __scheme__}, {@code __metrics_path__},
   * {@code __scrape_interval__}, {@code __scrape_timeout__} and {@code __param_<name>} (first
   * value) from the config where not already set; then {@code relabel_configs}; then {@code
   * instance} defaulting to {@code __address__}, and the {@code __meta_} labels removed.
   *
   * @return the target, or null when relabeling dropped it
   * @throws TargetException if the address is missing or bad, or the interval or timeout labels are
   *     not valid
   */
  public static Target populate(Labels targetLabels, Labels groupLabels, ScrapeConfig cfg)
      throws TargetException {
    Labels discovered = discovered(targetLabels, groupLabels, cfg);
    Labels relabeled = Relabeler.process(discovered, cfg.relabelConfigs());
    if (relabeled == null || relabeled.isEmpty()) {
      return null;
    }
    String address = relabeled.get(Target.ADDRESS);
    if (address == null || address.isEmpty()) {
      throw new TargetException("no address");
    }
    checkAddress(address);
    Duration interval = duration(relabeled, Target.SCRAPE_INTERVAL);
    Duration timeout = duration(relabeled, Target.SCRAPE_TIMEOUT);
    if (interval.isZero()) {
      throw new TargetException("scrape interval cannot be 0");
    }
    if (timeout.isZero()) {
      throw new TargetException("scrape timeout cannot be 0");
    }
    if (timeout.compareTo(interval) > 0) {
      throw new TargetException(
          "scrape timeout cannot be greater than scrape interval (\""
              + PromDuration.format(timeout)
              + "\" > \""
              + PromDuration.format(interval)
              + "\")");
    }
    Labels.Builder scrape = relabeled.toBuilder();
    Labels.Builder visible = Labels.builder();
    relabeled.forEach((n, v) -> {
      if (n.startsWith("__meta_")) {
        scrape.del(n);
      } else if (!n.startsWith("__")) {
        visible.set(n, v);
      }
    });
    if (visible.get(Target.INSTANCE) == null) {
      visible.set(Target.INSTANCE, address);
      scrape.set(Target.INSTANCE, address);
    }
    return new Target(visible.build(), scrape.build(), discovered, cfg.params());
  }

  /** The target's labels merged with its group's and the config's defaults, before relabeling. */
  private static Labels discovered(Labels targetLabels, Labels groupLabels, ScrapeConfig cfg) {
    Labels.Builder b = groupLabels.toBuilder();
    targetLabels.forEach(b::set);
    setIfAbsent(b, Target.JOB, cfg.jobName());
    setIfAbsent(b, Target.SCRAPE_INTERVAL, PromDuration.format(cfg.scrapeInterval()));
    setIfAbsent(b, Target.SCRAPE_TIMEOUT, PromDuration.format(cfg.scrapeTimeout()));
    setIfAbsent(b, Target.METRICS_PATH, cfg.metricsPath());
    setIfAbsent(b, Target.SCHEME, cfg.scheme());
    for (Map.Entry<String, List<String>> p : cfg.params().entrySet()) {
      if (!p.getValue().isEmpty()) {
        setIfAbsent(b, Target.PARAM_PREFIX + p.getKey(), p.getValue().get(0));
      }
    }
    return b.build();
  }

  private static void setIfAbsent(Labels.Builder b, String name, String value) {
    if (b.get(name) == null) {
      b.set(name, value);
    }
  }

  private static Duration duration(Labels l, String name) throws TargetException {
    String s = l.get(name);
    if (s == null) {
      throw new TargetException("missing " + name);
    }
    try {
      return PromDuration.parse(s);
    } catch (IllegalArgumentException e) {
      throw new TargetException("error parsing " + name + ": " + e.getMessage());
    }
  }

  private static void checkAddress(String address) throws TargetException {
    if (address.contains("/")) {
      throw new TargetException("\"" + address + "\" is not a valid hostname");
    }
    try {
      URI u = new URI("http://" + address);
      if (u.getHost() == null) {
        throw new TargetException("\"" + address + "\" is not a valid hostname");
      }
    } catch (URISyntaxException e) {
      throw new TargetException("\"" + address + "\" is not a valid hostname");
    }
  }
}
