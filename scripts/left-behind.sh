#!/usr/bin/env bash
# Files a run left in a git working tree outside target/: tests and scripts must write into their own temporary
# directory, and `git add -A` after a run must not pick up their output.
#   left-behind.sh snapshot DIR > FILE   what git sees as changed or untracked in DIR now (path, state, content hash)
#   left-behind.sh check DIR FILE        exit 1 naming every entry that is not in FILE (new, or changed again)
# A fresh clone (what CI runs) starts with an empty snapshot, so there every such file fails the run.
set -euo pipefail

entries() {  # $1: the working tree
    git -C "$1" status --porcelain=v1 -z --untracked-files=all -- . ':(exclude)target' |
        while IFS= read -r -d '' entry; do
            local state=${entry:0:2} path=${entry:3}
            # A rename is followed by its source path, which says nothing about what the run left.
            [[ $state == R* || $state == C* ]] && IFS= read -r -d '' _
            local hash
            hash=$(git -C "$1" hash-object -- "$path" 2>/dev/null) || hash=deleted
            printf '%s\t%s\t%s\n' "$path" "$state" "$hash"
        done | LC_ALL=C sort
}

case "${1:-}" in
snapshot)
    entries "$2"
    ;;
check)
    left=$(LC_ALL=C comm -13 "$3" <(entries "$2"))
    if [[ -n $left ]]; then
        echo "left-behind.sh: the run left files in the working tree $2 (outside target/);" \
            "a test or script must write into its own temporary directory:" >&2
        cut -f1,2 <<<"$left" | sed 's/^/  /' >&2
        exit 1
    fi
    ;;
*)
    echo "usage: left-behind.sh snapshot DIR > FILE | left-behind.sh check DIR FILE" >&2
    exit 2
    ;;
esac
