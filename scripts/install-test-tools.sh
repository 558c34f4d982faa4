#!/usr/bin/env bash
# Installs the real clients the integration tests drive (curl, openssl, python3 with requests and h2, ab, killall,
# pidof, nghttp/h2load, headless Chromium, systemd-analyze, logrotate, haproxy, wrk, tmux for liso top's screen,
# promtool for the /metrics exposition, php-fpm) and git (scripts/test.sh checks the suite left no files behind).
# Idempotent; needs root for apt-get, which CI and the development machines have. Prints what it installed.
# python3-requests is Debian's package for /usr/bin/python3: the tests that use requests run that interpreter by its
# path (a pyenv or venv python3 earlier on PATH would not see it), as PyPI need not be reachable.
set -euo pipefail
need=()
command -v git >/dev/null || need+=(git)
command -v curl >/dev/null || need+=(curl)
command -v openssl >/dev/null || need+=(openssl)
command -v python3 >/dev/null || need+=(python3)
command -v ab >/dev/null || need+=(apache2-utils)
command -v ss >/dev/null || need+=(iproute2)
command -v lsof >/dev/null || need+=(lsof)
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import requests' 2>/dev/null || need+=(python3 python3-requests)
command -v killall >/dev/null || need+=(psmisc)
command -v pidof >/dev/null && command -v pgrep >/dev/null || need+=(procps sysvinit-utils)
command -v chromium >/dev/null || need+=(chromium)
command -v tmux >/dev/null || need+=(tmux)
# promtool ships only in Debian's prometheus package (19 MB download, 96 MB installed, the server binary with it);
# no smaller package has it. Its service is not started where policy-rc.d forbids it, as in containers.
command -v promtool >/dev/null || need+=(prometheus)
command -v brotli >/dev/null || need+=(brotli)
command -v zstd >/dev/null || need+=(zstd)
# php-fpm (FastCGI ITs run a private instance); Debian names the binary php-fpmX.Y.
ls /usr/sbin/php-fpm* >/dev/null 2>&1 || need+=(php-fpm)
command -v setpriv >/dev/null && command -v script >/dev/null || need+=(util-linux bsdutils)
# HTTP/2 peers: nghttp and h2load (nghttp2-client) and python's h2.
command -v nghttp >/dev/null && command -v h2load >/dev/null || need+=(nghttp2-client)
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import h2' 2>/dev/null || need+=(python3-h2)
# Production packaging (packaging/): the unit is checked with systemd-analyze, the rotation with logrotate; the
# load-balancer test puts Debian's HAProxy in front of liso.
command -v systemd-analyze >/dev/null || need+=(systemd)
command -v logrotate >/dev/null || need+=(logrotate)
command -v haproxy >/dev/null || need+=(haproxy)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
    echo "install-test-tools: installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    $sudo apt-get update -qq >/dev/null
    $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
