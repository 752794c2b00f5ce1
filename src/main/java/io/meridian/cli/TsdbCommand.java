package io.meridian.cli;

import io.meridian.model.Matcher;
import io.meridian.promql.parser.SeriesSelector;
import io.meridian.storage.Querier;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import io.meridian.tsdb.DbReader;
import io.meridian.tsdb.block.Block;
import io.meridian.tsdb.block.BlockMeta;
import io.meridian.util.GoFormat;
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
    subcommands = {TsdbCommand.ListBlocks.class, TsdbCommand.Dump.class})
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
        SeriesSet set = q.select(true, SelectHints.range(minTime, maxTime), matchers);
        SampleIterator it = null;
        while (set.next()) {
          String labels = set.at().labels().toString();
          it = set.at().iterator(it);
          while (it.next()) {
            out.write(labels);
            out.write(' ');
            out.write(GoFormat.g(it.v()));
            out.write(' ');
            out.write(Long.toString(it.t()));
            out.write('\n');
          }
        }
      }
      out.flush();
      return 0;
    }
  }
}
