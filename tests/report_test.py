#!/usr/bin/python3
"""report_test.py STYRDOK SOURCE_DIR - the review pages: `styrdok report` on
the sample (every heading, list item and goal present, every line tinted and
explained, nothing fetched from outside), hostile text escaped, the options
and errors, `styrdok batch --report` (counts, links, the 17 bars), and a
headless Chromium rendering of the sample to a PNG.  Chromium is required:
without it the test fails (scripts/setup.sh installs it)."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
import urllib.parse
import zlib
from html.parser import HTMLParser

import harness
from harness import check, finish

styrdok, source_dir = (os.path.abspath(a) for a in sys.argv[1:3])
fixtures = os.path.join(source_dir, "fixtures")
sample = os.path.join(fixtures, "policy-social-hallbarhet.txt")
hostile = os.path.join(source_dir, "tests", "report", "hostile.txt")
catalogue = json.load(open(os.path.join(source_dir, "rules", "agenda2030.json"), encoding="utf-8"))
official = {g["goal"]: g["name"] for g in catalogue["agenda2030"]}
work = tempfile.mkdtemp(prefix="styrdok-report-")




def run(*args, cwd=None, stdin=None):
    return subprocess.run([styrdok, *args], cwd=cwd, input=stdin, capture_output=True, check=False)


# ---- a small DOM, enough to ask questions of the pages ----

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.walk()

    def find_all(self, tag=None, cls=None, **attrs):
        return [n for n in self.walk() if (tag is None or n.tag == tag)
                and (cls is None or cls in n.classes())
                and all(n.attrs.get(k) == v for k, v in attrs.items())]

    def find(self, tag=None, cls=None, **attrs):
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None


class Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root
        self.doctype = None
        self.comments = []

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_comment(self, data):
        self.comments.append(data)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html):
    b = Builder()
    b.feed(html)
    b.close()
    return b


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


URL_ATTRS = {"src", "href", "action", "formaction", "srcset", "poster", "data", "background",
             "xlink:href", "manifest", "ping", "cite"}


def check_self_contained(html, what):
    """Nothing is fetched: no scheme or //host in any URL attribute, no
    external elements, no url() or @import in the style sheet."""
    dom = parse(html).root
    bad = [(n.tag, k, v) for n in dom.walk() for k, v in n.attrs.items()
           if k in URL_ATTRS and v is not None
           and (re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*:|//)", v) or v.strip().startswith("/"))]
    check(not bad, f"{what}: URL attributes that leave the file: {bad[:5]}")
    # Escaped document text has no "<": every tag in the raw text is the page's own.
    tags = re.findall(r"<[a-zA-Z][^>]*>", html)
    check(not [t for t in tags if re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", t, re.I)],
          f"{what}: a tag with an http(s):// or // src/href in the raw text")
    for tag in ("link", "img", "iframe", "object", "embed", "audio", "video", "base", "frame"):
        check(not dom.find_all(tag), f"{what}: has a <{tag}> element")
    scripts = dom.find_all("script")
    check(all("src" not in s.attrs for s in scripts), f"{what}: a script with src")
    style = "".join(s.text() for s in dom.find_all("style"))
    check(style and "url(" not in style and "@import" not in style and "@font-face" not in style,
          f"{what}: the style sheet fetches something (url(), @import, @font-face) or is missing")
    return dom


def lines_of(node):
    return [n for n in node.find_all("li") if "ln" in n.classes()]


# ---- the sample page ----
page_path = os.path.join(work, "page.html")
r = run("report", sample, "-o", page_path)
check(r.returncode == 0 and r.stderr == b"", f"report -o: exit {r.returncode}: {r.stderr!r}")
html = open(page_path, encoding="utf-8").read()
r_stdout = run("report", sample)
check(r_stdout.returncode == 0 and r_stdout.stdout.decode("utf-8") == html,
      "report without -o prints the same page to stdout")
check(run("report", sample, "-o", page_path).returncode == 0
      and open(page_path, encoding="utf-8").read() == html, "the page is the same on a rerun")
doc = json.loads(run("extract", sample).stdout)
explain = json.loads(run("explain", "--json", sample).stdout)

built = parse(html)
dom = check_self_contained(html, "sample page")
check(built.doctype and built.doctype.lower() == "doctype html", f"doctype: {built.doctype}")
html_el = dom.find("html")
check(html_el is not None and html_el.attrs.get("lang") == "sv", "<html lang=\"sv\">")
check(dom.find("meta", charset="utf-8") is not None, "<meta charset=\"utf-8\">")
check(dom.find("meta", name="viewport") is not None, "a viewport meta element")
check(doc["title"] in dom.find("title").text(), "the document title is in <title>")
h1 = dom.find_all("h1")
check(len(h1) == 1 and norm(h1[0].text()) == doc["title"], f"one h1, the title: {[n.text() for n in h1]}")
h2 = [norm(n.text()) for n in dom.find_all("h2")]
check(h2 == ["Källtext", "Översikt"], f"h2 headings: {h2}")
h3 = [norm(n.text()) for n in dom.find_all("h3")]
for want in ("Titel", "Metadata", "Innehåll", "Fokusområden", "Agenda 2030", "Varningar"):
    check(want in h3, f"h3 {want!r} in the outline: {h3}")

# The top: source name, encoding, sha256 and counts.
header = dom.find("header")
header_text = norm(header.text())
src = doc["source"]
for fact in (src["name"], src["encoding"], src["sha256"], "4\u00a0552 byte", f"{src['lines']}"):
    check(fact in header.text(), f"the header shows {fact!r}")


def count_sections(sections):
    return sum(1 + count_sections(s["sections"]) for s in sections)


def all_blocks(d):
    out = list(d["blocks"])
    stack = list(d["sections"])
    while stack:
        s = stack.pop(0)
        out += s["blocks"]
        stack = s["sections"] + stack
    return out


blocks = all_blocks(doc)
lists = [b for b in blocks if b["type"] == "list"]
items = [i for b in lists for i in b["items"]]
focus = [i for b in lists if b["role"] == "focus_areas" for i in b["items"]]
counts = {"rubriker": count_sections(doc["sections"]),
          "stycken": sum(b["type"] == "paragraph" for b in blocks),
          "listor": len(lists), "listpunkter": len(items), "fokusområden": len(focus),
          "målreferenser": len(doc["goals"]),
          "av 17 mål": len({g["goal"] for g in doc["goals"]}),
          "sidelement": len(doc["furniture"]), "varningar": len(doc["warnings"])}
count_items = {norm(li.text()) for li in dom.find("ul", cls="counts").find_all("li")}
for label, n in counts.items():
    check(f"{n} {label}" in count_items, f"count '{n} {label}' at the top: {sorted(count_items)}")

# Every line: its number, a tint, focusable, the rule and element on hover/focus.
src_list = dom.find("ol", cls="src")
rows = lines_of(src_list)
check(len(rows) == src["lines"] == len(explain["lines"]),
      f"{len(rows)} source lines on the page, {src['lines']} in the document")
kinds = {"title": "k-title", "paragraph": "k-para", "list_intro": "k-intro",
         "goals_intro": "k-intro", "goal": "k-goal", "furniture": "k-furn"}
bad_lines = []
for row, info in zip(rows, explain["lines"]):
    n = info["line"]
    if row.attrs.get("id") != f"L{n}":
        bad_lines.append((n, "id", row.attrs.get("id")))
        continue
    if info.get("blank"):
        if "blank" not in row.classes() or "tabindex" in row.attrs:
            bad_lines.append((n, "blank", row.classes()))
        continue
    e = info["element"]
    want = kinds.get(e["type"])
    if e["type"] == "section":
        want = f"k-h{min(e['level'], 3)}"
    elif e["type"] == "list_item":
        want = "k-focus" if e["role"] == "focus_areas" else "k-item"
    if info.get("rule") is None:
        want = "k-none"
    tip = row.find("span", cls="tip")
    text = row.find("span", cls="tx")
    if want not in row.classes():
        bad_lines.append((n, "tint", row.classes(), want))
    elif row.attrs.get("tabindex") != "0":
        bad_lines.append((n, "tabindex", row.attrs.get("tabindex")))
    elif tip is None or info["rule"] not in tip.text() or info["state"] not in tip.text():
        bad_lines.append((n, "tip", tip and tip.text()))
    elif row.attrs.get("aria-describedby") != tip.attrs.get("id"):
        bad_lines.append((n, "aria-describedby"))
    elif text is None or text.text() != info["text"]:
        bad_lines.append((n, "text", text and text.text(), info["text"]))
check(not bad_lines, f"lines with a wrong id, tint, focus, tooltip or text: {bad_lines[:5]}")

# Every heading: in the section tree, linked to its line.
toc = dom.find("ol", cls="toc")
toc_links = {(norm(a.text()), a.attrs.get("href")) for a in toc.find_all("a")} if toc else set()


def headings(sections):
    for s in sections:
        yield s
        yield from headings(s["sections"])


for s in headings(doc["sections"]):
    label = norm(f"{s['number']} {s['heading']}" if s["number"] else s["heading"])
    check((label, f"#L{s['lines'][0]}") in toc_links, f"heading {label!r} in the section tree")
    row = src_list.find("li", id=f"L{s['lines'][0]}")
    check(row is not None and f"«{s['heading']}»" in row.find("span", cls="tip").text(),
          f"the line of heading {s['heading']!r} names it")
check(len(toc.find_all("a")) == count_sections(doc["sections"]), "the tree has one link per section")
nested = [li for li in toc.find_all("li") if li.find("ol")]
check(nested, "the section tree is nested (Bakgrund under Inledning)")

# Every list item: its line says so; every focus area is in the outline.
for item in items:
    row = src_list.find("li", id=f"L{item['lines'][0]}")
    check(row is not None and f"«{item['text']}»" in row.find("span", cls="tip").text(),
          f"list item {item['text']!r}: its line names it")
focus_links = {(norm(a.text()), a.attrs.get("href"))
               for ul in dom.find_all("ul", cls="focus-list") for a in ul.find_all("a")}
for item in focus:
    check((item["text"], f"#L{item['lines'][0]}") in focus_links,
          f"focus area {item['text']!r} in the outline, linked to its line")
check(len(focus_links) == len(focus), "no other focus areas in the outline")
focus_heads = [norm(h.text()) for h in dom.find_all("h4")]
check(focus_heads == ["Folkhälsoarbete", "Jämställdhetsarbete", "Integrationsarbete", "Trygghetsarbete"],
      f"focus areas grouped by section: {focus_heads}")

# The 17 goals by official name; the referenced ones marked and linked.
goal_list = dom.find("ol", cls="goals")
goal_items = goal_list.find_all("li") if goal_list else []
check(len(goal_items) == 17, f"17 goals listed: {len(goal_items)}")
referenced = {g["goal"] for g in doc["goals"]}
for n in range(1, 18):
    li = goal_list.find("li", id=f"G{n}")
    check(li is not None and norm(li.find("span", cls="gname").text()).startswith(official[n]),
          f"goal {n} by its official name {official[n]!r}")
    if li is None:
        continue
    check(("hit" in li.classes()) == (n in referenced), f"goal {n} marked iff referenced")
for g in doc["goals"]:
    li = goal_list.find("li", id=f"G{g['goal']}")
    check(li is not None and any(a.attrs.get("href") == f"#L{g['line']}" for a in li.find_all("a")),
          f"goal {g['goal']} links its reference on line {g['line']}")
for row in explain["lines"]:
    if row.get("element", {}) and row["element"]["type"] == "goal":
        line = src_list.find("li", id=f"L{row['line']}")
        check(line.find("span", cls="code").text() == f"M{row['element']['goal']}",
              f"line {row['line']} is marked as goal {row['element']['goal']}")

# Metadata with the lines they came from.
meta = dom.find("dl", cls="meta")
meta_text = norm(meta.text())
for key, field in doc["metadata"].items():
    if field:
        check(field["value"] in meta_text, f"metadata {key} = {field['value']!r} shown")
check(len(meta.find_all("dt")) == len(doc["metadata"]), "one metadata row per field, null ones too")

# Accessible and printable: focus styles, stacking, print, legend, skip link.
style = "".join(s.text() for s in dom.find_all("style"))
check(re.search(r"\.ln:focus\{[^}]*outline", style), "focused lines have an outline")
check(":focus-visible" in style, "links and controls have :focus-visible styles")
check("@media print" in style, "print styles")
check(re.search(r"@media \(min-width:[^)]*\)\{\.panes\{grid-template-columns", style),
      "two panes side by side on a wide screen only")
legend = dom.find("ul", cls="legend")
legend_text = norm(legend.text()) if legend else ""
for label in ("Titel", "Rubrik, nivå 1", "Rubrik, nivå 2", "Stycke", "Listintro", "Listpunkt",
              "Fokusområde", "Målreferens", "Sidelement", "Oklassificerad", "Varning"):
    check(label in legend_text, f"legend entry {label!r}")
skip = dom.find("a", cls="skip")
check(skip is not None and skip.attrs.get("href") == "#outline" and dom.find(id="outline"),
      "a skip link to the outline")
ids = [n.attrs["id"] for n in dom.walk() if "id" in n.attrs]
check(len(ids) == len(set(ids)), "ids are unique")
for a in dom.find_all("a"):
    href = a.attrs.get("href", "")
    if href.startswith("#"):
        check(href[1:] in ids, f"link {href} has a target")

# ---- warnings, targets and furniture in other fixtures ----
mp = run("report", os.path.join(fixtures, "miljoprogram-globala-mal.txt")).stdout.decode()
mdom = parse(mp).root
g13 = mdom.find("li", id="G13")
mismatch = g13.find("span", cls="mismatch") if g13 else None
check(mismatch is not None and "Klimatet" in mismatch.text(),
      "a name written otherwise than the official one is shown as a mismatch")
check(g13 is not None and "Bekämpa klimatförändringarna" in g13.text(), "… beside the official name")
row17 = mdom.find("li", id="L17")
wnote = row17.find("div", cls="wnote") if row17 is not None else None
check(row17 is not None and "warn" in row17.classes() and wnote is not None
      and norm(wnote.text()) == "Varning avvikande målnamn: mål 13 är skrivet «Klimatet», som varken "
      "är det officiella namnet «Bekämpa klimatförändringarna» eller ett känt alternativnamn"
      and wnote.find("span", cls="wcode").attrs.get("data-code") == "goal-title-mismatch",
      f"the warning is marked on its line with its message, in Swedish: {wnote and norm(wnote.text())}")
mp_doc = json.loads(run("extract", os.path.join(fixtures, "miljoprogram-globala-mal.txt")).stdout)
for w in mp_doc["warnings"]:
    check(w["message"] not in mp and w["message"].replace('"', "&quot;") not in mp,
          f"the English message of {w['code']} is not on the page")
hp = parse(run("report", os.path.join(fixtures, "hallbarhetsrapport-delmal.txt")).stdout.decode()).root
check(not hp.find_all("span", cls="mismatch"), "a target's title is not taken for a goal name")
check("delmål 3.1" in norm(hp.find("li", id="G3").text()), "targets are named in the goal list")
hp_warnings = [norm(li.text()) for li in hp.find("ul", cls="warnings").find_all("li")]
check(hp_warnings == ["rad 5 okänt delmål: delmål 3.15 är inte ett av delmålen för mål 3 och "
                      "räknas inte som en referens"], f"an unknown target, in Swedish: {hp_warnings}")

# Every warning the library words, in Swedish: repaired and undecodable
# bytes (one line and several), made here.
mojibake_one = os.path.join(work, "mojibake-1.txt")
open(mojibake_one, "wb").write("Policy för bibliotek\n\nHÃ¥llbarhet Ã¤r viktig fÃ¶r alla.\n"
                               .encode("utf-8"))
mojibake_two = os.path.join(work, "mojibake-2.txt")
open(mojibake_two, "wb").write("Policy för bibliotek\n\nHÃ¥llbarhet Ã¤r viktig.\n\nVÃ¥r kommun Ã¶ppnar.\n"
                               .encode("utf-8"))
bad_one = os.path.join(work, "undecodable-1.txt")
open(bad_one, "wb").write("Policy för bibliotek\n\nHållbarhet är viktig för alla i kommunen.\n".encode()
                          + b"Ett fel \xff h\xc3\xa4r.\n")
bad_two = os.path.join(work, "undecodable-2.txt")
open(bad_two, "wb").write("Policy för bibliotek\n\nHållbarhet är viktig för alla i kommunen.\n".encode()
                          + b"Fel \xff och \xfe h\xc3\xa4r.\n")
for path, swedish in ((mojibake_one, r"^rad 3 lagad teckenkodning: 1 rad innehöll UTF-8 som hade lästs "
                                     r"som windows-1252 och sparats igen \(»Ã¥« för »å«\); raden är lagad$"),
                      (mojibake_two, r"^rad 3–5 lagad teckenkodning: 2 rader innehöll UTF-8 .*raderna är lagade$"),
                      (bad_one, r"^rad 4 tecken som inte kunde avkodas: 1 bytesekvens som inte kunde "
                                r"avkodas är ersatt med U\+FFFD, vid byte \d+$"),
                      (bad_two, r"^rad 4 tecken som inte kunde avkodas: 2 bytesekvenser som inte kunde "
                                r"avkodas är ersatta med U\+FFFD, vid byte \d+, \d+$")):
    r = run("report", path)
    wdoc = json.loads(run("extract", path).stdout)
    page = parse(r.stdout.decode()).root
    shown = [norm(li.text()) for li in page.find("ul", cls="warnings").find_all("li")] \
        if page.find("ul", cls="warnings") else []
    check(r.returncode == 0 and len(shown) == 1 and re.match(swedish, shown[0]),
          f"{os.path.basename(path)}: the warning in Swedish: {shown}")
    check(all(w["message"] not in r.stdout.decode() for w in wdoc["warnings"]),
          f"{os.path.basename(path)}: no English message on the page")
pdf = parse(run("report", os.path.join(fixtures, "handlingsplan-pdf-skrap.txt")).stdout.decode()).root
furn = [li for li in lines_of(pdf) if "k-furn" in li.classes()]
check(len(furn) == 10, f"furniture lines tinted: {len(furn)}")
check(any(c.text() == "FF" for c in pdf.find_all("span", cls="ctl")),
      "a form feed is shown as a labelled box, not an invisible character")

# ---- hostile text ----
for path in (hostile, os.path.join(work, "a&b \"c\" <d>'e'.txt")):
    if path != hostile:
        shutil.copy(hostile, path)
    r = run("report", path)
    check(r.returncode == 0, f"report {os.path.basename(path)}: exit {r.returncode} {r.stderr!r}")
    raw = r.stdout.decode("utf-8")
    hdoc = json.loads(run("extract", path).stdout)
    hb = parse(raw)
    hdom = check_self_contained(raw, f"hostile page {os.path.basename(path)}")
    for bad in ("<script>alert", "<img src=x", "</textarea>", "<b>fet", "<i>\"kursiv", "<!-- kommentar",
                "<a href=\"https://example.org", "<link rel=stylesheet"):
        check(bad not in raw, f"{bad!r} is escaped")
    check(raw.count("<script") == 1 and len(hdom.find_all("script")) == 1,
          "the only script is the page's own")
    check(not hb.comments, f"no comment got through: {hb.comments}")
    check(not hdom.find_all("textarea") and not hdom.find_all("i"), "no <textarea> or <i> from the document")
    check(not [b for b in hdom.find_all("b") if "fet" in b.text()], "no <b> from the document")
    check(norm(hdom.find("h1").text()) == hdoc["title"], "the hostile title, escaped, reads as written")
    check(hdom.find("title").text() == "Granskning: " + hdoc["title"], "… also in <title>")
    check(hdoc["source"]["name"] in hdom.find("header").text(), "the file name, escaped, reads as written")
    for s in headings(hdoc["sections"]):
        label = norm(f"{s['number']} {s['heading']}")
        check(any(norm(a.text()) == label for a in hdom.find("ol", cls="toc").find_all("a")),
              f"hostile heading {label!r} reads as written")
    hfocus = [norm(a.text()) for ul in hdom.find_all("ul", cls="focus-list") for a in ul.find_all("a")]
    check(hfocus == ["trygghet & <script>alert(3)</script>",
                     "\"jämställdhet\" och 'integration' <!-- kommentar -->"],
          f"hostile focus areas read as written: {hfocus}")
    hsrc = {li.attrs["id"]: li.find("span", cls="tx").text() for li in lines_of(hdom) if li.find("span", cls="tx")}
    text_lines = open(hostile, encoding="utf-8").read().split("\n")
    check(all(hsrc.get(f"L{i + 1}") == t for i, t in enumerate(text_lines) if t.strip()),
          "every hostile line reads as written in the source pane")
    check("'" not in raw.split("<body>")[1].split("<script>")[0].replace("&#39;", ""),
          "apostrophes in text are escaped")
    g13 = hdom.find("li", id="G13")
    check(g13 is not None and "Klimatet <i>\"kursiv\"</i>" in g13.find("span", cls="mismatch").text(),
          "a hostile goal name is shown, escaped, as a mismatch")

# ---- options and errors ----
cp1252 = os.path.join(work, "ansi.txt")
open(cp1252, "wb").write(open(sample, encoding="utf-8").read().replace("–", "-").encode("cp1252"))
r = run("report", cp1252)
check(r.returncode == 0 and "windows-1252 (upptäckt)" in r.stdout.decode(), "a detected encoding is shown")
r = run("report", "--encoding", "windows-1252", cp1252)
check(r.returncode == 0 and "windows-1252 (angiven)" in r.stdout.decode(), "--encoding is used and shown")
check(run("report", "--encoding", "no-such-encoding", cp1252).returncode == 2, "an unknown encoding: exit 2")
r = run("report", "-", stdin=open(sample, "rb").read())
check(r.returncode == 0 and "Policy – Social hållbarhet" in r.stdout.decode(), "- reads standard input")

rules = os.path.join(work, "rules.json")
json.dump({"styrdok_rules": 1, "states": ["body"], "rules": [
    {"id": "heading.agenda", "pattern": "^Mål i Agenda 2030:$", "emit": "heading", "level": 1}]},
    open(rules, "w"))
r = run("report", "--no-default-rules", "--rules", rules, sample)
rdom = parse(r.stdout.decode()).root
rrows = lines_of(rdom)
# The first match is the title (nothing else is); the next ones are headings.
check(r.returncode == 0 and "k-title" in rdom.find("li", id="L63").classes()
      and "k-h1" in rdom.find("li", id="L88").classes()
      and "heading.agenda" in rdom.find("li", id="L88").find("span", cls="tip").text(),
      "--no-default-rules --rules: the rule file's headings are tinted and named")
check(sum("k-none" in li.classes() for li in rrows) > 50, "lines no rule matched are unclassified")
check("Ingen regel matchade" in rdom.find("li", id="L2").find("span", cls="tip").text(),
      "an unclassified line says no rule matched")
extra = os.path.join(work, "extra.json")
json.dump({"styrdok_rules": 1, "rules": [
    {"id": "heading.agenda", "insert_before": "goal.intro", "states": ["list", "body"],
     "pattern": "^Mål i Agenda 2030:$", "emit": "heading", "level": 2}]}, open(extra, "w"))
r = run("report", "--rules", extra, sample)
check(r.returncode == 0 and "k-h2" in parse(r.stdout.decode()).root.find("li", id="L63").classes(),
      "--rules adds to the built-in rules")
bad_rules = os.path.join(work, "bad.json")
open(bad_rules, "w").write("{")
check(run("report", "--rules", bad_rules, sample).returncode == 3, "a bad rule file: exit 3")
binary = os.path.join(work, "binary.txt")
open(binary, "wb").write(b"abc\x00def" * 100)
r = run("report", binary)
check(r.returncode == 1 and b"not a text document" in r.stderr and r.stdout == b"",
      "a binary file: exit 1, nothing printed")
check(run("report").returncode == 2, "no input: exit 2")
check(run("report", "--bogus", sample).returncode == 2, "an unknown option: exit 2")
check(run("report", sample, sample).returncode == 2, "two inputs: exit 2")
check(run("report", os.path.join(work, "missing.txt")).returncode == 2, "a missing file: exit 2")
check(run("report", sample, "-o", os.path.join(work, "no", "such", "dir.html")).returncode == 2,
      "an unwritable -o: exit 2")
check("styrdok report [OPTIONS]" in run("report", "--help").stdout.decode(), "report --help")
check("--report" in run("batch", "--help").stdout.decode(), "batch --help names --report")
check("  report FILE|-" in run("--help").stdout.decode(), "--help names report")

# ---- batch --report ----
tree = os.path.join(work, "arkiv")
os.makedirs(os.path.join(tree, "kommun å", "nivå 2"))
os.makedirs(os.path.join(tree, "region"))
names = sorted(n for n in os.listdir(fixtures) if n.endswith(".txt"))
for i, n in enumerate(names):
    sub = ["kommun å", os.path.join("kommun å", "nivå 2"), "region"][i % 3]
    shutil.copy(os.path.join(fixtures, n), os.path.join(tree, sub, n))
shutil.copy(hostile, os.path.join(tree, "region", "hostile & <x>.txt"))
open(os.path.join(tree, "region", "trasig.txt"), "wb").write(b"\x00\x01binary" * 50)
os.symlink(os.path.join(work, "nowhere"), os.path.join(tree, "broken.txt"))
r = run("batch", "--report", "-o", "out", "arkiv", cwd=work)
check(r.returncode == 1, f"batch with a failure: exit 1: {r.returncode} {r.stderr[-300:]!r}")
out = os.path.join(work, "out")
report_path = os.path.join(out, "report.html")
check(os.path.isfile(report_path), "OUTDIR/report.html is written")
rows = [json.loads(line) for line in open(os.path.join(out, "manifest.jsonl"), encoding="utf-8")]
report = open(report_path, encoding="utf-8").read()
bdom = check_self_contained(report, "batch summary")
check(bdom.find("html").attrs.get("lang") == "sv", "the summary is lang=\"sv\"")
status = {s: sum(row["status"] == s for row in rows) for s in ("ok", "failed", "skipped")}
check(status == {"ok": len(names) + 1, "failed": 1, "skipped": 1}, f"manifest statuses: {status}")
for s, n in status.items():
    card = bdom.find("li", id=f"count-{s}")
    check(card is not None and norm(card.find("b").text()) == str(n), f"count of {s}: {n}")
warnings = sum(row["warnings"] or 0 for row in rows)
check(norm(bdom.find("li", id="count-warnings").find("b").text()) == str(warnings), "count of warnings")
fail_table = bdom.find("table", id="failures")
fail_text = norm(fail_table.text()) if fail_table else ""
for row in rows:
    if row["status"] != "ok":
        check(row["input"] in fail_text and norm(row["error"]) in fail_text,
              f"failure {row['input']} with its message")

docs = {}
for row in rows:
    if row["status"] == "ok":
        docs[row["input"]] = json.load(open(os.path.join(work, row["output"]), encoding="utf-8"))
hrefs = [a.attrs["href"] for a in bdom.find("section", id="documents").find_all("a")]
for row in rows:
    if row["status"] != "ok":
        continue
    rel = os.path.relpath(os.path.join(work, row["output"]), out)
    page = rel[:-len(".json")] + ".html"
    check(urllib.parse.quote(rel) in hrefs, f"a link to {rel}")
    check(urllib.parse.quote(page) in hrefs, f"a link to {page}")
    check(os.path.isfile(os.path.join(out, page)), f"the page {page} is written")
    page_html = open(os.path.join(out, page), encoding="utf-8").read()
    back = parse(page_html).root.find("nav", cls="back")
    back_href = back.find("a").attrs.get("href") if back else None
    check(back_href and os.path.normpath(os.path.join(os.path.dirname(os.path.join(out, page)), back_href))
          == os.path.normpath(report_path), f"{page} links back to the summary: {back_href}")
    if row["input"].endswith("policy-social-hallbarhet.txt"):
        alone = run("report", row["input"], cwd=work).stdout.decode("utf-8")
        check(re.sub(r'<nav class="back".*?</nav>\n', "", page_html, count=1) == alone,
              "a batch page is what `styrdok report` prints, with a link back to the summary")
for href in hrefs:
    check(os.path.exists(os.path.join(out, urllib.parse.unquote(href))), f"link {href} resolves")
check(os.path.exists(os.path.join(out, "manifest.jsonl")) and
      bdom.find("a", href="manifest.jsonl") is not None, "the manifest is linked")

bars = [r_ for r_ in bdom.find("svg").find_all("rect") if "bar" in r_.classes()] if bdom.find("svg") else []
check(len(bars) == 17, f"the chart has 17 bars: {len(bars)}")
per_goal = {g: sum(any(ref["goal"] == g for ref in d["goals"]) for d in docs.values()) for g in range(1, 18)}
check([(int(b.attrs["data-goal"]), int(b.attrs["data-count"])) for b in bars] == list(per_goal.items()),
      f"bar n counts the documents that reference goal n: {per_goal}")
check(all(float(b.attrs["width"]) >= 0 for b in bars)
      and max(float(b.attrs["width"]) for b in bars) > 100, "bar lengths are drawn to scale")
widest = max(bars, key=lambda b: float(b.attrs["width"]))
for b in bars:
    want = float(widest.attrs["width"]) * int(b.attrs["data-count"]) / int(widest.attrs["data-count"])
    check(abs(float(b.attrs["width"]) - want) < 0.2, f"bar {b.attrs['data-goal']} is to scale")
names = [norm(t.text()) for t in bdom.find("svg").find_all("text") if "name" in t.classes()]
check(names == [f"{n} {official[n]}" for n in range(1, 18)],
      f"the chart names each goal by number and official name: {names}")
svg = bdom.find("svg")
check(svg.attrs.get("role") == "img" and svg.find("title") is not None, "the chart has a role and a title")


def tally(key):
    t = {}
    for d in docs.values():
        v = (d["metadata"].get(key) or {}).get("value") or "(anges inte)"
        t[v] = t.get(v, 0) + 1
    return t


tables = {norm(t.find("caption").text()): t for t in bdom.find_all("table") if t.find("caption")}
for caption, key in (("Efter dokumenttyp", "document_type"), ("Efter organisation", "organisation")):
    table = tables.get(caption)
    shown = {norm(tr.find_all("td")[0].text()): int(norm(tr.find_all("td")[1].text()))
             for tr in table.find("tbody").find_all("tr")} if table else {}
    check(shown == tally(key), f"{caption}: {shown} != {tally(key)}")
check(any("&lt;x&gt;" in h or "%3Cx%3E" in h for h in [report]) and "<x>.txt" not in report.replace("&lt;x&gt;", ""),
      "a hostile file name is escaped in the summary")

# A rerun keeps the pages of unchanged inputs and gives the same summary.
page_file = next(os.path.join(dp, f) for dp, _, fs in os.walk(out) for f in fs
                 if f == "policy-social-hallbarhet.html")
before = os.stat(page_file).st_mtime_ns
r = run("batch", "--report", "-o", "out", "arkiv", cwd=work)
rerun = open(report_path, encoding="utf-8").read()
check(r.returncode == 1 and f" (varav {status['ok']} återanvända)" in rerun
      and rerun.replace(f" (varav {status['ok']} återanvända)", "") == report,
      "a rerun gives the same summary, every document reused")
check(os.stat(page_file).st_mtime_ns == before, "a rerun keeps the page of an unchanged input")
os.remove(page_file)
run("batch", "--report", "-o", "out", "arkiv", cwd=work)
check(os.path.isfile(page_file), "a rerun writes a missing page again")
r = run("batch", "--report", "--jsonl", "-", "arkiv", cwd=work)
check(r.returncode == 2 and b"--report needs -o" in r.stderr, "--report without -o: exit 2")
r = run("batch", "-o", "plain", "arkiv", cwd=work)
check(not os.path.exists(os.path.join(work, "plain", "report.html")), "no report without --report")


# ---- headless Chromium: the sample page renders ----
def png_ok(path, width, height):
    """A PNG of the given size whose pixels are not all one colour."""
    data = open(path, "rb").read()
    if len(data) < 33 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return "not a PNG"
    w, h = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if (w, h) != (width, height):
        return f"{w}x{h}, not {width}x{height}"
    idat, pos = b"", 8
    while pos + 8 <= len(data):
        n, kind = int.from_bytes(data[pos:pos + 4], "big"), data[pos + 4:pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    distinct = len(set(zlib.decompress(idat)))
    return None if distinct > 32 else f"nearly blank ({distinct} distinct bytes)"


chromium = shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium")
if not chromium:
    check(False, "chromium is not installed: the review page cannot be rendered "
                 "(scripts/setup.sh installs it; or apt-get install -y chromium)")
else:
    shots = [(page_path, "sample.png", 1280, 1600), (page_path, "sample-narrow.png", 420, 1600),
             (report_path, "summary.png", 1280, 1600)]
    for html_path, png_name, width, height in shots:
        png = os.path.join(work, png_name)
        profile = tempfile.mkdtemp(prefix="chromium-", dir=work)
        try:
            c = subprocess.run(
                [chromium, "--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={profile}", f"--screenshot={png}",
                 f"--window-size={width},{height}", "file://" + urllib.parse.quote(html_path)],
                capture_output=True, timeout=120, check=False)
            problem = None if c.returncode == 0 else f"exit {c.returncode}: {c.stderr[-500:]!r}"
        except subprocess.TimeoutExpired:
            problem = "chromium did not finish in 120 s"
        if not problem and not os.path.isfile(png):
            problem = "no screenshot written"
        if not problem:
            size = os.path.getsize(png)
            problem = png_ok(png, width, height) or (None if size > 20000 else f"only {size} bytes")
        check(problem is None, f"chromium renders {os.path.basename(html_path)} to {png_name}: {problem}")
        if problem is None:
            print(f"rendered {png_name}: {os.path.getsize(png)} bytes, {width}x{height}")

if harness.failed:
    print(f"kept the work directory {work}")
else:
    shutil.rmtree(work, ignore_errors=True)
finish()
