package io.meridian.promql.parser;

import static io.meridian.promql.parser.TokenType.*;

import io.meridian.util.GoFormat;
import java.util.Locale;

/**
 * Splits a query into tokens on demand, as Prometheus's lexer does: outside braces words may be
 * keywords (case-insensitively), inside braces every word is an identifier, and inside brackets
 * only durations, numbers and a colon are allowed. Comments ({@code #} to the end of the line) and
 * whitespace are skipped. Errors throw {@link ParseException} with Prometheus's wording.
 */
final class Lexer {
  private final String in;
  private int pos;
  private int parenDepth;
  private boolean braceOpen;
  private boolean bracketOpen;
  private boolean gotColon;
  private boolean durationNext; // right after "[": a number or duration must follow

  Lexer(String in) {
    this.in = in;
  }

  /** The next token; {@link TokenType#EOF} at the end, again and again. */
  Token next() {
    if (durationNext) {
      durationNext = false;
      return numberOrDuration(pos);
    }
    skipSpaceAndComments();
    if (braceOpen) {
      return insideBraces();
    }
    int start = pos;
    if (pos >= in.length()) {
      if (parenDepth != 0) {
        throw error(start, "unclosed left parenthesis");
      }
      if (bracketOpen) {
        throw error(start, "unclosed left bracket");
      }
      return new Token(EOF, "", start);
    }
    int c = in.codePointAt(pos);
    pos += Character.charCount(c);
    Token t = symbol(c, start);
    if (t != null) {
      return t;
    }
    if (isDigit(c) || (c == '.' && isDigit(peek()))) {
      return numberOrDuration(start);
    }
    if (isAlpha(c) || c == ':') {
      if (!bracketOpen) {
        return word(start);
      }
      if (c == ':') {
        if (gotColon) {
          throw error(start, "unexpected colon ':'");
        }
        gotColon = true;
        return token(COLON, start);
      }
      throw error(start, "unexpected character: " + quoteRune(c) + ", expected ':'");
    }
    throw error(start, "unexpected character: " + quoteRune(c));
  }

  /** The token for an operator or punctuation character at {@code start}; null for others. */
  private Token symbol(int c, int start) {
    return switch (c) {
      case ',' -> token(COMMA, start);
      case '*' -> token(MUL, start);
      case '/' -> token(DIV, start);
      case '%' -> token(MOD, start);
      case '+' -> token(ADD, start);
      case '-' -> token(SUB, start);
      case '^' -> token(POW, start);
      case '@' -> token(AT, start);
      case '=' -> {
        if (peek() == '~') {
          throw error(start, "unexpected character after '=': " + quoteRune(peek()));
        }
        yield accept('=') ? token(EQLC, start) : token(EQL, start);
      }
      case '!' -> {
        if (!accept('=')) {
          throw error(start, "unexpected character after '!': " + quoteRune(peek()));
        }
        yield token(NEQ, start);
      }
      case '<' -> accept('=') ? token(LTE, start) : token(LSS, start);
      case '>' -> accept('=') ? token(GTE, start) : token(GTR, start);
      case '"', '\'', '`' -> string(start);
      case '(' -> {
        parenDepth++;
        yield token(LEFT_PAREN, start);
      }
      case ')' -> {
        parenDepth--;
        if (parenDepth < 0) {
          throw error(pos, "unexpected right parenthesis ')'");
        }
        yield token(RIGHT_PAREN, start);
      }
      case '{' -> {
        braceOpen = true;
        yield token(LEFT_BRACE, start);
      }
      case '[' -> {
        if (bracketOpen) {
          throw error(start, "unexpected left bracket '['");
        }
        gotColon = false;
        bracketOpen = true;
        Token t = token(LEFT_BRACKET, start);
        while (pos < in.length() && isSpace(in.charAt(pos))) {
          pos++;
        }
        durationNext = true;
        yield t;
      }
      case ']' -> {
        if (!bracketOpen) {
          throw error(start, "unexpected right bracket ']'");
        }
        bracketOpen = false;
        yield token(RIGHT_BRACKET, start);
      }
      default -> null;
    };
  }

  private Token insideBraces() {
    int start = pos;
    if (pos >= in.length()) {
      throw error(start, "unexpected end of input inside braces");
    }
    int c = in.codePointAt(pos);
    pos += Character.charCount(c);
    if (isAlpha(c)) {
      while (pos < in.length() && isAlphaNumeric(in.charAt(pos))) {
        pos++;
      }
      return token(IDENTIFIER, start);
    }
    return switch (c) {
      case ',' -> token(COMMA, start);
      case '"', '\'', '`' -> string(start);
      case '=' -> accept('~') ? token(EQL_REGEX, start) : token(EQL, start);
      case '!' -> {
        if (accept('~')) {
          yield token(NEQ_REGEX, start);
        }
        if (accept('=')) {
          yield token(NEQ, start);
        }
        throw error(start, "unexpected character after '!' inside braces: " + quoteRune(peek()));
      }
      case '{' -> throw error(start, "unexpected left brace '{'");
      case '}' -> {
        braceOpen = false;
        yield token(RIGHT_BRACE, start);
      }
      default -> throw error(start, "unexpected character inside braces: " + quoteRune(c));
    };
  }

