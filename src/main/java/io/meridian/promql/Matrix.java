package io.meridian.promql;

import java.util.List;

/** A range vector result (a range query's result, or an instant query of a range selector). */
public record Matrix(List<RangeSeries> series) implements Value {
  public Matrix {
    series = List.copyOf(series);
  }
}
