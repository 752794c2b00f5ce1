package io.meridian.promql;

/** What a query returns: a scalar, a string, an instant vector or a range vector (matrix). */
public sealed interface Value permits Scalar, StringValue, Vector, Matrix {}
