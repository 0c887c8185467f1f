#!/usr/bin/python3
"""batch_inputs_test.py STYRDOK FIXTURES_DIR SCHEMA ROW_SCHEMA - what `styrdok
batch` takes and what it tells: hidden entries, --include/--exclude, files
that are not text (skipped, --strict), no input at all, --jsonl rows (path,
errors, the row schema), the settings file's name, outputs of gone inputs
and --prune, -q, the summary's rate, --, --name=value, inputs never
overwritten, streaming from stdin (before its end, and find | batch |
python), and the progress line through --report (on a pseudo-terminal)."""
import glob
import gzip
import io
import json
import os
import pty
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import zipfile

import jsonschema

from harness import check, finish

styrdok, fixtures, schema_path, row_schema_path = sys.argv[1:5]
doc_schema = json.load(open(schema_path, encoding="utf-8"))
row_schema = json.load(open(row_schema_path, encoding="utf-8"))
doc_validator = jsonschema.Draft7Validator(doc_schema)
row_validator = jsonschema.Draft7Validator(
    row_schema, resolver=jsonschema.RefResolver.from_schema(row_schema, store={doc_schema["$id"]: doc_schema}))
work = tempfile.mkdtemp()
texts = sorted(n for n in os.listdir(fixtures) if n.endswith(".txt"))


def batch(*args, cwd=work, **kw):
    return subprocess.run([styrdok, "batch", *args], cwd=cwd, capture_output=True, check=False, **kw)


