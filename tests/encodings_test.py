#!/usr/bin/python3
"""encodings_test.py STYRDOK FIXTURES_DIR - every encoding and form an
archivist's copy of a document may come in gives the structure of the clean
UTF-8 original, and every span decodes back to its element.

The variants are made here from the fixtures, so what is tested is exactly
what is written below: legacy code pages, UTF-16/32 with and without BOM,
UTF-8 with BOM, NFD, CRLF, CR only, no-break spaces, private-use bullets,
double-encoded UTF-8, short documents, and bad input."""
import json
import os
import subprocess
import sys
import tempfile
import unicodedata

from spans import span_errors

from harness import check, finish

styrdok, fixtures = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp()



def extract(name, data, *options):
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(data)
    r = subprocess.run([styrdok, "extract", *options, path], capture_output=True, check=False)
    return r.returncode, (json.loads(r.stdout) if r.returncode == 0 else None), r.stderr.decode()


def structure(doc, keep_markers=True):
    """The document less source, spans and warnings about the bytes."""
    def strip(v):
        if isinstance(v, dict):
            return {k: strip(x) for k, x in v.items()
                    if k not in ("span", "source") and (keep_markers or k != "marker")}
        if isinstance(v, list):
            return [strip(x) for x in v]
        return v
    out = strip(doc)
    out["warnings"] = [w for w in out["warnings"]
                       if w["code"] not in ("mojibake-repaired", "undecodable-bytes")]
    return out


def same_as_clean(label, text, data, expected_encoding, keep_markers=True, options=(),
                  clean_text=None):
    """`data` (bytes of `text` in some form) must extract like the UTF-8 text."""
    rc, clean, err = extract(label + ".clean.txt", (clean_text or text).encode("utf-8"))
    check(rc == 0, f"{label}: the clean copy failed: {err}")
    rc, doc, err = extract(label + ".txt", data, *options)
    check(rc == 0, f"{label}: exit {rc}: {err.strip()}")
    if rc or clean is None:
        return None
    check(doc["source"]["encoding"] == expected_encoding,
          f"{label}: encoding {doc['source']['encoding']}, expected {expected_encoding}")
    check(structure(doc, keep_markers) == structure(clean, keep_markers),
          f"{label}: the structure differs from the clean UTF-8 copy")
    errors = list(span_errors(doc, data))
    check(not errors, f"{label}: spans: {errors[:3]}")
    return doc


sample = open(os.path.join(fixtures, "policy-social-hallbarhet.txt"), encoding="utf-8").read()
# ISO-8859-1 and IBM850 have no en dash: those copies are made of a text with hyphens.
hyphens = sample.replace("\u2013", "-")

same_as_clean("windows-1252", sample, sample.encode("cp1252"), "windows-1252")
same_as_clean("iso-8859-1", hyphens, hyphens.encode("latin-1"), "windows-1252")
same_as_clean("iso-8859-15", hyphens, hyphens.encode("iso8859_15"), "windows-1252")
same_as_clean("ibm850", hyphens, hyphens.encode("cp850"), "IBM850")
same_as_clean("mac-roman", sample, sample.encode("mac_roman"), "macintosh")
same_as_clean("utf-16le-bom", sample, b"\xff\xfe" + sample.encode("utf-16-le"), "UTF-16LE")
same_as_clean("utf-16be-bom", sample, b"\xfe\xff" + sample.encode("utf-16-be"), "UTF-16BE")
same_as_clean("utf-16le", sample, sample.encode("utf-16-le"), "UTF-16LE")
same_as_clean("utf-16be", sample, sample.encode("utf-16-be"), "UTF-16BE")
same_as_clean("utf-32le-bom", sample, b"\xff\xfe\x00\x00" + sample.encode("utf-32-le"), "UTF-32LE")
same_as_clean("utf-8-bom", sample, b"\xef\xbb\xbf" + sample.encode("utf-8"), "UTF-8")
same_as_clean("nfd", sample, unicodedata.normalize("NFD", sample).encode("utf-8"), "UTF-8")
same_as_clean("crlf", sample, sample.replace("\n", "\r\n").encode("utf-8"), "UTF-8")
same_as_clean("cr-only", sample, sample.replace("\n", "\r").encode("utf-8"), "UTF-8")
same_as_clean("crlf-windows-1252", sample, sample.replace("\n", "\r\n").encode("cp1252"),
              "windows-1252")
