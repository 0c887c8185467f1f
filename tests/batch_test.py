#!/usr/bin/python3
"""batch_test.py STYRDOK FIXTURES_DIR SCHEMA - `styrdok batch` over a
generated tree: the fixtures in several encodings, nested directories, names
with å ä ö and spaces, bad files mixed in.  Checks outputs against
`styrdok extract`, manifest rows, exit codes, identical results for every
--jobs, resume, --files-from, --jsonl, and a SIGKILL in the middle of a run
followed by a rerun (the test kills the process itself)."""
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import jsonschema

from harness import check, finish

styrdok, fixtures, schema_path = sys.argv[1:4]
validator = jsonschema.Draft7Validator(json.load(open(schema_path, encoding="utf-8")))
work = tempfile.mkdtemp()



def batch(*args, cwd=work, **kw):
    return subprocess.run([styrdok, "batch", *args], cwd=cwd, capture_output=True, check=False, **kw)


def manifest(outdir):
    with open(os.path.join(work, outdir, "manifest.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def outputs(outdir):
    """Every file under OUTDIR but the manifest and lock, with its bytes."""
    found = {}
    root = os.path.join(work, outdir)
    for dirpath, _, names in os.walk(root):
        for name in names:
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            # The manifest and styrdok's own dot files (lock, settings, .part) are not outputs.
            if rel != "manifest.jsonl" and not name.startswith("."):
                found[rel] = open(os.path.join(dirpath, name), "rb").read()
    return found


# ---- the tree ----
tree = os.path.join(work, "arkiv")
texts = {n: open(os.path.join(fixtures, n), encoding="utf-8").read()
         for n in sorted(os.listdir(fixtures)) if n.endswith(".txt")}
good = []  # relative paths of inputs that must succeed


def put(rel, data):
    path = os.path.join(tree, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    good.append(rel)


for i, (name, text) in enumerate(texts.items()):
    plain = text.replace("\u2013", "-").replace("\u2014", "-").replace("\uf0b7", "-").replace("\uf0a7", "-")
    put(f"kommun/{name}", text.encode("utf-8"))
    put(f"kommun/äldre år/{name[:-4]} (dos).txt", plain.encode("cp850", errors="replace"))
    put(f"region/mac/{i:02d} mac.txt", plain.encode("mac_roman", errors="replace"))
    put(f"region/utf16/{name}", b"\xff\xfe" + text.encode("utf-16-le"))
bad = {"trasiga/brus.bin": os.urandom(5000), "trasiga/nollor.dat": b"\x00" * 3000}
for rel, data in bad.items():
    path = os.path.join(tree, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "wb").write(data)
os.symlink("/finns/inte", os.path.join(tree, "trasiga", "länk"))
os.mkfifo(os.path.join(tree, "trasiga", "fifo"))
os.symlink("..", os.path.join(tree, "trasiga", "slinga"))
os.symlink("../kommun/" + next(iter(texts)), os.path.join(tree, "region", "länk till fil.txt"))
total = len(good) + len(bad) + 3 + 1

# ---- a run, with bad files ----
r = batch("-o", "ut", "arkiv")
check(r.returncode == 1, f"a tree with bad files exits 1, got {r.returncode}: {r.stderr.decode()[-300:]}")
rows = manifest("ut")
check(len(rows) == total, f"{len(rows)} manifest rows for {total} inputs")
# Depth first, each directory's entries sorted bytewise: the order of the
# paths' components compared as bytes.
inputs = [row["input"] for row in rows]
check(inputs == sorted(inputs, key=lambda p: [c.encode() for c in p.split("/")]),
      f"manifest rows in walk order: {inputs[:8]}")
by_input = {row["input"]: row for row in rows}
for rel in good:
    row = by_input.get("arkiv/" + rel)
    check(row is not None and row["status"] == "ok", f"{rel}: {row}")
    if not row or row["status"] != "ok":
        continue
    data = open(os.path.join(tree, rel), "rb").read()
    check(row["sha256"] == hashlib.sha256(data).hexdigest() and row["bytes"] == len(data),
          f"{rel}: sha256/bytes in the manifest")
    expected = subprocess.run([styrdok, "extract", os.path.join(tree, rel)], capture_output=True).stdout
    got = open(os.path.join(work, row["output"]), "rb").read()
    check(got == expected, f"{rel}: batch output differs from styrdok extract")
    check(row["error"] is None and isinstance(row["warnings"], int) and row["encoding"], f"{rel}: {row}")
for rel in bad:
    row = by_input.get("arkiv/" + rel, {})
    check(row.get("status") == "failed" and "not a text document" in (row.get("error") or "")
          and row.get("output") is None, f"{rel}: {row}")
for rel, why in (("trasiga/länk", "broken symbolic link"), ("trasiga/fifo", "FIFO"),
                 ("trasiga/slinga", "directory loop"),
                 ("region/länk till fil.txt", "the same file as an earlier input")):
    row = by_input.get("arkiv/" + rel, {})
    check(row.get("status") == "skipped" and why in (row.get("error") or ""), f"{rel}: {row}")
check(all(set(row) == {"input", "output", "status", "sha256", "bytes", "encoding", "error",
                       "warnings", "reused"} for row in rows), "manifest row keys")
stderr = r.stderr.decode()
check("arkiv/trasiga/fifo: not a regular file: a FIFO" in stderr, "per-file error on stderr")
check("styrdok batch: %d inputs:" % total in stderr and "2 failed, 3 skipped, 0 not text, 1 duplicate in" in stderr,
      f"summary line: {stderr.splitlines()[-1] if stderr else ''}")
encodings = {row["encoding"] for row in rows if row["status"] == "ok"}
check({"UTF-8", "IBM850", "macintosh", "UTF-16LE"} <= encodings, f"encodings seen: {encodings}")
check(os.path.exists(os.path.join(work, "ut", "kommun", "äldre år")), "names with å ä ö and spaces")

# ---- the same outputs whatever --jobs is ----
reference = outputs("ut")
for jobs in ("1", "2", "5"):
    batch("--jobs", jobs, "-o", "ut" + jobs, "arkiv")
    other = outputs("ut" + jobs)
    check(other == reference, f"--jobs {jobs}: outputs differ from the first run")
    strip = lambda rs, d: [dict(r, output=r["output"] and r["output"][len(d):]) for r in rs]
    check(strip(manifest("ut" + jobs), "ut" + jobs) == strip(rows, "ut"), f"--jobs {jobs}: manifest differs")

# ---- resume ----
r = batch("-o", "ut", "arkiv")
again = manifest("ut")
check(all(row["reused"] for row in again if row["status"] == "ok"), "a rerun reuses every output")
check(outputs("ut") == reference, "a rerun leaves the outputs as they were")
changed = os.path.join(tree, "kommun", next(iter(texts)))
with open(changed, "ab") as f:
    f.write("\nNytt stycke tillagt i efterhand.\n".encode("utf-8"))
r = batch("-o", "ut", "arkiv")
again = {row["input"]: row for row in manifest("ut")}
redone = [i for i, row in again.items() if row["status"] == "ok" and not row["reused"]]
check(redone == ["arkiv/kommun/" + next(iter(texts))], f"only the changed input is redone: {redone}")
r = batch("--force", "-o", "ut", "arkiv")
check(not any(row["reused"] for row in manifest("ut")), "--force redoes everything")

# ---- --files-from, -0, --jsonl ----
listing = os.path.join(work, "lista")
with open(listing, "wb") as f:
    f.write(b"\0".join(("arkiv/" + rel).encode() for rel in good[:5]) + b"\0")
r = batch("--files-from", listing, "-0", "--jsonl", "-", "-o", "lista-ut")
lines = r.stdout.decode().splitlines()
check(r.returncode == 0 and len(lines) == 5, f"--files-from -0 with --jsonl -: exit {r.returncode}, {len(lines)} lines")
for rel, line in zip(good[:5], lines):
    row = json.loads(line)
    check(row["path"] == "arkiv/" + rel and row["status"] == "ok", f"{rel}: --jsonl row {line[:100]}")
    doc = row["document"]
    check(not list(validator.iter_errors(doc)), f"{rel}: a --jsonl document is not a valid document")
    check(doc["source"]["sha256"] == hashlib.sha256(open(os.path.join(tree, rel), "rb").read()).hexdigest(),
          f"{rel}: --jsonl lines come in input order")
check(os.path.exists(os.path.join(work, "lista-ut", good[0][:-4] + ".json")) or
      os.path.exists(os.path.join(work, "lista-ut", "arkiv", os.path.splitext(good[0])[0] + ".json")),
      "--files-from outputs keep the paths as given")

# ---- usage and output-directory errors ----
open(os.path.join(work, "en fil"), "w").close()
r = batch("-o", "en fil", "arkiv")
check(r.returncode == 2 and b"cannot create the output directory" in r.stderr, f"OUTDIR a file: {r.returncode}")
r = batch("arkiv")
check(r.returncode == 2 and b"needs -o OUTDIR or --jsonl" in r.stderr, f"no OUTDIR: {r.returncode}")
r = batch("--jobs", "0", "-o", "x", "arkiv")
check(r.returncode == 2, f"--jobs 0: {r.returncode}")
r = batch("--rules", "/finns/inte.json", "-o", "x", "arkiv")
check(r.returncode == 3 and not os.path.exists(os.path.join(work, "x")), f"bad rules exit 3 before any work: {r.returncode}")
r = batch("-o", "bara-bra", "arkiv/kommun")
check(r.returncode == 0, f"a tree of good files exits 0: {r.returncode} {r.stderr.decode()[-200:]}")

# ---- outputs never collide; odd names; changed rules ----
for d in ("a", "b"):
    os.makedirs(os.path.join(work, "två", d), exist_ok=True)
    open(os.path.join(work, "två", d, "doc.txt"), "w").write(texts["policy-social-hallbarhet.txt"])
open(os.path.join(work, "två", "a", "doc.md"), "w").write(texts["kustplan-versaler.txt"])
open(os.path.join(work, "två", "-"), "w").write(texts["kustplan-versaler.txt"])
os.symlink("själv", os.path.join(work, "två", "själv"))
r = batch("-o", "två-ut", "två/a", "två/b", "två/a/doc.txt", "två/a/doc.md", "två/-", "två/själv")
listed = manifest("två-ut")
rows = {row["input"]: row for row in listed[:5]}  # the walk of a/ and b/, then the direct files
check([(r["input"], r["output"]) for r in listed[:3]] == [
    ("två/a/doc.md", "två-ut/två/a/doc.md.json"), ("två/a/doc.txt", "två-ut/två/a/doc.txt.json"),
    ("två/b/doc.txt", "två-ut/två/b/doc.json")],
      f"two input directories keep apart, one stem keeps extensions: {[(r['input'], r['output']) for r in listed]}")
outs = [row["output"] for row in listed if row["output"]]
check(len(outs) == len(set(outs)), f"no two inputs share an output: {outs}")
again = [row for row in listed[3:5]]
check([r["status"] for r in again] == ["skipped", "skipped"]
      and all("the same file as an earlier input" in r["error"] for r in again),
      f"the same file twice: {again}")
rows = {row["input"]: row for row in listed}
check(rows["två/-"]["status"] == "ok" and rows["två/-"]["sha256"] ==
      hashlib.sha256(texts["kustplan-versaler.txt"].encode()).hexdigest(), "a file named - is a file")
check(rows["två/själv"]["status"] == "skipped" and "symbolic link loop" in rows["två/själv"]["error"],
      f"a link to itself: {rows['två/själv']}")
rules = os.path.join(work, "egna.json")
with open(rules, "w", encoding="utf-8") as f:
    json.dump({"styrdok_rules": 1, "rules": [{"id": "heading.inledning", "insert_before": "para.text",
               "pattern": "^Inledning$", "emit": "heading", "level": 2}]}, f)
r = batch("--rules", rules, "-o", "ut", "arkiv")
check(b"redoing every input" in r.stderr and not any(row["reused"] for row in manifest("ut")),
      "other rules than last time redo every input")
# --force with yet other settings records them: the run after it reuses.
r = batch("--force", "--max-elements", "500000", "-o", "ut", "arkiv")
r = batch("--max-elements", "500000", "-o", "ut", "arkiv")
check(b"redoing" not in r.stderr and all(row["reused"] for row in manifest("ut") if row["status"] == "ok"),
      "a run after --force compares with the settings --force used")
r = batch("--max-elements", "400000", "-o", "ut", "arkiv")
check(b"redoing every input" in r.stderr, "other limits than last time redo every input")
# An input that fails under new limits loses its old output: a rerun must
# not take that output for this run's.
r = batch("--max-elements", "50", "-o", "ut", "arkiv")
failed_now = {row["input"] for row in manifest("ut") if row["status"] == "failed"}
r = batch("--max-elements", "50", "-o", "ut", "arkiv")
failed_again = {row["input"] for row in manifest("ut") if row["status"] == "failed"}
check(len(failed_now) > len(bad) and failed_again == failed_now,
      f"what failed under the new limits fails again on a rerun ({len(failed_now)}, {len(failed_again)})")
r = batch("--files-from", "/dev/null", "-0", "-o", "tomt")
check(r.returncode == 2 and manifest("tomt") == [] and b"no input to process" in r.stderr,
      f"no inputs at all: exit {r.returncode}")
r = batch("-o", "dubbel", "arkiv/kommun", "arkiv/kommun/" + next(iter(texts)))
check(r.returncode == 0, f"a file listed twice is no failure: exit {r.returncode}")
with open(listing, "wb") as f:
    f.write(b"\0arkiv/" + good[0].encode() + b"\0\0")
r = batch("--files-from", listing, "-0", "-o", "tomma-poster")
check(r.returncode == 0 and len(manifest("tomma-poster")) == 1, "empty NUL-separated records are passed over")
r = batch("-o", "", "arkiv")
check(r.returncode == 2, f"-o with an empty name: {r.returncode}")

# ---- a kill in the middle, then a rerun ----
big = os.path.join(work, "stort")
names = list(texts.items())
for i in range(3000):
    name, text = names[i % len(names)]
    d = os.path.join(big, f"{i // 100:02d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{i:04d} {name}"), "w", encoding="utf-8") as f:
        f.write(text + f"\nLöpnummer {i}.\n")
proc = subprocess.Popen([styrdok, "batch", "--jobs", "2", "-o", "stort-ut", "stort"], cwd=work,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
manifest_path = os.path.join(work, "stort-ut", "manifest.jsonl")
deadline = time.time() + 60
while time.time() < deadline and proc.poll() is None:
    if os.path.exists(manifest_path) and os.path.getsize(manifest_path) > 20000:
        break
    time.sleep(0.002)
proc.send_signal(signal.SIGKILL)
proc.wait()
lines = open(manifest_path, encoding="utf-8").read().splitlines()
check(0 < len(lines) < 3000, f"the kill came in the middle of the run ({len(lines)} of 3000 rows)")
check(all(json.loads(line)["status"] == "ok" for line in lines), "every manifest line is whole after a kill")
complete = 0
for dirpath, _, files in os.walk(os.path.join(work, "stort-ut")):
    for name in files:
        if name.endswith(".json") and not name.startswith("."):
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                doc = json.load(f)
            complete += 1
            if list(validator.iter_errors(doc)):
                check(False, f"{name}: invalid JSON left after the kill")
check(complete >= len(lines), f"{complete} complete outputs for {len(lines)} manifest rows")
r = batch("--jobs", "2", "-o", "stort-ut", "stort")
rows = manifest("stort-ut")
check(r.returncode == 0 and len(rows) == 3000, f"the rerun finishes: exit {r.returncode}, {len(rows)} rows")
reused = sum(row["reused"] for row in rows)
check(reused >= len(lines), f"the rerun reuses what the killed run finished ({reused} >= {len(lines)})")
batch("--jobs", "1", "-o", "stort-rent", "stort")
# A kill can leave a ".NAME.part" temporary behind (outputs() passes over dot
# files); every JSON file is complete and the same as a clean run's.
check(outputs("stort-ut") == outputs("stort-rent"), "after kill and rerun, the same files and bytes as a clean run")

shutil.rmtree(work)
finish()
