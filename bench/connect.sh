#!/usr/bin/env bash
# wso2ks verify --connect speed (issue 13: "bench/: verify --connect of the
# multi-product bundle"). BenchmarkVerifyConnect (bench/connect_test.go) runs
# 'wso2ks verify --connect' in-process on the bundle of
# examples/multi-product.toml, its deployment served by one crypto/tls server
# per tls store on 127.0.0.1 (the bench maps the bundle's host names there):
#   1. the whole deployment: every node name at every listener, 30 addresses;
#   2. one address (iam.prod.example.com:9443).
# Both read and open the bundle's stores first. The servers run in the same
# process, so their handshake work is in the figures too.
# Run from the repository root: bash bench/connect.sh   (BENCHTIME=20x by default)
set -euo pipefail
cd "$(dirname "$0")/.."
echo "wso2ks verify --connect speed, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(go version | cut -d' ' -f3)"
go test -run='^$' -bench='^BenchmarkVerifyConnect$' -benchtime="${BENCHTIME:-20x}" -count="${COUNT:-3}" ./bench/ | grep -E '^Benchmark' | \
  awk '{printf "%-50s %8.1f ms/op %7.1f MB/op %7d allocs/op\n", $1, $3/1e6, $5/1e6, $7}'
