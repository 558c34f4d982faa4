"""Aggregates a JFR recording printed as JSON: hot methods (self and total) from jdk.ExecutionSample and
allocation sites from jdk.ObjectAllocationSample (by weight), each also by its first org.liso frame.

Java-state samples (jdk.ExecutionSample), native-state samples (jdk.NativeMethodSample: the loop thread inside a
syscall) and, on JDK 25, CPU-time samples (jdk.CPUTimeSample) are counted together as "samples".

Usage: jfr print --json --stack-depth 64 --events jdk.ExecutionSample,jdk.NativeMethodSample,\
           jdk.CPUTimeSample,jdk.ObjectAllocationSample REC | jfr_top.py
"""
import collections
import json
import sys


def type_name(f):
    return f["method"]["type"]["name"].replace("/", ".")


def frame_name(f):
    return f'{type_name(f)}.{f["method"]["name"]}:{f.get("lineNumber", -1)}'


def method_name(f):
    return f'{type_name(f)}.{f["method"]["name"]}'


events = json.load(sys.stdin)["recording"]["events"]
# CPU-time samples (JDK 25) are the honest measure of where the loop burns CPU; without them, Java-state and
# native-state samples together (the latter include time blocked in epoll_wait).
cpu_kinds = ({"jdk.CPUTimeSample"} if any(e["type"] == "jdk.CPUTimeSample" for e in events)
             else {"jdk.ExecutionSample", "jdk.NativeMethodSample"})
self_t, total_t, liso_t = collections.Counter(), collections.Counter(), collections.Counter()
alloc_cls, alloc_site, alloc_liso = collections.Counter(), collections.Counter(), collections.Counter()
samples = 0
alloc_total = 0
for e in events:
    frames = (e["values"].get("stackTrace") or {}).get("frames") or []
    if not frames:
        continue
    first_liso = next((frame_name(f) for f in frames
                       if type_name(f).startswith("org.liso") and "$$Lambda" not in type_name(f)), "-")
    if e["type"] in cpu_kinds:
        samples += 1
        self_t[frame_name(frames[0])] += 1
        for m in {method_name(f) for f in frames}:
            total_t[m] += 1
        liso_t[first_liso] += 1
    elif e["type"] == "jdk.ObjectAllocationSample":
        w = e["values"]["weight"]
        alloc_total += w
        alloc_cls[e["values"]["objectClass"]["name"]] += w
        alloc_site[frame_name(frames[0]) + " <- " + (frame_name(frames[1]) if len(frames) > 1 else "")] += w
        alloc_liso[first_liso] += w


def table(title, counter, total, unit, n=25):
    print(f"\n### {title}\n\n| share | {unit} | where |\n|---|---|---|")
    for k, v in counter.most_common(n):
        print(f"| {100 * v / max(total, 1):.1f}% | {v if unit == 'samples' else round(v / 2**20, 1)} | `{k}` |")


kinds = collections.Counter(e["type"] for e in events)
print(", ".join(f"{v} {k}" for k, v in sorted(kinds.items())))
print(f"{samples} samples of {', '.join(sorted(cpu_kinds))}; {alloc_total / 2**20:.0f} MiB of sampled allocation weight")
table("Hottest frames (self time, with line)", self_t, samples, "samples")
table("Methods on the stack (total time)", total_t, samples, "samples", 40)
table("First Liso frame of each sample", liso_t, samples, "samples")
table("Allocated classes (by weight)", alloc_cls, alloc_total, "MiB")
table("Allocation sites (allocating frame <- caller)", alloc_site, alloc_total, "MiB")
table("Allocations by first Liso frame", alloc_liso, alloc_total, "MiB")
