#!/usr/bin/python3
"""bench.py [STYRDOK] - styrdok's benchmark: builds its corpus from the
fixtures under bench/out/ and prints a table of wall time, throughput and
peak memory (RSS).  Run from the repository root after building:

    /usr/bin/python3 bench/bench.py build/styrdok

Cases: the 9 MB document of issue 13 (the sample 2,000 times) as compact
and indented JSON, beside bench/re_baseline.py, a plain Python `re` script
doing a simpler version of the same extraction; the sample repeated to 1,
10 and 50 MB (linear time, peak RSS); 2,000 small documents with `batch`
(--jsonl only, outputs on tmpfs and on disk, a resumed rerun) and 200 of
them (memory constant over batch size); start-up on one small document;
explain and report against extract; then the phases of one extraction of
the 10 MB document (bench/phases.c).  Each time is the best of several
runs.  It prints the issue's targets with the measured figure beside each:
nothing here is asserted, and a target missed is printed as MISSED."""
import os
import shutil
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
python = sys.executable
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
    # The 9 MB document is the sample 2,000 times; 1, 10 and 50 MB
    # show whether time grows linearly with size.
    with open(os.path.join(out, "large-9mb.txt"), "wb") as f:
        for _ in range(2000):
            f.write(sample + b"\n")
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


rows = []
verdicts = []


def row(case, t, rate="", rss=None):
    rows.append((case, t, rate, "" if rss is None else f"{rss:.0f} MB"))


def target(name, measured, goal, met):
    verdicts.append((name, measured, goal, "met" if met else "MISSED"))


