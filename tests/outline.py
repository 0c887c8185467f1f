"""outline.py - a document's outline as the spec pages write it (one
element a line, in the order of their first lines), and the runner the spec
tests share: each example through `styrdok extract -`, its outline compared
line by line with the expected one."""
import json
import subprocess

from harness import check, finish
from spec import examples


def span(lines):
    return f"{lines[0]}-{lines[1]}" if lines[0] != lines[1] else f"{lines[0]}"


def outline(doc, detail=False):
    """The outline of tests/layout_spec.md; with `detail` (tests/tree_spec.md)
    also each block's intro and each list item's marker as written ("-" for
    none)."""
    rows = []

    def intro(b):
        if detail and b.get("intro") is not None:
            rows.append((b["lines"][0], 1, f"intro {b['intro']}"))

    def items(list_items, depth):
        for it in list_items:
            marker = f"[{it['marker'] if it['marker'] is not None else '-'}] " if detail else ""
            rows.append((it["lines"][0], 1,
                         ("sub" * depth) + f"item {span(it['lines'])} {marker}{it['text']}"))
            items(it.get("items", []), depth + 1)

    def blocks(bs):
        for b in bs:
            t = b["type"]
            if t == "title":
                rows.append((b["lines"][0], 0, f"title {span(b['lines'])} {doc['title']}"))
                if detail and b["text"] != doc["title"]:
                    rows.append((b["lines"][0], 1, f"as written {b['text']}"))
            elif t == "paragraph":
                rows.append((b["lines"][0], 0, f"paragraph {span(b['lines'])} {b['text']}"))
            elif t == "list":
                role = f" {b['role']}" if b["role"] else ""
                rows.append((b["lines"][0], 0, f"list {span(b['lines'])}{role}"))
                intro(b)
                items(b["items"], 0)
            elif t == "goals":
                rows.append((b["lines"][0], 0, f"goals {span(b['lines'])} " +
                             " ".join(str(g["goal"]) for g in b["items"])))
                intro(b)
            elif t == "toc":
                rows.append((b["lines"][0], 0, f"toc {span(b['lines'])}"))
                intro(b)
                for e in b["entries"]:
                    rows.append((e["lines"][0], 1, f"entry {e['number'] or '-'} {e['text']} "
                                 f"{e['page'] if e['page'] is not None else '-'}"))

    def sections(ss):
        for s in ss:
            number = f" {s['number']}" if s["number"] else ""
            rows.append((s["lines"][0], 0, f"heading {s['lines'][0]} {s['level']}{number} {s['heading']}"))
            blocks(s["blocks"])
            sections(s["sections"])

    blocks(doc["blocks"])
    sections(doc["sections"])
    for f in doc["furniture"]:
        rows.append((f["lines"][0], 0, f"furniture {span(f['lines'])} {f['kind']}"))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in rows]


def run(styrdok, page, detail=False, least=10):
    """Runs every example of `page` and finishes the test."""
    count = 0
    for where, text, expected in examples(open(page, encoding="utf-8").read()):
        count += 1
        # The examples are UTF-8 with LF; a form feed is written "<FF>", a tab "<TAB>".
        data = text.replace("<FF>", "\f").replace("<TAB>", "\t").encode()
        p = subprocess.run([styrdok, "extract", "-"], input=data, capture_output=True)
        if not check(p.returncode == 0, f"{page}:{where}: exit {p.returncode}: {p.stderr.decode()}"):
            continue
        got = outline(json.loads(p.stdout), detail)
        check(got == expected, f"{page}:{where}:\n  want:\n    " + "\n    ".join(expected) +
              "\n  got:\n    " + "\n    ".join(got))
    check(count >= least, f"{page}: only {count} examples were read")
    finish()
