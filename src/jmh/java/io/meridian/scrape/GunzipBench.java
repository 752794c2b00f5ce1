package io.meridian.scrape;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Inflating a gzip scrape body (1,000 Kubernetes-like series, ~160 KB of text) with libdeflate and
 * with the JDK's zlib. Score: µs per body. Run: {@code ./dev bench GunzipBench -f 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GunzipBench {
  @Param({"libdeflate", "jdk"})
  String inflater;

  private Gunzip gunzip;
  private byte[] body;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    gunzip = new Gunzip(inflater.equals("jdk") ? Optional.empty() : Libdeflate.system());
    if (inflater.equals("libdeflate") && Libdeflate.system().isEmpty()) {
      throw new IllegalStateException("libdeflate is not on this system");
    }
    SplittableRandom r = new SplittableRandom(3);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      text.append("container_cpu_usage_seconds_total{container=\"istio-proxy\",image=\"registry.")
          .append("local/istio/proxyv2:1.")
          .append(i % 20)
          .append(".0\",namespace=\"ns")
          .append(i % 7)
          .append("\",node=\"node-1-000\",pod=\"web-")
          .append(Long.toString(r.nextLong(1L << 40), 36))
          .append("\"} ")
          .append(r.nextDouble() * 1e5)
          .append('\n');
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }
    body = out.toByteArray();
  }

  @Benchmark
  public int inflate() throws IOException {
    byte[] in = BodyBuffers.SHARED.take(body.length);
    System.arraycopy(body, 0, in, 0, body.length);
    Gunzip.Inflated b = gunzip.inflate(in, body.length, 0);
    BodyBuffers.SHARED.give(b.bytes());
    return b.length();
  }
}
