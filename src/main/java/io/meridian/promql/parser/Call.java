package io.meridian.promql.parser;

import java.util.List;

/** A function call, its arguments checked against the function's signature by the parser. */
public record Call(Function func, List<Expr> args, int pos) implements Expr {
  public Call {
    args = List.copyOf(args);
  }

  @Override
  public ValueType type() {
    return func.returnType();
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
