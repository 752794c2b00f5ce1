package io.meridian.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The configuration files of the demo's setup, as a user would deploy them: per cluster a {@code
 * prometheus.yml} that scrapes the cluster's workloads under the jobs {@code kubernetes-nodes} and
 * {@code kubernetes-pods}, labels everything with its cluster and region, and remote-writes the
 * guide's two container metrics to the receiver; and the central server's, which federates both
 * jobs from every cluster with the guide's federation job. Written as text, field by field, so they
 * read like the guide's.
 */
public final class DemoConfigs {
  /** The regions clusters are spread over, in turn. */
  static final List<String> REGIONS = List.of("eu-west-1", "us-east-1", "ap-southeast-1");

  /** How single-tenant or per-cluster tenants reach the receiver. */
  public enum Tenancy {
    SINGLE,
    PER_CLUSTER
  }

  /**
   * What the configs are made from.
   *
   * @param scrapeInterval as a Prometheus duration ({@code 15s})
   * @param tokenFile the bearer token file the clusters send to the receiver
   */
  public record Settings(
      DemoLayout layout,
      List<SimulatedCluster.Options> clusters,
      String scrapeInterval,
      Tenancy tenancy,
      Path tokenFile) {}

  private DemoConfigs() {}

  public static String region(int n) {
    return REGIONS.get((n - 1) % REGIONS.size());
  }

  /** Cluster {@code n}'s config (clusters count from 1). */
  public static String cluster(Settings s, int n) {
    SimulatedCluster.Options c = s.clusters().get(n - 1);
    String workload = "127.0.0.1:" + s.layout().workload(n);
    StringBuilder b = new StringBuilder();
    b.append("# ")
        .append(c.name())
        .append("'s cluster-local server: scrapes the cluster, keeps its data, remote-writes\n")
        .append("# the guide's container metrics to the central receiver.\n")
        .append("global:\n")
        .append("  scrape_interval: ")
        .append(s.scrapeInterval())
        .append('\n')
        .append("  external_labels:\n")
        .append("    cluster: ")
        .append(c.name())
        .append('\n')
        .append("    region: ")
        .append(region(n))
        .append('\n')
        .append("scrape_configs:\n");
    job(b, "kubernetes-nodes", "node", workload, c);
    job(b, "kubernetes-pods", "pods", workload, c);
    b.append("remote_write:\n")
        .append("- url: http://127.0.0.1:")
        .append(s.layout().receiver())
        .append("/api/v1/receive\n")
        .append("  bearer_token_file: ")
        .append(s.tokenFile())
        .append('\n');
    if (s.tenancy() == Tenancy.PER_CLUSTER) {
      b.append("  headers:\n    X-Scope-OrgID: ").append(c.name()).append('\n');
    }
    b.append("  queue_config:\n")
        .append("    max_shards: 10\n")
        .append("  write_relabel_configs:\n")
        .append("  - source_labels: [__name__]\n")
        .append("    regex: 'container_cpu_usage_seconds_total|container_memory_usage_bytes'\n")
        .append("    action: keep\n");
    return b.toString();
  }

  private static void job(
      StringBuilder b, String job, String kind, String workload, SimulatedCluster.Options c) {
    // One target per node, each with its own path; the instance names the node.
    b.append("- job_name: ").append(job).append('\n');
    b.append("  static_configs:\n");
    for (int node = 0; node < c.nodes(); node++) {
      b.append("  - targets: ['")
          .append(workload)
          .append("']\n")
          .append("    labels:\n")
          .append("      __metrics_path__: /")
          .append(kind)
          .append('/')
          .append(node)
          .append("/metrics\n")
          .append("      instance: ")
          .append(c.name())
          .append("-node-")
          .append(node)
          .append('\n');
    }
  }

  /** The central server's config: the guide's federation job for every cluster. */
  public static String central(Settings s) {
    StringBuilder b = new StringBuilder();
    b.append("# The central server: federates the two jobs from every cluster.\n")
        .append("global:\n")
        .append("  scrape_interval: ")
        .append(s.scrapeInterval())
        .append('\n')
        .append("scrape_configs:\n");
    for (int n = 1; n <= s.clusters().size(); n++) {
      b.append("- job_name: 'federate-")
          .append(s.clusters().get(n - 1).name())
          .append("'\n")
          .append("  honor_labels: true\n")
          .append("  metrics_path: '/federate'\n")
          .append("  params:\n")
          .append("    'match[]':\n")
          .append("      - '{job=\"kubernetes-nodes\"}'\n")
          .append("      - '{job=\"kubernetes-pods\"}'\n")
          .append("  static_configs:\n")
          .append("    - targets:\n")
          .append("      - '127.0.0.1:")
          .append(s.layout().cluster(n))
          .append("'\n");
    }
    return b.toString();
  }

  /** Writes every config into {@code dir}: {@code central.yml} and {@code clusterN.yml}. */
  public static List<Path> write(Settings s, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> out = new java.util.ArrayList<>();
    Path central = dir.resolve("central.yml");
    Files.writeString(central, central(s), StandardCharsets.UTF_8);
    out.add(central);
    for (int n = 1; n <= s.clusters().size(); n++) {
      Path p = dir.resolve(s.clusters().get(n - 1).name() + ".yml");
      Files.writeString(p, cluster(s, n), StandardCharsets.UTF_8);
      out.add(p);
    }
    return out;
  }
}
