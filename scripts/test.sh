#!/usr/bin/env bash
# The whole test suite: unit tests (*Test) and integration tests (*IT) with real clients on loopback. Then it fails
# if the suite left files in the working tree outside target/ (scripts/left-behind.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/install-test-tools.sh"
if ! git -C "$here" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "test.sh: $here is not a git working tree; not checking for files the suite leaves behind" >&2
    exec mvn -B -f "$here/pom.xml" verify "$@"
fi
before=$(mktemp)
trap 'rm -f "$before"' EXIT
"$here/scripts/left-behind.sh" snapshot "$here" >"$before"
status=0
mvn -B -f "$here/pom.xml" verify "$@" || status=$?
"$here/scripts/left-behind.sh" check "$here" "$before" || { [[ $status -ne 0 ]] || status=1; }
exit "$status"
