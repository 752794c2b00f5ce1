package io.meridian.promql;

import java.util.List;

/**
 * A query's value and its annotations, each rendered as Prometheus renders them for the API: {@code
 * PromQL warning: ... (1:5)} and {@code PromQL info: ... (1:5)}.
 */
public record QueryResult(Value value, List<String> warnings, List<String> infos) {
  public QueryResult {
    warnings = List.copyOf(warnings);
    infos = List.copyOf(infos);
  }
}
