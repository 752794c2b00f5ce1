package io.meridian.promql.parser;

import static io.meridian.promql.parser.ValueType.SCALAR;
import static io.meridian.promql.parser.ValueType.STRING;
import static io.meridian.promql.parser.ValueType.VECTOR;

import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.promql.parser.VectorMatching.Cardinality;
import io.meridian.util.GoFormat;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Prometheus's type checks over a parsed tree ({@code checkAST}), in its order, throwing the first
 * error: operand types of operators, functions and aggregations, matching clauses, selectors that
 * would select everything. The query's top-level expression may have any type.
 */
final class Checker {
  private final String query;
  private final IdentityHashMap<BinaryExpr, Parser.BinaryInfo> binaries;

  Checker(String query, IdentityHashMap<BinaryExpr, Parser.BinaryInfo> binaries) {
    this.query = query;
    this.binaries = binaries;
  }

  ValueType check(Expr node) {
    return check(node, false);
  }

  /**
   * @param anyMatchers whether a selector may lack a non-empty matcher (info's second argument)
   */
  private ValueType check(Expr node, boolean anyMatchers) {
    switch (node) {
      case AggregateExpr a -> {
        expect(a.expr(), VECTOR, "aggregation expression");
        if (a.op().paramType() != null && a.param() != null) {
          expect(a.param(), a.op().paramType(), "aggregation parameter");
        }
      }
      case BinaryExpr b -> binary(b);
      case Call c -> call(c);
      case ParenExpr p -> check(p.expr());
      case UnaryExpr u -> {
        ValueType t = check(u.expr());
        if (t != SCALAR && t != VECTOR) {
          throw error(
              u.pos(),
              "unary expression only allowed on expressions of type scalar or instant vector, got "
                  + GoFormat.quote(t.promName()));
        }
      }
      case SubqueryExpr s -> {
        ValueType t = check(s.expr());
        if (t != VECTOR) {
          throw error(
              s.pos(), "subquery is only allowed on instant vector, got " + goName(t) + " instead");
        }
      }
      case MatrixSelector m -> check(m.selector());
      case VectorSelector v -> selector(v, anyMatchers);
      case NumberLiteral n -> {
        // nothing to check
      }
      case StringLiteral s -> {
        // nothing to check
      }
    }
    return node.type();
  }

  private void expect(Expr e, ValueType want, String context) {
    ValueType t = check(e);
    if (t != want) {
      throw error(
          e.pos(), "expected type " + want.promName() + " in " + context + ", got " + t.promName());
    }
  }

  private void binary(BinaryExpr b) {
    ValueType lt = check(b.lhs());
    ValueType rt = check(b.rhs());
    Parser.BinaryInfo info = binaries.get(b);
    int opPos = info == null ? b.pos() : info.opPos();
    VectorMatching written =
        info != null
            ? info.written()
            : b.matching() != null
                ? b.matching()
                : new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of());
    BinaryOp op = b.op();
    if (b.returnBool() && !op.isComparison()) {
      throw error(opPos, "bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && !b.returnBool() && lt == SCALAR && rt == SCALAR) {
      throw error(opPos, "comparisons between scalars must use BOOL modifier");
    }
    if (written.on()) {
      for (String l : written.labels()) {
        if (written.include().contains(l)) {
          throw error(
              opPos,
              "label " + GoFormat.quote(l) + " must not occur in ON and GROUP clause at once");
        }
      }
    }
    if (lt != SCALAR && lt != VECTOR) {
      throw error(
          b.lhs().pos(), "binary expression must contain only scalar and instant vector types");
    }
    if (rt != SCALAR && rt != VECTOR) {
      throw error(
          b.rhs().pos(), "binary expression must contain only scalar and instant vector types");
    }
    if (lt != VECTOR || rt != VECTOR) {
      if (!written.labels().isEmpty()) {
        throw error(b.pos(), "vector matching only allowed between instant vectors");
      }
    } else if (op.isSetOperator()
        && (written.card() == Cardinality.ONE_TO_MANY
            || written.card() == Cardinality.MANY_TO_ONE)) {
      throw error(b.pos(), "no grouping allowed for " + GoFormat.quote(op.symbol()) + " operation");
    }
    if ((lt == SCALAR || rt == SCALAR) && op.isSetOperator()) {
      throw error(
          b.pos(),
          "set operator "
              + GoFormat.quote(op.symbol())
              + " not allowed in binary scalar expression");
    }
  }

  private void call(Call c) {
    Function f = c.func();
    int declared = f.argTypes().size();
    int n = c.args().size();
    String name = GoFormat.quote(f.name());
    if (f.variadic() == 0) {
      if (declared != n) {
        throw error(
            c.pos(), "expected " + declared + " argument(s) in call to " + name + ", got " + n);
      }
    } else {
      int least = declared - 1;
      if (least > n) {
        throw error(
            c.pos(),
            "expected at least " + least + " argument(s) in call to " + name + ", got " + n);
      }
      if (f.variadic() > 0 && least + f.variadic() < n) {
        throw error(
            c.pos(),
            "expected at most "
                + (least + f.variadic())
                + " argument(s) in call to "
                + name
                + ", got "
                + n);
      }
    }
    boolean labelsOnly = false; // info(v, {selector}) takes a selector of labels alone
    if (f.name().equals("info") && n > 1) {
      Expr second = c.args().get(1);
      if (second.type() != VECTOR) {
        throw error(
            c.pos(),
            "expected type instant vector in call to function "
                + name
                + ", got "
                + second.type().promName());
      }
      if (!(second instanceof VectorSelector vs)) {
        throw error(second.pos(), "expected label selectors only");
      }
      if (vs.name() != null) {
        throw error(second.pos(), "expected label selectors only, got vector selector instead");
      }
      labelsOnly = true;
    }
    for (int i = 0; i < n; i++) {
      if (i >= declared && f.variadic() == 0) {
        break;
      }
      Expr arg = c.args().get(i);
      ValueType want = f.argType(i);
      ValueType t = check(arg, labelsOnly && i == 1);
      if (t != want) {
        throw error(
            arg.pos(),
            "expected type "
                + want.promName()
                + " in call to function "
                + name
                + ", got "
                + t.promName());
      }
    }
  }

  private void selector(VectorSelector v, boolean anyMatchers) {
    List<Matcher> ms = v.matchers();
    if (v.name() != null) {
      // The last matcher is the name written before the braces; another one sets it twice.
      for (int i = 0; i < ms.size() - 1; i++) {
        if (ms.get(i).name().equals(Labels.METRIC_NAME)) {
          throw error(
              v.pos(),
              "metric name must not be set twice: "
                  + GoFormat.quote(v.name())
                  + " or "
                  + GoFormat.quote(ms.get(i).value()));
        }
      }
      return;
    }
    if (!anyMatchers && ms.stream().allMatch(Matcher::matchesEmpty)) {
      throw error(v.pos(), "vector selector must contain at least one non-empty matcher");
    }
  }

  /** The type as Go's ValueType prints it, which some of Prometheus's messages use. */
  private static String goName(ValueType t) {
    return switch (t) {
      case SCALAR -> "scalar";
      case VECTOR -> "vector";
      case ValueType.MATRIX -> "matrix";
      case STRING -> "string";
    };
  }

  private ParseException error(int pos, String detail) {
    return new ParseException(query, pos, detail);
  }
}
