#!/usr/bin/env bash
# Audits Liso's TLS listener with testssl.sh (Debian package), locally and bounded in time.
#   scripts/testssl.sh                # EC P-256 certificate (liso cert's default), then RSA 2048
#   KEYS=rsa scripts/testssl.sh       # one key type only
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java scripts/testssl.sh
#   PROVIDER=native scripts/testssl.sh   # --tls-provider (auto, native, jdk); native/jdk add -native/-jdk to the names
# Writes bench/results/testssl.txt (EC) and testssl-rsa.txt (RSA): the full report; testssl*.json: every finding;
# and prints the findings of severity MEDIUM and above. Nothing leaves the machine: the target is an IP address,
# DNS lookups are off (--nodns none), and --phone-out (CRL download, OCSP queries) stays off, its default.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
KEYS="${KEYS:-ec rsa}"
PORT="${PORT:-24443}"          # below 32768: outside the ephemeral range
HTTP_PORT="${HTTP_PORT:-24080}"
HSTS="${HSTS:-31536000}"       # one year: testssl flags max-age below 180 days
LIMIT="${LIMIT:-900}"          # seconds one testssl run may take
PROVIDER="${PROVIDER:-auto}"
tag=; [ "$PROVIDER" = auto ] || tag="-$PROVIDER"
out="$here/bench/results"

if ! command -v testssl >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    $sudo apt-get update -qq >/dev/null
    $sudo apt-get install -y -qq --no-install-recommends testssl.sh >/dev/null
fi
[ -f "$here/target/liso.jar" ] || mvn -q -B -f "$here/pom.xml" -DskipTests package

work="$(mktemp -d /tmp/liso-testssl.XXXXXX)"
liso_pid=
cleanup() {
    if [ -n "$liso_pid" ]; then kill "$liso_pid" 2>/dev/null || true; wait "$liso_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/www" "$out"
printf '<!doctype html><title>liso</title><p>testssl target\n' > "$work/www/index.html"

for p in "$PORT" "$HTTP_PORT"; do
    if ss -Hltn "sport = :$p" | grep -q .; then echo "port $p is taken; set PORT/HTTP_PORT" >&2; exit 69; fi
done

audit() {  # $1: ec|rsa
    local kind=$1 suffix= rsa=()
    suffix=$tag
    [ "$kind" = rsa ] && { suffix=$tag-rsa; rsa=(--rsa); }
    "$JAVA" -jar "$here/target/liso.jar" cert --quiet --force --out "$work/$kind" "${rsa[@]}" >/dev/null
    "$JAVA" -Xms32m -Xmx256m -XX:+UseSerialGC -jar "$here/target/liso.jar" serve --quiet --root "$work/www" \
        --http "127.0.0.1:$HTTP_PORT" --https "127.0.0.1:$PORT" \
        --key "$work/$kind/key.pem" --cert "$work/$kind/cert.pem" --hsts "$HSTS" --tls-provider "$PROVIDER" >/dev/null 2>"$work/liso-$kind.err" &
    liso_pid=$!
    for _ in $(seq 100); do
        curl -sf -o /dev/null --cacert "$work/$kind/cert.pem" "https://127.0.0.1:$PORT/" && break
        sleep 0.2
    done
    curl -sf -o /dev/null --cacert "$work/$kind/cert.pem" "https://127.0.0.1:$PORT/" \
        || { echo "liso did not answer on :$PORT" >&2; cat "$work/liso-$kind.err" >&2; exit 1; }

    rm -f "$out/testssl$suffix.txt" "$out/testssl$suffix.json"
    # Everything testssl does by default (protocols, ciphers per category, forward secrecy, server defaults and
    # preference, HTTP headers, vulnerabilities, client simulation) against the IP only.
    local rc=0
    timeout "$LIMIT" testssl --quiet --color 0 --warnings off --nodns none --ip 127.0.0.1 \
        --connect-timeout 5 --openssl-timeout 5 \
        --logfile "$out/testssl$suffix.txt" --jsonfile "$out/testssl$suffix.json" \
        "https://127.0.0.1:$PORT/" >/dev/null || rc=$?
    # testssl's exit status counts findings; 124 is our time limit.
    [ "$rc" -eq 124 ] && echo "testssl ($kind) hit the ${LIMIT}s limit; the report is partial" >&2

    kill "$liso_pid"; wait "$liso_pid" 2>/dev/null || true; liso_pid=
    echo "== $kind: findings of severity MEDIUM and above (bench/results/testssl$suffix.json)"
    python3 - "$out/testssl$suffix.json" <<'PY'
import json, sys
order = {"MEDIUM": 1, "HIGH": 2, "CRITICAL": 3}
found = [f for f in json.load(open(sys.argv[1])) if f.get("severity") in order]
for f in found:
    print(f'{f["severity"]:8} {f["id"]}: {f["finding"]}')
print(f"{len(found)} finding(s)")
PY
}

for k in $KEYS; do audit "$k"; done
