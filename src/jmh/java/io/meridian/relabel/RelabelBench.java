package io.meridian.relabel;

import io.meridian.model.Labels;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Relabelling one series, as metric_relabel_configs does for every scraped sample's series, and one
 * discovered target. Run: {@code ./dev bench RelabelBench -f 1 -prof gc}; the gc profiler's {@code
 * gc.alloc.rate.norm} shows whether an unchanged series allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RelabelBench {
  private Labels series;
  private Labels target;
  private List<RelabelRule> metricRulesNoMatch;
  private List<RelabelRule> noOpReplace;
  private List<RelabelRule> addOneLabel;
  private List<RelabelRule> kubernetesPods;

  private static RelabelRule.Builder rule(RelabelAction action) {
    return RelabelRule.builder().action(action);
  }

  @Setup
  public void setup() {
    series =
        Labels.of(
            "__name__", "container_cpu_usage_seconds_total",
            "namespace", "monitoring",
            "pod", "coredns-5d78c9869d-abcde",
            "container", "coredns",
            "node", "node-17",
            "job", "kubernetes-pods",
            "instance", "10.0.17.4:9100",
            "cluster", "cluster2");
    metricRulesNoMatch =
        List.of(
            rule(RelabelAction.DROP).sourceLabels("__name__").regex("go_.*|process_.*").build(),
            rule(RelabelAction.LABELDROP).regex("pod_template_hash").build(),
            rule(RelabelAction.REPLACE)
                .sourceLabels("namespace")
                .regex("kube-(.*)")
                .targetLabel("ns_short")
                .build());
    noOpReplace =
        List.of(
            rule(RelabelAction.REPLACE).sourceLabels("job").targetLabel("job").build(),
            rule(RelabelAction.REPLACE).sourceLabels("node").targetLabel("node").build());
    addOneLabel =
        List.of(rule(RelabelAction.REPLACE).targetLabel("env").replacement("prod").build());

    target =
        Labels.of(
            "__address__", "10.132.183.40:80",
            "__meta_kubernetes_namespace", "loki-boltdb-shipper",
            "__meta_kubernetes_pod_container_name", "promtail",
            "__meta_kubernetes_pod_container_port_name", "http-metrics",
            "__meta_kubernetes_pod_container_port_number", "80",
            "__meta_kubernetes_pod_label_name", "promtail-loki-boltdb-shipper",
            "__meta_kubernetes_pod_name", "promtail-loki-boltdb-shipper-jgtr7",
            "__meta_kubernetes_pod_node_name", "gke-dev-us-central-0-main-n2s8-2-14d53341-9hkr",
            "__meta_kubernetes_pod_phase", "Running",
            "__meta_kubernetes_pod_ready", "true",
            "__metrics_path__", "/metrics",
            "__scheme__", "http",
            "job", "kubernetes-pods");
    kubernetesPods =
        List.of(
            rule(RelabelAction.KEEP)
                .sourceLabels("__meta_kubernetes_pod_container_port_name")
                .regex(".*-metrics")
                .build(),
            rule(RelabelAction.DROP)
                .sourceLabels("__meta_kubernetes_pod_label_name")
                .regex("")
                .build(),
            rule(RelabelAction.DROP)
                .sourceLabels("__meta_kubernetes_pod_phase")
                .regex("Succeeded|Failed")
                .build(),
            rule(RelabelAction.REPLACE)
                .sourceLabels("__meta_kubernetes_pod_annotation_prometheus_io_path")
                .regex("(.+)")
                .targetLabel("__metrics_path__")
                .build(),
            rule(RelabelAction.REPLACE)
                .sourceLabels("__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port")
                .regex("(.+?)(\\:\\d+)?;(\\d+)")
                .targetLabel("__address__")
                .replacement("$1:$3")
                .build(),
            rule(RelabelAction.LABELMAP)
                .regex("__meta_kubernetes_pod_label_prometheus_io_label_(.+)")
                .build(),
            rule(RelabelAction.REPLACE)
                .sourceLabels("__meta_kubernetes_namespace", "__meta_kubernetes_pod_label_name")
                .separator("/")
                .targetLabel("job")
                .build(),
            rule(RelabelAction.REPLACE)
                .sourceLabels("__meta_kubernetes_namespace")
                .targetLabel("namespace")
                .build(),
            rule(RelabelAction.REPLACE)
                .sourceLabels("__meta_kubernetes_pod_name")
                .targetLabel("pod")
                .build(),
            rule(RelabelAction.REPLACE)
                .targetLabel("cluster")
                .replacement("dev-us-central-0")
                .build(),
            rule(RelabelAction.HASHMOD)
                .sourceLabels("__address__")
                .targetLabel("__tmp_hash")
                .modulus(3)
                .build(),
            rule(RelabelAction.KEEP).sourceLabels("__tmp_hash").regex("^[0-2]$").build(),
            rule(RelabelAction.LABELDROP).regex("__tmp_hash").build());
  }

  /** Rules that match nothing: should return the series itself without allocating. */
  @Benchmark
  public Labels metricRulesNoMatch() {
    return Relabeler.process(series, metricRulesNoMatch);
  }

  /** Replaces that write the value already there: also the series itself. */
  @Benchmark
  public Labels noOpReplace() {
    return Relabeler.process(series, noOpReplace);
  }

  /** One static label added: builds one new label set. */
  @Benchmark
  public Labels addOneLabel() {
    return Relabeler.process(series, addOneLabel);
  }

  /** A kubernetes-pods target relabelling of 13 rules, hashmod sharding included. */
  @Benchmark
  public Labels kubernetesPods() {
    return Relabeler.process(target, kubernetesPods);
  }
}