  /** A keyword, an identifier, or a metric identifier (one with a colon). */
  private Token word(int start) {
    while (pos < in.length() && (isAlphaNumeric(in.charAt(pos)) || in.charAt(pos) == ':')) {
      pos++;
    }
    String text = in.substring(start, pos);
    TokenType kw = TokenType.keyword(text.toLowerCase(Locale.ROOT));
    if (kw != null) {
      return new Token(kw, text, start);
    }
    return new Token(text.indexOf(':') >= 0 ? METRIC_IDENTIFIER : IDENTIFIER, text, start);
  }

  private Token string(int start) {
    Unquoter.Scanned s = Unquoter.scan(in, start);
    pos = s.end();
    return new Token(STRING, in.substring(start, pos), start, s.value());
  }

  private Token numberOrDuration(int start) {
    pos = start;
    if (scanNumber()) {
      return token(NUMBER, start);
    }
    if (acceptRemainingDuration()) {
      return token(DURATION, start);
    }
    throw error(
        start, "bad number or duration syntax: " + GoFormat.quote(in.substring(start, pos)));
  }

  /**
   * Consumes a number: {@code [.]d[d._eE]*} with at most one dot and one exponent, or hex after
   * {@code 0x}. False if the text is no valid number or a letter follows it; the position is then
   * left where scanning stopped, so a duration unit may follow.
   */
  private boolean scanNumber() {
    int initial = pos;
    String digits = "0123456789";
    if (accept('0')) {
      if (accept('x') || accept('X')) {
        accept('_');
        digits = "0123456789abcdefABCDEF";
      }
    }
    accept('.');
    acceptOne(digits);
    boolean dot = false;
    boolean exp = false;
    while (pos < in.length() && (digits + "._eE").indexOf(in.charAt(pos)) >= 0) {
      char c = in.charAt(pos);
      if (c == '.') {
        pos++;
        if (dot) {
          return false;
        }
        dot = true;
        if (acceptOne("_.") || digits.length() > 10) {
          return false;
        }
      } else if (c == 'e' || c == 'E') { // even after 0x, as in Prometheus
        pos++;
        if (exp) {
          return false;
        }
        exp = true;
        acceptOne("+-");
        if (acceptOne("._eE") || pos >= in.length()) {
          return false;
        }
      } else if (c == '_') {
        pos++;
        if (acceptOne("._eE") || pos >= in.length()) {
          return false;
        }
      } else {
        while (pos < in.length() && digits.indexOf(in.charAt(pos)) >= 0) {
          pos++;
        }
      }
    }
    return pos != initial && (pos >= in.length() || !isAlphaNumeric(in.charAt(pos)));
  }

  /** After the digits of a duration: the units and digits that may follow; see Prometheus. */
  private boolean acceptRemainingDuration() {
    if (!acceptOne("smhdwy")) {
      return false;
    }
    accept('s'); // ms; bad units such as "hs" fail when the duration is parsed
    while (acceptOne("0123456789")) {
      while (acceptOne("0123456789")) {
        // digits
      }
      if (!acceptOne("smhdw")) {
        return false;
      }
      accept('s');
    }
    if (pos < in.length()) {
      char c = in.charAt(pos++); // consumed, as in Prometheus, so an error shows it
      if (isAlphaNumeric(c)) {
        return false;
      }
      pos--;
    }
    return true;
  }

  private void skipSpaceAndComments() {
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (isSpace(c)) {
        pos++;
      } else if (c == '#') {
        while (pos < in.length() && in.charAt(pos) != '\n' && in.charAt(pos) != '\r') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private boolean accept(char c) {
    if (pos < in.length() && in.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private boolean acceptOne(String chars) {
    if (pos < in.length() && chars.indexOf(in.charAt(pos)) >= 0) {
      pos++;
      return true;
    }
    return false;
  }

  private int peek() {
    return pos < in.length() ? in.codePointAt(pos) : -1;
  }

  private Token token(TokenType type, int start) {
    return new Token(type, in.substring(start, pos), start);
  }

  private ParseException error(int at, String detail) {
    return new ParseException(in, at, detail);
  }

  /** Go's {@code %q} of a rune: {@code ';'}; end of input shows as the replacement character. */
  static String quoteRune(int cp) {
    if (cp < 0) {
      cp = 0xFFFD;
    }
    if (cp == '\'') {
      return "'\\''";
    }
    if (cp == '"') {
      return "'\"'";
    }
    String q = GoFormat.quote(new String(Character.toChars(cp)));
    return "'" + q.substring(1, q.length() - 1) + "'";
  }

  static boolean isSpace(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAlpha(int c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isAlphaNumeric(int c) {
    return isAlpha(c) || isDigit(c);
  }
}
