package io.meridian.cli;

import java.lang.reflect.Proxy;

/**
 * SIGHUP, on which Prometheus reloads its configuration: unit files and {@code kill -HUP} rely on
 * it. The JDK handles signals only through {@code sun.misc.Signal} (module {@code
 * jdk.unsupported}); javac's warning on that API cannot be suppressed and the build treats warnings
 * as errors, so it is reached by name here. Where it is missing, reload is still there through
 * {@code /-/reload}.
 */
final class Signals {
  private Signals() {}

  /** Runs {@code action} on a fresh thread on every SIGHUP; false if HUP cannot be handled here. */
  static boolean onHangup(Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object hup = signal.getConstructor(String.class).newInstance("HUP");
      Object onSignal =
          Proxy.newProxyInstance(
              Signals.class.getClassLoader(),
              new Class<?>[] {handler},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "handle" -> Thread.ofVirtual().name("sighup").start(action);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" ->
                        args[0] != null
                            && System.identityHashCode(args[0]) == System.identityHashCode(proxy);
                    default -> "SIGHUP handler";
                  });
      signal.getMethod("handle", signal, handler).invoke(null, hup, onSignal);
      return true;
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      return false;
    }
  }
}
