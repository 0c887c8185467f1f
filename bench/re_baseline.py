#!/usr/bin/python3
"""re_baseline.py FILE [--compact] - the yardstick of bench/bench.py: a plain,
line-oriented Python `re` script that does a simpler version of styrdok's
extraction and writes similar JSON to stdout.

It decodes UTF-8 (windows-1252 when that fails), normalises to NFC, and
classifies each line with a handful of regular expressions in order, first
match wins: blank, page number, numbered / Markdown / all-caps heading,
list item, goal line ("Mål 16 Fredliga ..."), else running text.  Wrapped
lines are joined into paragraphs, items into lists, headings into a section
tree by level; goal references are collected with their lines.  No layout
measurement, no states or neighbour conditions, no schema validation: it is
what a hurried script would do, and styrdok is measured against it."""
import hashlib
import json
import os
import re
import sys
import unicodedata

BLANK = re.compile(r"^\s*$")
PAGE_NUMBER = re.compile(r"^\s*(?:(?i:sida|sid\.|s\.)\s*\d{1,4}(?:\s*(?i:av)\s*\d{1,4})?|\d{1,4}\s*\(\d{1,4}\)|-\s*\d{1,4}\s*-|\d{1,4})\s*$")
NUMBERED_HEADING = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,5})\.?\s+(\S.{0,100}?)\s*$")
MARKDOWN_HEADING = re.compile(r"^\s*(#{1,6})\s+(.+?)\s*#*\s*$")
CAPS_HEADING = re.compile(r"^\s*([A-ZÅÄÖÉ][A-ZÅÄÖÉ0-9 ,&/–-]{2,80})\s*$")
SHORT_HEADING = re.compile(r"^\s*([A-ZÅÄÖÉ][^.!?:;,]{1,60})\s*$")
ITEM = re.compile(r"^\s*([•▪●◦‣⁃∙·■□►▶➢➤✓✔*–—-]|\d{1,2}[.)]|[a-z][.)])\s+(.+?)\s*$")
GOAL = re.compile(r"(?i:\bmål)\s+(\d{1,2})\b[:.]?\s*([A-ZÅÄÖ][^.;]{2,80})?")
SENTENCE_END = re.compile(r"[.!?:]\s*$")


def decode(raw):
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("windows-1252", errors="replace")
    return unicodedata.normalize("NFC", text.lstrip("\ufeff"))


def extract(path):
    raw = open(path, "rb").read()
    lines = decode(raw).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    root = {"blocks": [], "sections": [], "level": 0}
    stack = [root]
    title = None
    goals, furniture = [], []
    paragraph = None
    current_list = None

    def close_paragraph():
        nonlocal paragraph
        if paragraph:
            stack[-1]["blocks"].append({"type": "paragraph", "text": " ".join(paragraph["text"]),
                                        "lines": [paragraph["first"], paragraph["last"]]})
        paragraph = None

    previous_blank = True
    for number, line in enumerate(lines, 1):
        after_blank, previous_blank = previous_blank, False
        if BLANK.match(line):
            previous_blank = True
            close_paragraph()
            current_list = None
            continue
        if PAGE_NUMBER.match(line):
            furniture.append({"kind": "page_number", "text": line.strip(), "lines": [number, number]})
            continue
        for m in GOAL.finditer(line):
            goals.append({"goal": int(m.group(1)), "title": m.group(2), "line": number})
        heading = None
        m = NUMBERED_HEADING.match(line)
        if m and not SENTENCE_END.search(line):
            heading = (m.group(1), m.group(2), m.group(1).count(".") + 1)
        elif (m := MARKDOWN_HEADING.match(line)):
            heading = (None, m.group(2), len(m.group(1)))
        elif (m := CAPS_HEADING.match(line)):
            heading = (None, m.group(1).strip(), 1)
        elif title is not None and after_blank and (m := SHORT_HEADING.match(line)):
            heading = (None, m.group(1).strip(), 2)
        if heading and title is not None:
            close_paragraph()
            current_list = None
            section = {"heading": heading[1], "number": heading[0], "level": heading[2],
                       "lines": [number, number], "blocks": [], "sections": []}
            while len(stack) > 1 and stack[-1]["level"] >= heading[2]:
                stack.pop()
            stack[-1]["sections"].append(section)
            stack.append(section)
            continue
        m = ITEM.match(line)
        if m:
            close_paragraph()
            if current_list is None:
                current_list = {"type": "list", "items": [], "lines": [number, number]}
                stack[-1]["blocks"].append(current_list)
            current_list["items"].append({"text": m.group(2), "marker": m.group(1),
                                          "lines": [number, number]})
            current_list["lines"][1] = number
            continue
        current_list = None
        if title is None:
            title = line.strip()
            continue
        if paragraph is None:
            paragraph = {"text": [], "first": number}
        paragraph["text"].append(line.strip())
        paragraph["last"] = number
        if SENTENCE_END.search(line) and len(line) < 60:
            close_paragraph()
    close_paragraph()
    return {
        "format": "styrdok/1",
        "source": {"name": os.path.basename(path), "bytes": len(raw),
                   "sha256": hashlib.sha256(raw).hexdigest(), "lines": len(lines)},
        "title": title,
        "blocks": root["blocks"],
        "sections": root["sections"],
        "goals": goals,
        "furniture": furniture,
        "warnings": [],
    }


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: re_baseline.py FILE [--compact]")
    doc = extract(sys.argv[1])
    if "--compact" in sys.argv[2:]:
        json.dump(doc, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    else:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


main()
