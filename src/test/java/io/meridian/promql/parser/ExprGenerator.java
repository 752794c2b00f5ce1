package io.meridian.promql.parser;

import io.meridian.model.MatchType;
import io.meridian.model.Matcher;
import io.meridian.promql.parser.VectorMatching.Cardinality;
import io.meridian.testing.SeededRandom;
import io.meridian.util.Utf8Order;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Random well-typed expression trees in the shape the parser gives (positions -1, parentheses where
 * precedence needs them, signs never directly on numbers, matchers in printed order).
 */
final class ExprGenerator {
  private static final String[] METRICS = {
    "foo", "http_requests_total", "a:b:c", "sum", "by", "offset", "and", "start", "rate", "_x1"
  };
  private static final String[] LABELS = {
    "job", "instance", "le", "on", "by", "bool", "inf", "group_left", "a.b", "ünï", "x y"
  };
  private static final String[] REGEXES = {".*", ".+", "a|b", "[0-9]+", "(?i)foo", "\\.x", ""};
  private static final String[] SCALAR_FUNCS = {"time", "pi", "start", "end", "step", "range"};
  private static final List<Function> VECTOR_FUNCS = new ArrayList<>();

  static {
    for (String name :
        new String[] {
          "abs",
          "rate",
          "round",
          "clamp",
          "label_replace",
          "label_join",
          "histogram_quantile",
          "predict_linear",
          "quantile_over_time",
          "sort_by_label",
          "day_of_month",
          "vector",
          "absent_over_time",
          "holt_winters",
          "histogram_quantiles"
        }) {
      VECTOR_FUNCS.add(Function.byName(name));
    }
  }

  private final SeededRandom r;

  ExprGenerator(SeededRandom r) {
    this.r = r;
  }

  Expr any(int depth) {
    return switch (r.nextInt(10)) {
      case 0 -> gen(ValueType.SCALAR, depth);
      case 1 -> gen(ValueType.MATRIX, depth);
      case 2 -> gen(ValueType.STRING, depth);
      default -> gen(ValueType.VECTOR, depth);
    };
  }

  Expr gen(ValueType type, int depth) {
    boolean leaf = depth <= 0 || r.nextInt(4) == 0;
    Expr e =
        switch (type) {
          case SCALAR -> leaf ? number() : scalar(depth - 1);
          case VECTOR -> leaf ? selector() : vector(depth - 1);
          case MATRIX -> matrix(depth - 1);
          case STRING -> new StringLiteral(r.nextUnicode(0, 6), -1);
        };
    if (type != ValueType.MATRIX && r.nextInt(8) == 0) {
      e = new ParenExpr(e, -1);
    }
    return e;
  }

  private Expr scalar(int depth) {
    return switch (r.nextInt(4)) {
      case 0 -> new Call(Function.byName(r.pick(SCALAR_FUNCS)), List.of(), -1);
      case 1 -> new Call(Function.byName("scalar"), List.of(gen(ValueType.VECTOR, depth)), -1);
      case 2 -> unary(gen(ValueType.SCALAR, depth));
      default -> binary(ValueType.SCALAR, ValueType.SCALAR, depth);
    };
  }

  private Expr vector(int depth) {
    return switch (r.nextInt(6)) {
      case 0 -> call(depth);
      case 1 -> aggregate(depth);
      case 2 -> unary(gen(ValueType.VECTOR, depth));
      case 3 -> binary(ValueType.VECTOR, ValueType.SCALAR, depth);
      case 4 -> binary(ValueType.SCALAR, ValueType.VECTOR, depth);
      default -> binary(ValueType.VECTOR, ValueType.VECTOR, depth);
    };
  }

  private Expr matrix(int depth) {
    if (depth <= 0 || r.nextBoolean()) {
      return new MatrixSelector(selector(), duration(), -1);
    }
    Expr inner = gen(ValueType.VECTOR, depth);
    if (!(inner instanceof VectorSelector
        || inner instanceof Call
        || inner instanceof AggregateExpr
        || inner instanceof ParenExpr)) {
      inner = new ParenExpr(inner, -1); // a subquery's range binds to the operand just before it
    }
    return new SubqueryExpr(
        inner, duration(), r.nextBoolean() ? 0 : duration(), offset(), at(), -1);
  }

