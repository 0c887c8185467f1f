#!/usr/bin/python3
"""relay.py OUTDIR GOLD_JSON... - re-lays every labelled document that is
not flat into the layouts it did not come in, with its labels carried over,
so a real document is also read as a Word export, a PDF extraction and a
DOS-era file.  Writes OUTDIR/<layout>/<name> and OUTDIR/gold-relay.json
(the labels of every variant, in gold.json's format plus "layout",
"split", "relay_of" (the source), "relay_text" (the content laid out),
"relay_furniture" (the page furniture added), "relay_line_map" (source line
-> first and last re-laid line) and "goals_optional").  bench/quality.py
--relay runs it into a temporary directory and scores what it writes.

The labels say which lines are the title, headings and list items (their
texts are found in the file); the other lines are paragraphs, except page
furniture of the source's own layout (page numbers, underlines, lines that
repeat on every page), which is left out: each layout brings its own.
Layouts:
  word         Word "save as plain text": one line per paragraph, no blank
               lines, "•<TAB>" and "1.<TAB>" list markers, windows-1252, CRLF
  pdf          pdftotext: wrapped at 75-90 columns, some long words hyphenated
               at line ends, 45-line pages ending in a form feed, a running
               header (organisation and title, not always the whole title),
               "Sida N av M" footers, U+F0B7 bullets, blank lines between
               paragraphs
  pdf-noblank  the same in reading order, with no blank lines
  dos          IBM850, CRLF, wrapped at 76, headings centred in 78 columns
               and underlined with dashes, "- N -" page numbers
Label texts go through the layout's character set as the document does;
goal references are re-mapped through the line map kept while laying out."""
import json
import os
import re
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quality import MARKER, norm, split_lines  # noqa: E402

LAYOUTS = ("word", "pdf", "pdf-noblank", "dos")
# A document is not re-laid into the layout it came in.
SAME = {"word": {"word"}, "pdf": {"pdf"}, "pdf-noblank": {"pdf"}, "dos": {"dos"}}
ENCODING = {"word": "cp1252", "pdf": "utf-8", "pdf-noblank": "utf-8", "dos": "cp850"}
NEWLINE = {"word": "\r\n", "pdf": "\n", "pdf-noblank": "\n", "dos": "\r\n"}
# What a DOS-era file has for the typography IBM850 lacks; Word's code page has all of it but U+F0B7.
DOS_CHARS = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u201d": '"', "\u201c": '"',
                           "\u201e": '"', "\u2019": "'", "\u2018": "'", "\u2026": "...", "\u2022": "-",
                           "\uf0b7": "-", "\u00a0": " "})
WORD_CHARS = str.maketrans({"\uf0b7": "\u2022"})

PAGE_FURNITURE = re.compile(r"^(?:(?:sida\s+)?\d+(?:\s*(?:av|/)\s*\d+)?|\d+\s*\(\s*\d+\s*\)|-\s*\d+\s*-|"
                            r"[-=_*~.\u2013\u2014]{3,})$", re.I)
SUSPENDED = {"och", "eller", "samt", "respektive", "resp", "som", "till"}


def decode(data):
    """The source as text: a BOM's encoding, else UTF-8, else the 8-bit code page that gives more å ä ö."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = max(("cp1252", "cp850"), key=lambda e: sum(data.decode(e).count(c) for c in "åäöÅÄÖ"))
    return data.decode(best)


def clean(line):
    """A source line without layout: page breaks, runs of spaces, Markdown's bold markers and footnote
    references (markup, not text)."""
    return " ".join(re.sub(r"\*\*|__|\[\^\d+\]", "", line.replace("\f", " ")).split())


def join(pieces):
    """Lines joined into one text, a line-end hyphen inside a word joined ("verksam-" + "heten"), a suspended
    one kept ("hälso-" + "och"): (text, start offset of each piece)."""
    text, starts = "", []
    for p in pieces:
        if not text:
            starts.append(0)
            text = p
        elif re.search(r"\w-$", text) and re.match(r"[a-zåäö]", p) and p.split()[0].strip(",.") not in SUSPENDED:
            text = text[:-1]
            starts.append(len(text))
            text += p
        else:
            text += " "
            starts.append(len(text))
            text += p
    return text, starts


def strip_marker(line):
    """(marker, rest) of a list item's first line; the marker is None when the bullet was lost."""
    m = MARKER.match(line)
    if not m or line.lstrip().startswith("#"):
        return None, line
    return m.group(0).strip(), line[m.end():]


