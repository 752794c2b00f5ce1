#!/usr/bin/env bash
# Remote write SEND benchmark: Prometheus 2.42 in agent mode and `meridian agent` scrape the same
# synthetic targets (the harness's fake_exporter.py) side by side and remote-write everything to one
# VictoriaMetrics (the sink; each sender's samples carry its own external label). After a warm-up,
# reports per sender: CPU seconds, samples sent (its own counter), CPU s per million samples sent,
# RSS at the end and its peak, and the sink's count of each sender's samples in the window.
#
# Env: TARGETS (100) SERIES (1000 per target) INTERVAL (5 s) -> 20,000 samples/s = 1.2M/min by default
#      DURATION (300 s) WARMUP (60 s) OUT (/tmp/meridian-bench/send) EXPORTER_PORT (21000) BASE_PORT (21900)
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${HARNESS:-$HERE/../shared/harness}
PY=${PY:-python3}
TARGETS=${TARGETS:-100}; SERIES=${SERIES:-1000}; INTERVAL=${INTERVAL:-5}
DURATION=${DURATION:-300}; WARMUP=${WARMUP:-60}
OUT=${OUT:-/tmp/meridian-bench/send}; EXPORTER_PORT=${EXPORTER_PORT:-21000}; BASE=${BASE_PORT:-21900}
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
wait_http() { for _ in $(seq 1 "$2"); do curl -sf -o /dev/null "$1" && return 0; sleep 1; done; return 1; }
cpu() { "$PY" "$HARNESS/procmon.py" cpu "$1"; }
mem() { "$PY" "$HARNESS/procmon.py" mem "$1"; }
metric() { curl -s "$1/metrics" | awk -v k="$2" 'index($1,k)==1 {s+=$2} END{printf "%.0f", s+0}'; }

rm -rf "$OUT"; mkdir -p "$OUT"
"$PY" "$HARNESS/fake_exporter.py" --targets "$TARGETS" --series "$SERIES" --interval "$INTERVAL" \
  --port "$EXPORTER_PORT" --write-config "$OUT/scrape.yml" --config-only
"$PY" "$HARNESS/fake_exporter.py" --targets "$TARGETS" --series "$SERIES" --interval "$INTERVAL" \
  --port "$EXPORTER_PORT" --max-seconds $((DURATION + 300)) >"$OUT/exporter.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$EXPORTER_PORT/info" 120 || { log "exporter not up"; exit 1; }

VM=http://127.0.0.1:$BASE
victoria-metrics -httpListenAddr=127.0.0.1:$BASE -storageDataPath="$OUT/vm" -retentionPeriod=1d \
  -search.latencyOffset=0s >"$OUT/vm.log" 2>&1 &
PIDS+=($!)
wait_http "$VM/health" 60 || { log "victoria-metrics not up"; exit 1; }

config() { # $1 sender name
  sed "s/^global:/global:\n  external_labels: {sender: $1}/" "$OUT/scrape.yml" >"$OUT/$1.yml"
  grep -q "external_labels" "$OUT/$1.yml" || { log "could not add external labels"; exit 1; }
  printf 'remote_write:\n- url: %s/api/v1/write\n' "$VM" >>"$OUT/$1.yml"
}
config prometheus; config meridian
prometheus --enable-feature=agent --config.file="$OUT/prometheus.yml" --storage.agent.path="$OUT/prom" \
  --web.listen-address=127.0.0.1:$((BASE + 1)) >"$OUT/prometheus.log" 2>&1 &
PROM_PID=$!; PIDS+=($PROM_PID)
"$HERE/meridian" agent --config.file="$OUT/meridian.yml" --storage.agent.path="$OUT/meridian" \
  --web.listen-address=127.0.0.1:$((BASE + 2)) >"$OUT/meridian.log" 2>&1 &
MER_PID=$!; PIDS+=($MER_PID)
P=http://127.0.0.1:$((BASE + 1)); M=http://127.0.0.1:$((BASE + 2))
wait_http "$P/-/ready" 120 && wait_http "$M/-/ready" 120 || { log "a sender did not start"; exit 1; }
log "senders up; warm-up ${WARMUP}s"
sleep "$WARMUP"
c0p=$(cpu $PROM_PID); c0m=$(cpu $MER_PID)
s0p=$(metric "$P" prometheus_remote_storage_samples_total); s0m=$(metric "$M" meridian_remote_storage_samples_total)
t0=$(date +%s)
peakp=0; peakm=0
while [ $(( $(date +%s) - t0 )) -lt $((DURATION - WARMUP)) ]; do
  sleep 5
  rp=$(mem $PROM_PID | cut -d' ' -f1); rm_=$(mem $MER_PID | cut -d' ' -f1)
  peakp=$(awk -v a="$peakp" -v b="$rp" 'BEGIN{print (b>a)?b:a}'); peakm=$(awk -v a="$peakm" -v b="$rm_" 'BEGIN{print (b>a)?b:a}')
done
t1=$(date +%s)
c1p=$(cpu $PROM_PID); c1m=$(cpu $MER_PID)
s1p=$(metric "$P" prometheus_remote_storage_samples_total); s1m=$(metric "$M" meridian_remote_storage_samples_total)
lagm=$(metric "$M" meridian_remote_storage_lag_seconds)
pendp=$(metric "$P" prometheus_remote_storage_samples_pending); pendm=$(metric "$M" meridian_remote_storage_samples_pending)
endp=$(mem $PROM_PID | cut -d' ' -f1); endm=$(mem $MER_PID | cut -d' ' -f1)
win=$((t1 - t0))
sink() { curl -s -G "$VM/api/v1/query" --data-urlencode "query=sum(count_over_time({sender=\"$1\"}[${win}s]))" \
  --data-urlencode "time=$t1" | "$PY" -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)'; }
sleep 10 # let the last batches land
{
  echo "| sender | CPU s | samples sent | samples/min | CPU s per M sent | RSS end MiB | peak RSS MiB | pending at end | sink count in window |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for s in prometheus meridian; do
    if [ $s = prometheus ]; then c=$(awk -v a=$c1p -v b=$c0p 'BEGIN{print a-b}'); n=$((s1p - s0p)); r=$endp; pk=$peakp; pe=$pendp
    else c=$(awk -v a=$c1m -v b=$c0m 'BEGIN{print a-b}'); n=$((s1m - s0m)); r=$endm; pk=$peakm; pe=$pendm; fi
    awk -v s=$s -v c="$c" -v n="$n" -v w="$win" -v r="$r" -v pk="$pk" -v pe="$pe" -v k="$(sink $s)" \
      'BEGIN{printf "| %s | %.1f | %d | %.0f | %.2f | %.0f | %.0f | %d | %d |\n", s, c, n, n*60/w, c/(n/1e6), r, pk, pe, k}'
  done
  echo; echo "window ${win}s after ${WARMUP}s warm-up; meridian lag at end ${lagm}s"
} | tee "$OUT/results.md"
