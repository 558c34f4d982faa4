#!/usr/bin/env python3
"""Aggregates `jfr print --events jdk.ExecutionSample` (or NativeMethodSample) text into self and inclusive tables.

    jfr print --events jdk.ExecutionSample rec.jfr | python3 bench/jfr_top.py [N]

Self: the top frame of each sample. Inclusive by layer: a sample counts for a layer when any frame of its stack is
in that layer's packages (a stack can count for several). Owner: the layer of the topmost frame that is not a general
helper (java.lang, java.util, java.nio buffers), so ArrayList or a buffer copy inside JSSE counts for JSSE and every
sample lands in exactly one row.
"""
import re
import sys
from collections import Counter

LAYERS = [
    ("AES-GCM / GHASH (com.sun.crypto.provider)", ("com.sun.crypto.provider.",)),
    ("other JCA crypto (sun.security.{ec,rsa,util,provider}, java.security, javax.crypto)",
     ("sun.security.ec.", "sun.security.rsa.", "sun.security.util.", "sun.security.provider.", "java.security.",
      "javax.crypto.", "sun.security.jca.")),
    ("JSSE record layer and engine (sun.security.ssl, javax.net.ssl)", ("sun.security.ssl.", "javax.net.ssl.")),
    ("socket I/O and selector (sun.nio.ch, java.nio.channels)", ("sun.nio.ch.", "java.nio.channels.")),
    ("java.nio buffers", ("java.nio.", "jdk.internal.misc.", "jdk.internal.util.")),
    ("Liso HTTP (org.liso.http, org.liso.server, org.liso.files)",
     ("org.liso.http.", "org.liso.server.", "org.liso.files.")),
    ("Liso TLS transport (org.liso.transport)", ("org.liso.transport.",)),
    ("Liso loop (org.liso.loop)", ("org.liso.loop.",)),
    ("collections, lang", ("java.util.", "java.lang.")),
]


HELPERS = {"java.nio buffers", "collections, lang"}


def layer_of(frame):
    for name, prefixes in LAYERS:
        if frame.startswith(prefixes):
            return name
    return None


def samples(lines):
    stack, inside = [], False
    for line in lines:
        s = line.strip()
        if s.startswith("stackTrace = ["):
            stack, inside = [], True
        elif inside and s == "]":
            inside = False
            yield stack
        elif inside and s and s != "...":
            m = re.match(r"([\w$.<>/]+)\(", s)
            if m:
                stack.append(m.group(1))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    self_frames, inclusive, top_layer = Counter(), Counter(), Counter()
    total = 0
    for stack in samples(sys.stdin):
        if not stack:
            continue
        total += 1
        self_frames[stack[0]] += 1
        seen = {layer_of(f) for f in stack} - {None}
        for layer in seen:
            inclusive[layer] += 1
        owners = [layer_of(f) for f in stack if layer_of(f) and layer_of(f) not in HELPERS]
        top_layer[owners[0] if owners else (layer_of(stack[0]) or "other")] += 1
    if total == 0:
        print("no samples")
        return
    print(f"{total} samples\n")
    print("| self (top frame) | samples | % |\n|---|---|---|")
    for frame, c in self_frames.most_common(n):
        print(f"| `{frame}` | {c} | {100 * c / total:.1f} |")
    print("\n| owner: layer of the topmost frame outside java.lang/util/nio | samples | % |\n|---|---|---|")
    for layer, c in top_layer.most_common():
        print(f"| {layer} | {c} | {100 * c / total:.1f} |")
    print("\n| inclusive: a frame anywhere in the stack is in | samples | % |\n|---|---|---|")
    for layer, c in inclusive.most_common():
        print(f"| {layer} | {c} | {100 * c / total:.1f} |")


if __name__ == "__main__":
    main()
