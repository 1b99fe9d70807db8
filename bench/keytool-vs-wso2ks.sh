#!/usr/bin/env bash
# keytool-vs-wso2ks.sh: how long `wso2ks generate` takes for a topology
# (examples/multi-product.toml by default), against
#   - the keytool commands that make the same stores (same aliases, key
#     types, signature algorithms, subjects, validity, key usages, SANs, store
#     types and truststore entries), run one after another as an operator's
#     script would; then the same commands spread over every core with
#     xargs -P; then once more one after another, but with the public CA
#     bundle put into each truststore by one -importkeystore (as one would
#     copy the JDK's cacerts) instead of one -importcert per CA;
#   - key generation alone, on the same cores (BenchmarkGenerateKeysMultiProduct
#     in pkg/certs, the same keys on the same worker pool): the floor under
#     wso2ks.
# The keytool commands are derived from the manifest.json (and `wso2ks plan`)
# of a bundle made in the same run, and the keytool stores are checked
# against that manifest afterwards. Passwords reach keytool only through
# -storepass:env / -keypass:env, never on a command line.
#
# Run from the repository root:   bash bench/keytool-vs-wso2ks.sh
# Knobs (environment):
#   RUNS          samples of wso2ks and of key generation alone, interleaved
#                 (default 21: the prime search makes one RSA key take from a
#                 fraction to a multiple of its mean time, so a few samples
#                 are noise); the report gives medians
#   TOPOLOGY      default examples/multi-product.toml
#   SKIP_KEYTOOL  1: only wso2ks against key generation alone (a minute, not
#                 the 5 to 20 minutes the keytool runs take)
# Needs: go, keytool (a JDK), python3, bash >= 5 (EPOCHREALTIME).
set -euo pipefail

export LC_ALL=C # '.' in EPOCHREALTIME; English keytool output
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS=${RUNS:-21}
TOPOLOGY=${TOPOLOGY:-examples/multi-product.toml}
TARGET_KEYTOOL=15 # keytool / wso2ks: at least this
TARGET_KEYGEN=1.3 # wso2ks / key generation alone: at most this

for c in go keytool python3 awk xargs; do
	command -v "$c" >/dev/null || { echo "bench: $c not found" >&2; exit 2; }
done
[[ -n ${EPOCHREALTIME:-} ]] || { echo "bench: needs bash 5 (EPOCHREALTIME)" >&2; exit 2; }
[[ -f $TOPOLOGY ]] || { echo "bench: $TOPOLOGY not found" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "bench: RUNS must be a positive whole number" >&2; exit 2; }

cores=$(nproc)
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
umask 077
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wso2ks-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'echo "bench: failed at line $LINENO" >&2' ERR
kt=$tmp/kt   # generated keytool scripts, passwords (0600), expectations
pem=$tmp/pem # what the keytool runs import besides their own certificates
mkdir -p "$kt" "$pem/public" "$pem/extra"

log() { printf 'bench: %s\n' "$*" >&2; }
# sub A B: B - A, to the millisecond.
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# ratio A B [DECIMALS]: A / B.
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-1}" 'BEGIN { printf "%.*f", d, a / b }'; }
# median X...: the median of the samples.
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# mean X...: the mean of the samples.
mean() { printf '%s\n' "$@" | awk '{ n += $1 } END { printf "%.3f", n / NR }'; }
# verdict A OP B: PASS when A OP B holds (OP is >= or <=), else MISS.
verdict() {
	awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { ok = (op == ">=") ? a >= b : a <= b; print ok ? "PASS" : "MISS" }'
}
# cpu_mark: user+sys seconds of every finished child of this shell, in $cpu.
# (`times` must run in this shell: a $(...) subshell has no children yet.)
cpu_mark() {
	times >"$tmp/times"
	cpu=$(awk 'NR == 2 { n = 0
		for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); n += t[1] * 60 + t[2] }
		printf "%.3f", n }' "$tmp/times")
}
# quiet LOG CMD...: run CMD with its output in LOG; show LOG if it fails.
quiet() {
	local out=$1
	shift
	if ! "$@" >"$out" 2>&1; then
		log "failed: $*"
		tail -n 30 "$out" >&2
		exit 3
	fi
}

