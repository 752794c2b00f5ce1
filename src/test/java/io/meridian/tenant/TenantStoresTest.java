package io.meridian.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.model.Labels;
import io.meridian.storage.Appender;
import io.meridian.testing.ManualClock;
import io.meridian.tsdb.TsdbOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantStoresTest {
  @TempDir Path dir;

  @Test
  void tenantIdsFollowCortexRules() {
    assertThat(TenantId.invalidReason("team-a_1.(prod)*'!")).isNull();
    assertThat(TenantId.invalidReason("")).isEqualTo("tenant ID is empty");
    assertThat(TenantId.invalidReason("..")).isEqualTo("tenant ID is '.' or '..'");
    assertThat(TenantId.invalidReason("a b")).contains("unsupported character ' '");
    assertThat(TenantId.invalidReason("x".repeat(151))).contains("longer than 150");
  }

  @Test
  void tenantsOnDiskAreOpenAgainAfterARestart() throws Exception {
    ManualClock clock = new ManualClock(1_700_000_000_000L);
    try (TenantStores stores = new TenantStores(dir, TsdbOptions.defaults(), clock)) {
      assertThat(stores.find("a")).isNull();
      Appender app = stores.get("a").appender();
      app.append(Labels.of("__name__", "m"), clock.millis(), 1);
      app.commit();
      assertThatThrownBy(() -> stores.get("a/b")).isInstanceOf(IllegalArgumentException.class);
    }
    try (TenantStores again = new TenantStores(dir, TsdbOptions.defaults(), clock)) {
      assertThat(again.open()).containsOnlyKeys("a");
      assertThat(again.find("a").head().numSeries()).isEqualTo(1);
    }
  }
}