def manifest(outdir):
    with open(os.path.join(work, outdir, "manifest.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def put(rel, data):
    path = os.path.join(work, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return path


def text(i):
    return open(os.path.join(fixtures, texts[i]), "rb").read()


def summary(r):
    lines = [l for l in r.stderr.decode().splitlines() if re.match(r"styrdok batch: \d+ inputs?: ", l)]
    return lines[-1] if lines else ""


# ---- hidden entries ----
put("dold/a.txt", text(0))
put("dold/.git/config", b"[core]\n\trepositoryformatversion = 0\n")
put("dold/.git/objects/info/packs", b"P pack-1.pack\n")
put("dold/.DS_Store", b"\x00\x00\x00\x01Bud1" + b"\x00" * 100)
put("dold/.utkast.txt", text(1))
put("dold/under/.dold/b.txt", text(1))
r = batch("-o", "dold-ut", "dold")
inputs = [row["input"] for row in manifest("dold-ut")]
check(r.returncode == 0 and inputs == ["dold/a.txt"], f"hidden files and folders are passed over: {r.returncode} {inputs}")
check(", 4 passed over in" in summary(r), f"the summary counts what was passed over: {summary(r)}")
r = batch("-o", "dold-namngiven", "dold/.utkast.txt", "dold/.git/config")
rows = {row["input"]: row["status"] for row in manifest("dold-namngiven")}
check(rows == {"dold/.utkast.txt": "ok", "dold/.git/config": "ok"}, f"a hidden file named explicitly is taken: {rows}")
r = batch("-o", "dold-katalog", "dold/under/.dold")
check([row["input"] for row in manifest("dold-katalog")] == ["dold/under/.dold/b.txt"],
      "a hidden directory named explicitly is walked")

# ---- --include / --exclude ----
put("val/kommun/plan.txt", text(2))
put("val/kommun/plan.md", text(3))
put("val/kommun/utkast/gammal.txt", text(4))
put("val/region/strategi.txt", text(5))
put("val/region/läs mig.rst", text(6))
r = batch("--include", "*.txt", "-o", "val1", "val")
check([row["input"] for row in manifest("val1")] ==
      ["val/kommun/plan.txt", "val/kommun/utkast/gammal.txt", "val/region/strategi.txt"],
      f"--include '*.txt' matches at any depth ('*' matches '/'): {[row['input'] for row in manifest('val1')]}")
r = batch("--include", "*.txt", "--include", "*.md", "--exclude", "kommun/utkast", "-o", "val2", "val")
check([row["input"] for row in manifest("val2")] ==
      ["val/kommun/plan.md", "val/kommun/plan.txt", "val/region/strategi.txt"],
      f"--include twice, --exclude a directory: {[row['input'] for row in manifest('val2')]}")
r = batch("--exclude", "region/*", "--exclude", "*.md", "-o", "val3", "val")
check([row["input"] for row in manifest("val3")] == ["val/kommun/plan.txt", "val/kommun/utkast/gammal.txt"],
      f"--exclude against the path below the input: {[row['input'] for row in manifest('val3')]}")
r = batch("--include", "val/*", "-o", "val4", "val")
check(r.returncode == 2 and b"no input to process" in r.stderr,
      "the path matched is the one below the input directory, not the one given")
r = batch("--include=*.rst", "--jobs=1", "--output=val5", "val")
check(r.returncode == 0 and [row["input"] for row in manifest("val5")] == ["val/region/läs mig.rst"],
      f"--name=value spellings: {r.returncode} {r.stderr.decode()[-200:]}")
r = batch("--exclude", "*", "-o", "val6", "val/kommun/plan.md")
check(r.returncode == 0 and [row["input"] for row in manifest("val6")] == ["val/kommun/plan.md"],
      "a file named explicitly is taken whatever --exclude says")

# ---- files that are not text ----
zipped = io.BytesIO()
with zipfile.ZipFile(zipped, "w") as z:
    z.writestr("word/document.xml", "<w:document/>")
odd = {
    "blandat/rapport.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "pdftotext"),
    "blandat/gammal.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "libreoffice"),
    "blandat/ny.docx": (zipped.getvalue(), "ZIP"),
    "blandat/plan.txt.gz": (gzip.compress(text(0)), "gunzip"),
    "blandat/karta.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, "tesseract"),
    "blandat/foto.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40, "tesseract"),
    "blandat/logga.gif": (b"GIF89a\x10\x00\x10\x00\x80\x00\x00" + b"\x00" * 40, "tesseract"),
}
for rel, (data, _) in odd.items():
    put(rel, data)
put("blandat/plan.txt", text(0))
put("blandat/policy.txt", text(1))
r = batch("-o", "blandat-ut", "blandat")
rows = {row["input"]: row for row in manifest("blandat-ut")}
check(r.returncode == 0, f"files that are not text beside texts: exit 0, got {r.returncode}")
check(len(rows) == 9 and rows["blandat/plan.txt"]["status"] == "ok" and rows["blandat/policy.txt"]["status"] == "ok",
      f"the texts are done: {[(k, v['status']) for k, v in rows.items()]}")
for rel, (data, hint) in odd.items():
    row = rows.get(rel, {})
    check(row.get("status") == "skipped" and "not a text document" in (row.get("error") or "")
          and hint in (row.get("error") or "") and row.get("output") is None and row.get("bytes") == len(data),
          f"{rel}: skipped saying what to do ({hint}): {row}")
check(not glob.glob(os.path.join(work, "blandat-ut", "rapport*")) and not glob.glob(os.path.join(work, "blandat-ut", "karta*")),
      "no output for a file that is not text")
check("2 ok (0 reused), 0 failed, 0 skipped, 7 not text" in summary(r), f"summary: {summary(r)}")
check(b"blandat/rapport.pdf: not a text document, passed over: a PDF: convert it to text first, e.g. `pdftotext -enc UTF-8"
      in r.stderr, "the message says what to do")
r = batch("--strict", "-o", "blandat-strikt", "blandat")
check(r.returncode == 1, f"--strict: files that are not text fail the run (exit {r.returncode})")
# Text that merely starts like a magic number is still text.
put("nästan/bz.txt", b"BZh is what bzip2 files start with, but this line is text.\n" + text(2))
put("nästan/pk.txt", b"PK-nummer 12\n" + text(3))
put("nästan/gif.txt", b"GIF8-projektet\n" + text(4))
r = batch("-o", "nästan-ut", "nästan")
check(r.returncode == 0 and all(row["status"] == "ok" for row in manifest("nästan-ut")),
      f"text starting with BZh or PK is text: {[(row['input'], row['status']) for row in manifest('nästan-ut')]}")

# ---- no input at all ----
os.makedirs(os.path.join(work, "tom"))
r = batch("-o", "tom-ut", "tom")
check(r.returncode == 2 and b"no input to process" in r.stderr, f"an empty directory: exit {r.returncode}")
put("bara-pdf/a.pdf", odd["blandat/rapport.pdf"][0])
put("bara-pdf/.dold.txt", text(0))
r = batch("-o", "bara-pdf-ut", "bara-pdf")
check(r.returncode == 2 and b"1 not text" in r.stderr and b"1 hidden" in r.stderr,
      f"only a file that is not text and a hidden one: exit {r.returncode} {r.stderr.decode()[-300:]}")
r = batch("--files-from", "-", "--jsonl", "-", input=b"")
check(r.returncode == 2 and r.stdout == b"", f"nothing on stdin: exit {r.returncode}")

# ---- --jsonl rows ----
put("rader/bra.txt", text(0))
put("rader/trasig.bin", b"\x00\x01\x02" * 500)
put("rader/scan.pdf", odd["blandat/rapport.pdf"][0])
os.symlink("/finns/inte", os.path.join(work, "rader", "länk.txt"))
r = batch("--jsonl", "rader.jsonl", "-o", "rader-ut", "rader")
stream = [json.loads(line) for line in open(os.path.join(work, "rader.jsonl"), encoding="utf-8")]
listed = manifest("rader-ut")
check([row["path"] for row in stream] == [row["input"] for row in listed] and len(stream) == 4,
      f"a stream row for every manifest row, in the same order, with its path: {[row['path'] for row in stream]}")
for row in stream:
    errors = [e.message for e in row_validator.iter_errors(row)]
    check(not errors, f"{row['path']}: the row schema: {errors[:2]}")
by_path = {row["path"]: row for row in stream}
ok = by_path["rader/bra.txt"]
expected = json.loads(subprocess.run([styrdok, "extract", os.path.join(work, "rader", "bra.txt")],
                                     capture_output=True).stdout)
check(ok["status"] == "ok" and ok["document"] == expected and set(ok) == {"path", "status", "document"},
      "an ok row wraps the document extract prints, unchanged")
bad = by_path["rader/trasig.bin"]
check(bad["status"] == "failed" and bad["error"]["code"] == "input" and "not a text document" in bad["error"]["message"]
      and bad["error"]["message"] == {r["input"]: r for r in listed}["rader/trasig.bin"]["error"],
      f"a failed input has a row with its error: {bad}")
check(by_path["rader/scan.pdf"]["status"] == "skipped" and "pdftotext" in by_path["rader/scan.pdf"]["reason"],
      f"a file that is not text has a row with the reason: {by_path['rader/scan.pdf']}")
check(by_path["rader/länk.txt"]["status"] == "skipped" and "broken symbolic link" in by_path["rader/länk.txt"]["reason"],
      "a broken link has a row")
# The reused document is the same row as the extracted one.
r = batch("--jsonl", "rader2.jsonl", "-o", "rader-ut", "rader")
again = [json.loads(line) for line in open(os.path.join(work, "rader2.jsonl"), encoding="utf-8")]
check(again == stream and all(row["reused"] for row in manifest("rader-ut") if row["status"] == "ok"),
      "a rerun's rows (documents reused) are the same")

# ---- the settings file is not *.json; the old name is read once ----
json_files = sorted(os.path.relpath(p, os.path.join(work, "rader-ut"))
                    for p in glob.glob(os.path.join(work, "rader-ut", "**", "*.json"), recursive=True)
                    + glob.glob(os.path.join(work, "rader-ut", "**", ".*.json"), recursive=True))
check(json_files == ["bra.json"], f"find OUTDIR -name '*.json' finds the documents only: {json_files}")
settings = os.path.join(work, "rader-ut", ".styrdok-batch.settings")
check(os.path.isfile(settings), "the settings are in .styrdok-batch.settings")
os.rename(settings, os.path.join(work, "rader-ut", ".styrdok-batch.json"))
r = batch("-o", "rader-ut", "rader")
check(b"redoing" not in r.stderr and all(row["reused"] for row in manifest("rader-ut") if row["status"] == "ok")
      and os.path.isfile(settings) and not os.path.exists(os.path.join(work, "rader-ut", ".styrdok-batch.json")),
      "an OUTDIR from before the rename resumes, and its settings move to the new name")

# ---- outputs of inputs that are gone; --prune ----
for i in range(3):
    put(f"borta/del/{i}.txt", text(i))
put("borta/kvar.txt", text(3))
batch("--report", "-o", "borta-ut", "borta")
check(os.path.isfile(os.path.join(work, "borta-ut", "del", "1.html")), "a review page beside an output")
os.remove(os.path.join(work, "borta", "del", "1.txt"))
r = batch("-o", "borta-ut", "borta")
msg = b"borta/del/1.txt is gone; its output borta-ut/del/1.json stays (--prune deletes it)"
check(msg in r.stderr and ", 1 output of gone inputs in" in summary(r), f"a gone input is listed: {r.stderr.decode()[-300:]}")
check(os.path.isfile(os.path.join(work, "borta-ut", "del", "1.json")), "without --prune its output stays")
r = batch("--exclude", "kvar.txt", "-o", "borta-ut", "borta")
check(msg in r.stderr and b"kvar.txt is gone" not in r.stderr,
      "the next run lists it again; an input left out by --exclude is not gone")
check(os.path.isfile(os.path.join(work, "borta-ut", "kvar.json")), "an input not walked keeps its output")
for name in os.listdir(os.path.join(work, "borta", "del")):
    os.remove(os.path.join(work, "borta", "del", name))
r = batch("--prune", "-o", "borta-ut", "borta")
check(r.returncode == 0 and b"borta/del/1.txt is gone; removed its output borta-ut/del/1.json" in r.stderr
      and ", 3 outputs of gone inputs removed in" in summary(r), f"--prune: {r.stderr.decode()[-400:]}")
check(not os.path.exists(os.path.join(work, "borta-ut", "del")), "--prune removes the pages too, and the emptied directory")
r = batch("-o", "borta-ut", "borta")
check(b"gone" not in r.stderr, "after --prune nothing is listed")
r = batch("--prune", "--jsonl", "-", "borta")
check(r.returncode == 2 and b"--prune needs -o OUTDIR" in r.stderr, "--prune without OUTDIR is a usage error")

# ---- -q, the rate ----
r = batch("-q", "-o", "tyst", "blandat")
check(r.returncode == 0 and r.stderr == b"", f"-q: nothing but errors: {r.stderr.decode()[:200]}")
r = batch("-q", "--max-elements", "400000", "-o", "tyst", "blandat")
check(r.returncode == 0 and r.stderr == b"", f"-q: no notice that other settings redo everything: {r.stderr.decode()[:200]}")
r = batch("--quiet", "-o", "tyst2", "rader")
check(r.stderr.decode().splitlines() == ["styrdok: rader/länk.txt: broken symbolic link",
                                         "styrdok: " + bad["error"]["message"]],
      f"-q: only the errors: {r.stderr.decode()}")
r = batch("-o", "få", "rader/bra.txt")
check(summary(r).startswith("styrdok batch: 1 input: 1 ok") and "files/s" not in summary(r),
      f"no rate for a handful of files: {summary(r)}")

# ---- -- ends the options ----
put("streck/-x.txt", text(0))
r = batch("-o", "streck-ut", "--", "-x.txt", cwd=os.path.join(work, "streck"))
check(r.returncode == 0 and [row["input"] for row in manifest("streck/streck-ut")] == ["-x.txt"],
      f"a file named -x.txt after --: {r.returncode} {r.stderr.decode()[-200:]}")
r = batch("-o", "streck-ut2", "-x.txt", cwd=os.path.join(work, "streck"))
check(r.returncode == 2 and b"-x.txt: unknown option" in r.stderr, "without -- it is an option")

# ---- outputs never replace an input ----
put("själv/doc.json", text(0))
before = text(0)
r = batch("-o", ".", "doc.json", cwd=os.path.join(work, "själv"))
check(r.returncode == 2 and b"the output of doc.json would be ./doc.json, which is the input doc.json" in r.stderr
      and open(os.path.join(work, "själv", "doc.json"), "rb").read() == before,
      f"an input that is its own output is refused, naming both: {r.returncode} {r.stderr.decode()[-300:]}")
put("själv/a.txt", text(1))
r = batch("-o", ".", "a.txt", "doc.json", cwd=os.path.join(work, "själv"))
check(r.returncode == 2 and [row["input"] for row in manifest("själv")] == ["a.txt"]
      and b"those before it are done" in r.stderr and open(os.path.join(work, "själv", "doc.json"), "rb").read() == before,
      f"the inputs before a refused one are done and recorded: {r.stderr.decode()[-300:]}")
put("själv2/a.txt", text(0))
put("själv2/a.json", text(1))
with open(os.path.join(work, "lista"), "w") as f:
    f.write("själv2/a.txt\nsjälv2/a.json\n")
r = batch("--files-from", "lista", "-o", ".")
# Whichever comes first, the walk reaching a.json or a.txt's worker finding
# that its output a.json is no styrdok document, a.json is left alone.
err = r.stderr.decode()
check(r.returncode == 2 and ("the input själv2/a.json is ./själv2/a.json, which this run writes" in err
                             or "its output ./själv2/a.json is there already and is no styrdok document" in err)
      and open(os.path.join(work, "själv2", "a.json"), "rb").read() == text(1),
      f"an output that is a later input is refused: {r.returncode} {r.stderr.decode()[-300:]}")
r = batch("-o", "rader-ut", "rader-ut/manifest.jsonl")
check(r.returncode == 2 and b"the input rader-ut/manifest.jsonl is rader-ut/manifest.jsonl, which this run writes" in r.stderr
      and open(os.path.join(work, "rader-ut", "manifest.jsonl.prev"), encoding="utf-8").read().count("\n") == 4,
      f"the manifest as an input is refused (the old one kept aside): {r.stderr.decode()[-300:]}")
put("inuti/texter/a.txt", text(0))
r = batch("-o", "inuti", "inuti/texter")
check(r.returncode == 0 and os.path.isfile(os.path.join(work, "inuti", "a.json")),
      f"inputs inside OUTDIR are fine: {r.returncode} {r.stderr.decode()[-200:]}")
r = batch("-o", "inuti", "inuti")
check(r.returncode == 2 and b"no input to process" in r.stderr, "OUTDIR itself is never walked")

# ---- an earlier output is read as JSON, not searched for "sha256" ----
# A rerun keeps an output only when it is a styrdok document whose
# source.sha256 is the input's.  The same words elsewhere in its head, which
# a text search for '"sha256": "' found first, must not make it stand.
import hashlib  # noqa: E402

put("hash/a/a.txt", text(0))
put("hash/b/b.txt", text(1))
sha_a = hashlib.sha256(text(0)).hexdigest()
sha_b = hashlib.sha256(text(1)).hexdigest()
for d in "ab":
    r = batch("-o", f"hash-{d}", f"hash/{d}")
    check(r.returncode == 0, f"hash: first run into hash-{d}: {r.returncode} {r.stderr.decode()[-200:]}")
good_a = open(os.path.join(work, "hash-a", "a.json"), "rb").read()
good_b = open(os.path.join(work, "hash-b", "b.json"), "rb").read()
# a.json: a styrdok document of another input, with a.txt's hash in a member before its source.
foreign = {"format": "styrdok/1", "note": {"sha256": sha_a},
           "source": {"name": "x.txt", "bytes": 1, "sha256": "0" * 64}}
put("hash-a/a.json", json.dumps(foreign, indent=2).encode() + b"\n")
r = batch("-o", "hash-a", "hash/a")
check(r.returncode == 0 and manifest("hash-a")[0]["reused"] is False
      and open(os.path.join(work, "hash-a", "a.json"), "rb").read() == good_a,
      f"a document whose head holds the input's hash outside source.sha256 is redone: {manifest('hash-a')}")
# b.json: not a document at all, its first member b.txt's hash (a manifest row, say).
row = json.dumps({"sha256": sha_b, "input": "hash/b/b.txt"}).encode() + b"\n"
put("hash-b/b.json", row)
r = batch("-o", "hash-b", "hash/b")
check(r.returncode == 2 and b"is there already and is no styrdok document" in r.stderr
      and open(os.path.join(work, "hash-b", "b.json"), "rb").read() == row,
      f"a file that is no document but holds the input's hash is left alone, not reused: {r.returncode} {r.stderr.decode()[-300:]}")
put("hash-b/b.json", good_b)
r = batch("-o", "hash-b", "hash/b")
check(r.returncode == 0 and manifest("hash-b")[0]["reused"] is True
      and open(os.path.join(work, "hash-b", "b.json"), "rb").read() == good_b,
      f"the document itself stands: {manifest('hash-b')}")
# Compact, or with its members in another order, it is the same document.
compact = json.dumps(json.loads(good_b), separators=(",", ":")).encode() + b"\n"
put("hash-b/b.json", compact)
r = batch("-o", "hash-b", "hash/b")
check(r.returncode == 0 and manifest("hash-b")[0]["reused"] is True,
      f"a compact document is read as well: {manifest('hash-b')}")
# Cut short after its head, with no earlier manifest row to vouch for it
# (a run killed before recording it), it is read whole: no document, redone.
os.unlink(os.path.join(work, "hash-b", "manifest.jsonl"))
put("hash-b/b.json", good_b[:len(good_b) // 2])
r = batch("-o", "hash-b", "hash/b")
check(r.returncode == 0 and manifest("hash-b")[0]["reused"] is False
      and open(os.path.join(work, "hash-b", "b.json"), "rb").read() == good_b,
      f"a document cut short is redone: {manifest('hash-b')}")


# ---- an output's directory: made when missing; one that cannot be is that input's failure ----
put("mapp/x/doc.txt", text(0))
put("mapp/y/z/doc.txt", text(1))
put("mapp-ut/x", b"a file where the directory x would go\n")
r = batch("-o", "mapp-ut", "--jsonl", os.path.join(work, "mapp.jsonl"), "mapp")
rows = {row["input"]: row for row in manifest("mapp-ut")}
stream = {row["path"]: row for row in map(json.loads, open(os.path.join(work, "mapp.jsonl"), encoding="utf-8"))}
err = r.stderr.decode()
check(r.returncode == 1 and rows["mapp/x/doc.txt"]["status"] == "failed"
      and stream["mapp/x/doc.txt"]["error"]["code"] == "io"
      and "cannot write mapp-ut/x/doc.json: Not a directory" in err and "cannot remove" not in err
      and rows["mapp/y/z/doc.txt"]["status"] == "ok" and os.path.isfile(os.path.join(work, "mapp-ut", "y", "z", "doc.json")),
      f"an output directory that cannot be made fails its input only: {r.returncode} {err[-300:]} {rows}")


# ---- streaming: rows before stdin ends; find | batch | python ----
def reader(stream, lines):
    for line in stream:
        lines.put(line)
    lines.put(None)


proc = subprocess.Popen([styrdok, "batch", "--files-from", "-", "--jsonl", "-"], cwd=work,
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
lines = queue.Queue()
threading.Thread(target=reader, args=(proc.stdout, lines), daemon=True).start()
proc.stdin.write(b"rader/bra.txt\n")
proc.stdin.flush()
try:
    first = lines.get(timeout=60)  # a bound so that a hang fails; no timing is measured
except queue.Empty:
    first = None
check(first is not None and json.loads(first)["path"] == "rader/bra.txt" and proc.poll() is None,
      f"the first row comes while stdin is still open: {first!r:.100}")
proc.stdin.write(b"val/kommun/plan.txt\n")
proc.stdin.close()
rest = []
while True:
    try:
        line = lines.get(timeout=60)
    except queue.Empty:
        break
    if line is None:
        break
    rest.append(json.loads(line))
check(proc.wait(timeout=60) == 0 and [row["path"] for row in rest] == ["val/kommun/plan.txt"],
      f"the rest follows when stdin ends: {[row['path'] for row in rest]}")

pipeline = subprocess.run(
    f"find blandat val -type f | LC_ALL=C sort | '{styrdok}' batch --files-from - --jsonl - | "
    "/usr/bin/python3 -c 'import json, sys\n"
    "for line in sys.stdin:\n"
    "    row = json.loads(line)\n"
    "    print(row[\"path\"], row[\"status\"], row.get(\"document\", {}).get(\"source\", {}).get(\"name\", \"-\"), sep=\"\\t\")'",
    shell=True, cwd=work, capture_output=True)
got = pipeline.stdout.decode().splitlines()
found = sorted(os.path.join(d, n).replace(work + "/", "") for top in ("blandat", "val")
               for d, _, ns in os.walk(os.path.join(work, top)) for n in ns)
got = [g.split("\t") for g in got]
check(len(got) == len(found) and [g[0] for g in got] == found,
      f"find | batch | python: a row per path, in input order: {got[:3]}")
check(all(g[1:] == ["ok", os.path.basename(g[0])] or g[1:] == ["skipped", "-"] for g in got)
      and sum(g[1] == "skipped" for g in got) == len(odd), f"find | batch | python rows: {got}")

# Some 1.5 MB of rows, far more than a pipe holds: the writes after head
# exits fail.
for i in range(300):
    put(f"många/{i:03d}.txt", text(0))
r = subprocess.run(f"'{styrdok}' batch --jobs 1 --jsonl - många | head -n 1; echo \"exit ${{PIPESTATUS[0]}}\"",
                   shell=True, executable="/bin/bash", cwd=work, capture_output=True)
out = r.stdout.decode().splitlines()
check(len(out) == 2 and json.loads(out[0])["path"] == "många/000.txt" and out[1] == "exit 2"
      and b"Broken pipe" not in r.stderr and b"cannot write" not in r.stderr,
      f"a reader that stops (| head): exit 2 without a message: {out[-1:]} {r.stderr.decode()[-200:]}")

# ---- the progress line through --report ----
def on_terminal(*args):
    """Runs batch with stderr on a pseudo-terminal; returns what it printed there."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([styrdok, "batch", *args], cwd=work, stdout=subprocess.DEVNULL,
                            stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait()
    os.close(master)
    return proc.returncode, out.decode()


rc, shown = on_terminal("--report", "-o", "tty-ut", "val")
files_at = shown.rfind("5/5 files")
check(rc == 0 and files_at >= 0 and shown.find("report: writing the review pages", files_at) > files_at
      and "report: written in" in shown[files_at:], f"the progress line goes on through --report: {shown[-400:]!r}")
rc, shown = on_terminal("-q", "--report", "-o", "tty-tyst", "val")
check(rc == 0 and shown == "", f"-q on a terminal: no progress either: {shown[-200:]!r}")

shutil.rmtree(work)
finish()
