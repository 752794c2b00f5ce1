package io.meridian.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.meridian.exposition.TextWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * {@code --log.level} and {@code --log.format} as Prometheus has them: levels {@code debug}, {@code
 * info}, {@code warn}, {@code error}; lines on stderr in {@code logfmt} ({@code ts=... level=info
 * component=... msg="..."}) or {@code json} (one object a line with the same keys), so log
 * pipelines built for Prometheus read Meridian's lines too.
 */
final class LogFormat extends LayoutBase<ILoggingEvent> {
  private static final JsonFactory JSON = new JsonFactory();

  private final boolean json;

  private LogFormat(boolean json) {
    this.json = json;
  }

  /**
   * Sets the root level and the line format of the console.
   *
   * @throws IllegalArgumentException naming the flag, for a value Prometheus does not take
   */
  static void apply(String level, String format) {
    apply(level, format, null);
  }

  /**
   * Sets the root level and writes the lines to {@code file} (appended) instead of the console; for
   * a command whose terminal output is its own (the demo's status lines).
   */
  static void applyToFile(String level, java.nio.file.Path file) {
    apply(level, "logfmt", file);
  }

  private static void apply(String level, String format, java.nio.file.Path file) {
    Level lvl =
        switch (level) {
          case "debug" -> Level.DEBUG;
          case "info" -> Level.INFO;
          case "warn" -> Level.WARN;
          case "error" -> Level.ERROR;
          default ->
              throw new IllegalArgumentException(
                  "--log.level: unrecognized log level \""
                      + level
                      + "\" (one of debug, info, warn, error)");
        };
    boolean asJson =
        switch (format) {
          case "logfmt" -> false;
          case "json" -> true;
          default ->
              throw new IllegalArgumentException(
                  "--log.format: unrecognized log format \"" + format + "\" (logfmt or json)");
        };
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      configure(ctx, lvl, asJson, file);
    }
  }

  /**
   * Sends {@code ctx}'s lines at {@code lvl} and above to stderr, or to {@code file} if not null.
   */
  static void configure(LoggerContext ctx, Level lvl, boolean asJson, java.nio.file.Path file) {
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(lvl);
    LogFormat layout = new LogFormat(asJson);
    layout.setContext(ctx);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(ctx);
    encoder.setLayout(layout);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> out;
    if (file == null) {
      ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
      console.setName("STDERR");
      console.setTarget("System.err");
      out = console;
    } else {
      FileAppender<ILoggingEvent> toFile = new FileAppender<>();
      toFile.setName("FILE");
      toFile.setFile(file.toString());
      toFile.setAppend(true);
      out = toFile;
    }
    out.setContext(ctx);
    out.setEncoder(encoder);
    out.start();
    root.detachAndStopAllAppenders();
    root.addAppender(out);
  }

  @Override
  public String doLayout(ILoggingEvent e) {
    String ts = Instant.ofEpochMilli(e.getTimeStamp()).toString();
    String level = e.getLevel().toString().toLowerCase(Locale.ROOT);
    String component = e.getLoggerName().substring(e.getLoggerName().lastIndexOf('.') + 1);
    String msg = e.getFormattedMessage();
    IThrowableProxy t = e.getThrowableProxy();
    String err = t == null ? null : t.getClassName() + ": " + t.getMessage();
    return json ? json(ts, level, component, msg, err) : logfmt(ts, level, component, msg, err);
  }

  private static String logfmt(String ts, String level, String component, String msg, String err) {
    StringBuilder b = new StringBuilder(96 + msg.length());
    b.append("ts=").append(ts).append(" level=").append(level);
    b.append(" component=").append(component).append(" msg=");
    TextWriter.quote(b, msg);
    if (err != null) {
      b.append(" err=");
      TextWriter.quote(b, err);
    }
    return b.append('\n').toString();
  }

  private static String json(String ts, String level, String component, String msg, String err) {
    StringWriter w = new StringWriter(128 + msg.length());
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("ts", ts);
      g.writeStringField("level", level);
      g.writeStringField("component", component);
      g.writeStringField("msg", msg);
      if (err != null) {
        g.writeStringField("err", err);
      }
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return w.append('\n').toString();
  }
}
