package io.meridian.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Takes what one class logs away from the console while open, for tests that expect a warning
 * (tests stay quiet) and want to assert what it said.
 */
public final class CapturedLogs implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private CapturedLogs(Class<?> source) {
    logger = (Logger) LoggerFactory.getLogger(source);
    appender.start();
    logger.addAppender(appender);
    logger.setAdditive(false);
  }

  /** Captures the logs of {@code source} until closed. */
  public static CapturedLogs of(Class<?> source) {
    return new CapturedLogs(source);
  }

  /** The messages logged so far, formatted, in order. */
  public List<String> messages() {
    // AppenderBase appends under the appender's own lock.
    synchronized (appender) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setAdditive(true);
    appender.stop();
  }
}