def continues(prev, line):
    """Whether line goes on the paragraph prev ends: it starts in lower case, or prev is a long line cut
    mid-sentence (a web page's short lines are paragraphs of their own); a line that opens with a list
    marker no label names starts a paragraph of its own."""
    if re.match(r"(?:[•\u2022\uf0b7*\-–]|\(?\d+(?:\.\d+)*[.)]|[a-z][.)])\s", line):
        return False
    return bool(re.match(r"[a-zåäöé(,]", line)) or (len(prev) >= 60 and not re.search(r"[.!?:;]$", prev))


# The numbers before a goal number in "mål 4, 8 och 10".
LIST_BEFORE = re.compile(r"(?i)\b(?:mål|målen)\s+(?:nr\.?\s+|nummer\s+)?\d+(?:\s*(?:,|och|samt|eller|&)\s*\d+)*"
                         r"\s*(?:,|och|samt|eller|&)\s*$")


class Unit:
    """A title, heading, list item, paragraph or line of its own ("plain"), with its source lines."""

    def __init__(self, kind, pieces, marker=None):
        self.kind, self.marker = kind, marker
        self.src = [n for n, _ in pieces]
        self.text, self.starts = join([p for _, p in pieces])
        self.pieces = [p for _, p in pieces]

    def positions(self, line, goal):
        """Offsets in the text of the references to goal `goal` on source line `line`, each with the offset
        of the goal's number when the reference starts before it ("Mål 6", "mål 4, 8 och 10": a reference
        starts at its "mål"): each mention after a "mål" or in its list ("Mål 6 ... och mål 6" may come
        apart in another layout), or the first mention, or the line's start if the number is not there."""
        i = self.src.index(line)
        piece = self.pieces[i]
        found = list(re.finditer(rf"(?:\b(?:mål|målen|goal|sdg)\s+(?:nr\.?\s+|nummer\s+)?)?(?<!\d){goal}(?!\d)",
                                 piece, re.I))
        out = []
        for m in found:
            number = m.end() - len(str(goal))
            window = piece[max(0, m.start() - 60):m.start()]
            listed = LIST_BEFORE.search(window)
            if re.match(r"(?i)mål|goal|sdg", m.group()):
                out.append((m.start(), number))
            elif listed:
                out.append((m.start() - len(window) + listed.start(), number))
        if not out:
            out = [(m.start(), m.start()) for m in found[:1]] or [(0, 0)]
        return [(self.starts[i] + a, self.starts[i] + b) for a, b in out]


def label_unit(pieces, units, title, headings, items, opt_headings, opt_items, optional):
    """The unit the source lines `pieces` are if the labels name them (the pools lose what is taken):
    required labels first, optional ones in a second pass."""
    bare = [(m, re.sub(r"^#+\s*", "", p)) for m, p in pieces]
    forms = {norm(join([p for _, p in bare])[0]), norm(" ".join(p for _, p in bare)),
             norm(" ".join([bare[0][1]] + [strip_marker(p)[1] for _, p in bare[1:]]))}  # a bullet astray
    marker, rest = strip_marker(pieces[0][1])
    as_item = [(pieces[0][0], rest)] + pieces[1:]
    if optional:
        if forms & opt_items:
            # Neither required nor penalised: a list item only if the source marks it as one.
            return Unit("item", as_item, marker) if marker else Unit("plain", bare)
        return Unit("plain", bare) if len(pieces) == 1 and forms & opt_headings else None
    if title and not any(u.kind == "title" for u in units) and title in forms:
        return Unit("title", bare)
    heading = next((x for x in headings if x in forms), None)
    item = next((x for x in items if x in forms), None)
    if heading and item:
        # The same text labelled both ways: the one next in document order, else a list's context.
        prev = units[-1] if units else None
        context = prev is not None and (prev.kind == "item" or re.search(r"[:;]$", prev.text))
        if (items[0] == item) != (headings[0] == heading):
            heading, item = (None, item) if items[0] == item else (heading, None)
        elif context:
            heading = None
        else:
            item = None
    if heading:
        headings.remove(heading)
        return Unit("heading", bare)
    if item:
        items.remove(item)
        return Unit("item", as_item, marker)
    return None