log "building wso2ks and the pkg/certs test binary"
go build -o "$tmp/wso2ks" ./cmd/wso2ks
go test -c -o "$tmp/certs.test" ./pkg/certs/

# The reference bundle, untimed: its manifest (and plan) drive the keytool
# commands, and making it warms the page cache.
ks=$tmp/ks
quiet "$tmp/ks.log" "$tmp/wso2ks" generate -f "$TOPOLOGY" -o "$ks"
"$tmp/wso2ks" plan -f "$TOPOLOGY" --output json >"$tmp/plan.json"

# ---------------------------------------------------------------------------
# The keytool equivalent of the bundle, as scripts in $kt.
counts=$(python3 - "$ks/manifest.json" "$tmp/plan.json" "$(dirname "$TOPOLOGY")" "$kt" "$pem" <<'PY'
import datetime, ipaddress, json, os, re, secrets, shlex, sys

manifest_path, plan_path, topo_dir, kt, pem = sys.argv[1:6]
manifest = json.load(open(manifest_path))["stores"]
plan = json.load(open(plan_path))

def die(msg):
    sys.exit("bench: " + msg)

# The manifest is the contract (SPEC §4); the plan adds what the manifest
# does not say: which stores share a key, each truststore entry's source,
# and the PKCS#12 profile.
planned = {}
for e in plan["environments"]:
    for p in e["products"]:
        for s in p["stores"]:
            planned[s["path"]] = (p, s)
if set(planned) != {m["path"] for m in manifest}:
    die("manifest.json and `wso2ks plan` list different stores")

KEYS = {
    "rsa-2048": ["-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA"],
    "rsa-3072": ["-keyalg", "RSA", "-keysize", "3072", "-sigalg", "SHA256withRSA"],
    "rsa-4096": ["-keyalg", "RSA", "-keysize", "4096", "-sigalg", "SHA256withRSA"],
    "ecdsa-p256": ["-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA"],
    "ecdsa-p384": ["-keyalg", "EC", "-groupname", "secp384r1", "-sigalg", "SHA384withECDSA"],
}

def key_usage(role, key):
    # As pkg/certs/leaf.go keyUsage: Encipherment (primary, internal),
    # Server (tls), Message (wssec).
    rsa = key.startswith("rsa-")
    if role in ("primary", "internal") or (role == "wssec" and rsa):
        return "digitalSignature,nonRepudiation,keyEncipherment,dataEncipherment"
    if role == "wssec":
        return "digitalSignature,nonRepudiation"
    if role == "tls":
        return "digitalSignature,keyEncipherment" if rsa else "digitalSignature"
    die(f"unknown key store role {role!r}")

def ident(s):
    return re.sub(r"[^A-Z0-9]+", "_", s.upper()).strip("_")

def days(m):
    nb = datetime.datetime.fromisoformat(m["not_before"].replace("Z", "+00:00"))
    na = datetime.datetime.fromisoformat(m["not_after"].replace("Z", "+00:00"))
    return round((na - nb).total_seconds() / 86400)

def keytool(*args, legacy=False):
    # Passwords only ever as -storepass:env NAME / -keypass:env NAME.
    pre = ["keytool"] + (["-J-Dkeystore.pkcs12.legacy"] if legacy else [])
    return " ".join(pre + [shlex.quote(a) for a in args])

passwords = {}  # variable -> value, for pw.env

def password_var(name):
    var = "KT_" + ident(name)
    passwords.setdefault(var, secrets.token_urlsafe(18))  # 24 printable ASCII
    return var

stores = []  # (manifest store, plan product, plan store, legacy PKCS#12, password variable)
for m in manifest:
    p, s = planned[m["path"]]
    legacy = m["type"] == "PKCS12" and p.get("pkcs12_profile") == "legacy"
    # A key's stores share its password (as wso2ks); each truststore has its own.
    var = password_var(s["key_id"] if s.get("key_id") else f"{m['env']}/{m['product']}/{m['role']}")
    stores.append((m, p, s, legacy, var))

dirs = sorted({os.path.dirname(m["path"]) for m, *_ in stores} | {"certs"})
setup = "mkdir -p " + " ".join(shlex.quote(d) for d in dirs)

# 1. One key per distinct key (as wso2ks: a store shared by instances, or by
#    products, is made once); another store of the same key is a copy, or a
#    conversion when its type or profile differs.
key_jobs, first_of, key_types_by_sha = [], {}, {}
for m, p, s, legacy, var in stores:
    if m["role"] == "truststore":
        continue
    key_types_by_sha.setdefault(m["sha256"], m["key"])
    kid = s["key_id"]
    if kid in first_of:
        fm, _, _, flegacy, _, job = first_of[kid]
        if (fm["type"], flegacy) == (m["type"], legacy):
            job.append(f"cp {shlex.quote(fm['path'])} {shlex.quote(m['path'])}")
        else:
            job.append(keytool(
                "-importkeystore", "-noprompt",
                "-srckeystore", fm["path"], "-srcstoretype", fm["type"], "-srcstorepass:env", var,
                "-srcalias", fm["alias"], "-srckeypass:env", var,
                "-destkeystore", m["path"], "-deststoretype", m["type"], "-deststorepass:env", var,
                "-destalias", m["alias"], "-destkeypass:env", var, legacy=legacy))
        continue
    if m["key"] not in KEYS:
        die(f"{m['path']}: unknown key type {m['key']!r}")
    args = ["-genkeypair", "-keystore", m["path"], "-storetype", m["type"],
            "-storepass:env", var, "-keypass:env", var, "-alias", m["alias"],
            *KEYS[m["key"]],
            "-dname", m["subject"],  # Go's RFC 4514 form; keytool takes it as is
            "-startdate", "-5M",     # wso2ks backdates NotBefore 5 minutes
            "-validity", str(days(m)),
            "-ext", "BasicConstraints:critical=ca:false",
            "-ext", "KeyUsage:critical=" + key_usage(m["role"], m["key"])]
    if m["role"] != "wssec":
        args += ["-ext", "ExtendedKeyUsage=serverAuth,clientAuth"]
    if m.get("sans"):
        sans = []
        for n in m["sans"]:
            try:
                ipaddress.ip_address(n)
                sans.append("ip:" + n)
            except ValueError:
                sans.append("dns:" + n)
        args += ["-ext", "SAN=" + ",".join(sans)]
    job = [keytool(*args, legacy=legacy)]
    key_jobs.append(job)
    first_of[kid] = (m, p, s, legacy, var, job)

# 2. Export every certificate a truststore needs, once.
def cert_file(kid):
    return f"certs/{ident(kid).lower()}.pem"

needed = []
for m, p, s, *_ in stores:
    for e in s.get("entries", []):
        if e.get("key_id") and e["key_id"] not in needed:
            needed.append(e["key_id"])
exports = []
for kid in needed:
    fm, _, _, _, var, _ = first_of[kid]
    exports.append(keytool("-exportcert", "-rfc", "-alias", fm["alias"], "-keystore", fm["path"],
                           "-storetype", fm["type"], "-storepass:env", var, "-file", cert_file(kid)))

# 3. Every truststore entry: one -importcert each, in the manifest's order.
#    public-* come from the public CA bundle (PEMs the bench script takes from
#    wso2ks's own truststore), extra-* from the topology's extra_trusted files.
def split_pem(path):
    return re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", open(path).read(), re.S)

public_aliases, public_source = [], None
trust_jobs, bulk_jobs, expect = [], [], []
for m, p, s, legacy, var in stores:
    if m["role"] != "truststore":
        expect.append({"path": m["path"], "type": m["type"], "var": var, "env": m["env"],
                       "wso2ks_var": s["password_var"], "entries": {m["alias"]: "PrivateKeyEntry"}})
        continue
    plan_entries = s.get("entries", [])
    if [e["alias"] for e in plan_entries] != m.get("entries", []):
        die(f"{m['path']}: manifest.json and `wso2ks plan` list different entries")
    expect.append({"path": m["path"], "type": m["type"], "var": var,
                   "entries": {a: "trustedCertEntry" for a in m.get("entries", [])}})
    one, bulk, has_public = [], [], False
    for e in plan_entries:
        alias = e["alias"]
        if e.get("key_id"):
            f = cert_file(e["key_id"])
        elif alias.startswith("public-"):
            f = f"{pem}/public/{alias}.pem"
            has_public = True
            if alias not in public_aliases:
                public_aliases.append(alias)
            if public_source is None:
                public_source = {"path": m["path"], "type": m["type"], "env": m["env"],
                                 "var": s["password_var"],
                                 "others": [x for x in m["entries"] if not x.startswith("public-")]}
        else:
            src = os.path.join(topo_dir, e["source"])
            n = int(alias.rsplit("-", 1)[1])
            blocks = split_pem(src)
            if not 1 <= n <= len(blocks):
                die(f"{alias}: {src} has {len(blocks)} certificates")
            f = f"{pem}/extra/{alias}.pem"
            with open(f, "w") as out:
                out.write(blocks[n - 1] + "\n")
        cmd = keytool("-importcert", "-noprompt", "-alias", alias, "-file", f, "-keystore", m["path"],
                      "-storetype", m["type"], "-storepass:env", var, legacy=legacy)
        one.append(cmd)
        if not alias.startswith("public-"):
            bulk.append(cmd)
    if has_public:
        bulk.insert(0, keytool("-importkeystore", "-noprompt",
                               "-srckeystore", f"{pem}/public-cas.p12", "-srcstoretype", "PKCS12",
                               "-srcstorepass:env", "KT_PUBLIC_CAS",
                               "-destkeystore", m["path"], "-deststoretype", m["type"],
                               "-deststorepass:env", var, legacy=legacy))
    trust_jobs.append(one)
    bulk_jobs.append(bulk)
password_var("public-cas")
if len(key_types_by_sha) != len(first_of):
    die("manifest.json and `wso2ks plan` count different keys")

def write(name, lines):
    with open(os.path.join(kt, name), "w") as f:
        f.write("set -euo pipefail\n" + "".join(c + "\n" for c in lines))

all_keys = [c for j in key_jobs for c in j]
write("seq.sh", [setup] + all_keys + exports + [c for j in trust_jobs for c in j])
write("bulk.sh", [setup] + all_keys + exports + [c for j in bulk_jobs for c in j])
write("setup.sh", [setup])
# Parallel: keys, then exports, then truststores, each phase over xargs -P.
# A truststore is one file, so its imports stay in order; longest first.
with open(os.path.join(kt, "p1.txt"), "w") as f:
    for i, j in enumerate(key_jobs):
        write(f"key-{i}.sh", j)
        f.write(f"bash {kt}/key-{i}.sh\n")
with open(os.path.join(kt, "p2.txt"), "w") as f:
    f.write("".join(c + "\n" for c in exports))
with open(os.path.join(kt, "p3.txt"), "w") as f:
    for i, j in sorted(enumerate(trust_jobs), key=lambda x: -len(x[1])):
        write(f"trust-{i}.sh", j)
        f.write(f"bash {kt}/trust-{i}.sh\n")

with open(os.path.join(kt, "pw.env"), "w") as f:
    f.write("".join(f"export {k}={v}\n" for k, v in passwords.items()))
json.dump(expect, open(os.path.join(kt, "expect.json"), "w"))
json.dump({"source": public_source, "aliases": public_aliases}, open(os.path.join(kt, "public.json"), "w"))
with open(os.path.join(kt, "keys.txt"), "w") as f:
    f.write(",".join(key_types_by_sha.values()) + "\n")

kinds = {}
for t in key_types_by_sha.values():
    kinds[t] = kinds.get(t, 0) + 1
launches = lambda jobs: sum(1 for j in jobs for c in j if c.startswith("keytool"))
print(len([m for m in manifest if m["role"] != "truststore"]), len(key_jobs),
      len(trust_jobs), sum(len(j) for j in trust_jobs), len(public_aliases),
      launches(key_jobs) + len(exports) + launches(trust_jobs),
      launches(key_jobs) + len(exports) + launches(bulk_jobs),
      ",".join(f"{n}x{t}" for t, n in kinds.items()))
PY
)
read -r n_keystores n_keys n_trust n_entries n_public n_seq n_bulk key_kinds <<<"$counts"
# shellcheck disable=SC1091
. "$kt/pw.env"
WSO2KS_BENCH_KEY_TYPES=$(<"$kt/keys.txt")
export WSO2KS_BENCH_KEY_TYPES