  private Expr call(int depth) {
    Function f = VECTOR_FUNCS.get(r.nextInt(VECTOR_FUNCS.size()));
    int n =
        f.minArgs()
            + (f.maxArgs() > f.minArgs()
                ? r.nextInt(Math.min(3, f.maxArgs() - f.minArgs() + 1))
                : 0);
    List<Expr> args = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      args.add(gen(f.argType(i), depth));
    }
    return new Call(f, args, -1);
  }

  private Expr aggregate(int depth) {
    AggregateOp op = r.pick(AggregateOp.values());
    Expr param = op.paramType() == null ? null : gen(op.paramType(), depth);
    List<String> grouping = labelList();
    boolean without = r.nextBoolean();
    return new AggregateExpr(op, gen(ValueType.VECTOR, depth), param, grouping, without, -1);
  }

  private Expr unary(Expr operand) {
    Expr e = operand;
    if (e instanceof NumberLiteral || (e instanceof BinaryExpr b && b.op() != BinaryOp.POW)) {
      e = new ParenExpr(e, -1); // a sign takes only a power with it, and folds into a number
    }
    return new UnaryExpr(r.nextBoolean(), e, -1);
  }

  private Expr binary(ValueType lt, ValueType rt, int depth) {
    boolean vectors = lt == ValueType.VECTOR && rt == ValueType.VECTOR;
    BinaryOp op;
    do {
      op = r.pick(BinaryOp.values());
    } while (op.isSetOperator() && !vectors);
    boolean returnBool =
        op.isComparison()
            && ((!vectors && r.nextBoolean()) || (lt == rt && lt == ValueType.SCALAR));
    Expr lhs = wrap(op, gen(lt, depth), true);
    Expr rhs = wrap(op, gen(rt, depth), false);
    VectorMatching vm = null;
    if (vectors) {
      vm = matching(op);
    }
    return new BinaryExpr(op, lhs, rhs, vm, returnBool, -1);
  }

  private VectorMatching matching(BinaryOp op) {
    if (op.isSetOperator()) {
      return r.nextBoolean()
          ? new VectorMatching(Cardinality.MANY_TO_MANY, List.of(), false, List.of())
          : new VectorMatching(Cardinality.MANY_TO_MANY, labelList(), r.nextBoolean(), List.of());
    }
    return switch (r.nextInt(4)) {
      case 0 -> new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of());
      case 1 -> new VectorMatching(Cardinality.ONE_TO_ONE, labelList(), r.nextBoolean(), List.of());
      default -> {
        List<String> on = labelList();
        List<String> include = new ArrayList<>(labelList());
        include.removeAll(on);
        yield new VectorMatching(
            r.nextBoolean() ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY,
            on,
            r.nextBoolean(),
            include);
      }
    };
  }

  /** Parentheses a child needs to keep its place under {@code op}. */
  private static Expr wrap(BinaryOp op, Expr child, boolean lhs) {
    boolean needs = false;
    if (child instanceof BinaryExpr c) {
      int cp = c.op().precedence();
      int pp = op.precedence();
      needs = cp < pp || (cp == pp && (lhs == op.rightAssociative()));
    } else if (lhs && op == BinaryOp.POW) {
      needs =
          child instanceof UnaryExpr
              || (child instanceof NumberLiteral n
                  && !Double.isNaN(n.value())
                  && (Double.doubleToRawLongBits(n.value()) < 0
                      || n.value() == Double.POSITIVE_INFINITY)); // printed with a sign
    }
    return needs ? new ParenExpr(child, -1) : child;
  }

  VectorSelector selector() {
    String name = r.nextInt(4) == 0 ? null : r.pick(METRICS);
    List<Matcher> ms = new ArrayList<>();
    int n = r.nextInt(name == null ? 1 : 0, 4);
    for (int i = 0; i < n; i++) {
      MatchType t = r.pick(MatchType.values());
      String label = r.pick(LABELS);
      String value =
          t == MatchType.REGEX || t == MatchType.NOT_REGEX ? r.pick(REGEXES) : r.nextUnicode(0, 5);
      ms.add(Matcher.of(t, label, value));
    }
    if (name == null) {
      ms.add(Matcher.equal(r.pick(LABELS), "v" + r.nextAscii(0, 3))); // something non-empty
      if (r.nextInt(3) == 0) {
        ms.add(Matcher.equal("__name__", r.pick("my.metric", "x", "on", "a b")));
      }
    }
    ms.sort(Comparator.comparing(Matcher::toString, Utf8Order.COMPARATOR));
    if (name != null) {
      ms.add(Matcher.equal("__name__", name));
    }
    return new VectorSelector(name, ms, offset(), at(), -1);
  }

  private List<String> labelList() {
    List<String> out = new ArrayList<>();
    int n = r.nextInt(3);
    for (int i = 0; i < n; i++) {
      out.add(r.pick(LABELS));
    }
    return out;
  }

  private NumberLiteral number() {
    double v =
        switch (r.nextInt(8)) {
          case 0 ->
              r.pick(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0);
          case 1 -> r.nextDouble() * Math.pow(10, r.nextInt(-320, 309));
          case 2 -> -r.nextInt(1000);
          case 3 -> Double.longBitsToDouble(r.nextLong());
          default -> r.nextInt(1000) / (double) r.pick(1, 10, 1000);
        };
    return new NumberLiteral(v, -1);
  }

  private long duration() {
    return switch (r.nextInt(4)) {
      case 0 -> r.nextLong(1, 1000);
      case 1 -> r.nextLong(1, 100) * 60_000;
      case 2 -> r.nextLong(1, 10) * 365L * 86_400_000 + r.nextLong(0, 86_400_000);
      default -> r.nextLong(1, 10_000_000_000L);
    };
  }

  private long offset() {
    return r.nextInt(3) == 0 ? (r.nextBoolean() ? 1 : -1) * duration() : 0;
  }

  private At at() {
    return switch (r.nextInt(6)) {
      case 0 -> At.START;
      case 1 -> At.END;
      case 2 -> At.time(r.nextLong(-10_000_000_000_000L, 10_000_000_000_000L));
      default -> null;
    };
  }
}
