package io.meridian.cli;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SIGHUP, on which Prometheus reloads its configuration: unit files and {@code kill -HUP} rely on
 * it. The JDK handles signals only through {@code sun.misc.Signal} (module {@code
 * jdk.unsupported}); javac's warning on that API cannot be suppressed and the build treats warnings
 * as errors, so it is reached by name here. Where it is missing, reload is still there through
 * {@code /-/reload}.
 */
final class Signals {
  private Signals() {}

  /**
   * A SIGHUP handler installed before what it reloads exists, so a hangup while a role starts is
   * neither lost nor left to the JVM (whose own handler would stop the process): kept until {@link
   * #bind}, then run once. A server answers {@code /-/ready} from inside its start, before it could
   * be handed to a handler.
   */
  static final class Hangup {
    private final AtomicReference<Runnable> action = new AtomicReference<>();
    private final AtomicBoolean pending = new AtomicBoolean();

    Hangup() {}

    /** Installs the handler now; hangups before {@link #bind} wait for it. */
    static Hangup install() {
      Hangup h = new Hangup();
      onHangup(h::signalled);
      return h;
    }

    /** From now on a hangup runs {@code reload}; one that came before runs now, on this thread. */
    void bind(Runnable reload) {
      action.set(reload);
      runIfBound();
    }

    void signalled() {
      pending.set(true);
      runIfBound();
    }

    private void runIfBound() {
      Runnable a = action.get();
      if (a != null && pending.getAndSet(false)) {
        a.run();
      }
    }
  }

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
