#!/usr/bin/env bash
# wso2ks plan at scale (issue 10: "memory and time for 100, 1,000 and 5,000
# products stay linear"). Two sets of figures, on this machine:
#   1. BenchmarkPlan and BenchmarkPlanOneEnvironment (bench/plan_test.go):
#      'wso2ks plan' in-process, ns/op, bytes and allocations per run;
#   2. the real binary: wall time and peak resident memory (GNU time's
#      %M) of 'wso2ks plan' (text and json) for 100, 1,000 and 5,000
#      products, in environments of 100 products, median of RUNS runs.
# Run from the repository root: bash bench/plan.sh   (RUNS=5 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "wso2ks plan at scale, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(go version | cut -d' ' -f3)"
echo
go test -run='^$' -bench='^BenchmarkPlan' -benchtime="${BENCHTIME:-3x}" ./bench/ | grep -E '^Benchmark' | \
  awk '{printf "%-45s %9.1f ms/op %9.1f MB/op %9d allocs/op\n", $1, $3/1e6, $5/1e6, $7}'

echo
go build -o "$tmp/wso2ks" ./cmd/wso2ks
if ! [ -x /usr/bin/time ]; then
  echo "no /usr/bin/time (GNU time): skipping the binary's peak memory"
  exit 0
fi
topology() { # products envs file
  {
    echo '[subject]'; echo 'organization = "Bench Corp"'
    kinds=('kind = "wso2is"'$'\n''version = "7.1.0"' 'kind = "wso2am"'$'\n''version = "4.5.0"' 'kind = "wso2mi"'$'\n''version = "4.4.0"')
    for ((i = 0; i < $1; i++)); do
      printf '[[product]]\nname = "p%d"\n%s\nhostnames = ["p%d.${env}.example.com"]\ninstances = ["p%d-0.${env}.svc", "p%d-1.${env}.svc"]\n' \
        "$i" "${kinds[i % 3]}" "$i" "$i" "$i"
    done
    for ((e = 0; e < $2; e++)); do printf '[environment.e%d]\n' "$e"; done
  } >"$3"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-30s %10s %12s %14s\n' "wso2ks plan (binary)" "time" "peak RSS" "output"
for envs in 1 10 50; do
  topology 100 "$envs" "$tmp/t.toml"
  for output in text json; do
    secs=() rss=()
    for _ in $(seq "$RUNS"); do
      /usr/bin/time -f '%e %M' -o "$tmp/time" "$tmp/wso2ks" plan -f "$tmp/t.toml" --output "$output" >"$tmp/out"
      read -r s m <"$tmp/time"
      secs+=("$s") rss+=("$m")
    done
    printf '%-30s %8.2f s %9.1f MB %11.1f MB\n' "$((100 * envs)) products, $output" \
      "$(printf '%s\n' "${secs[@]}" | median)" "$(printf '%s\n' "${rss[@]}" | median | awk '{print $1/1024}')" \
      "$(stat -c %s "$tmp/out" | awk '{print $1/1e6}')"
  done
done
