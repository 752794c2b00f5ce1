package io.meridian.demo;

/**
 * Where each role of the demo listens, from one base port, so users can rely on it: the central
 * server on {@code P}, the receiver on {@code P+1}, cluster N's server on {@code P+10+N} and its
 * simulated workload on {@code P+100+N}. Everything listens on 127.0.0.1 only.
 */
public record DemoLayout(int basePort, int clusters) {
  /** The most clusters the layout has room for. */
  public static final int MAX_CLUSTERS = 89;

  public DemoLayout {
    if (clusters < 1 || clusters > MAX_CLUSTERS) {
      throw new IllegalArgumentException(
          "--clusters must be between 1 and " + MAX_CLUSTERS + ", not " + clusters);
    }
    if (basePort < 1 || basePort + 100 + clusters > 65535) {
      throw new IllegalArgumentException(
          "--base-port " + basePort + " leaves no room for " + clusters + " clusters below 65536");
    }
  }

  public int central() {
    return basePort;
  }

  public int receiver() {
    return basePort + 1;
  }

  /** Cluster {@code n}'s server (clusters count from 1). */
  public int cluster(int n) {
    return basePort + 10 + n;
  }

  /** Cluster {@code n}'s simulated workload. */
  public int workload(int n) {
    return basePort + 100 + n;
  }

  /** Every port the demo uses, central first. */
  public int[] all() {
    int[] out = new int[2 + 2 * clusters];
    out[0] = central();
    out[1] = receiver();
    for (int n = 1; n <= clusters; n++) {
      out[2 * n] = cluster(n);
      out[2 * n + 1] = workload(n);
    }
    return out;
  }

  public static String clusterName(int n) {
    return "cluster" + n;
  }
}
