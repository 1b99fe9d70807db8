#!/usr/bin/env bash
# wso2ks inspect speed (issue 13). Two figures, on this machine:
#   1. BenchmarkInspect: `wso2ks inspect` run in-process on the bundle of
#      examples/multi-product.toml (26 stores; 3 truststores with the 116
#      public CAs), text, JSON, Prometheus and text with --all;
#   2. the real binary: `wso2ks inspect` of the same bundle from disk, text
#      and --output prometheus, median of RUNS whole-process runs.
# Run from the repository root: bash bench/inspect.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-11}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "wso2ks inspect speed, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(go version | cut -d' ' -f3)"
go test -run='^$' -bench=BenchmarkInspect -benchtime=20x ./bench/ | grep -E '^Benchmark' | \
  awk '{printf "%-40s %8.1f ms/op %8.1f MB/op\n", $1" (in-process)", $3/1e6, $5/1e6}'

go build -o "$tmp/wso2ks" ./cmd/wso2ks
"$tmp/wso2ks" generate -f examples/multi-product.toml -o "$tmp/ks" >/dev/null
for output in text prometheus; do
  times=()
  for _ in $(seq "$RUNS"); do
    start=$EPOCHREALTIME
    "$tmp/wso2ks" inspect "$tmp/ks" --output "$output" >/dev/null
    end=$EPOCHREALTIME
    times+=("$(echo "$start $end" | awk '{printf "%.1f", ($2-$1)*1000}')")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf 'wso2ks inspect multi-product --output %-10s %8.1f ms (median of %d; runs: %s)\n' "$output" "$median" "$RUNS" "${times[*]}"
done
