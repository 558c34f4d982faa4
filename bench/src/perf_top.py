#!/usr/bin/env python3
"""Where a JVM server's CPU goes, from `perf script` output of `perf record -g` (JIT frames named through
-XX:+DumpPerfMapAtExit). Prints: the share of samples per syscall (kernel samples, named by the user-space frame that
entered the kernel) and per user-space object; the hottest user-space self frames; and the inclusive share of every
frame (Java method or native symbol) over user-space samples, so a Java method's own cost is seen apart from the
syscalls it makes.

Usage: perf script -i perf.data | python3 bench/src/perf_top.py [rows=30]
"""
import collections
import re
import sys


def frames_of(stream):
    frames = []
    for line in stream:
        line = line.rstrip('\n')
        if not line.strip() or line[0] not in ' \t':
            if frames:
                yield frames
            frames = []
            continue
        m = re.match(r'\s+[0-9a-f]+\s+(.*)\s+\((.*)\)$', line)
        if m:
            frames.append((m.group(1), m.group(2)))
    if frames:
        yield frames


def name(sym):
    m = re.search(r'([\w.$]+)\(', sym)
    return m.group(1) if m else re.sub(r'\+0x[0-9a-f]+$', '', sym)[:70]


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    where, selfs, incl = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for frames in frames_of(sys.stdin):
        total += 1
        if 'kernel' in frames[0][1]:
            entry = next((s for s, d in frames if 'kernel' not in d), 'kernel (no user frame)')
            where['kernel, ' + name(entry)] += 1
            continue
        dso = frames[0][1].split('/')[-1]
        where['user, ' + ('JIT-compiled Java' if dso.startswith('perf-') else dso)] += 1
        selfs[name(frames[0][0])] += 1
        for n in {name(s) for s, _ in frames}:
            incl[n] += 1
    if total == 0:
        print('no samples')
        return
    print('samples', total)
    print('-- where (self)')
    for k, v in where.most_common(rows):
        print('%6.2f%%  %s' % (100.0 * v / total, k))
    print('-- user-space self frames')
    for k, v in selfs.most_common(rows):
        print('%6.2f%%  %s' % (100.0 * v / total, k))
    print('-- user-space inclusive (share of all samples)')
    for k, v in incl.most_common(rows * 3):
        print('%6.2f%%  %s' % (100.0 * v / total, k))


if __name__ == '__main__':
    main()
