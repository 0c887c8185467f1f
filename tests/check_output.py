#!/usr/bin/python3
"""check_output.py STYRDOK SCHEMA INPUT - independent checks of one document's
output: schema validity with Debian's python3-jsonschema (not styrdok's own
validator), and the output contract's invariants: every non-blank input line
covered, lines in range, spans that decode back to their element's text,
NFC and collapsed whitespace, source facts, section levels, the goals index,
compact = indented, and byte-identical reruns."""
import hashlib
import json
import re
import subprocess
import sys
import unicodedata

import jsonschema

from spans import PYTHON_CODEC, span_errors

INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))
failures = []


def fail(message):
    failures.append(message)


def run(args):
    return subprocess.run(args, capture_output=True, check=False)


def input_lines(raw, encoding):
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    text = raw.decode(PYTHON_CODEC.get(encoding, encoding), errors="replace")
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def walk_strings(value, path):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk_strings(v, f"{path}/{i}")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from walk_strings(v, f"{path}/{k}")


def main():
    styrdok, schema_path, input_path = sys.argv[1:4]
    first = run([styrdok, "extract", input_path])
    if first.returncode != 0:
        print(f"styrdok extract failed ({first.returncode}): {first.stderr.decode()}")
        return 1
    second = run([styrdok, "extract", input_path])
    if second.stdout != first.stdout:
        fail("two runs gave different bytes")
    compact = run([styrdok, "extract", "--compact", input_path])
    if compact.stdout.count(b"\n") != 1 or not compact.stdout.endswith(b"\n"):
        fail("--compact output is not one line")
    doc = json.loads(first.stdout)
    if json.loads(compact.stdout) != doc:
        fail("--compact output differs from the indented output")

    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    for error in jsonschema.Draft7Validator(schema).iter_errors(doc):
        fail(f"schema: at /{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}")

    raw = open(input_path, "rb").read()
    lines = input_lines(raw, doc["source"]["encoding"])
    src = doc["source"]
    if src["bytes"] != len(raw):
        fail(f"source.bytes is {src['bytes']}, the file has {len(raw)}")
    if src["sha256"] != hashlib.sha256(raw).hexdigest():
        fail("source.sha256 is not the input's digest")
    if src["lines"] != len(lines):
        fail(f"source.lines is {src['lines']}, the file has {len(lines)}")

    covered = set()

    def cover(span, where):
        a, b = span
        if not 1 <= a <= b <= len(lines):
            fail(f"{where}: lines {span} out of range 1..{len(lines)}")
        covered.update(range(a, b + 1))

    goal_refs = []

    def blocks(items, where):
        for i, b in enumerate(items):
            w = f"{where}/blocks/{i}"
            cover(b["lines"], w)
            for j, item in enumerate(b.get("items", [])):
                cover(item["lines"], f"{w}/items/{j}")
                if not b["lines"][0] <= item["lines"][0] <= item["lines"][1] <= b["lines"][1]:
                    fail(f"{w}/items/{j}: lines {item['lines']} outside the block's {b['lines']}")
                if b["type"] == "goals":
                    goal_refs.append(item)

    def sections(items, where, parent_level):
        for i, s in enumerate(items):
            w = f"{where}/sections/{i}"
            cover(s["lines"], w)
            if s["level"] <= parent_level:
                fail(f"{w}: level {s['level']} is not deeper than its parent's {parent_level}")
            blocks(s["blocks"], w)
            sections(s["sections"], w, s["level"])

    blocks(doc["blocks"], "")
    sections(doc["sections"], "", 0)
    for i, f in enumerate(doc["furniture"]):
        cover(f["lines"], f"/furniture/{i}")
    for n, line in enumerate(lines, 1):
        if line.translate(INVISIBLE).strip() and n not in covered:
            fail(f"line {n} is not covered by any element: {line[:60]!r}")

    for ref in goal_refs:
        if ref not in doc["goals"]:
            fail(f"goal reference on line {ref['line']} is missing from the goals index")
    lines_seen = [g["line"] for g in doc["goals"]]
    if lines_seen != sorted(lines_seen):
        fail("the goals index is not in document order")
    if doc["title"] is not None:
        title_blocks = [b for b in doc["blocks"] if b["type"] == "title"]
        if len(title_blocks) != 1:
            fail("a title needs exactly one title block in the root blocks")

    for message in span_errors(doc, raw):
        fail(message)

    for path, value in walk_strings(doc, ""):
        if unicodedata.normalize("NFC", value) != value:
            fail(f"{path}: not NFC")
        if path.endswith("/message") or value == "\f":  # a page break's text is the form feed
            continue
        if value != value.strip() or "  " in value or re.search(r"[\t\r\n\u00a0]", value):
            fail(f"{path}: whitespace not collapsed: {value[:60]!r}")

    for message in failures:
        print(f"{input_path}: {message}")
    print(f"{0 if failures else 1} passed, {1 if failures else 0} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
