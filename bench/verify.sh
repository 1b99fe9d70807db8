#!/usr/bin/env bash
# wso2ks verify speed (issue 4: "verify of a home whose truststore holds 150
# certificates takes well under a second"). Two figures, on this machine:
#   1. BenchmarkVerifyHome150: pkg/verify auditing an IS home whose
#      truststore holds 150 CA certificates plus its own, in memory;
#   2. the real binary: `wso2ks verify` of examples/multi-product.toml's
#      prod/iam (a truststore of 125 entries: 116 public CAs and the peers),
#      median of RUNS whole-process runs, files on disk.
# Run from the repository root: bash bench/verify.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-11}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "wso2ks verify speed, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(go version | cut -d' ' -f3)"
go test -run='^$' -bench=BenchmarkVerifyHome150 -benchtime=20x ./pkg/verify/ | grep -E '^Benchmark' | \
  awk '{printf "BenchmarkVerifyHome150 (in memory)      %8.1f ms/op\n", $3/1e6}'

go build -o "$tmp/wso2ks" ./cmd/wso2ks
"$tmp/wso2ks" generate -f examples/multi-product.toml -o "$tmp/ks" >/dev/null
entries=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(next(len(s["entries"]) for s in m["stores"] if s["env"]=="prod" and s["product"]=="iam" and s["role"]=="truststore"))' "$tmp/ks/manifest.json")
times=()
for _ in $(seq "$RUNS"); do
  start=$EPOCHREALTIME
  "$tmp/wso2ks" verify "$tmp/ks/prod/iam" >/dev/null
  end=$EPOCHREALTIME
  times+=("$(echo "$start $end" | awk '{printf "%.1f", ($2-$1)*1000}')")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
printf 'wso2ks verify prod/iam (%d entries)    %8.1f ms (median of %d; runs: %s)\n' "$entries" "$median" "$RUNS" "${times[*]}"
awk -v m="$median" 'BEGIN { if (m < 1000) print "target: well under 1 s: PASS"; else print "target: well under 1 s: MISS" }'
