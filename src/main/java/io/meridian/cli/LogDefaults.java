package io.meridian.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration until the command line is read: Prometheus's logfmt lines at info on
 * stderr, as {@link LogFormat} writes them. Logback finds it through {@code META-INF/services}, in
 * place of a {@code logback.xml}: reading one loaded some 500 classes (the JDK's XML parser and
 * logback's configuration model), a few MiB of every process's metaspace for two settings.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogDefaults extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext ctx) {
    LogFormat.configure(ctx, Level.INFO, false, null);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