def segment(text, gold, cs=lambda s: s):
    """The source's units in order (its text through the character set cs), the lines left out as the
    source's own page furniture, and the labelled headings and items not found in the source."""
    raw = split_lines(text)
    lines = [cs(clean(x)) for x in raw]

    def at_page_break(i):
        return any("\f" in raw[j] or (lines[j] and PAGE_FURNITURE.match(lines[j]))
                   for j in range(max(0, i - 2), min(len(raw), i + 3)) if j != i)
    # A running header or footer: a line repeated at every page break (not a list intro said thrice).
    at = {}
    for i, x in enumerate(lines):
        at.setdefault(x, []).append(i)
    repeated = {x for x, where in at.items() if x and len(where) >= 3 and all(map(at_page_break, where))}
    headings = [norm(cs(h)) for h in gold.get("headings", [])]
    items = [norm(cs(x)) for x in gold.get("list_items", [])]
    opt_headings = {norm(cs(h)) for h in gold.get("headings_optional", [])}
    opt_items = {norm(cs(x)) for x in gold.get("list_items_optional", [])}
    title = norm(cs(gold["title"])) if gold.get("title") else None
    units, dropped = [], []
    i, after_blank = 0, True
    while i < len(lines):
        line, n = lines[i], i + 1
        if not line:
            i, after_blank = i + 1, True
            continue
        span = []  # the following non-blank lines, for labels that wrap
        for j in range(i, min(i + 8, len(lines))):
            if not lines[j]:
                break
            span.append((j + 1, lines[j]))
        found = None
        for optional_pass in (False, True):
            for k in range(1, len(span) + 1):
                found = label_unit(span[:k], units, title, headings, items, opt_headings, opt_items,
                                   optional_pass)
                if found:
                    break
            if found:
                break
        if found:
            units.append(found)
            i, after_blank = i + len(found.src), False
            continue
        if PAGE_FURNITURE.match(line) or line in repeated:
            dropped.append(n)
            i += 1
            continue
        last = units[-1] if units else None
        if last and last.kind == "para" and not after_blank and continues(last.pieces[-1], line):
            units[-1] = Unit("para", list(zip(last.src, last.pieces)) + [(n, line)])
        else:
            units.append(Unit("para", [(n, line)]))
        i, after_blank = i + 1, False
    return units, dropped, headings + items


# ---- layouts: each gives [(text, unit index or None, start, end)] and the furniture it added ----

VOWELS = set("aeiouyåäöéAEIOUYÅÄÖÉ")
DIGRAPHS = {"ng", "ck", "sj", "tj", "kj", "ch"}


def syllable_break(word, most):
    """The last place at most `most` letters in where a hyphen may split word (before a consonant and a
    vowel, not inside ng, ck, sj ..., four letters on each side), or None."""
    for k in range(min(most, len(word) - 4), 3, -1):
        if word[k] not in VOWELS and word[k + 1] in VOWELS and word[k - 1:k + 1].lower() not in DIGRAPHS:
            return k
    return None


def wrap(text, width, hyphenate):
    """Lines of at most width columns (a longer word stands alone): [(line, start, end)] in text; with
    hyphenate, a long word that does not fit is split with a hyphen where a syllable break leaves room
    (so some are), as PDF typesetting does."""
    out = []
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    line, start, end = "", 0, 0
    for pos, w in words:
        while True:
            if not line:
                line, start, end = w, pos, pos + len(w)
                break
            room = width - len(line) - 1
            if len(w) <= room:
                line += " " + w
                end = pos + len(w)
                break
            core = w.rstrip(",.;:!?)")
            if hyphenate and room >= 5 and len(core) >= 10 and core.isalpha():
                cut = syllable_break(core, room - 1)
                if cut:
                    out.append((line + " " + w[:cut] + "-", start, pos + cut))
                    pos, w = pos + cut, w[cut:]
                    line = ""
                    continue
            out.append((line, start, end))
            line = ""
    if line or not out:
        out.append((line, start, end))  # an empty text is still one line, so every unit has a place
    return out


def word_marker(marker):
    if marker and re.match(r"\(?\d", marker):
        return re.sub(r"\D", "", marker.split(".")[0]) + "."
    if marker and re.match(r"[a-z][.)]", marker, re.I):
        return marker[0] + ")"
    return "\u2022"


def lay_word(units):
    out = []
    for u, unit in enumerate(units):
        prefix = word_marker(unit.marker) + "\t" if unit.kind == "item" else ""
        out.append((prefix + unit.text, u, 0, len(unit.text)))
    return out, []