def main():
    small = make_corpus()
    total_small = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(small) for f in fs)

    # One 9 MB document: compact and indented JSON, and the Python yardstick.
    nine = os.path.join(out, "large-9mb.txt")
    size = os.path.getsize(nine)
    mb = size / 1e6
    t_compact, rss_compact = best([styrdok, "extract", "--compact", nine], 5)
    t_indent, rss_indent = best([styrdok, "extract", nine], 5)
    t_python, rss_python = best([python, os.path.join(here, "re_baseline.py"), nine, "--compact"], 3)
    row(f"extract --compact, 9 MB document", f"{t_compact:.3f} s", f"{mb / t_compact:.1f} MB/s", rss_compact)
    row(f"extract (indented), 9 MB document", f"{t_indent:.3f} s", f"{mb / t_indent:.1f} MB/s", rss_indent)
    row(f"Python re script (bench/re_baseline.py), 9 MB", f"{t_python:.3f} s", f"{mb / t_python:.1f} MB/s",
        rss_python)
    target("9 MB, compact JSON", f"{mb / t_compact:.0f} MB/s", ">= 150 MB/s", mb / t_compact >= 150)
    target("9 MB, indented JSON", f"{mb / t_indent:.0f} MB/s", ">= 100 MB/s", mb / t_indent >= 100)
    target("9 MB, compact, against the Python re script", f"{t_python / t_compact:.1f}x", ">= 20x",
           t_python / t_compact >= 20)
    limit = 3 * size / 2**20 + 16
    peak = max(rss_compact, rss_indent)
    target("9 MB, peak RSS", f"{peak:.0f} MB", f"<= {limit:.0f} MB (3x input + 16 MB)", peak <= limit)

    # Linear time: seconds per MB at 1, 10 and 50 MB.
    per_mb = []
    for n in (1, 10, 50):
        path = os.path.join(out, f"large-{n}mb.txt")
        size_n = os.path.getsize(path)
        t, rss = best([styrdok, "extract", path], 3 if n < 50 else 2)
        per_mb.append(t / (size_n / 1e6))
        row(f"extract, {n} MB document", f"{t:.3f} s", f"{size_n / t / 1e6:.1f} MB/s", rss)
        if n == 50:
            limit50 = 3 * size_n / 2**20 + 16
            target("50 MB, peak RSS", f"{rss:.0f} MB", f"<= {limit50:.0f} MB", rss <= limit50)
    growth = per_mb[2] / per_mb[1]
    target("linear time to 50 MB (time per MB, 50 MB against 10 MB)", f"{growth:.2f}x", "<= 1.2x",
           growth <= 1.2)

    # 2,000 small documents.  Where the outputs go matters: on this machine's
    # virtual disk, creating 2,000 files costs more than extracting them.
    rss_by_size = {}
    t, rss = best([styrdok, "batch", "--jobs", "2", "--jsonl", "/dev/null", small], 5)
    row("batch --jobs 2, 2,000 docs, --jsonl only", f"{t:.3f} s", f"{2000 / t:.0f} docs/s", rss)
    target("batch --jobs 2 --jsonl, 2,000 docs", f"{2000 / t:.0f} docs/s", ">= 20,000 docs/s", 2000 / t >= 20000)
    rss_by_size[2000] = rss
    t, rss = best([styrdok, "batch", "--jobs", "1", "--jsonl", "/dev/null", small], 3)
    row("batch --jobs 1, 2,000 docs, --jsonl only", f"{t:.3f} s", f"{2000 / t:.0f} docs/s", rss)
    t, rss = best([styrdok, "batch", "--jobs", "2", "--jsonl", "/dev/null", os.path.join(small, "00")], 5)
    row("batch --jobs 2, 200 docs, --jsonl only", f"{t:.3f} s", f"{200 / t:.0f} docs/s", rss)
    rss_by_size[200] = rss
    target("batch RSS constant over batch size (2,000 against 200 docs)",
           f"{rss_by_size[2000]:.0f} / {rss_by_size[200]:.0f} MB", "within 2 MB",
           abs(rss_by_size[2000] - rss_by_size[200]) <= 2)
    places = [("disk", out)]
    if os.path.isdir("/dev/shm"):
        places.insert(0, ("tmpfs", "/dev/shm/styrdok-bench"))
    for where, base in places:
        for jobs in (1, 2):
            dest = os.path.join(base, f"batch-{jobs}")
            t, rss = best([styrdok, "batch", "--jobs", str(jobs), "-o", dest, small], 3,
                          prepare=lambda: shutil.rmtree(dest, ignore_errors=True))
            row(f"batch --jobs {jobs}, 2,000 docs, OUTDIR on {where}", f"{t:.3f} s", f"{2000 / t:.0f} docs/s", rss)
            if jobs == 2 and where == "tmpfs":
                target("batch --jobs 2, outputs on tmpfs", f"{2000 / t:.0f} docs/s", ">= 20,000 docs/s",
                       2000 / t >= 20000)
    dest = os.path.join(places[0][1], "batch-2")
    t, rss = best([styrdok, "batch", "--jobs", "2", "-o", dest, small], 3)
    row("batch --jobs 2, rerun (all reused)", f"{t:.3f} s", f"{2000 / t:.0f} docs/s", rss)

    # Start-up, and the other commands against extract.
    one = os.path.join(small, "00", "doc0000.txt")
    t, rss = best([styrdok, "extract", one], 30)
    row("start-up: extract one small document", f"{t * 1000:.1f} ms", "", rss)
    target("start-up, one small document", f"{t * 1000:.1f} ms", "<= 3 ms", t <= 0.003)
    onemb = os.path.join(out, "large-1mb.txt")
    t_extract, _ = best([styrdok, "extract", onemb], 5)
    for command, goal in (("explain", 1.2), ("report", 1.5)):
        t, rss = best([styrdok, command, onemb], 5)
        row(f"{command}, 1 MB document", f"{t:.3f} s", f"{1 / t:.1f} MB/s", rss)
        target(f"{command} against extract, 1 MB document", f"{t / t_extract:.2f}x", f"<= {goal}x",
               t / t_extract <= goal)

    phases = os.path.join(os.path.dirname(styrdok), "bench_phases")
    subprocess.run(["cmake", "--build", os.path.dirname(styrdok), "--target", "bench_phases"],
                   stdout=subprocess.DEVNULL, check=True)
    phase_table = subprocess.run([phases, os.path.join(out, "large-10mb.txt"), "3"],
                                 capture_output=True, text=True, check=True).stdout
    print(f"styrdok benchmark ({os.cpu_count()} cores; small documents: {total_small / 2000 / 1000:.1f} KB on average)")
    print(f"| {'case':<48} | {'time':>10} | {'throughput':>12} | {'peak RSS':>8} |")
    print(f"|{'-' * 50}|{'-' * 12}|{'-' * 14}|{'-' * 10}|")
    for case, t, rate, rss in rows:
        print(f"| {case:<48} | {t:>10} | {rate:>12} | {rss:>8} |")
    print("\nThe targets of issue 13:")
    print(f"| {'target':<60} | {'measured':>14} | {'goal':>36} | {'':6} |")
    print(f"|{'-' * 62}|{'-' * 16}|{'-' * 38}|{'-' * 8}|")
    for name, measured, goal, verdict in verdicts:
        print(f"| {name:<60} | {measured:>14} | {goal:>36} | {verdict:6} |")
    shutil.rmtree("/dev/shm/styrdok-bench", ignore_errors=True)
    print("\nWhere the time of one extraction goes (bench/phases.c, best of 3):")
    print(phase_table, end="")


main()
