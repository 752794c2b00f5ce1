package io.meridian.cli;

import io.meridian.demo.DemoConfigs;
import io.meridian.demo.DemoLayout;
import io.meridian.demo.SimulatedCluster;
import io.meridian.demo.WorkloadServer;
import io.meridian.promql.EngineOptions;
import io.meridian.remote.QueueManager;
import io.meridian.tsdb.TsdbOptions;
import io.meridian.util.Clock;
import io.meridian.util.PromDuration;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian demo}: the multi-cluster setup on one machine, in this one JVM. Simulated
 * clusters' workloads are served over HTTP on loopback; every role is the real one, as {@code
 * meridian server} and {@code meridian receive} run it: a server per cluster scraping its workload
 * and remote-writing to the central receiver, and a central server federating every cluster. They
 * talk to each other only over HTTP, as separate machines would; one JVM keeps the demo's memory to
 * one runtime's overhead. Prints where everything is, then a status line per cluster every few
 * seconds, until Ctrl-C or {@code --duration}; then stops every role cleanly.
 */
@Command(
    name = "demo",
    description =
        "Run the multi-cluster setup on this machine: simulated clusters, each with its own"
            + " server remote-writing to a central receiver, and a central server federating them.",
    sortOptions = false)
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
  private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final String SCRAPED = "meridian_tsdb_head_samples_appended_total";
  private static final String SENT = "meridian_remote_storage_samples_total";
  private static final String LAG = "meridian_remote_storage_lag_seconds";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--clusters", defaultValue = "3", description = "How many clusters.")
  int clusters;

  @Option(
      names = "--series-per-cluster",
      defaultValue = "5000",
      description = "About how many series each cluster's workload serves.")
  int seriesPerCluster;

  @Option(
      names = "--base-port",
      defaultValue = "0",
      description =
          "The central server's port; the receiver is on +1, cluster N's server on +10+N, its"
              + " workload on +100+N. 0 finds free ones.")
  int basePort;

  @Option(
      names = "--data-dir",
      description = "Where the roles keep their data (default: a fresh temporary directory).")
  Path dataDir;

  @Option(names = "--keep-data", description = "Keep the temporary data directory on exit.")
  boolean keepData;

  @Option(
      names = "--duration",
      defaultValue = "0s",
      description = "Stop by itself after this long (0s: run until Ctrl-C).")
  String duration;

  @Option(
      names = "--scrape-interval",
      defaultValue = "5s",
      description = "Scrape and federation interval of every role.")
  String scrapeInterval;

  @Option(
      names = "--status-interval",
      defaultValue = "5s",
      description = "How often the status lines are printed.")
  String statusInterval;

  @Option(
      names = "--pod-lifetime",
      defaultValue = "1h",
      description = "How long a simulated pod lives before it is replaced.")
  String podLifetime;

  @Option(
      names = "--storage.tsdb.min-block-duration",
      defaultValue = "30m",
      hidden = true,
      description =
          "Length of the roles' blocks. Shorter than a server's 2h so the series of replaced pods"
              + " leave the heads sooner and the demo's memory stays flat.")
  String blockDuration;

  @Option(
      names = "--tenancy",
      defaultValue = "single",
      description =
          "single: all clusters in the receiver's default tenant; per-cluster: a tenant each"
              + " (X-Scope-OrgID).")
  String tenancy;

  @Option(
      names = "--chaos",
      description =
          "Now and then stop the receiver for a while and restart a cluster's server, to watch"
              + " the backlog build and drain with nothing lost.")
  boolean chaos;

  @Option(
      names = "--chaos-period",
      defaultValue = "2m",
      description = "With --chaos: how often (the receiver stays down for half of it).")
  String chaosPeriod;

  @Option(
      names = "--write-configs",
      description = "Write the configs a user would deploy into this directory and exit.")
  Path writeConfigs;

  /** {@link #blockDuration}, parsed with the other options in {@link #call}. */
  private Duration blocks;

  @Override
  public Integer call() throws Exception {
    // The status lines are the demo's output; the roles' logs go to a file once it has a place.
    LogFormat.apply("warn", "logfmt");
    PrintWriter out = spec.commandLine().getOut();
    Duration runFor;
    Duration every;
    DemoLayout layout;
    DemoConfigs.Tenancy t;
    List<SimulatedCluster.Options> sims = new ArrayList<>();
    try {
      runFor = PromDuration.parse(duration);
      every = PromDuration.parse(statusInterval);
      if (PromDuration.parse(chaosPeriod).toMillis() < 4000) {
        throw new IllegalArgumentException("--chaos-period must be at least 4s");
      }
      PromDuration.parse(scrapeInterval);
      if (seriesPerCluster < 100) {
        throw new IllegalArgumentException("--series-per-cluster must be at least 100");
      }
      t =
          switch (tenancy) {
            case "single" -> DemoConfigs.Tenancy.SINGLE;
            case "per-cluster" -> DemoConfigs.Tenancy.PER_CLUSTER;
            default ->
                throw new IllegalArgumentException(
                    "--tenancy must be single or per-cluster, not " + tenancy);
          };
      layout = new DemoLayout(basePort == 0 ? freeBase(clusters) : basePort, clusters);
      long lifetime = PromDuration.parse(podLifetime).toMillis();
      blocks = PromDuration.parse(blockDuration);
      for (int n = 1; n <= clusters; n++) {
        sims.add(
            SimulatedCluster.Options.forSeries(
                DemoLayout.clusterName(n), seriesPerCluster, lifetime, n));
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (writeConfigs != null) {
      Path token = writeConfigs.toAbsolutePath().resolve("token");
      DemoConfigs.Settings settings =
          new DemoConfigs.Settings(layout, sims, scrapeInterval, t, token);
      for (Path p : DemoConfigs.write(settings, writeConfigs)) {
        out.println("wrote " + p);
      }
      writeToken(token);
      out.println("wrote " + token + " (the bearer token the clusters send to the receiver)");
      return 0;
    }
    boolean temporary = dataDir == null;
    Path dir = temporary ? Files.createTempDirectory("meridian-demo") : dataDir;
    Files.createDirectories(dir);
    DemoConfigs.Settings settings =
        new DemoConfigs.Settings(layout, sims, scrapeInterval, t, dir.resolve("token"));
    LogFormat.applyToFile("info", dir.resolve("meridian.log"));
    StopHook stop = StopHook.install();
    try {
      return run(settings, dir, runFor, every, stop, out);
    } finally {
      if (temporary && !keepData) {
        deleteTree(dir);
      } else {
        out.println("data kept in " + dir);
      }
      out.flush();
      stop.close();
    }
  }

  private int run(
      DemoConfigs.Settings s,
      Path dir,
      Duration runFor,
      Duration every,
      StopHook stop,
      PrintWriter out)
      throws Exception {
    DemoLayout layout = s.layout();
    Clock clock = Clock.system();
    writeToken(s.tokenFile());
    List<Path> configs = DemoConfigs.write(s, dir.resolve("configs"));
    List<WorkloadServer> workloads = new ArrayList<>();
    List<DemoRole> roles = new ArrayList<>();
    HeapKeeper.Running keeper = HeapKeeper.start();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      for (int n = 1; n <= s.clusters().size(); n++) {
        workloads.add(
            WorkloadServer.start(
                new SimulatedCluster(s.clusters().get(n - 1)), layout.workload(n), clock));
      }
      out.println(
          "starting the receiver, " + s.clusters().size() + " clusters and the central server...");
      out.flush();
      Path receiverData = dir.resolve("receiver");
      int receiverPort = layout.receiver();
      roles.add(
          new DemoRole(
              "receiver",
              receiverPort,
              () -> ReceiverRole.start(receiverSettings(receiverData, receiverPort), clock)));
      for (int n = 1; n <= s.clusters().size(); n++) {
        String name = DemoLayout.clusterName(n);
        roles.add(serverRole(name, layout.cluster(n), configs.get(n), dir.resolve(name), clock));
      }
      roles.add(
          serverRole(
              "central", layout.central(), configs.getFirst(), dir.resolve("central"), clock));
      for (DemoRole r : roles) {
        try {
          r.start();
        } catch (Exception e) {
          spec.commandLine().getErr().println("demo: " + e.getMessage());
          return 1;
        }
      }
      printWelcome(s, dir, out);
      return statusLoop(s, roles, http, runFor, every, stop, clock, out);
    } finally {
      stopAll(roles);
      workloads.forEach(WorkloadServer::close);
      keeper.close();
      out.println("stopped every role");
      out.flush();
    }
  }

  /**
   * Stops the clusters and the central server together, then the receiver, so the clusters' last
   * samples are sent while it still runs.
   */
  private static void stopAll(List<DemoRole> roles) throws InterruptedException {
    List<Thread> stopping = new ArrayList<>();
    for (DemoRole r : roles) {
      if (!r.name().equals("receiver")) {
        stopping.add(Thread.ofVirtual().name("stop-" + r.name()).start(r::stop));
      }
    }
    for (Thread t : stopping) {
      t.join();
    }
    roles.forEach(DemoRole::stop);
  }

  private DemoRole serverRole(String name, int port, Path config, Path data, Clock clock) {
    String listen = "127.0.0.1:" + port;
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("config.file", config.toString());
    flags.put("storage.tsdb.path", data.toString());
    flags.put("web.listen-address", listen);
    flags.put("web.enable-lifecycle", "true");
    ServerRole.Settings settings =
        new ServerRole.Settings(
            config,
            data,
            listen,
            "",
            tsdbOptions(),
            EngineOptions.defaults(),
            QueueManager.Options.DEFAULT,
            false,
            true,
            false,
            flags);
    return new DemoRole(name, port, () -> ServerRole.start(settings, clock));
  }

  private TsdbOptions tsdbOptions() {
    return TsdbOptions.defaults().withBlockDuration(blocks);
  }

  private ReceiverRole.Settings receiverSettings(Path data, int port) {
    String listen = "127.0.0.1:" + port;
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("storage.tsdb.path", data.toString());
    flags.put("web.listen-address", listen);
    return new ReceiverRole.Settings(
        data, listen, tsdbOptions(), "X-Scope-OrgID", "default-tenant", 0, 200_000, flags);
  }

  private static void writeToken(Path file) throws IOException {
    byte[] token = new byte[16];
    new SecureRandom().nextBytes(token);
    Files.createDirectories(file.getParent());
    Files.writeString(file, HexFormat.of().formatHex(token) + "\n", StandardCharsets.UTF_8);
  }

  private void printWelcome(DemoConfigs.Settings s, Path dir, PrintWriter out) {
    DemoLayout l = s.layout();
    out.println();
    out.println(
        "Meridian demo is running (data in "
            + dir
            + ", logs in "
            + dir.resolve("meridian.log")
            + "):");
    out.println("  central server (federates every cluster)  http://127.0.0.1:" + l.central());
    out.println("  receiver (remote write from every cluster) http://127.0.0.1:" + l.receiver());
    for (int n = 1; n <= s.clusters().size(); n++) {
      SimulatedCluster.Options c = s.clusters().get(n - 1);
      out.printf(
          Locale.ROOT,
          "  %-9s server http://127.0.0.1:%d  (%s, %d nodes, %d series; workload on :%d)%n",
          c.name(),
          l.cluster(n),
          DemoConfigs.region(n),
          c.nodes(),
          c.series(),
          l.workload(n));
    }
    String q = "'" + DemoStatus.GUIDE_QUERY.replace("'", "'\\''") + "'";
    out.println();
    out.println("Try the guide's query on both central paths:");
    out.println(
        "  curl -s http://127.0.0.1:" + l.central() + "/api/v1/query --data-urlencode query=" + q);
    out.println(
        "  curl -s http://127.0.0.1:"
            + l.receiver()
            + "/api/v1/query"
            + (s.tenancy() == DemoConfigs.Tenancy.PER_CLUSTER
                ? " -H 'X-Scope-OrgID: cluster1'"
                : "")
            + " --data-urlencode query="
            + q);
    out.println("Ctrl-C stops every role.");
    out.println();
    out.flush();
  }

  private int statusLoop(
      DemoConfigs.Settings s,
      List<DemoRole> roles,
      HttpClient http,
      Duration runFor,
      Duration every,
      StopHook stop,
      Clock clock,
      PrintWriter out)
      throws InterruptedException {
    DemoStatus status = new DemoStatus(http);
    long start = clock.millis();
    long end = runFor.isZero() ? Long.MAX_VALUE : start + runFor.toMillis();
    DemoLayout l = s.layout();
    Chaos chaosPlan = chaos ? new Chaos(PromDuration.parse(chaosPeriod).toMillis(), start) : null;
    long nextStatus = start + every.toMillis();
    while (true) {
      long next = Math.min(nextStatus, end);
      if (chaosPlan != null) {
        next = Math.min(next, chaosPlan.nextAt());
      }
      long wait = next - clock.millis();
      if (clock.millis() >= end || (wait > 0 && stop.await(Duration.ofMillis(wait)))) {
        return 0;
      }
      if (chaosPlan != null && clock.millis() >= chaosPlan.nextAt()) {
        String did = chaosPlan.step(roles);
        out.println(time(clock) + " chaos: " + did);
        out.flush();
        continue;
      }
      if (clock.millis() < nextStatus) {
        continue;
      }
      nextStatus += every.toMillis();
      String now = time(clock);
      Map<String, Double> up = status.query(l.central(), "up{job=~\"federate-.*\"}", "job");
      for (int n = 1; n <= s.clusters().size(); n++) {
        String name = DemoLayout.clusterName(n);
        Map<String, Double> m = status.metrics(l.cluster(n), Set.of(SCRAPED, SENT, LAG));
        out.printf(
            Locale.ROOT,
            "%s %-9s scraped %,12.0f  sent %,12.0f  lag %4.0fs  federation up %s%n",
            now,
            name,
            m.getOrDefault(SCRAPED, Double.NaN),
            m.getOrDefault(SENT, Double.NaN),
            m.getOrDefault(LAG, Double.NaN),
            format(up.get("federate-" + name)));
      }
      out.printf(
          Locale.ROOT,
          "%s guide query: central %s  receiver %s%n",
          now,
          status.query(l.central(), DemoStatus.GUIDE_QUERY, "cluster"),
          s.tenancy() == DemoConfigs.Tenancy.SINGLE
              ? status.query(l.receiver(), DemoStatus.GUIDE_QUERY, "cluster").toString()
              : "(per-cluster tenants: query with X-Scope-OrgID)");
      out.flush();
    }
  }

  private static String time(Clock clock) {
    return LocalTime.ofInstant(
            java.time.Instant.ofEpochMilli(clock.millis()), ZoneId.systemDefault())
        .format(HMS);
  }

  /**
   * The chaos cycle, once per period: the receiver stops; a quarter period later cluster1's server
   * restarts (its queue resumes from the saved position); at half the period the receiver comes
   * back and the clusters' backlogs drain.
   */
  private static final class Chaos {
    private final long period;
    private long cycleStart;
    private int phase; // 0: stop the receiver next, 1: restart a cluster, 2: receiver back

    Chaos(long period, long start) {
      this.period = period;
      this.cycleStart = start + period / 4;
    }

    long nextAt() {
      return cycleStart + phase * (period / 4);
    }

    String step(List<DemoRole> roles) {
      try {
        return switch (phase) {
          case 0 -> {
            find(roles, "receiver").stop();
            phase = 1;
            yield "receiver stopped; the clusters' backlogs build up (watch the lag)";
          }
          case 1 -> {
            DemoRole c = find(roles, "cluster1");
            c.stop();
            c.start();
            phase = 2;
            yield "cluster1 restarted; its queue resumes where it stopped";
          }
          default -> {
            find(roles, "receiver").start();
            phase = 0;
            cycleStart += period;
            yield "receiver back; the backlogs drain";
          }
        };
      } catch (Exception e) {
        phase = 0;
        cycleStart += period;
        return "failed: " + e.getMessage();
      }
    }

    private static DemoRole find(List<DemoRole> roles, String name) {
      return roles.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }
  }

  private static String format(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.0f", v);
  }

  /** A base port whose whole layout is free on 127.0.0.1. */
  private static int freeBase(int clusters) {
    for (int base = 19090; base + 100 + clusters < 65000; base += 200) {
      DemoLayout l = new DemoLayout(base, clusters);
      boolean free = true;
      for (int p : l.all()) {
        try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
          s.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
          break;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalArgumentException("no free ports for the demo; set --base-port");
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
