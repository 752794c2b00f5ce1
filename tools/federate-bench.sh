#!/usr/bin/env bash
# /federate of every series, Meridian against Prometheus on the same data: both scrape the same
# targets (SCRAPE_CONFIG, e.g. the scrape.yml the harness's scrape bench writes for its
# fake_exporter.py, which must be running) for WAIT seconds, then each serves
# GET /federate?match[]={__name__=~".+"} RUNS times, plain and gzip, one at a time.
# Prints per server and encoding: median wall time, body bytes, series, and RSS before / peak
# during / after (peak from a 20 ms sampler), so "flat memory" shows as peak - before.
#
#   SCRAPE_CONFIG=/tmp/meridian-bench/scrape/scrape.yml tools/federate-bench.sh
# Ports 19190 (Prometheus) and 19193 (Meridian) on 127.0.0.1. Stops both by pid on exit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
config=${SCRAPE_CONFIG:?set SCRAPE_CONFIG to a Prometheus scrape config both servers run}
runs=${RUNS:-5}
wait_s=${WAIT:-40}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

prometheus --config.file="$config" --storage.tsdb.path="$work/prometheus" \
  --web.listen-address=127.0.0.1:19190 >"$work/prometheus.log" 2>&1 &
pids+=($!); prom_pid=$!
"$root/meridian" server --config.file="$config" --storage.tsdb.path="$work/meridian" \
  --web.listen-address=127.0.0.1:19193 >"$work/meridian.log" 2>&1 &
pids+=($!); mer_pid=$!

ready() { for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$1/-/ready" >/dev/null && return 0; sleep 0.2; done; return 1; }
ready 19190 || { echo "prometheus not ready" >&2; cat "$work/prometheus.log" >&2; exit 1; }
ready 19193 || { echo "meridian not ready" >&2; cat "$work/meridian.log" >&2; exit 1; }
sleep "$wait_s"   # a few rounds of scrapes: every series has a fresh sample

rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
url='/federate?match%5B%5D=%7B__name__%3D~%22.%2B%22%7D'

# one NAME PORT PID ENCODING: RUNS timed requests; prints "median_s bytes series before peak after"
one() {
  local port=$2 pid=$3 enc=$4 hdr=() times=() bytes series before peak after
  [ "$enc" = gzip ] && hdr=(-H 'Accept-Encoding: gzip')
  curl -s "${hdr[@]}" -o /dev/null "http://127.0.0.1:$port$url"   # warm-up
  series=$(curl -s "http://127.0.0.1:$port$url" | grep -vc '^#')
  before=$(rss "$pid"); peak=$before
  ( while kill -0 "$pid" 2>/dev/null; do rss "$pid"; sleep 0.02; done ) >"$work/rss.$pid" &
  local sampler=$!
  for _ in $(seq 1 "$runs"); do
    read -r t bytes < <(curl -s "${hdr[@]}" -o /dev/null -w '%{time_total} %{size_download}\n' "http://127.0.0.1:$port$url")
    times+=("$t")
  done
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  peak=$(sort -n "$work/rss.$pid" | tail -1); after=$(rss "$pid")
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median $bytes $series $before $peak $after"
}

echo "| server | encoding | median s | body bytes | series | RSS MiB before | peak | after |"
echo "|---|---|---|---|---|---|---|---|"
for enc in plain gzip; do
  for s in prometheus meridian; do
    if [ "$s" = prometheus ]; then r=$(one "$s" 19190 "$prom_pid" "$enc"); else r=$(one "$s" 19193 "$mer_pid" "$enc"); fi
    read -r med bytes series before peak after <<<"$r"
    echo "| $s | $enc | $med | $bytes | $series | $((before / 1024)) | $((peak / 1024)) | $((after / 1024)) |"
  done
done