# check DIR [deep]: the keytool stores in DIR hold exactly the manifest's
# entries; deep: their certificates match wso2ks's in subject, algorithms
# and extensions (all but AuthorityKeyIdentifier, which keytool leaves out
# of a self-signed certificate).
check() {
	python3 - "$kt/expect.json" "$1" "$ks" "${2:-}" "$cores" <<'PY'
import concurrent.futures, json, os, re, subprocess, sys

expect_path, root, ks, deep, cores = sys.argv[1:6]
expect = json.load(open(expect_path))

def keytool_list(path, typ, var, env=None, verbose=False):
    args = ["keytool", "-list", "-keystore", path, "-storetype", typ, "-storepass:env", var]
    if verbose:
        args.insert(2, "-v")
    r = subprocess.run(args, capture_output=True, text=True, env=env)
    if r.returncode:
        raise SystemExit(f"bench: keytool -list {path}: {r.stdout}{r.stderr}")
    return r.stdout

ENTRY = re.compile(r"^(.*), \w{3} \d{1,2}, \d{4}, (PrivateKeyEntry|trustedCertEntry|SecretKeyEntry),\s*$")

def summary(text):
    # Subject, algorithms and extensions, without the per-key values.
    out, skip = [], False
    for line in text.splitlines():
        if line.startswith(("Owner:", "Signature algorithm name:", "Subject Public Key Algorithm:")):
            out.append(line.strip())
        elif m := re.match(r"#\d+: ObjectId: (\S+) Criticality=(\w+)", line):
            skip = m.group(1) in ("2.5.29.35", "2.5.29.14")  # AKI, SKI: values differ
            if m.group(1) != "2.5.29.35":
                out.append(f"ext {m.group(1)} critical={m.group(2)}")
        elif line.strip() and not skip and not re.match(r"^\s*(0[0-9a-f]{3}:|\]|\[|KeyIdentifier)", line) \
                and line.startswith("  "):
            out.append("  " + line.strip())
    return sorted(out)

def secrets_env(env):
    vals = dict(os.environ)
    for line in open(os.path.join(ks, env, "secrets.env")):
        if "=" in line and not line.startswith("#"):
            k, v = line.rstrip("\n").split("=", 1)
            vals[k] = v.strip("'\"")
    return vals

def one(e):
    path = os.path.join(root, e["path"])
    got = {}
    for line in keytool_list(path, e["type"], e["var"]).splitlines():
        if m := ENTRY.match(line):
            got[m.group(1)] = m.group(2)
    if got != e["entries"]:
        missing = sorted(set(e["entries"]) - set(got))[:5]
        extra = sorted(set(got) - set(e["entries"]))[:5]
        return f"{e['path']}: {len(got)} entries, want {len(e['entries'])} (missing {missing}, unexpected {extra})"
    if deep and "wso2ks_var" in e:
        mine = summary(keytool_list(path, e["type"], e["var"], verbose=True))
        theirs = summary(keytool_list(os.path.join(ks, e["path"]), e["type"], e["wso2ks_var"],
                                      env=secrets_env(e["env"]), verbose=True))
        if mine != theirs:
            diff = sorted(set(mine) ^ set(theirs))
            return f"{e['path']}: certificate differs from wso2ks's: {diff}"
    return None

with concurrent.futures.ThreadPoolExecutor(int(cores)) as pool:
    problems = [p for p in pool.map(one, expect) if p]
if problems:
    sys.exit("bench: keytool stores differ from the manifest:\n  " + "\n  ".join(problems))
PY
}

