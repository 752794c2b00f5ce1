package io.meridian.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code promtool query}, as a user would ask two servers the same question: answers as
 * sorted lines {@code labels => t v, t v, ...}, values rounded to 12 significant digits (servers
 * may add a sum's terms in another order), so two servers' answers compare with {@code equals}.
 */
public final class Promtool {
  public static final Path BINARY = Path.of("/usr/bin/promtool");

  private Promtool() {}

  /** Skips the calling test with a clear message when promtool is not installed. */
  public static void assumeInstalled() {
    assumeTrue(Files.isExecutable(BINARY), "promtool is not installed (package prometheus)");
  }

  public static List<String> instant(int port, String q, double at) throws Exception {
    return answer(
        run("query", "instant", "-o", "json", "--time=" + at, "http://127.0.0.1:" + port, q));
  }

  public static List<String> range(int port, String q, double start, double end, String step)
      throws Exception {
    return answer(
        run(
            "query",
            "range",
            "-o",
            "json",
            "--start=" + start,
            "--end=" + end,
            "--step=" + step,
            "http://127.0.0.1:" + port,
            q));
  }

  private static List<String> answer(String json) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode series : new ObjectMapper().readTree(json)) {
      StringBuilder b = new StringBuilder(series.path("metric").toString()).append(" =>");
      Iterable<JsonNode> all =
          series.has("value") ? List.of(series.get("value")) : series.path("values");
      for (JsonNode p : all) {
        double v = Double.parseDouble(p.get(1).asText());
        b.append(' ')
            .append(p.get(0).asText())
            .append(' ')
            .append(String.format(java.util.Locale.ROOT, "%.12g", v));
      }
      out.add(b.toString());
    }
    return out.stream().sorted().toList();
  }

  private static String run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(BINARY.toString());
    cmd.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
    assertThat(out).as("%s", cmd).startsWith("[");
    return out;
  }
}
