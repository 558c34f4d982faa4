#!/usr/bin/env bash
# The whole test suite: unit tests (*Test) and integration tests (*IT) with real clients on loopback.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/install-test-tools.sh"
exec mvn -B -f "$here/pom.xml" verify "$@"