def paginate(body, per_page, top, bottom):
    """body lines into pages of per_page lines with top(page) and bottom(page, pages) furniture lines."""
    pages, page = [], []
    for line in body:
        if not page and line[1] is None and not line[0]:
            continue  # no blank line at the top of a page
        page.append(line)
        if len(page) == per_page:
            pages.append(page)
            page = []
    if page or not pages:
        pages.append(page)
    out, furniture = [], []
    for k, page in enumerate(pages, 1):
        for text in top(k):
            out.append((text, None, 0, 0))
            if text.strip():
                furniture.append((len(out), text))
        out += page
        for text in bottom(k, len(pages)):
            out.append((text, None, 0, 0))
            if text.strip():
                furniture.append((len(out), text))
    return out, furniture


def lay_pdf(units, head, blank, width):
    body = []
    for u, unit in enumerate(units):
        prefix = ""
        if unit.kind == "item":
            m = word_marker(unit.marker)
            prefix = "\uf0b7 " if m == "\u2022" else m + " "
        rows = wrap(unit.text, width - len(prefix), unit.kind == "para")
        for r, (text, start, end) in enumerate(rows):
            body.append(((prefix if r == 0 else "") + text, u, start, end))
        nxt = units[u + 1].kind if u + 1 < len(units) else None
        if blank and not (unit.kind == "item" and nxt == "item"):
            body.append(("", None, 0, 0))
    pad = [""] if blank else []
    return paginate(body, 45 - 2 - 2 * len(pad),
                    lambda k: [("\f" if k > 1 else "") + head] + pad,
                    lambda k, n: pad + [f"Sida {k} av {n}"])


