package io.meridian.promql.parser;

import static io.meridian.promql.parser.TokenType.*;

import io.meridian.model.Labels;
import io.meridian.model.MatchType;
import io.meridian.model.Matcher;
import io.meridian.model.NameValidation;
import io.meridian.promql.parser.VectorMatching.Cardinality;
import io.meridian.util.GoFormat;
import io.meridian.util.PromDuration;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;

/**
 * Recursive descent over the tokens of one query, with precedence climbing for binary operators. It
 * follows Prometheus's grammar: a sign binds tighter than every binary operator but {@code ^};
 * ranges, subqueries, {@code offset} and {@code @} bind to the operand right before them; keywords
 * may be metric names where Prometheus lets them. Syntax errors, and the checks Prometheus makes
 * while parsing (unknown function, offset twice...), throw at once; type checks are left to {@link
 * Checker}, which gets the operator positions recorded here.
 */
final class Parser {
  /** Deepest nesting of parentheses, calls and operators accepted; keeps recursion bounded. */
  static final int MAX_DEPTH = 500;

  /** What the checker needs about a binary expression that the tree does not keep. */
  record BinaryInfo(int opPos, VectorMatching written) {}

  private final String query;
  private final boolean experimental;
  private final Lexer lexer;
  private Token lookahead;
  private int depth;
  private int aggregations; // how many aggregations we are inside: errors then say "in aggregation"
  private final IdentityHashMap<Expr, Integer> heights = new IdentityHashMap<>();
  private final IdentityHashMap<BinaryExpr, BinaryInfo> binaries = new IdentityHashMap<>();

  Parser(String query, boolean experimental) {
    this.query = query;
    this.experimental = experimental;
    this.lexer = new Lexer(query);
  }

  IdentityHashMap<BinaryExpr, BinaryInfo> binaries() {
    return binaries;
  }

  Expr parse() {
    if (peek().type() == EOF) {
      throw new ParseException(query, 0, "no expression found in input");
    }
    Expr e = expr(0);
    Token end = peek();
    if (end.type() != EOF) {
      throw unexpected(end, "", "");
    }
    return e;
  }

  // ---- expressions

  /** An expression whose binary operators all have precedence {@code minPrec} or more. */
  private Expr expr(int minPrec) {
    if (++depth > MAX_DEPTH) {
      throw tooDeep(peek().pos());
    }
    Expr lhs = unary();
    while (true) {
      Token t = peek();
      BinaryOp op = binaryOp(t.type());
      if (op == null || op.precedence() < minPrec) {
        break;
      }
      next();
      lhs = binary(op, t.pos(), lhs);
    }
    depth--;
    return lhs;
  }

