package io.meridian.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;

class SeededRandomExtensionTest {

  @Test
  void sameSeedSameSequence() {
    SeededRandom a = new SeededRandom(42);
    SeededRandom b = new SeededRandom(42);
    for (int i = 0; i < 100; i++) {
      assertThat(a.nextLong()).isEqualTo(b.nextLong());
    }
    assertThat(new SeededRandom(43).nextLong()).isNotEqualTo(new SeededRandom(42).nextLong());
  }

  @Test
  void parsesHexAndDecimalSeeds() {
    assertThat(SeededRandomExtension.seedFrom("0xff")).isEqualTo(255);
    assertThat(SeededRandomExtension.seedFrom("0xffffffffffffffff")).isEqualTo(-1);
    assertThat(SeededRandomExtension.seedFrom("-12")).isEqualTo(-12);
    assertThatThrownBy(() -> SeededRandomExtension.seedFrom("zz"))
        .hasMessageContaining("-Dtests.seed=zz is not a decimal or 0x-hex long");
  }

  /** A failing randomized test, run through the JUnit engine by the test below. */
  @ExtendWith(SeededRandomExtension.class)
  static class AlwaysFails {
    @Test
    void fails(SeededRandom random) {
      assertThat(random.seed()).isEqualTo(random.seed() + 1);
    }
  }

  @Test
  void aFailureCarriesTheSeedAndTheReproduceCommand() {
    var events =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(AlwaysFails.class))
            .execute()
            .testEvents();
    assertThat(events.failed().count()).isEqualTo(1);
    Throwable t =
        events.failed().stream()
            .findFirst()
            .orElseThrow()
            .getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
            .getThrowable()
            .orElseThrow();
    assertThat(t.getMessage())
        .startsWith(
            "reproduce with: ./dev test -Dtest=AlwaysFails#fails"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dtests.seed=0x");
  }
}
