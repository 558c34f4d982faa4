#!/usr/bin/env bash
# Installs the real clients the integration tests drive (curl, openssl, python3, ab). Idempotent; needs root for
# apt-get, which CI and the development machines have. Prints what it installed.
set -euo pipefail
need=()
command -v curl >/dev/null || need+=(curl)
command -v openssl >/dev/null || need+=(openssl)
command -v python3 >/dev/null || need+=(python3)
command -v ab >/dev/null || need+=(apache2-utils)
command -v ss >/dev/null || need+=(iproute2)
command -v lsof >/dev/null || need+=(lsof)
command -v setpriv >/dev/null && command -v script >/dev/null || need+=(util-linux bsdutils)
if [ ${#need[@]} -gt 0 ]; then
    echo "install-test-tools: installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    $sudo apt-get update -qq >/dev/null
    $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
