package io.meridian.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One simulated Kubernetes cluster's metrics, as its exporters would serve them: per node, a node
 * exporter's series ({@code node_cpu_seconds_total}, memory, load, filesystem, network) and the
 * series of the pods scheduled there (cAdvisor's {@code container_cpu_usage_seconds_total}, {@code
 * container_memory_usage_bytes}, ..., and kube-state-metrics' {@code kube_pod_info}, {@code
 * kube_pod_container_status_restarts_total}, ...).
 *
 * <p>Every value is a function of the time asked for, so two scrapers of the same instant read the
 * same numbers and counters only rise. Pods churn: each pod slot is replaced by a new pod (a new
 * name) every {@code podLifetime}, its slots staggered, so series come and go and staleness is
 * exercised.
 */
public final class SimulatedCluster {
  private static final String[] MODES = {
    "idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"
  };
  private static final String[] NAMESPACES = {
    "default", "kube-system", "monitoring", "payments", "storefront"
  };
  private static final String[] APPS = {
    "api", "worker", "cache", "frontend", "scheduler", "ingest", "search", "billing"
  };
  private static final String[] CONTAINERS = {"app", "sidecar"};
  private static final int CPUS = 4;

  /** Series one node's exporter serves: per-CPU modes plus 10 node-wide series. */
  static final int SERIES_PER_NODE = CPUS * MODES.length + 10;

  /** Series one pod adds: 4 per container and 2 for the pod. */
  static final int SERIES_PER_POD = CONTAINERS.length * 4 + 2;

  /**
   * The size and churn of a simulated cluster.
   *
   * @param name the cluster's name ({@code cluster1}, ...)
   * @param podLifetime how long a pod lives before it is replaced, in milliseconds
   */
  public record Options(String name, int nodes, int podsPerNode, long podLifetime, long seed) {
    public Options {
      if (nodes < 1 || podsPerNode < 0 || podLifetime <= 0) {
        throw new IllegalArgumentException(
            "a cluster needs a node, no negative pod count and a positive pod lifetime");
      }
    }

    /** Nodes and pods for about {@code series} series in all. */
    public static Options forSeries(String name, int series, long podLifetime, long seed) {
      int nodes = Math.max(1, Math.min(50, series / 1250));
      int podSeries = Math.max(0, series - nodes * SERIES_PER_NODE);
      int pods = Math.max(1, Math.round((float) podSeries / (nodes * SERIES_PER_POD)));
      return new Options(name, nodes, pods, podLifetime, seed);
    }

    /** How many series the cluster serves at any instant. */
    public int series() {
      return nodes * (SERIES_PER_NODE + podsPerNode * SERIES_PER_POD);
    }
  }

  private final Options options;

  public SimulatedCluster(Options options) {
    this.options = options;
  }

  public Options options() {
    return options;
  }

  public String name() {
    return options.name();
  }

  public String nodeName(int node) {
    return options.name() + "-node-" + node;
  }

  /** Writes node {@code node}'s exporter page at {@code t} (ms) in the text format. */
  public void writeNode(int node, long t, OutputStream out) throws IOException {
    Page p = new Page();
    double up = (t - bootTime(node)) / 1000.0;
    p.type("node_cpu_seconds_total", "counter");
    for (int cpu = 0; cpu < CPUS; cpu++) {
      for (int m = 0; m < MODES.length; m++) {
        double share = m == 0 ? 0.6 : 0.4 / (MODES.length - 1) * (1 + 0.1 * ((node + cpu) % 3));
        p.sample(
            "node_cpu_seconds_total", up * share, "cpu", Integer.toString(cpu), "mode", MODES[m]);
      }
    }
    long total = (16L + 16L * (node % 4)) << 30;
    p.type("node_memory_MemTotal_bytes", "gauge");
    p.sample("node_memory_MemTotal_bytes", (double) total);
    p.type("node_memory_MemAvailable_bytes", "gauge");
    p.sample("node_memory_MemAvailable_bytes", total * (0.4 + 0.2 * wave(t, 600_000, node)));
    for (String w : List.of("1", "5", "15")) {
      p.type("node_load" + w, "gauge");
      p.sample("node_load" + w, CPUS * (0.5 + 0.3 * wave(t, 300_000L * Integer.parseInt(w), node)));
    }
    p.type("node_filesystem_avail_bytes", "gauge");
    p.sample(
        "node_filesystem_avail_bytes", 40e9 + 1e9 * wave(t, 3_600_000, node), "mountpoint", "/");
    p.sample("node_filesystem_avail_bytes", 200e9 - 1e6 * up / 60, "mountpoint", "/var");
    p.type("node_network_receive_bytes_total", "counter");
    p.sample("node_network_receive_bytes_total", up * 2.5e6, "device", "eth0");
    p.type("node_network_transmit_bytes_total", "counter");
    p.sample("node_network_transmit_bytes_total", up * 1.5e6, "device", "eth0");
    p.type("node_boot_time_seconds", "gauge");
    p.sample("node_boot_time_seconds", bootTime(node) / 1000.0);
    p.writeTo(out);
  }