  private Expr binary(BinaryOp op, int opPos, Expr lhs) {
    boolean returnBool = false;
    if (peek().type() == BOOL) {
      next();
      returnBool = true;
    }
    VectorMatching written =
        new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of());
    TokenType t = peek().type();
    if (t == ON || t == IGNORING) {
      next();
      boolean on = t == ON;
      List<String> labels = groupingLabels();
      Cardinality card = Cardinality.ONE_TO_ONE;
      List<String> include = List.of();
      t = peek().type();
      if (t == GROUP_LEFT || t == GROUP_RIGHT) {
        next();
        card = t == GROUP_LEFT ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
        if (peek().type() == LEFT_PAREN) {
          include = groupingLabels();
        }
      }
      written = new VectorMatching(card, labels, on, include);
    }
    Expr rhs = expr(op.rightAssociative() ? op.precedence() : op.precedence() + 1);
    VectorMatching matching = null;
    if (lhs.type() == ValueType.VECTOR && rhs.type() == ValueType.VECTOR) {
      Cardinality card = written.card();
      if (op.isSetOperator() && card == Cardinality.ONE_TO_ONE) {
        card = Cardinality.MANY_TO_MANY;
      }
      matching = new VectorMatching(card, written.labels(), written.on(), written.include());
    }
    BinaryExpr b = new BinaryExpr(op, lhs, rhs, matching, returnBool, lhs.pos());
    binaries.put(b, new BinaryInfo(opPos, written));
    return register(b, lhs, rhs);
  }

  private Expr unary() {
    Token t = peek();
    if (t.type() != ADD && t.type() != SUB) {
      return postfix(primary());
    }
    next();
    // As in Prometheus, a sign takes everything up to the next operator weaker than "^".
    Expr operand = expr(BinaryOp.POW.precedence());
    boolean negate = t.type() == SUB;
    if (operand instanceof NumberLiteral n) {
      return new NumberLiteral(negate ? -n.value() : n.value(), t.pos());
    }
    return register(new UnaryExpr(negate, operand, t.pos()), operand);
  }

  /** Range, subquery, offset and @ after an operand, in any order. */
  private Expr postfix(Expr e) {
    while (true) {
      switch (peek().type()) {
        case LEFT_BRACKET -> e = bracket(e);
        case OFFSET -> e = offset(e);
        case AT -> e = at(e);
        default -> {
          return e;
        }
      }
    }
  }

  private Expr primary() {
    Token t = peek();
    return switch (t.type()) {
      case NUMBER -> {
        next();
        yield new NumberLiteral(number(t), t.pos());
      }
      case DURATION -> {
        next();
        yield new NumberLiteral(durationMillis(t) / 1000.0, t.pos());
      }
      case STRING -> {
        next();
        yield new StringLiteral(t.value(), t.pos());
      }
      case LEFT_PAREN -> {
        next();
        Expr inner = expr(0);
        Token close = next();
        if (close.type() != RIGHT_PAREN) {
          throw unexpected(close, "", "");
        }
        yield register(new ParenExpr(inner, t.pos()), inner);
      }
      case LEFT_BRACE -> selector(null, t.pos());
      case IDENTIFIER, START, END -> {
        next();
        yield peek().type() == LEFT_PAREN ? call(t) : selector(t.text(), t.pos());
      }
      case AGGREGATOR -> {
        next();
        TokenType after = peek().type();
        yield after == LEFT_PAREN || after == BY || after == WITHOUT
            ? aggregate(t)
            : selector(t.text(), t.pos());
      }
      case METRIC_IDENTIFIER, BY, WITHOUT, OFFSET, LAND, LOR, LUNLESS -> {
        next();
        yield selector(t.text(), t.pos());
      }
      default -> throw unexpected(t, "", "");
    };
  }

  // ---- calls and aggregations

  private Expr call(Token name) {
    List<Expr> args = callArgs();
    peek(); // Prometheus judges the call once it has read the token after it
    Function f = Function.byName(name.text());
    if (f == null) {
      throw error(name.pos(), "unknown function with name " + GoFormat.quote(name.text()));
    }
    if (f.experimental() && !experimental) {
      throw error(name.pos(), "function " + GoFormat.quote(name.text()) + " is not enabled");
    }
    return register(new Call(f, args, name.pos()), args.toArray(Expr[]::new));
  }

  /** {@code ( expr, expr... )}; the caller has checked that "(" comes next. */
  private List<Expr> callArgs() {
    next();
    List<Expr> args = new ArrayList<>();
    if (peek().type() == RIGHT_PAREN) {
      next();
      return args;
    }
    while (true) {
      args.add(expr(0));
      Token t = next();
      if (t.type() == RIGHT_PAREN) {
        return args;
      }
      if (t.type() != COMMA) {
        throw unexpected(t, "", "");
      }
      if (peek().type() == RIGHT_PAREN) {
        throw error(t.pos(), "trailing commas not allowed in function call args");
      }
    }
  }

  private Expr aggregate(Token opToken) {
    AggregateOp op = AggregateOp.byName(opToken.text().toLowerCase(Locale.ROOT));
    aggregations++;
    List<String> grouping = List.of();
    boolean without = false;
    boolean modifierFirst = false;
    TokenType t = peek().type();
    if (t == BY || t == WITHOUT) {
      next();
      without = t == WITHOUT;
      grouping = groupingLabels();
      modifierFirst = true;
    }
    Token open = peek();
    if (open.type() != LEFT_PAREN) {
      throw unexpected(open, "", "");
    }
    List<Expr> args = callArgs();
    if (!modifierFirst) {
      t = peek().type();
      if (t == BY || t == WITHOUT) {
        next();
        without = t == WITHOUT;
        grouping = groupingLabels();
      }
    }
    aggregations--;
    peek();
    int pos = opToken.pos();
    if (args.isEmpty()) {
      throw error(pos, "no arguments for aggregate expression provided");
    }
    int want = 1;
    if (op.paramType() != null) {
      if (op.experimental() && !experimental) {
        throw error(
            pos,
            op.promName()
                + "() is experimental and must be enabled with"
                + " --enable-feature=promql-experimental-functions");
      }
      want = 2;
    }
    if (args.size() != want) {
      throw error(
          pos,
          "wrong number of arguments for aggregate expression provided, expected "
              + want
              + ", got "
              + args.size());
    }
    Expr param = want == 2 ? args.get(0) : null;
    Expr body = args.get(want - 1);
    AggregateExpr a = new AggregateExpr(op, body, param, grouping, without, pos);
    return param == null ? register(a, body) : register(a, param, body);
  }

  /** {@code (label, ...)} after by, without, on, ignoring, group_left, group_right. */
  private List<String> groupingLabels() {
    Token open = next();
    if (open.type() != LEFT_PAREN) {
      throw unexpected(open, "grouping opts", "\"(\"");
    }
    List<String> labels = new ArrayList<>();
    Token t = next();
    while (t.type() != RIGHT_PAREN) {
      labels.add(groupingLabel(t));
      Token sep = next();
      if (sep.type() == RIGHT_PAREN) {
        break;
      }
      if (sep.type() != COMMA) {
        throw unexpected(sep, "grouping opts", "\",\" or \")\"");
      }
      t = next();
    }
    return labels;
  }

  private String groupingLabel(Token t) {
    if (t.type() == STRING) {
      return t.value(); // a quoted name may be any UTF-8 label name
    }
    boolean wordLike =
        switch (t.type()) {
          case IDENTIFIER,
              METRIC_IDENTIFIER,
              AGGREGATOR,
              BOOL,
              BY,
              GROUP_LEFT,
              GROUP_RIGHT,
              IGNORING,
              OFFSET,
              ON,
              WITHOUT,
              LAND,
              LOR,
              LUNLESS,
              ATAN2,
              START,
              END ->
              true;
          default -> false;
        };
    if (!wordLike || !NameValidation.isLegacyLabelName(t.text())) {
      throw unexpected(t, "grouping opts", "label");
    }
    return t.text();
  }

  // ---- selectors

  private Expr selector(String name, int pos) {
    List<Matcher> matchers = new ArrayList<>();
    if (peek().type() == LEFT_BRACE) {
      next();
      Token t = next();
      while (t.type() != RIGHT_BRACE) {
        matchers.add(matcher(t));
        Token sep = next();
        if (sep.type() == RIGHT_BRACE) {
          break;
        }
        if (sep.type() != COMMA) {
          throw unexpected(sep, "label matching", "\",\" or \"}\"");
        }
        t = next();
      }
    }
    if (name != null) {
      matchers.add(Matcher.equal(Labels.METRIC_NAME, name)); // last, as Prometheus appends it
    }
    return new VectorSelector(name, matchers, 0, null, pos);
  }

  private Matcher matcher(Token label) {
    String name;
    if (label.type() == IDENTIFIER) {
      name = label.text();
    } else if (label.type() == STRING) {
      name = label.value();
      if (matchType(peek().type()) == null) {
        return Matcher.equal(Labels.METRIC_NAME, name); // {"metric.name"}
      }
    } else {
      throw unexpected(label, "label matching", "identifier or \"}\"");
    }
    Token op = next();
    MatchType type = matchType(op.type());
    if (type == null) {
      throw unexpected(op, "label matching", "label matching operator");
    }
    Token value = next();
    if (value.type() != STRING) {
      throw unexpected(value, "label matching", "string");
    }
    try {
      return Matcher.of(type, name, value.value());
    } catch (IllegalArgumentException e) {
      throw error(label.pos(), e.getMessage());
    }
  }

  private static MatchType matchType(TokenType t) {
    return switch (t) {
      case EQL -> MatchType.EQUAL;
      case NEQ -> MatchType.NOT_EQUAL;
      case EQL_REGEX -> MatchType.REGEX;
      case NEQ_REGEX -> MatchType.NOT_REGEX;
      default -> null;
    };
  }

  // ---- postfix modifiers

  /** {@code [range]} or {@code [range:step]} / {@code [range:]}. */
  private Expr bracket(Expr e) {
    Token open = next();
    Token r = next();
    if (r.type() != NUMBER && r.type() != DURATION) {
      throw unexpected(r, "subquery selector", "number or duration");
    }
    long range = durationMillis(r);
    Token t = next();
    if (t.type() == RIGHT_BRACKET) {
      if (!(e instanceof VectorSelector vs)) {
        throw error(open.pos(), "ranges only allowed for vector selectors");
      }
      if (vs.offsetMillis() != 0) {
        throw error(open.pos(), "no offset modifiers allowed before range");
      }
      if (vs.at() != null) {
        throw error(open.pos(), "no @ modifiers allowed before range");
      }
      return register(new MatrixSelector(vs, range, vs.pos()), vs);
    }
    if (t.type() != COLON) {
      throw unexpected(t, "subquery or range", "\":\" or \"]\"");
    }
    Token s = next();
    long step = 0;
    if (s.type() == NUMBER || s.type() == DURATION) {
      step = durationMillis(s);
      Token close = next();
      if (close.type() != RIGHT_BRACKET) {
        throw unexpected(close, "subquery selector", "\"]\"");
      }
    } else if (s.type() != RIGHT_BRACKET) {
      throw unexpected(s, "subquery selector", "number or duration or \"]\"");
    }
    return register(new SubqueryExpr(e, range, step, 0, null, e.pos()), e);
  }

  private Expr offset(Expr e) {
    next();
    Token t = next();
    boolean negative = t.type() == SUB;
    if (negative) {
      t = next();
    }
    if (t.type() != NUMBER && t.type() != DURATION) {
      throw unexpected(t, "offset", "number or duration");
    }
    long ms = durationMillis(t);
    return Modifiers.withOffset(query, e, negative ? -ms : ms, this::registerLike);
  }

  private Expr at(Expr e) {
    next();
    Token t = next();
    At at;
    if (t.type() == START || t.type() == END) {
      if (next().type() != LEFT_PAREN) {
        throw unexpected(lastToken, "@", "timestamp");
      }
      if (next().type() != RIGHT_PAREN) {
        throw unexpected(lastToken, "@", "timestamp");
      }
      at = t.type() == START ? At.START : At.END;
    } else {
      boolean negative = false;
      if (t.type() == ADD || t.type() == SUB) {
        negative = t.type() == SUB;
        t = next();
      }
      double seconds;
      if (t.type() == NUMBER) {
        seconds = number(t);
      } else if (t.type() == DURATION) {
        seconds = durationMillis(t) / 1000.0;
      } else {
        throw unexpected(t, "@", "timestamp");
      }
      if (negative) {
        seconds = -seconds;
      }
      if (Double.isNaN(seconds) || seconds >= 0x1p63 || seconds <= -0x1p63) {
        throw error(
            e.pos(), "timestamp out of bounds for @ modifier: " + Modifiers.goFixed6(seconds));
      }
      at = At.time(Modifiers.roundHalfAway(seconds * 1000));
    }
    return Modifiers.withAt(query, e, at, this::registerLike);
  }

  // ---- literals

  /** A NUMBER token's value, as Go's ParseInt (base prefix, octal) then ParseFloat read it. */
  private double number(Token t) {
    String s = t.text();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.equals("inf")) {
      return Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    String digits = s.replace("_", "");
    try {
      if (lower.startsWith("0x")) {
        return new BigInteger(digits.substring(2), 16).doubleValue();
      }
      if (digits.length() > 1
          && digits.charAt(0) == '0'
          && digits.chars().allMatch(c -> c >= '0' && c <= '7')) {
        return new BigInteger(digits.substring(1), 8).doubleValue();
      }
      double v = Double.parseDouble(digits);
      if (Double.isInfinite(v)) {
        throw error(
            t.pos(),
            "error parsing number: strconv.ParseFloat: parsing "
                + GoFormat.quote(s)
                + ": value out of range");
      }
      return v;
    } catch (NumberFormatException e) {
      throw error(
          t.pos(),
          "error parsing number: strconv.ParseFloat: parsing "
              + GoFormat.quote(s)
              + ": invalid syntax");
    }
  }

  /** A NUMBER (seconds) or DURATION token as milliseconds, as Prometheus converts them. */
  private long durationMillis(Token t) {
    if (t.type() == NUMBER) {
      return (long) (number(t) * 1000); // Go truncates toward zero too
    }
    try {
      return PromDuration.parse(t.text()).toMillis();
    } catch (IllegalArgumentException e) {
      throw error(t.pos(), e.getMessage());
    }
  }

  // ---- tokens and errors

  private Token lastToken;

  private Token peek() {
    if (lookahead == null) {
      lookahead = lexer.next();
    }
    return lookahead;
  }

  private Token next() {
    Token t = peek();
    lookahead = null;
    lastToken = t;
    return t;
  }

  private static BinaryOp binaryOp(TokenType t) {
    return switch (t) {
      case ADD -> BinaryOp.ADD;
      case SUB -> BinaryOp.SUB;
      case MUL -> BinaryOp.MUL;
      case DIV -> BinaryOp.DIV;
      case MOD -> BinaryOp.MOD;
      case POW -> BinaryOp.POW;
      case ATAN2 -> BinaryOp.ATAN2;
      case EQLC -> BinaryOp.EQL;
      case NEQ -> BinaryOp.NEQ;
      case LTE -> BinaryOp.LTE;
      case LSS -> BinaryOp.LSS;
      case GTE -> BinaryOp.GTE;
      case GTR -> BinaryOp.GTR;
      case LAND -> BinaryOp.AND;
      case LOR -> BinaryOp.OR;
      case LUNLESS -> BinaryOp.UNLESS;
      default -> null;
    };
  }

  /**
   * Prometheus's "unexpected X[ in context][, expected Y]". Inside an aggregation an error without
   * a closer context says "in aggregation", as Prometheus's error recovery makes it.
   */
  private ParseException unexpected(Token t, String context, String expected) {
    StringBuilder msg = new StringBuilder("unexpected ").append(t.describe());
    String ctx = context.isEmpty() && aggregations > 0 ? "aggregation" : context;
    if (!ctx.isEmpty()) {
      msg.append(" in ").append(ctx);
    }
    if (!expected.isEmpty()) {
      msg.append(", expected ").append(expected);
    }
    return error(t.pos(), msg.toString());
  }

  private ParseException error(int pos, String detail) {
    return new ParseException(query, pos, detail);
  }

  private ParseException tooDeep(int pos) {
    return error(pos, "expression nested too deeply: more than " + MAX_DEPTH + " levels");
  }

  /** Records the height of a new node, refusing trees deeper than {@link #MAX_DEPTH}. */
  private Expr register(Expr node, Expr... children) {
    int h = 0;
    for (Expr c : children) {
      h = Math.max(h, heights.getOrDefault(c, 1));
    }
    if (h + 1 > MAX_DEPTH) {
      throw tooDeep(node.pos());
    }
    heights.put(node, h + 1);
    return node;
  }

  /** Gives a rebuilt node (new offset or @) the height of the one it replaces. */
  private Expr registerLike(Expr replaced, Expr node) {
    heights.put(node, heights.getOrDefault(replaced, 1));
    return node;
  }
}