# The public CA bundle, untimed: PEMs taken from wso2ks's own truststore (one
# keytool -list -rfc), and a PKCS#12 store of them alone for the bulk variant
# (copy the truststore, delete our own entries), like the JDK's cacerts.
if ((n_public > 0)); then
	log "taking the $n_public public CAs out of wso2ks's truststore"
	IFS=$'\t' read -r src_path src_type src_env src_var src_others < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["source"]
print(s["path"], s["type"], s["env"], s["var"], " ".join(s["others"]), sep="\t")' "$kt/public.json")
	(
		set -a
		. "$ks/$src_env/secrets.env"
		set +a
		keytool -list -rfc -keystore "$ks/$src_path" -storetype "$src_type" -storepass:env "$src_var" >"$tmp/public.txt"
		keytool -importkeystore -noprompt -srckeystore "$ks/$src_path" -srcstoretype "$src_type" \
			-srcstorepass:env "$src_var" -destkeystore "$pem/public-cas.p12" -deststoretype PKCS12 \
			-deststorepass:env KT_PUBLIC_CAS >"$tmp/public-cas.log" 2>&1
	)
	for a in $src_others; do
		quiet "$tmp/public-cas.log" keytool -delete -alias "$a" -keystore "$pem/public-cas.p12" \
			-storetype PKCS12 -storepass:env KT_PUBLIC_CAS
	done
	python3 - "$tmp/public.txt" "$kt/public.json" "$pem/public" <<'PY'
