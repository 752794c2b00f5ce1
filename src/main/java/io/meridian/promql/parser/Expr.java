package io.meridian.promql.parser;

/**
 * A node of a parsed PromQL expression. Nodes are immutable records; {@code pos} is the offset of
 * the node's first character in the query text (for error and annotation positions; {@link
 * Positions} turns it into line:column). {@code toString()} prints the node back as PromQL that
 * parses to the same tree.
 */
public sealed interface Expr
    permits NumberLiteral,
        StringLiteral,
        VectorSelector,
        MatrixSelector,
        SubqueryExpr,
        ParenExpr,
        UnaryExpr,
        BinaryExpr,
        AggregateExpr,
        Call {

  /** Offset of the node's first character in the query; -1 for nodes made in code. */
  int pos();

  /** What the node evaluates to. */
  ValueType type();
}
