package io.meridian.testing;

import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Gives test methods a {@link SeededRandom} parameter. The seed is {@code -Dtests.seed=...} (hex
 * with {@code 0x} or decimal) when set, else fresh for each test. When the test fails, the failure
 * message starts with the line that reproduces it, e.g. {@code reproduce with: ./dev test
 * -Dtest=LabelsTest#orderAgreesWithEquality -Dtests.seed=0x5deece66d}.
 */
public final class SeededRandomExtension
    implements ParameterResolver, TestExecutionExceptionHandler {
  /** The system property that fixes the seed. */
  public static final String SEED_PROPERTY = "tests.seed";

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(SeededRandomExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
    return p.getParameter().getType() == SeededRandom.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
    long seed = seedFrom(System.getProperty(SEED_PROPERTY));
    ctx.getStore(NS).put("seed", seed);
    return new SeededRandom(seed);
  }

  @Override
  public void handleTestExecutionException(ExtensionContext ctx, Throwable failure)
      throws Throwable {
    Long seed = ctx.getStore(NS).get("seed", Long.class);
    if (seed == null || failure instanceof org.opentest4j.TestAbortedException) {
      throw failure; // a skipped test did not fail: no seed to reproduce
    }
    String line = reproduceLine(ctx, seed);
    System.err.println(line);
    throw new AssertionError(line + "\n" + failure, failure);
  }

  static long seedFrom(String property) {
    if (property == null || property.isBlank()) {
      return new SplittableRandom().nextLong();
    }
    String s = property.strip();
    try {
      return s.startsWith("0x") || s.startsWith("0X")
          ? Long.parseUnsignedLong(s.substring(2), 16)
          : Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + SEED_PROPERTY + "=" + property + " is not a decimal or 0x-hex long", e);
    }
  }

  static String reproduceLine(ExtensionContext ctx, long seed) {
    String cls = ctx.getRequiredTestClass().getSimpleName();
    String test = cls + "#" + ctx.getRequiredTestMethod().getName();
    // Integration tests run in failsafe, which takes its own property.
    String select = cls.endsWith("IT") ? "-Dtest=none -Dit.test=" : "-Dtest=";
    return "reproduce with: ./dev test "
        + select
        + test
        + " -Dsurefire.failIfNoSpecifiedTests=false -D"
        + SEED_PROPERTY
        + "=0x"
        + HexFormat.of().toHexDigits(seed);
  }
}