import json, re, sys
text, want, out = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))["aliases"], sys.argv[3]
found = dict(re.findall(r"Alias name: (\S+)\n.*?(-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----)", text, re.S))
missing = [a for a in want if a not in found]
if missing:
    sys.exit(f"bench: wso2ks's truststore lacks public CAs {missing[:5]}")
for a in want:
    open(f"{out}/{a}.pem", "w").write(found[a] + "\n")
PY
	n_pub_store=$(keytool -list -keystore "$pem/public-cas.p12" -storetype PKCS12 -storepass:env KT_PUBLIC_CAS |
		grep -c trustedCertEntry || true)
	((n_pub_store == n_public)) || { log "public-cas.p12 has $n_pub_store CAs, want $n_public"; exit 3; }
fi

# ---------------------------------------------------------------------------
# wso2ks and key generation alone, interleaved so that a change in the
# machine's load hits both alike.
log "timing wso2ks generate and key generation alone ($RUNS runs each, interleaved)"
ws_wall=() ws_cpu=() kg_wall=() kg_cpu=() pair=()
for ((i = 1; i <= RUNS; i++)); do
	rm -rf "$tmp/run"
	cpu_mark && c0=$cpu && t0=$EPOCHREALTIME
	quiet "$tmp/run.log" "$tmp/wso2ks" generate -f "$TOPOLOGY" -o "$tmp/run"
	t1=$EPOCHREALTIME && cpu_mark && c1=$cpu
	ws_wall+=("$(sub "$t0" "$t1")") ws_cpu+=("$(sub "$c0" "$c1")")
	rm -rf "$tmp/run"

	cpu_mark && c0=$cpu
	(cd pkg/certs && "$tmp/certs.test" -test.run='^$' -test.bench='^BenchmarkGenerateKeysMultiProduct$' \
		-test.benchtime=1x -test.count=1) >"$tmp/keygen.log" 2>&1 || { cat "$tmp/keygen.log" >&2; exit 3; }
	cpu_mark && c1=$cpu
	ns=$(awk '$1 ~ /^BenchmarkGenerateKeysMultiProduct/ { for (i = 2; i <= NF; i++) if ($i == "ns/op") print $(i - 1) }' "$tmp/keygen.log")
	[[ -n $ns ]] || { cat "$tmp/keygen.log" >&2; log "no ns/op from the benchmark"; exit 3; }
	kg_wall+=("$(awk -v n="$ns" 'BEGIN { printf "%.3f", n / 1e9 }')") kg_cpu+=("$(sub "$c0" "$c1")")
	pair+=("$(ratio "${ws_wall[-1]}" "${kg_wall[-1]}" 3)")
	log "  run $i: wso2ks ${ws_wall[-1]} s (cpu ${ws_cpu[-1]} s), key generation ${kg_wall[-1]} s (process cpu ${kg_cpu[-1]} s)"
