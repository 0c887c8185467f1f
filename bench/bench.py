#!/usr/bin/python3
"""bench.py [STYRDOK] - styrdok's benchmark: builds its corpus from the
fixtures under bench/out/ and prints a table of wall time, throughput and
peak memory (RSS).  Run from the repository root after building:

    /usr/bin/python3 bench/bench.py build/styrdok

Cases: one large document (the sample repeated) at 1, 10 and 50 MB with
`extract` on one thread; 2,000 small documents with `batch --jobs 1` and
`--jobs 2` (outputs on tmpfs and on disk, and --jsonl only), and a resumed
rerun; start-up on one small document; then the phases of one extraction
of the 10 MB document (bench/phases.c).  Each time is the best of several
runs; nothing here is asserted."""
import os
import shutil
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
styrdok = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build", "styrdok"))
out = os.path.join(here, "out")
fixtures = os.path.join(root, "fixtures")


def run(args, stdout=subprocess.DEVNULL):
    """Wall seconds and peak RSS (MB) of one run of args."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=stdout, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"failed: {' '.join(args)}")
    return elapsed, usage.ru_maxrss / 1024


def best(args, times, prepare=None):
    results = []
    for _ in range(times):
        if prepare:
            prepare()
        results.append(run(args))
    return min(r[0] for r in results), max(r[1] for r in results)


def make_corpus():
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    sample = open(os.path.join(fixtures, "policy-social-hallbarhet.txt"), "rb").read()
    for mb in (1, 10, 50):
        with open(os.path.join(out, f"large-{mb}mb.txt"), "wb") as f:
            size = 0
            while size < mb * 1_000_000:
                f.write(sample + b"\n")
                size += len(sample) + 1
    texts = [open(os.path.join(fixtures, n), "rb").read()
             for n in sorted(os.listdir(fixtures)) if n.endswith(".txt")]
    small = os.path.join(out, "small")
    for i in range(2000):
        d = os.path.join(small, f"{i // 200:02d}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"doc{i:04d}.txt"), "wb") as f:
            f.write(texts[i % len(texts)] + f"\nLöpnummer {i}.\n".encode())
    return small


def main():
    small = make_corpus()
    total_small = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(small) for f in fs)
    rows = []
    for mb in (1, 10, 50):
        path = os.path.join(out, f"large-{mb}mb.txt")
        size = os.path.getsize(path)
        t, rss = best([styrdok, "extract", path], 3 if mb < 50 else 2)
        rows.append((f"extract, {mb} MB document", f"{t:.3f} s", f"{size / t / 1e6:.1f} MB/s", f"{rss:.0f} MB"))
    # Where the outputs go matters: on this machine's virtual disk, creating
    # 2,000 files costs more than extracting them; tmpfs shows the work itself.
    targets = [("disk", out)]
    if os.path.isdir("/dev/shm"):
        targets.insert(0, ("tmpfs", "/dev/shm/styrdok-bench"))
    for where, base in targets:
        for jobs in (1, 2):
            target = os.path.join(base, f"batch-{jobs}")
            t, rss = best([styrdok, "batch", "--jobs", str(jobs), "-o", target, small], 3,
                          prepare=lambda: shutil.rmtree(target, ignore_errors=True))
            rows.append((f"batch --jobs {jobs}, 2,000 docs, OUTDIR on {where}", f"{t:.3f} s",
                         f"{2000 / t:.0f} docs/s", f"{rss:.0f} MB"))
    for jobs in (1, 2):
        t, rss = best([styrdok, "batch", "--jobs", str(jobs), "--jsonl", "/dev/null", small], 3)
        rows.append((f"batch --jobs {jobs}, 2,000 docs, --jsonl only", f"{t:.3f} s",
                     f"{2000 / t:.0f} docs/s", f"{rss:.0f} MB"))
    target = os.path.join(targets[0][1], "batch-2")
    t, rss = best([styrdok, "batch", "--jobs", "2", "-o", target, small], 3)
    rows.append(("batch --jobs 2, rerun (all reused)", f"{t:.3f} s", f"{2000 / t:.0f} docs/s", f"{rss:.0f} MB"))
    one = os.path.join(small, "00", "doc0000.txt")
    t, rss = best([styrdok, "extract", one], 20)
    rows.append(("start-up: extract one small document", f"{t * 1000:.1f} ms", "", f"{rss:.0f} MB"))
    phases = os.path.join(os.path.dirname(styrdok), "bench_phases")
    subprocess.run(["cmake", "--build", os.path.dirname(styrdok), "--target", "bench_phases"],
                   stdout=subprocess.DEVNULL, check=True)
    phase_table = subprocess.run([phases, os.path.join(out, "large-10mb.txt"), "3"],
                                 capture_output=True, text=True, check=True).stdout
    print(f"styrdok benchmark ({os.cpu_count()} cores; small documents: {total_small / 2000 / 1000:.1f} KB on average)")
    print(f"| {'case':<44} | {'time':>10} | {'throughput':>12} | {'peak RSS':>8} |")
    print(f"|{'-' * 46}|{'-' * 12}|{'-' * 14}|{'-' * 10}|")
    for case, t, rate, rss in rows:
        print(f"| {case:<44} | {t:>10} | {rate:>12} | {rss:>8} |")
    shutil.rmtree("/dev/shm/styrdok-bench", ignore_errors=True)
    print("\nWhere the time of one extraction goes (bench/phases.c, best of 3):")
    print(phase_table, end="")


main()
