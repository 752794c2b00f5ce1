package io.meridian.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ByteSizeAndEnvTest {
  @Test
  void byteSizesAreBaseTwoWithAUnit() {
    assertThat(ByteSize.parse("0")).isZero();
    assertThat(ByteSize.parse("512B")).isEqualTo(512);
    assertThat(ByteSize.parse("10KB")).isEqualTo(10 * 1024);
    assertThat(ByteSize.parse("10KiB")).isEqualTo(10 * 1024);
    assertThat(ByteSize.parse("10MB")).isEqualTo(10L << 20);
    assertThat(ByteSize.parse("1GB512MB")).isEqualTo((1L << 30) + (512L << 20));
    assertThat(ByteSize.parse("2EB")).isEqualTo(2L << 60);
    assertThatThrownBy(() -> ByteSize.parse("1024")).hasMessage("units: unknown unit  in 1024");
    assertThatThrownBy(() -> ByteSize.parse("10XB")).hasMessage("units: unknown unit XB in 10XB");
    assertThatThrownBy(() -> ByteSize.parse("MB")).hasMessage("units: invalid MB");
    assertThatThrownBy(() -> ByteSize.parse("16EB")).hasMessage("units: overflow in 16EB");
  }

  @Test
  void envExpandsAsGosOsExpand() {
    Map<String, String> env = Map.of("A", "1", "B_2", "two");
    assertThat(Env.expand("$A", env)).isEqualTo("1");
    assertThat(Env.expand("${B_2}x", env)).isEqualTo("twox");
    assertThat(Env.expand("$B_2x", env)).isEmpty();
    assertThat(Env.expand("$$A", env)).isEqualTo("$A");
    assertThat(Env.expand("cost: 5$", env)).isEqualTo("cost: 5$");
    assertThat(Env.expand("a $ b", env)).isEqualTo("a $ b");
    assertThat(Env.expand("${}", env)).isEmpty();
    assertThat(Env.expand("${A", env)).isEqualTo("A");
    assertThat(Env.expand("no vars", env)).isEqualTo("no vars");
  }
}
