package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SignalsTest {

  @Test
  void aHangupBeforeTheRoleExistsReloadsOnceItIsBound() {
    Signals.Hangup hangup = new Signals.Hangup();
    AtomicInteger reloads = new AtomicInteger();
    hangup.signalled();
    hangup.signalled();
    assertThat(reloads).hasValue(0);
    hangup.bind(reloads::incrementAndGet);
    assertThat(reloads).as("the early hangups, once").hasValue(1);
    hangup.signalled();
    assertThat(reloads).hasValue(2);
  }

  @Test
  void withoutAHangupBindingReloadsNothing() {
    Signals.Hangup hangup = new Signals.Hangup();
    AtomicInteger reloads = new AtomicInteger();
    hangup.bind(reloads::incrementAndGet);
    assertThat(reloads).hasValue(0);
  }
}