nbsp = sample.replace("Mål ", "Mål\u00a0").replace(" och ", "\u00a0och\u202f")
same_as_clean("no-break-spaces", sample, nbsp.encode("utf-8"), "UTF-8")
# The sample's lost bullets, restored as the Symbol-font glyph PDF extractors leave.
lines = sample.split("\n")
pua = "\n".join(" \uf0b7 " + line[1:]
                if line.startswith(" ") and line[1:2].islower() and i and not lines[i - 1].strip()
                else line
                for i, line in enumerate(lines))
doc = same_as_clean("private-use-bullets", sample, pua.encode("utf-8"), "UTF-8",
                    keep_markers=False)
if doc:
    markers = {item["marker"] for s in doc["sections"] for sub in [s] + s["sections"]
               for b in sub["blocks"] if b["type"] == "list" for item in b["items"]}
    check(markers == {"\uf0b7"}, f"private-use bullets: markers {markers}")
double = sample.encode("utf-8").decode("cp1252").encode("utf-8")
doc = same_as_clean("double-encoded", sample, double, "UTF-8")
if doc:
    check([w["code"] for w in doc["warnings"]] == ["mojibake-repaired"],
          f"double-encoded: warnings {doc['warnings']}")
# Forced: the bytes are decoded as told, and the output says so.
doc = same_as_clean("forced-ibm850", hyphens, hyphens.encode("cp850"), "IBM850",
                    options=("--encoding", "IBM850"))
if doc:
    check(doc["source"]["encoding_detected"] is False, "forced: encoding_detected is not false")

# Short documents (1-2 KB) must still be told apart.
for name in sorted(os.listdir(fixtures)):
    if not name.endswith(".txt"):
        continue
    text = open(os.path.join(fixtures, name), encoding="utf-8").read()
    if not any(c in text for c in "åäöÅÄÖ"):
        continue
    short = text[:1500].rsplit("\n", 1)[0] + "\n"
    short_hyphens = short.replace("\u2013", "-").replace("\u2014", "-")
    for codec, expected in (("cp850", "IBM850"), ("mac_roman", "macintosh"),
                            ("cp1252", "windows-1252")):
        try:
            data = short_hyphens.encode(codec)
        except UnicodeEncodeError:
            continue  # a character this code page cannot hold
        same_as_clean(f"short-{name}-{codec}", short_hyphens, data, expected)

# Bad input: rejected with the file named and why, or decoded with a warning.
rc, doc, err = extract("random.bin", os.urandom(20000))
check(rc == 1 and "random.bin" in err and "not a text document" in err,
      f"random bytes: exit {rc}: {err.strip()}")
rc, doc, err = extract("nuls.bin", b"\x00" * 5000)
check(rc == 1 and "nuls.bin" in err and "NUL" in err, f"NULs: exit {rc}: {err.strip()}")
rc, doc, err = extract("controls.bin", bytes(range(1, 32)) * 200)
check(rc == 1 and "not a text document" in err, f"control bytes: exit {rc}: {err.strip()}")
truncated = sample.encode("utf-16-le")[:-1]
rc, doc, err = extract("truncated-utf16.txt", truncated)
check(rc == 0 and doc["source"]["encoding"] == "UTF-16LE"
      and [w["code"] for w in doc["warnings"]] == ["undecodable-bytes"],
      f"truncated UTF-16: exit {rc}: {err.strip()} {doc and doc['warnings']}")
broken = sample.encode("utf-8")
middle = broken.index("Folkhälsoarbete".encode("utf-8"))
broken = broken[:middle] + b"\xff\xfe" + broken[middle:]
rc, doc, err = extract("bad-bytes-in-utf8.txt", broken)
check(rc == 0 and doc["source"]["encoding"] == "UTF-8", f"bad bytes in UTF-8: exit {rc}: {err}")
if doc:
    warning = doc["warnings"][0] if doc["warnings"] else {}
    check(warning.get("code") == "undecodable-bytes" and str(middle) in warning.get("message", ""),
          f"bad bytes in UTF-8: warning {warning}")
    check(len(doc["goals"]) == 8, "bad bytes in UTF-8: the goals are lost")

finish()
