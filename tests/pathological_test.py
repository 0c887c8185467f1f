#!/usr/bin/python3
"""pathological_test.py STYRDOK FIXTURES_DIR - hostile inputs, like cmark's
pathological tests: each must end with exit 0 and a JSON document, or exit 1
and a message naming the file, never a crash, a hang or another exit code.

The budget per input (BUDGET seconds, far above the second or so each
takes) only catches hangs and quadratic blow-ups, which would take hours
at these sizes; the times are printed for information, not asserted."""
import json
import os
import random
import subprocess
import sys
import tempfile
import time

from harness import check, finish

styrdok, fixtures = sys.argv[1], sys.argv[2]
BUDGET = 120
work = tempfile.mkdtemp()
sample = open(os.path.join(fixtures, "policy-social-hallbarhet.txt"), "rb").read()
rng = random.Random(2026)


def case(name, data, want=(0, 1)):
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(data)
    start = time.monotonic()
    try:
        r = subprocess.run([styrdok, "extract", "--compact", path], capture_output=True,
                           timeout=BUDGET)
    except subprocess.TimeoutExpired:
        check(False, f"{name}: still running after {BUDGET} s")
        return
    elapsed = time.monotonic() - start
    problem = None
    if r.returncode not in want:
        problem = f"exit {r.returncode} (want {want}): {r.stderr.decode(errors='replace')[:300]}"
    elif r.returncode == 0:
        try:
            json.loads(r.stdout)
        except ValueError as e:
            problem = f"exit 0 but the output is not JSON: {e}"
    elif name not in r.stderr.decode(errors="replace"):
        problem = f"exit 1 without the file named: {r.stderr[:200]!r}"
    if check(problem is None, f"{name}: {problem}"):
        message = r.stderr.decode(errors="replace").strip().split("\n")[0][:110]
        print(f"ok   {name:<28} {len(data) / 1e6:7.1f} MB  exit {r.returncode}  {elapsed:6.2f} s  {message}")


case("single-20mb-line.txt", b"ord " * 5_000_000 + b"\n", want=(0,))
case("million-blank-lines.txt", b"\n" * 1_000_000, want=(0,))
case("million-bullets.txt", b"Punkter:\n" + "• ord\n".encode() * 1_000_000)
case("million-goal-lines.txt", "Mål 5 Jämställdhet\n".encode() * 1_000_000)
# Thousands of levels: mostly digits, so "not text" is a fair answer too.
case("deep-numbered-headings.txt",
     b"".join(b".".join([b"1"] * d) + b" Rubrik\n" for d in range(1, 3001)))
case("deep-headings-with-text.txt",
     b"".join(b".".join([b"2"] * d) + b" Rubrik\nEn mening med text om avsnittet.\n\n"
              for d in range(1, 20)) * 200, want=(0,))
case("alternating-heading-styles.txt", b"ALFA BETA\nGamma delta\n" * 50_000, want=(0,))
case("100k-bullets-on-a-line.txt", "• ".encode() * 100_000 + b"text\n", want=(0,))
case("cr-only.txt", sample.replace(b"\n", b"\r") * 200, want=(0,))
case("control-characters.txt",
     b"".join(bytes([rng.choice(list(range(1, 9)) + [11, 14, 27])]) + b"ord " for _ in range(200_000)))
case("nuls.txt", sample[:2000] + b"\x00" * 5000 + sample[2000:], want=(1,))
case("random-bytes.bin", bytes(rng.getrandbits(8) for _ in range(2_000_000)), want=(1,))
case("truncated-utf16.txt", sample.decode().encode("utf-16-le")[:-1] * 1, want=(0,))
case("utf8-encoded-surrogates.txt", sample + b"\xed\xa0\x80\xed\xb0\x80 text\n" * 1000, want=(0,))
case("lone-continuation-bytes.txt", sample + b"\x80\x81\xbf" * 10000, want=(0,))
case("deep-brackets-and-parens.txt", b"(" * 200_000 + b"\n" + b"[" * 200_000 + b"\n")
case("brackets-in-text.txt", (b"(" * 50 + b"ord " * 50 + b")" * 50 + b"\n") * 20_000, want=(0,))
case("long-word-with-hyphens.txt", b"a-" * 2_000_000 + b"\n" + b"b-\n" * 100_000, want=(0,))
case("many-short-paragraphs.txt", b"Text.\n\n" * 500_000, want=(0, 1))

finish()