done
ws=$(median "${ws_wall[@]}")
kg=$(median "${kg_wall[@]}")

# ---------------------------------------------------------------------------
# keytool: sequential, parallel, sequential with the CA bundle in bulk.
# SKIP_KEYTOOL=1 leaves them out (a quick look at wso2ks against key generation).
kt_seq= kt_par= kt_bulk=
if [[ ${SKIP_KEYTOOL:-0} != 1 ]]; then
	log "timing keytool, sequential: $n_seq keytool runs"
	mkdir -p "$tmp/kt-seq"
	t0=$EPOCHREALTIME
	(cd "$tmp/kt-seq" && quiet "$tmp/kt-seq.log" bash "$kt/seq.sh")
	kt_seq=$(sub "$t0" "$EPOCHREALTIME")
	log "  $kt_seq s; checking the stores against the manifest and wso2ks's certificates"
	check "$tmp/kt-seq" deep

	log "timing keytool, parallel over $cores cores (xargs -P $cores)"
	mkdir -p "$tmp/kt-par"
	t0=$EPOCHREALTIME
	(
		cd "$tmp/kt-par"
		quiet "$tmp/kt-par.log" bash "$kt/setup.sh"
		for phase in p1 p2 p3; do
			p0=$EPOCHREALTIME
			quiet "$tmp/kt-par-$phase.log" xargs -d '\n' -n 1 -P "$cores" bash -c <"$kt/$phase.txt"
			printf '%s ' "$(sub "$p0" "$EPOCHREALTIME")" >>"$tmp/kt-par-phases"
		done
		echo >>"$tmp/kt-par-phases"
	)
	kt_par=$(sub "$t0" "$EPOCHREALTIME")
	read -r par_keys par_exports par_trust <"$tmp/kt-par-phases"
	log "  $kt_par s"
	check "$tmp/kt-par"
	rm -rf "$tmp/kt-par"

	if ((n_public > 0)); then
		log "timing keytool, sequential, public CAs by one -importkeystore per truststore: $n_bulk keytool runs"
		mkdir -p "$tmp/kt-bulk"
		t0=$EPOCHREALTIME
		(cd "$tmp/kt-bulk" && quiet "$tmp/kt-bulk.log" bash "$kt/bulk.sh")
		kt_bulk=$(sub "$t0" "$EPOCHREALTIME")
		log "  $kt_bulk s"
		check "$tmp/kt-bulk"
	fi
