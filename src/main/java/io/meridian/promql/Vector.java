package io.meridian.promql;

import java.util.List;

/** An instant vector result, in the engine's output order. */
public record Vector(List<Sample> samples) implements Value {
  public Vector {
    samples = List.copyOf(samples);
  }
}
