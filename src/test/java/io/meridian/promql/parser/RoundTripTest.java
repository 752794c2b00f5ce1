package io.meridian.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Random trees print as text that parses back to the same tree and prints the same again. */
@ExtendWith(SeededRandomExtension.class)
class RoundTripTest {

  @Test
  void printThenParseGivesTheSameTree(SeededRandom random) {
    ExprGenerator gen = new ExprGenerator(random);
    for (int i = 0; i < 3000; i++) {
      Expr e = gen.any(random.nextInt(1, 6));
      String printed = e.toString();
      Expr parsed;
      try {
        parsed = PromqlParser.parse(printed);
      } catch (ParseException ex) {
        throw new AssertionError("printed " + printed + "\nof " + e + "\n" + ex.getMessage(), ex);
      }
      assertThat(Exprs.withoutPositions(parsed)).as(printed).isEqualTo(e);
      assertThat(parsed.toString()).isEqualTo(printed);
    }
  }
}
