package io.meridian.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds free TCP ports on 127.0.0.1 for servers a test starts. */
public final class FreePort {
  private FreePort() {}

  /**
   * A port that was free a moment ago on the loopback address. Another process may take it before
   * the caller binds; servers that can bind to port 0 themselves should do that instead.
   */
  public static int pick() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }
}
