package io.meridian.cli;

import io.meridian.exposition.ParseException;
import io.meridian.model.Matcher;
import io.meridian.promql.parser.SeriesSelector;
import io.meridian.storage.Querier;
import io.meridian.tsdb.Backfill;
import io.meridian.tsdb.DbReader;
import io.meridian.tsdb.SampleDump;
import io.meridian.tsdb.block.Block;
import io.meridian.tsdb.block.BlockMeta;
import io.meridian.util.Clock;
import io.meridian.util.GoFormat;
import io.meridian.util.PromDuration;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code meridian tsdb ...}: promtool's TSDB tools, with promtool's output formats. */
@Command(
    name = "tsdb",
    description = "Inspect a data directory, as promtool tsdb does.",
    subcommands = {TsdbCommand.ListBlocks.class, TsdbCommand.Dump.class, TsdbCommand.Import.class})
final class TsdbCommand {

  @Command(name = "list", description = "List the blocks of a data directory.")
  static final class ListBlocks implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", defaultValue = "data/", description = "Data directory.")
    Path dir;

    @Override
    public Integer call() throws IOException {
      try (DbReader db = DbReader.open(dir)) {
        List<String[]> rows = new ArrayList<>();
        rows.add(
            new String[] {
              "BLOCK ULID",
              "MIN TIME",
              "MAX TIME",
              "DURATION",
              "NUM SAMPLES",
              "NUM CHUNKS",
              "NUM SERIES",
              "SIZE"
            });
        for (Block b : db.blocks()) {
          BlockMeta m = b.meta();
          rows.add(
              new String[] {
                m.ulid().value(),
                Long.toString(m.minTime()),
                Long.toString(m.maxTime()),
                GoFormat.duration(m.maxTime() - m.minTime()),
                Long.toString(m.numSamples()),
                Long.toString(m.numChunks()),
                Long.toString(m.numSeries()),
                Long.toString(size(b.dir()))
              });
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(TabWriter.format(rows, 13, 2));
        out.flush();
      }
      return 0;
    }

    /** What Prometheus counts as a block's size: chunks, index, tombstones and meta.json. */
    private static long size(Path blockDir) throws IOException {
      try (Stream<Path> files = Files.walk(blockDir)) {
        return files
            .filter(Files::isRegularFile)
            .mapToLong(p -> {
              try {
                return Files.size(p);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
            .sum();
      }
    }
  }

  @Command(name = "dump", description = "Print the samples of a data directory.")
  static final class Dump implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", defaultValue = "data/", description = "Data directory.")
    Path dir;

    @Option(names = "--min-time", description = "Minimum timestamp, ms (default: the earliest).")
    long minTime = Long.MIN_VALUE;

    @Option(names = "--max-time", description = "Maximum timestamp, ms (default: the latest).")
    long maxTime = Long.MAX_VALUE;

    @Option(names = "--match", description = "Series selector (default: every series).")
    String match;

    @Override
    public Integer call() throws IOException {
      List<Matcher> matchers;
      try {
        matchers = match == null ? List.of() : SeriesSelector.parse(match);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--match: " + e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      try (DbReader db = DbReader.open(dir);
          Querier q = db.querier(minTime, maxTime)) {
        SampleDump.write(q, matchers, minTime, maxTime, out);
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "import",
      description = "Write blocks from a file, as promtool tsdb create-blocks-from does.",
      subcommands = {TsdbCommand.ImportOpenMetrics.class})
  static final class Import {}

  @Command(name = "openmetrics", description = "Write blocks from an OpenMetrics text file.")
  static final class ImportOpenMetrics implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "OpenMetrics file; every sample needs a timestamp.")
    Path file;

    @Parameters(index = "1", defaultValue = "data/", description = "Output data directory.")
    Path dir;

    @Option(
        names = "--block-duration",
        defaultValue = "2h",
        description = "Length of the blocks written (Prometheus duration).")
    String blockDuration;

    @Override
    @SuppressWarnings("SystemConsoleNull") // null-checked, then isTerminal() decides
    public Integer call() throws IOException {
      long range;
      try {
        range = PromDuration.parse(blockDuration).toMillis();
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--block-duration: " + e.getMessage());
      }
      if (range <= 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--block-duration must be > 0");
      }
      Clock clock = Clock.system();
      long start = clock.nanos();
      PrintWriter err = spec.commandLine().getErr();
      java.io.Console console = System.console();
      boolean terminal = console != null && console.isTerminal();
      Backfill.Progress progress =
          new Backfill.Progress() {
            @Override
            public void scanned(long samples, long minTime, long maxTime) {
              if (terminal) {
                err.printf("\rchecked %d samples from %d to %d", samples, minTime, maxTime);
                err.flush();
              }
            }

            @Override
            public void blockWritten(BlockMeta meta, int done, int total) {
              if (terminal) {
                err.printf(
                    "\rwriting blocks: %d/%d (%d%%), last %s with %d series        ",
                    done, total, done * 100 / total, meta.ulid(), meta.numSeries());
                err.flush();
              }
            }
          };
      Backfill.Result r;
      try {
        r = new Backfill(clock, range).importOpenMetrics(file, dir, progress);
      } catch (ParseException e) {
        err.println((terminal ? "\n" : "") + "meridian: " + file + ": " + e.getMessage());
        err.flush();
        return 1;
      }
      if (terminal) {
        err.println();
      }
      double secs = (clock.nanos() - start) / 1e9;
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "imported %d series, %d samples into %d blocks in %.1f s%s%n",
          r.series(),
          r.samples(),
          r.blocks().size(),
          secs,
          r.rejected() > 0 ? " (" + r.rejected() + " samples out of order, skipped)" : "");
      out.flush();
      return 0;
    }
  }
}
