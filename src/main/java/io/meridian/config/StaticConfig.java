package io.meridian.config;

import io.meridian.model.Labels;
import java.util.List;

/** One entry of {@code static_configs}: targets ({@code host:port}) and labels they all get. */
public record StaticConfig(List<String> targets, Labels labels) {
  public StaticConfig {
    targets = List.copyOf(targets);
  }
}