  /** Writes the series of the pods on node {@code node} at {@code t} (ms). */
  public void writePods(int node, long t, OutputStream out) throws IOException {
    Page p = new Page();
    int slots = options.podsPerNode();
    p.type("container_cpu_usage_seconds_total", "counter");
    for (int s = 0; s < slots; s++) {
      Pod pod = pod(node, s, t);
      double age = (t - pod.start) / 1000.0;
      for (int c = 0; c < CONTAINERS.length; c++) {
        double cores = 0.002 + 0.03 * ((pod.hash >>> (c * 8)) & 0xff) / 255.0;
        container(p, "container_cpu_usage_seconds_total", age * cores, pod, c);
      }
    }
    for (String metric :
        List.of("container_memory_usage_bytes", "container_memory_working_set_bytes")) {
      p.type(metric, "gauge");
      for (int s = 0; s < slots; s++) {
        Pod pod = pod(node, s, t);
        for (int c = 0; c < CONTAINERS.length; c++) {
          double base = (64 + ((pod.hash >>> (c * 8 + 4)) & 0x3ff)) * 1048576.0;
          double v = base * (1 + 0.2 * wave(t, 120_000, s + c));
          container(p, metric, metric.contains("working") ? v * 0.8 : v, pod, c);
        }
      }
    }
    p.type("kube_pod_container_status_restarts_total", "counter");
    for (int s = 0; s < slots; s++) {
      Pod pod = pod(node, s, t);
      for (int c = 0; c < CONTAINERS.length; c++) {
        // One container in seven crash-loops now and then.
        long every = (pod.hash & 7) == c ? 90_000 : Long.MAX_VALUE;
        double restarts = every == Long.MAX_VALUE ? 0 : Math.floorDiv(t - pod.start, every);
        container(p, "kube_pod_container_status_restarts_total", restarts, pod, c);
      }
    }
    p.type("kube_pod_info", "gauge");
    for (int s = 0; s < slots; s++) {
      Pod pod = pod(node, s, t);
      p.sample(
          "kube_pod_info", 1, "namespace", pod.namespace, "pod", pod.name, "node", nodeName(node));
    }
    p.type("kube_pod_status_phase", "gauge");
    for (int s = 0; s < slots; s++) {
      Pod pod = pod(node, s, t);
      p.sample(
          "kube_pod_status_phase",
          1,
          "namespace",
          pod.namespace,
          "pod",
          pod.name,
          "phase",
          "Running");
    }
    p.writeTo(out);
  }

  /** A series of container {@code c} of {@code pod}. */
  private static void container(Page p, String metric, double v, Pod pod, int c) {
    p.sample(metric, v, "namespace", pod.namespace, "pod", pod.name, "container", CONTAINERS[c]);
  }

  /** The pod in slot {@code slot} of {@code node} at {@code t}: its generation names it. */
  Pod pod(int node, int slot, long t) {
    long life = options.podLifetime();
    // Slots are staggered so pods are replaced one at a time, not all at once.
    long offset = Math.floorMod(mix(options.seed() ^ node * 7919L ^ slot * 104729L), life);
    long generation = Math.floorDiv(t + offset, life);
    long start = generation * life - offset;
    long h = mix(options.seed() * 31 + node * 1_000_003L + slot * 7_919L + generation * 104_729L);
    String app = APPS[slot % APPS.length];
    String namespace = NAMESPACES[(slot / APPS.length + node) % NAMESPACES.length];
    String name =
        app
            + "-"
            + Integer.toString(slot / APPS.length, 36)
            + "-"
            + Long.toString(h & 0xffffffL, 36)
            + Integer.toString(node, 36);
    return new Pod(namespace, name, start, h);
  }

  record Pod(String namespace, String name, long start, long hash) {}

  private long bootTime(int node) {
    return 1_700_000_000_000L + Math.floorMod(mix(options.seed() + node), 86_400_000L);
  }

  /** A slow wave in [0, 1] with the given period, phase-shifted by {@code k}. */
  private static double wave(long t, long period, int k) {
    return 0.5 + 0.5 * Math.sin(2 * Math.PI * ((t + k * 7_001L) % period) / period);
  }

  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x;
  }

  /** A page of the text format being written. */
  private static final class Page {
    private final StringBuilder b = new StringBuilder(16 * 1024);

    void type(String name, String type) {
      b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    void sample(String name, double v, String... labels) {
      b.append(name);
      if (labels.length > 0) {
        b.append('{');
        for (int i = 0; i < labels.length; i += 2) {
          if (i > 0) {
            b.append(',');
          }
          b.append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
        }
        b.append('}');
      }
      b.append(' ');
      if (v == Math.rint(v) && Math.abs(v) < 1e15) {
        b.append((long) v);
      } else {
        b.append(v);
      }
      b.append('\n');
    }

    void writeTo(OutputStream out) throws IOException {
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
