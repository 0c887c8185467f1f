#!/usr/bin/python3
"""batch_disk_test.py STYRDOK FIXTURES_DIR - `styrdok batch` when the disk
fills up: the manifest stays valid JSON Lines (a row is whole or absent), the
run stops at the first out-of-space error with exit 2 and one message instead
of failing every remaining file, and a rerun with room resumes what was done.

Two ways to fill the disk: OUTDIR on a small tmpfs (mounted here: the test
needs root, and says so and fails when it cannot mount), and a file size limit
(RLIMIT_FSIZE, as `ulimit -f`) that the manifest reaches while each output
stays under it, so that the manifest's own short write is what stops the run."""
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

from harness import check, finish

styrdok, fixtures = sys.argv[1:3]
work = tempfile.mkdtemp()
texts = sorted(n for n in os.listdir(fixtures) if n.endswith(".txt"))
COUNT = 200


def make_tree(name, pick):
    """COUNT inputs made from fixtures (`pick(i)` names one), each made unique."""
    root = os.path.join(work, name)
    for i in range(COUNT):
        d = os.path.join(root, f"{i // 50:02d}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(fixtures, pick(i)), encoding="utf-8") as f:
            body = f.read()
        with open(os.path.join(d, f"{i:03d}.txt"), "w", encoding="utf-8") as f:
            f.write(body + f"\nLöpnummer {i}.\n")
    return root


def batch(*args, limit=None):
    def setup():
        if limit:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return subprocess.run([styrdok, "batch", *args], cwd=work, capture_output=True, check=False,
                          preexec_fn=setup)


def whole_rows(path):
    """The manifest's rows, or None when it is not valid JSON Lines."""
    data = open(path, "rb").read()
    if data and not data.endswith(b"\n"):
        return None
    try:
        return [json.loads(line) for line in data.decode("utf-8").splitlines()]
    except ValueError:
        return None


def check_done(rows, label):
    """Every recorded row is an ok input whose output is there and complete."""
    for row in rows:
        data = open(os.path.join(work, row["input"]), "rb").read()
        try:
            doc = json.load(open(os.path.join(work, row["output"]), encoding="utf-8"))
        except (OSError, ValueError) as e:
            check(False, f"{label}: {row['output']} in the manifest is not a complete document: {e}")
            continue
        check(row["status"] == "ok" and doc["source"]["sha256"] == hashlib.sha256(data).hexdigest(),
              f"{label}: {row['input']} recorded as done is done")


# ---- OUTDIR on a full tmpfs ----
mnt = os.path.join(work, "liten")
os.makedirs(mnt)
mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mnt], capture_output=True)
if not check(mounted.returncode == 0,
             "cannot mount a tmpfs to fill (this test needs root and mount(8)): "
             + mounted.stderr.decode().strip()):
    shutil.rmtree(work)
    finish()
try:
    tree = make_tree("arkiv", lambda i: texts[i % len(texts)])
    r = batch("--jobs", "2", "-o", "liten/ut", "arkiv")
    err = r.stderr.decode()
    check(r.returncode == 2, f"a full disk is exit 2, got {r.returncode}")
    check(err.count("No space left on device") == 1 and "stopping here" in err,
          f"one message, and the run stops: {err.count('No space left on device')} messages: {err[-500:]}")
    rows = whole_rows(os.path.join(mnt, "ut", "manifest.jsonl"))
    check(rows is not None, "the manifest is valid JSON Lines on a full disk")
    rows = rows or []
    check(0 < len(rows) < COUNT, f"the run stopped part-way: {len(rows)} of {COUNT} rows")
    check([row["input"] for row in rows] == [f"arkiv/{i // 50:02d}/{i:03d}.txt" for i in range(len(rows))],
          "the rows are the first inputs, in order")
    check_done(rows, "full tmpfs")
    subprocess.run(["mount", "-o", "remount,size=64m", mnt], check=True)
    r = batch("--jobs", "2", "-o", "liten/ut", "arkiv")
    again = whole_rows(os.path.join(mnt, "ut", "manifest.jsonl")) or []
    check(r.returncode == 0 and len(again) == COUNT, f"with room, the rerun finishes: exit {r.returncode}, {len(again)} rows")
    reused = {row["input"] for row in again if row["reused"]}
    check({row["input"] for row in rows} <= reused,
          f"the rerun reuses every input the full run recorded ({len(reused)} reused, {len(rows)} recorded)")
finally:
    subprocess.run(["umount", mnt], check=False)

# ---- the manifest itself cut short (a file size limit) ----
tree = make_tree("små", lambda i: "reglemente-forsta-sida.txt")
limit = 16 * 1024  # each output is about 5 KB; the manifest passes this after some 70 rows
r = batch("--jobs", "2", "-o", "gräns", "små", limit=limit)
err = r.stderr.decode()
manifest = os.path.join(work, "gräns", "manifest.jsonl")
rows = whole_rows(manifest)
check(r.returncode == 2 and "cannot write gräns/manifest.jsonl: File too large: stopping here" in err,
      f"a short write of the manifest stops the run: exit {r.returncode}: {err[-400:]}")
check(rows is not None and os.path.getsize(manifest) < limit,
      f"the half-written row is cut off: {os.path.getsize(manifest)} bytes")
rows = rows or []
check(0 < len(rows) < COUNT and err.count("File too large") == 1, f"{len(rows)} rows, one message")
check_done(rows, "size limit")
r = batch("--jobs", "2", "-o", "gräns", "små")
again = whole_rows(manifest) or []
check(r.returncode == 0 and len(again) == COUNT and {row["input"] for row in rows} <= {row["input"] for row in again if row["reused"]},
      f"the rerun resumes: exit {r.returncode}, {len(again)} rows")

shutil.rmtree(work)
finish()