def centre(text):
    return " " * max(0, (78 - len(text)) // 2) + text


def lay_dos(units):
    body = []
    for u, unit in enumerate(units):
        if unit.kind in ("title", "heading"):
            rows = wrap(unit.text, 70, False)
            if body and body[-1][0]:
                body.append(("", None, 0, 0))
            for text, start, end in rows:
                body.append((centre(text), u, start, end))
            rule = "=" if unit.kind == "title" else "-"
            body.append((centre(rule * max(len(t) for t, _, _ in rows)), None, 0, 0))
            body.append(("", None, 0, 0))
            continue
        if unit.kind == "item":
            m = word_marker(unit.marker)
            first = "  - " if m == "\u2022" else f"  {m} "
            rows = wrap(unit.text, 76 - len(first), False)
            for r, (text, start, end) in enumerate(rows):
                body.append(((first if r == 0 else " " * len(first)) + text, u, start, end))
            if not (u + 1 < len(units) and units[u + 1].kind == "item"):
                body.append(("", None, 0, 0))
            continue
        for text, start, end in wrap(unit.text, 76, False):
            body.append((text, u, start, end))
        body.append(("", None, 0, 0))
    return paginate(body, 56, lambda k: [], lambda k, n: ["", centre(f"- {k} -"), ""])


# ---- one document ----

def charset(layout):
    """The layout's character set applied to a text, as its file will hold it."""
    enc = ENCODING[layout]
    table = DOS_CHARS if layout == "dos" else WORD_CHARS if layout == "word" else {}

    def apply(s):
        return s.translate(table).encode(enc, errors="replace").decode(enc) if isinstance(s, str) else s
    return apply


def running_header(name, gold, text):
    """Organisation and title as a PDF's page header has them: the whole title or its first words."""
    org = (gold.get("metadata") or {}).get("organisation") or ""
    if org:
        m = re.search(re.escape(org), text, re.I)
        org = m.group(0) if m else org[0].upper() + org[1:]
    title = gold.get("title") or (gold.get("headings") or ["Styrdokument"])[0]
    if zlib.crc32(name.encode()) % 2:
        title = " ".join(title.split()[:4])
    return (org + "    " + title).strip()


def relay_document(name, gold, data, layout):
    """(file bytes, labels) of one document in one layout, or None if it is not re-laid."""
    text = decode(data)
    cs = charset(layout)
    # The layout's character set first, so the line map's offsets are those of the text laid out.
    units, dropped, unfound = segment(text, gold, cs)
    head = cs(running_header(name, gold, text))
    width = 75 + zlib.crc32(name.encode()) % 16
    if layout == "word":
        lines, furniture = lay_word(units)
    elif layout.startswith("pdf"):
        lines, furniture = lay_pdf(units, head, layout == "pdf", width)
    else:
        lines, furniture = lay_dos(units)
    if layout.startswith("pdf"):
        lines.append(("\f", None, 0, 0))
    body = NEWLINE[layout].join(t for t, _, _, _ in lines)
    if not layout.startswith("pdf"):
        body += NEWLINE[layout]
    where = {}
    for n, (_, u, start, end) in enumerate(lines, 1):
        if u is not None:
            where.setdefault(u, []).append((start, end, n))

    def remap(line, goal):
        """[(line, line of its number)] in the re-laid file of the reference(s) to goal on source line
        `line`, in order."""
        for u, unit in enumerate(units):
            if line in unit.src:
                rows = where[u]

                def at(pos):
                    return next((n for start, end, n in rows if start <= pos < end), rows[-1][2])
                return [(at(a), at(b)) for a, b in unit.positions(line, goal)]
        return []
    labels = {k: cs(gold[k]) for k in ("title",) if k in gold}
    for k in ("headings", "headings_optional", "list_items", "list_items_optional"):
        labels[k] = [cs(x) for x in gold.get(k, [])]
    lost = []
    optional = set()
    for k in ("goals_lines", "goals_prose"):
        labels[k] = []
        for line, goal in gold.get(k, []):
            found = remap(line, goal)
            if not found:
                lost.append([line, goal])
            labels[k] += [[n, goal] for n, _ in found[:1]]
            # The source's label was for its line: a second mention there ("mål 6 och 15 ... mål 15
            # omfattar") that wraps onto another line is as right as the first, and not required; so is
            # the line of a number that wrapped away from its "mål".
            optional |= {(n, goal) for n, _ in found[1:]} | {(n, goal) for _, n in found}
    labels["goals_optional"] = sorted([n, goal] for n, goal in optional
                                      if [n, goal] not in labels["goals_lines"] + labels["goals_prose"])
    labels["not_goals"] = sorted({n for line in gold.get("not_goals", []) for n, _ in remap(line, 0)[:1]})
    if gold.get("metadata"):
        labels["metadata"] = {k: cs(v) for k, v in gold["metadata"].items()}
    if gold.get("list_roles"):
        labels["list_roles"] = [dict(lr, first_item=cs(lr["first_item"])) for lr in gold["list_roles"]]
    texts = [unit.text for unit in units] + [word_marker(u.marker) for u in units if u.kind == "item"]
    # The line map: each source line's text, the re-laid lines it is on (first, last).
    line_map = {}
    for u, unit in enumerate(units):
        for line, start, piece in zip(unit.src, unit.starts, unit.pieces):
            on = [n for s, e, n in where[u] if s < start + len(piece) and start < e] or [where[u][0][2]]
            line_map[str(line)] = [min(on), max(on)]
    labels.update(layout=layout, split=gold.get("split"), relay_of=name, relay_text=texts, relay_line_map=line_map,
                  relay_furniture=[[n, t] for n, t in furniture], relay_source_lines_left_out=dropped)
    if lost:
        labels["relay_goals_left_out"] = lost
    if unfound:
        labels["relay_labels_not_found"] = unfound
    return body.encode(ENCODING[layout], errors="replace"), labels


def relay_all(entries, outdir):
    """Re-lays [(name, gold, path)] into outdir; returns and writes the labels of every variant."""
    out = {"_about": "Labels of re-laid documents written by bench/relay.py; see its docstring."}
    for name, gold, path in entries:
        if gold.get("flat"):
            continue
        data = open(path, "rb").read()
        for layout in LAYOUTS:
            if (gold.get("layout") or "") in SAME[layout]:
                continue
            body, labels = relay_document(name, gold, data, layout)
            rel = os.path.join(layout, name if name.endswith(".txt") else name + ".txt")
            os.makedirs(os.path.join(outdir, layout), exist_ok=True)
            with open(os.path.join(outdir, rel), "wb") as f:
                f.write(body)
            labels["file"] = rel
            out[f"{layout}/{name}"] = labels
    with open(os.path.join(outdir, "gold-relay.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    return {k: v for k, v in out.items() if not k.startswith("_")}


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    outdir, entries = sys.argv[1], []
    for gold_path in sys.argv[2:]:
        labels = json.load(open(gold_path, encoding="utf-8"))
        base = os.path.dirname(gold_path)
        for name, gold in labels.items():
            if not name.startswith("_"):
                path = os.path.normpath(os.path.join(base, gold["file"])) if "file" in gold \
                    else os.path.join(base, "raw", name)
                entries.append((name, gold, path))
    done = relay_all(entries, outdir)
    print(f"{len(done)} re-laid documents in {outdir}")


if __name__ == "__main__":
    main()
