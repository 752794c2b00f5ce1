package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.model.StaleNaN;
import io.meridian.storage.Appender;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.ReferenceStorage;
import io.meridian.testing.ManualClock;
import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import io.meridian.tsdb.Tsdb;
import io.meridian.tsdb.TsdbOptions;
import io.meridian.tsdb.block.BlockMeta;
import io.meridian.tsdb.block.BlockWriter;
import io.meridian.util.GoFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks cross between Meridian and Debian's promtool 2.42 both ways, and {@code meridian tsdb
 * list|dump} print what {@code promtool tsdb list|dump} print.
 */
@ExtendWith(SeededRandomExtension.class)
class TsdbToolsIT {
  @TempDir Path dir;

  private static void requirePromtool() {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/promtool")),
        "Debian's promtool is not installed (.ci/run installs the prometheus package)");
  }

  private static String promtool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("promtool"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool %s: %s", args, err).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  private static String meridian(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    assertThat(code).as("meridian %s: %s", List.of(args), err).isZero();
    return out.toString();
  }

  @Test
  void promtoolReadsMeridianBlocksWithTheSamplesPutIn(SeededRandom random) throws Exception {
    requirePromtool();
    ReferenceStorage store = new ReferenceStorage();
    Map<String, List<String>> expected = new TreeMap<>();
    long start = 1_700_000_000_000L;
    Appender app = store.appender();
    List<Labels> series = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      series.add(
          Labels.of(
              "__name__", random.pick("cpu_seconds_total", "mem_bytes", "up"),
              "pod", "pod-" + i,
              "namespace", random.pick("default", "kube-system", "monitoring"),
              "note", random.nextUnicode(1, 4)));
    }
    double[] special = {Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e-7, 1234567.0};
    for (Labels l : series) {
      List<String> lines = new ArrayList<>();
      double v = random.nextInt(1000);
      int n = random.nextInt(1, 400);
      long t = start;
      for (int k = 0; k < n; k++) {
        t += 15_000 + random.nextInt(-100, 100);
        v =
            switch (random.nextInt(8)) {
              case 0 -> special[random.nextInt(special.length)];
              case 1 -> StaleNaN.VALUE;
              default -> (Double.isFinite(v) ? Math.abs(v) : 100) + random.nextDouble() * 10;
            };
        app.append(l, t, v);
        lines.add(l + " " + GoFormat.g(v) + " " + t);
      }
      expected.put(l.toString(), lines);
    }
    app.commit();
    BlockMeta meta;
    try (ChunkQuerier q = store.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      meta =
          new BlockWriter(dir, new ManualClock(start))
              .write(q, start, start + 7_200_000, 1, List.of());
    }
    Files.createDirectories(dir.resolve("wal")); // promtool dump insists on one

    String list = promtool("tsdb", "list", dir.toString());
    assertThat(list)
        .contains(meta.ulid().value())
        .containsPattern(
            meta.ulid()
                + " +"
                + start
                + " +"
                + (start + 7_200_000)
                + " +2h0m0s +"
                + meta.numSamples()
                + " +"
                + meta.numChunks()
                + " +40 ");
    assertThat(meridian("tsdb", "list", dir.toString())).isEqualTo(list);

    String dump = promtool("tsdb", "dump", dir.toString());
    List<String> want = new ArrayList<>();
    expected.values().forEach(want::addAll);
    // promtool sorts series by labels in byte order; compare as sets of lines per series order.
    assertThat(dump.lines().toList()).containsExactlyInAnyOrderElementsOf(want);
    assertThat(meridian("tsdb", "dump", dir.toString())).isEqualTo(dump);
  }

  @Test
  void meridianReadsPromtoolBlocksAsPromtoolDoes() throws Exception {
    requirePromtool();
    StringBuilder om = new StringBuilder();
    om.append("# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\n");
    long t0 = 1_700_000_000L;
    for (int i = 0; i < 500; i++) {
      for (String code : List.of("200", "404", "500")) {
        om.append("http_requests_total{code=\"")
            .append(code)
            .append("\",path=\"/api/v")
            .append(i % 3)
            .append("\"} ")
            .append(i * 3 + code.length() + i * 0.125)
            .append(' ')
            .append(t0 + i * 15L)
            .append('\n');
      }
    }
    om.append("# TYPE temp gauge\n");
    for (int i = 0; i < 300; i++) {
      om.append("temp{room=\"a\\\"b\"} ")
          .append(Math.sin(i) * 1e7)
          .append(' ')
          .append(t0 + i * 30L);
      om.append('\n');
    }
    om.append("# EOF\n");
    Path file = dir.resolve("in.om");
    Files.writeString(file, om);
    Path data = Files.createDirectories(dir.resolve("data"));
    promtool("tsdb", "create-blocks-from", "openmetrics", file.toString(), data.toString());
    Files.createDirectories(data.resolve("wal"));

    assertThat(meridian("tsdb", "list", data.toString()))
        .isEqualTo(promtool("tsdb", "list", data.toString()));
    String all = promtool("tsdb", "dump", data.toString());
    assertThat(all.lines().count()).isEqualTo(1800);
    assertThat(meridian("tsdb", "dump", data.toString())).isEqualTo(all);
    String[] window = {
      "--min-time=" + (t0 * 1000 + 1_000_000), "--max-time=" + (t0 * 1000 + 2_000_000)
    };
    assertThat(meridian("tsdb", "dump", window[0], window[1], data.toString()))
        .isEqualTo(promtool("tsdb", "dump", window[0], window[1], data.toString()));
    String match = "--match=http_requests_total{code=~\"4..|5..\",path!=\"/api/v1\"}";
    assertThat(meridian("tsdb", "dump", match, data.toString()))
        .isEqualTo(promtool("tsdb", "dump", match, data.toString()))
        .isNotEmpty();
  }

  @Test
  void promtoolHonoursMeridianTombstones() throws Exception {
    requirePromtool();
    Path data = dir.resolve("data");
    long t0 = 1_700_000_000_000L / 7_200_000 * 7_200_000;
    try (Tsdb db = Tsdb.open(data, TsdbOptions.defaults(), new ManualClock(t0))) {
      Appender app = db.appender();
      for (long t = t0; t < t0 + 5 * 3_600_000L; t += 15_000) {
        for (int i = 0; i < 3; i++) {
          app.append(
              Labels.of("__name__", "m", "i", Integer.toString(i)), t, (double) (t % 1000 + i));
        }
      }
      app.commit();
      db.compact();
      assertThat(db.blocks()).hasSize(1);
      // Part of one series and all of another, in the block and in the head.
      db.delete(t0 + 1_000_001, t0 + 9_000_000, List.of(Matcher.equal("i", "1")));
      db.delete(Long.MIN_VALUE, Long.MAX_VALUE, List.of(Matcher.equal("i", "2")));
    }
    String ours = meridian("tsdb", "dump", data.toString());
    assertThat(ours).doesNotContain("i=\"2\"").contains("i=\"1\"");
    long one = ours.lines().filter(l -> l.contains("i=\"1\"")).count();
    long zero = ours.lines().filter(l -> l.contains("i=\"0\"")).count();
    assertThat(zero - one).isEqualTo((9_000_000 - 1_000_015) / 15_000 + 1);
    assertThat(promtool("tsdb", "dump", data.toString())).isEqualTo(ours);
  }
}