fi
load_end=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')

# ---------------------------------------------------------------------------
# The report.
row() { printf '%-34s %10s s   %s\n' "$@"; }
note() { printf '%-34s %10s     %s\n' "" "" "$1"; }
cmp() { printf '%-34s %9sx   %-16s %s\n' "$@"; }
echo
echo "wso2ks vs keytool: $TOPOLOGY, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "cores (nproc): $cores; load average at start $load_start, at end $load_end"
echo "$(go version | cut -d' ' -f3-), $(java -version 2>&1 | head -n 1)"
echo "stores: $n_keystores key stores ($n_keys keys: ${key_kinds//,/, }), $n_trust truststores with $n_entries entries ($n_public public CAs)"
echo
row "wso2ks generate (median)" "$ws" "mean $(mean "${ws_wall[@]}") s; runs: ${ws_wall[*]}"
note "cpu (user+sys): median $(median "${ws_cpu[@]}") s"
row "key generation alone (median)" "$kg" "mean $(mean "${kg_wall[@]}") s; runs: ${kg_wall[*]}"
note "cpu of the test process: median $(median "${kg_cpu[@]}") s"
if [[ -n $kt_seq ]]; then
	row "keytool, sequential" "$kt_seq" "$n_seq keytool runs, $(ratio "$kt_seq" "$n_seq" 2) s each"
	row "keytool, parallel (xargs -P $cores)" "$kt_par" "the same $n_seq runs: keys $par_keys s, exports $par_exports s,"
	note "truststores $par_trust s (one chain of imports per truststore)"
	[[ -z $kt_bulk ]] || row "keytool, sequential, CAs in bulk" "$kt_bulk" "$n_bulk keytool runs, $(ratio "$kt_bulk" "$n_bulk" 2) s each"
fi
echo
if [[ -n $kt_seq ]]; then
	r=$(ratio "$kt_seq" "$ws")
	cmp "keytool sequential / wso2ks" "$r" ">= ${TARGET_KEYTOOL}x (target)" "$(verdict "$r" ">=" "$TARGET_KEYTOOL")"
	r=$(ratio "$kt_par" "$ws")
	cmp "keytool parallel / wso2ks" "$r" ">= ${TARGET_KEYTOOL}x" "$(verdict "$r" ">=" "$TARGET_KEYTOOL")"
	if [[ -n $kt_bulk ]]; then
		r=$(ratio "$kt_bulk" "$ws")
		cmp "keytool CAs in bulk / wso2ks" "$r" ">= ${TARGET_KEYTOOL}x" "$(verdict "$r" ">=" "$TARGET_KEYTOOL")"
	fi
fi
r=$(ratio "$ws" "$kg" 2)
cmp "wso2ks / key generation alone" "$r" "<= ${TARGET_KEYGEN}x (target)" "$(verdict "$r" "<=" "$TARGET_KEYGEN")   (median of the per-run ratios: $(median "${pair[@]}")x)"
