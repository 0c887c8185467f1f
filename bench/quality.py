#!/usr/bin/python3
"""quality.py [STYRDOK] [options] - styrdok's quality benchmark: scores a
build against hand-labelled documents and prints, per document and in
total (per corpus, per split and per layout), precision, recall and F1 for
headings, list items and Agenda 2030 goal references, titles, metadata
fields and focus-area roles right, and lines no element covers; then the
targets and whether each is met.  Run from anywhere after building:

    python3 bench/quality.py build/styrdok

Corpora: the repository's (every bench/quality/corpus/gold*.json, merged,
raw files in raw/ beside them) and, when it exists, the dev corpus at
../shared/corpus/dev relative to the repository root (in a linked git
worktree, to the main worktree's).  Options:
  --corpus DIR      score DIR (gold*.json + raw/) instead of the repository's
                    corpus (repeatable)
  --dev DIR         the dev corpus is DIR;  --no-dev: leave it out
  --relay           also score every labelled, non-flat document re-laid into
                    the Word, PDF and DOS layouts (bench/relay.py), and check
                    that each keeps its structure and text
  --only TEXT       only documents whose name contains TEXT
  --json            print the results as one JSON document instead
  --write-baseline  rewrite bench/quality/baseline.json from this run (only
                    after a person has read what changed: see docs/quality.md)
  -v                list every miss (default: the first six of each kind)

The scoring is score.py's (/work/shared/tools/score.py, our own tool),
ported so the numbers on the dev corpus are the same.  Exit status: 0 when
the run finished (targets met or not), 1 when a document could not be
scored (styrdok failed or timed out), 2 on a usage or corpus error."""
import codecs
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unicodedata

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
corpus_dir = os.path.join(here, "quality", "corpus")
baseline_path = os.path.join(here, "quality", "baseline.json")

def die(message):
    """A usage or corpus error: exit 2 with the message."""
    print(f"quality.py: {message}", file=sys.stderr)
    sys.exit(2)


# ---- text and structure, as score.py reads them ----

MARKER = re.compile(r'^\s*(?:[#]+|[•\u2022\uf0b7\u25aa\u25cf\u25e6\u2023\u2043\u2013\u2014*\-–]|'
                    r'\(?\d+(?:\.\d+)*[.)]?|[a-z][.)])\s+', re.I)


def norm(s):
    """Case-folded NFKC text, whitespace collapsed, list markers and trailing . : ; , dropped."""
    s = unicodedata.normalize("NFKC", s or "")
    s = s.replace("\u00ad", "")
    s = re.sub(r"\s+", " ", s).strip()
    prev = None
    while prev != s:
        prev = s
        s = MARKER.sub("", s)
    s = s.rstrip(" .:;,").strip()
    return s.casefold()


def walk(node, fn):
    fn(node)
    if isinstance(node, dict):
        for v in node.values():
            walk(v, fn)
    elif isinstance(node, list):
        for v in node:
            walk(v, fn)


def headings_of(doc):
    out = []

    def sec(s):
        for c in s.get("sections", []) or []:
            if isinstance(c, dict):
                out.append(c.get("heading") or "")
                sec(c)
    sec(doc)
    return out


def items_of(doc):
    """Texts of list items, sub-items included (nested under an item in any list of objects with a text)."""
    out = []

    def item(it):
        if isinstance(it, dict):
            out.append(it.get("text") or "")
            for v in it.values():
                if isinstance(v, list) and v and all(isinstance(x, dict) and "text" in x for x in v):
                    for x in v:
                        item(x)

    def f(n):
        if isinstance(n, dict) and n.get("type") == "list":
            for it in n.get("items", []) or []:
                item(it)
    walk(doc, f)
    return out


def lists_of(doc):
    """(first item text, role) of every list."""
    out = []

    def f(n):
        if isinstance(n, dict) and n.get("type") == "list" and n.get("items"):
            it = n["items"][0]
            out.append(((it.get("text") or "") if isinstance(it, dict) else "", n.get("role")))
    walk(doc, f)
    return out


def goals_of(doc):
    out = []
    for g in doc.get("goals", []) or []:
        line = g.get("line")
        if line is None and isinstance(g.get("lines"), list) and g["lines"]:
            line = g["lines"][0]
        out.append((line, g.get("goal")))
    return out


def covered_lines(doc):
    cov = set()

    def f(n):
        if isinstance(n, dict):
            ls = n.get("lines")
            if isinstance(ls, list) and len(ls) == 2 and all(isinstance(x, int) for x in ls):
                cov.update(range(ls[0], ls[1] + 1))
            if isinstance(n.get("line"), int):
                cov.add(n["line"])
    walk(doc, f)
    return cov


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def match(gold, optional, got):
    """Multiset match of normalised texts: (tp, fp, fn, extra, missing); optional ones are free."""
    pool = [norm(x) for x in gold]
    opt = set(norm(x) for x in optional)
    tp = 0
    extra = []
    for x in (norm(x) for x in got):
        if x in pool:
            pool.remove(x)
            tp += 1
        elif x not in opt:
            extra.append(x)
    return tp, len(extra), len(pool), extra, pool


def input_text(data, doc):
    """The input as text, in the encoding styrdok reported (score.py's UTF-8 for UTF-8 and unknown ones)."""
    enc = ((doc.get("source") or {}).get("encoding") or "UTF-8")
    try:
        name = codecs.lookup(enc).name
    except LookupError:
        name = "utf-8"
    return data.decode(name, errors="replace")


def split_lines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# ---- one document ----

def score_document(doc, gold, data):
    """Every figure for one styrdok document against its labels; data is the input's bytes."""
    r = {}
    if not gold.get("flat"):
        title = [gold["title"]] if gold.get("title") else []
        tp, fp, fn, extra, missing = match(gold["headings"], gold.get("headings_optional", []) + title,
                                           headings_of(doc))
        r["headings"] = [tp, fp, fn]
        r["headings_misses"] = {"extra": extra, "missing": missing}
        tp, fp, fn, extra, missing = match(gold["list_items"], gold.get("list_items_optional", []), items_of(doc))
        r["items"] = [tp, fp, fn]
        r["items_misses"] = {"extra": extra, "missing": missing}
    gl = set(map(tuple, gold.get("goals_lines", [])))
    gp = set(map(tuple, gold.get("goals_prose", [])))
    # Re-laid documents only (relay.py): a reference neither required nor penalised.
    go = set(map(tuple, gold.get("goals_optional", []))) - gl - gp
    got = [x for x in goals_of(doc) if tuple(x) not in go]
    gtp = sum(1 for x in got if tuple(x) in gl | gp)
    r["goals"] = [gtp, len(got) - gtp, len(gl - set(map(tuple, got)))]
    r["goals_misses"] = {"extra": [list(x) for x in got if tuple(x) not in gl | gp],
                         "missing": [list(x) for x in sorted(gl - set(map(tuple, got)))]}
    r["goal_prose"] = [len(gp & set(map(tuple, got))), len(gp)]
    r["title"] = [0, 0]
    if gold.get("title") is not None:
        r["title"] = [int(norm(doc.get("title") or "") == norm(gold["title"])), 1]
    meta = [0, 0]
    meta_misses = []
    for k, want in (gold.get("metadata") or {}).items():
        meta[1] += 1
        have = (doc.get("metadata") or {}).get(k)
        if isinstance(have, dict):  # a value with its provenance
            have = have.get("value")
        if norm(str(have or "")) == norm(str(want)):
            meta[0] += 1
        else:
            meta_misses.append(f"{k}: {have!r} (want {want!r})")
    r["metadata"] = meta
    r["metadata_misses"] = meta_misses
    roles = [0, 0]
    role_misses = []
    for lr in gold.get("list_roles") or []:
        roles[1] += 1
        ok = any(norm(first) == norm(lr["first_item"]) and role == lr["role"] for first, role in lists_of(doc))
        roles[0] += int(ok)
        if not ok:
            role_misses.append(f"{lr['role']}: {lr['first_item']}")
    r["roles"] = roles
    r["roles_misses"] = role_misses
    nonblank = {i + 1 for i, line in enumerate(split_lines(input_text(data, doc))) if line.strip()}
    r["uncovered"] = sorted(nonblank - covered_lines(doc))
    if "relay_of" in gold:
        r.update(relay_checks(doc, gold, data))
    return r


WORD = re.compile(r"\w+")
TEXT_KEYS = ("heading", "text", "intro", "number", "marker")


def words(text):
    return WORD.findall(unicodedata.normalize("NFKC", text).replace("\u00ad", "").casefold())


def output_words(doc, data):
    """Words of everything styrdok read from the input: the tree's texts, goal lines by their spans, furniture."""
    out = []

    def f(n):
        if not isinstance(n, dict):
            return
        for k in TEXT_KEYS:
            if isinstance(n.get(k), str):
                out.extend(words(n[k]))
        if isinstance(n.get("page"), int):
            out.append(str(n["page"]))
        # A goal line in a goals block keeps no text of its own: read it where it stood.
        span = n.get("span")
        if "goal" in n and "text" not in n and isinstance(span, list) and len(span) == 2:
            out.extend(words(input_text(data[span[0]:span[1]], doc)))
    for key in ("blocks", "sections", "furniture"):
        walk(doc.get(key) or [], f)
    return out


def multiset_minus(a, b):
    rest = {}
    for w in a:
        rest[w] = rest.get(w, 0) + 1
    for w in b:
        if rest.get(w):
            rest[w] -= 1
    return sorted(w for w, n in rest.items() for _ in range(n))


def relay_checks(doc, gold, data):
    """A re-laid document keeps its text: the words of its content equal the words styrdok read, less the
    page furniture the re-layout added; and that furniture is read as furniture."""
    added = gold.get("relay_furniture", [])
    expected = [w for t in gold.get("relay_text", []) for w in words(t)]
    got = multiset_minus(output_words(doc, data), [w for _, t in added for w in words(t)])
    furniture_lines = set()
    for fe in doc.get("furniture") or []:
        ls = fe.get("lines")
        if isinstance(ls, list) and len(ls) == 2:
            furniture_lines.update(range(ls[0], ls[1] + 1))
    found = sum(1 for line, _ in added if line in furniture_lines)
    return {"words_missing": multiset_minus(expected, got), "words_extra": multiset_minus(got, expected),
            "furniture": [found, len(added)]}


# ---- corpora ----

def load_corpus(name, directory, required=True):
    """The documents of every gold*.json in directory, merged: [(name, gold, path)]."""
    golds = sorted(f for f in os.listdir(directory) if f.startswith("gold") and f.endswith(".json")) \
        if os.path.isdir(directory) else []
    if not golds and required:
        die(f"{directory}: no gold*.json")
    docs = {}
    for g in golds:
        path = os.path.join(directory, g)
        try:
            labels = json.load(open(path, encoding="utf-8"))
        except (OSError, ValueError) as e:
            die(f"{path}: {e}")
        for key, gold in labels.items():
            if key.startswith("_"):
                continue
            missing = [k for k in ("headings", "list_items") if not gold.get("flat") and k not in gold]
            if missing:
                die(f"{path}: {key}: no {' or '.join(missing)} (only a flat document goes without)")
            if key in docs:
                die(f"{path}: document {key} is labelled twice")
            raw = os.path.normpath(os.path.join(directory, gold["file"])) if "file" in gold \
                else os.path.join(directory, "raw", key)
            if not os.path.isfile(raw):
                die(f"{path}: {key}: no file {raw}")
            docs[key] = (gold, raw)
    return [{"name": k, "corpus": name, "gold": g, "path": p} for k, (g, p) in docs.items()]


def extract(styrdok, path):
    """styrdok's document for path, or (None, why)."""
    try:
        p = subprocess.run([styrdok, "extract", path], capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    if p.returncode != 0:
        return None, f"exit {p.returncode}: {p.stderr.decode(errors='replace')[:200]}"
    try:
        return json.loads(p.stdout), None
    except ValueError as e:
        return None, f"not JSON ({e})"


# ---- totals and targets ----

COUNTS = ("headings", "items", "goals", "goal_prose", "title", "metadata", "roles", "furniture", "kept")


def add_up(results):
    t = {k: [0, 0, 0] if k in ("headings", "items", "goals") else [0, 0] for k in COUNTS}
    t.update(documents=0, uncovered=0, failures=0, words_missing=0, words_extra=0, relaid=0)
    for r in results:
        t["documents"] += 1
        t["relaid"] += int("words_missing" in r)
        if "failure" in r:
            t["failures"] += 1
            continue
        for k in COUNTS:
            for i, v in enumerate(r.get(k, [])):
                t[k][i] += v
        t["uncovered"] += len(r["uncovered"])
        t["words_missing"] += len(r.get("words_missing", []))
        t["words_extra"] += len(r.get("words_extra", []))
    return t


def figures(t):
    """The figures of a total the targets and the baseline speak of (fractions are 1.0 with nothing to count)."""
    f = {}
    for k in ("headings", "items", "goals"):
        p, r, f1 = prf(*t[k])
        f.update({f"{k}_p": p, f"{k}_r": r, f"{k}_f1": f1})
    for k in ("goal_prose", "title", "metadata", "roles", "furniture", "kept"):
        f[k] = t[k][0] / t[k][1] if t[k][1] else 1.0
    for k in ("uncovered", "failures", "words_missing", "words_extra"):
        f[k] = t[k]
    return f


# (figure, test, shown as) - the issue's targets
TARGETS = [("headings_f1", lambda v: v >= 0.97, "headings F1 >= 0.97"),
           ("items_f1", lambda v: v >= 0.97, "list items F1 >= 0.97"),
           ("goals_p", lambda v: v == 1.0, "goal references precision = 1.00"),
           ("goals_r", lambda v: v >= 0.97, "goal references recall >= 0.97"),
           ("title", lambda v: v == 1.0, "every title"),
           ("metadata", lambda v: v >= 0.95, "metadata >= 95% of fields"),
           ("roles", lambda v: v == 1.0, "every focus-area role"),
           ("uncovered", lambda v: v == 0, "no line uncovered")]
# A re-laid document keeps its structure (the targets above) and its text.
RELAY_TARGETS = [("words_missing", lambda v: v == 0, "re-laid: no word of the text lost"),
                 ("words_extra", lambda v: v == 0, "re-laid: no word added"),
                 ("kept", lambda v: v == 1.0, "re-laid: every one keeps structure and text")]
LOWER_IS_BETTER = ("uncovered", "failures", "words_missing", "words_extra")


def groups(docs, results):
    """Totals by corpus, then by split and by layout within each corpus: {group name: totals}."""
    by = {}
    for d, r in zip(docs, results):
        c = d["corpus"]
        keys = [c]
        for field in ("split", "layout"):
            if d["gold"].get(field):
                keys.append(f"{c} {field}={d['gold'][field]}")
        for k in keys:
            by.setdefault(k, []).append(r)
    order = sorted(by, key=lambda k: (list(dict.fromkeys(d["corpus"] for d in docs)).index(k.split(" ")[0]),
                                      " " in k, "split=" not in k, not k.endswith("split=tune"), k))
    return {k: add_up(by[k]) for k in order}


# ---- printing ----

def frac(x):
    return f"{x[0]}/{x[1]}"


def doc_row(d, r):
    g = d["gold"]
    cells = [d["name"][:44], g.get("layout") or "-", g.get("split") or "-"]
    if "failure" in r:
        return cells + ["FAILED: " + r["failure"]]
    for k in ("headings", "items", "goals"):
        if k in r:
            tp, fp, fn = r[k]
            cells.append(f"{tp}/{tp + fn} fp={fp} " + "{:.2f} {:.2f} {:.2f}".format(*prf(tp, fp, fn)))
        else:
            cells.append("flat")
    cells += [frac(r["title"]), frac(r["metadata"]), frac(r["roles"]), str(len(r["uncovered"]))]
    if "words_missing" in r:
        cells += [str(len(r["words_missing"])), str(len(r["words_extra"])), frac(r["furniture"]),
                  "yes" if r["kept"][0] else "lost " + ", ".join(r["kept_lost"])]
    return cells


def table(header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)] if rows else [len(h) for h in header]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(header, widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |" for row in rows]
    return "\n".join(lines)


def print_text(docs, results, totals, checked, notes, verbose):
    for n in notes:
        print(n)
    for corpus in dict.fromkeys(d["corpus"] for d in docs):
        relay = any("relay_of" in d["gold"] for d in docs if d["corpus"] == corpus)
        header = ["document", "layout", "split", "headings: found/labelled, extra, P R F1", "list items",
                  "goals", "title", "metadata",
                  "roles", "uncovered"] + (["words lost", "words added", "furniture", "kept"] if relay else [])
        rows = [(d, r) for d, r in zip(docs, results) if d["corpus"] == corpus]
        print(f"\n## Corpus {corpus}: {len(rows)} document{'' if len(rows) == 1 else 's'}\n")
        print(table(header, [doc_row(d, r) for d, r in rows]))
        limit = None if verbose else 6
        for d, r in rows:
            misses = []
            for k in ("headings", "items", "goals"):
                m = r.get(k + "_misses")
                if m and (m["extra"] or m["missing"]):
                    misses.append(f"    {k}: extra={m['extra'][:limit]} missing={m['missing'][:limit]}")
            for k in ("metadata", "roles"):
                for m in r.get(k + "_misses", [])[:limit]:
                    misses.append(f"    {k}: {m}")
            if r.get("uncovered"):
                misses.append(f"    uncovered lines: {r['uncovered'][:limit]}")
            for k in ("words_missing", "words_extra"):
                if r.get(k):
                    misses.append(f"    {k.replace('_', ' ')}: {r[k][:limit]}")
            if misses:
                print(d["name"])
                print("\n".join(misses))
    print("\n## Totals\n")
    header = ["total", "docs", "headings P/R/F1", "list items P/R/F1", "goals P/R/F1", "goal prose",
              "title", "metadata", "roles", "uncovered", "failures", "words lost/added", "furniture", "kept"]
    rows = []
    for name, t in totals.items():
        cells = [name, str(t["documents"])]
        for k in ("headings", "items", "goals"):
            cells.append("{:.2f} {:.2f} {:.2f}".format(*prf(*t[k])))
        cells += [frac(t["goal_prose"]), frac(t["title"]), frac(t["metadata"]), frac(t["roles"]),
                  str(t["uncovered"]), str(t["failures"])]
        cells += [f"{t['words_missing']}/{t['words_extra']}", frac(t["furniture"]), frac(t["kept"])] \
            if t["relaid"] else ["-", "-", "-"]
        rows.append(cells)
    print(table(header, rows))
    print("\n## Targets\n")
    names = list(checked)
    rows = []
    for i, (_, _, label) in enumerate(TARGETS + RELAY_TARGETS):
        row = [label]
        for name in names:
            if i >= len(checked[name]):
                row.append("")
                continue
            _, value, ok = checked[name][i]
            row.append(f"{value if isinstance(value, int) else format(value, '.2f')} {'met' if ok else 'NOT MET'}")
        if any(row[1:]):
            rows.append(row)
    print(table(["target"] + names, rows))


# ---- the run ----

def parse(argv):
    opts = {"styrdok": os.path.join(root, "build", "styrdok"), "corpora": [], "dev": None, "no_dev": False,
            "relay": False, "only": None, "json": False, "write_baseline": False, "verbose": False}
    args = list(argv)
    while args:
        a = args.pop(0)
        if a in ("--corpus", "--dev", "--only"):
            if not args:
                die(f"{a} needs an argument")
            v = args.pop(0)
            if a == "--corpus":
                opts["corpora"].append(v)
            else:
                opts[a[2:]] = v
        elif a in ("--no-dev", "--relay", "--json", "--write-baseline"):
            opts[a[2:].replace("-", "_")] = True
        elif a in ("-v", "--verbose"):
            opts["verbose"] = True
        elif a in ("-h", "--help"):
            print(__doc__)
            sys.exit(0)
        elif a.startswith("-"):
            die(f"unknown option {a} (see --help)")
        else:
            opts["styrdok"] = a
    return opts


def default_dev():
    """../shared/corpus/dev beside the repository; in a linked git worktree, beside its main worktree."""
    here_dev = os.path.join(root, "..", "shared", "corpus", "dev")
    if os.path.isdir(here_dev):
        return here_dev
    try:
        common = subprocess.run(["git", "-C", root, "rev-parse", "--path-format=absolute", "--git-common-dir"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        common = ""
    main_dev = os.path.join(os.path.dirname(common), "..", "shared", "corpus", "dev") if common else ""
    return main_dev if main_dev and os.path.isdir(main_dev) else here_dev


def run(opts):
    """Scores every corpus: (docs, results, totals, notes)."""
    notes = []
    corpora = []
    if opts["corpora"]:
        for c in opts["corpora"]:
            corpora.append((os.path.basename(os.path.normpath(c)), os.path.abspath(c)))
    else:
        corpora.append(("repo", corpus_dir))
    dev = os.path.abspath(opts["dev"] or default_dev())
    if opts["no_dev"]:
        notes.append("dev corpus: left out (--no-dev)")
    elif dev in (p for _, p in corpora):
        pass
    elif os.path.isfile(os.path.join(dev, "gold.json")):
        corpora.append(("dev", dev))
    elif opts["dev"]:
        die(f"--dev {opts['dev']}: no gold.json there")
    else:
        notes.append(f"dev corpus: not found at {dev}, so only the repository's corpus is scored")
    docs = []
    for name, path in corpora:
        found = load_corpus(name, path, required=name != "repo")
        if not found:
            notes.append(f"corpus {name}: no labelled documents in {path}")
        docs += found
    if opts["only"]:
        docs = [d for d in docs if opts["only"] in d["name"]]
    work = None
    if opts["relay"]:
        import relay
        work = tempfile.mkdtemp(prefix="styrdok-relay-")
        relaid = []
        for name, _ in corpora:
            mine = [d for d in docs if d["corpus"] == name]
            if not mine:
                continue
            out = os.path.join(work, name)
            gold = relay.relay_all([(d["name"], d["gold"], d["path"]) for d in mine], out)
            for key, g in gold.items():
                relaid.append({"name": key, "corpus": f"{name}+relay", "gold": g,
                               "path": os.path.join(out, g["file"])})
        docs += relaid
    results = []
    for d in docs:
        doc, why = extract(opts["styrdok"], d["path"])
        if doc is None:
            results.append({"failure": why})
            continue
        results.append(score_document(doc, d["gold"], open(d["path"], "rb").read()))
    if work:
        shutil.rmtree(work, ignore_errors=True)
    kept(docs, results)
    return docs, results, groups(docs, results), notes


def kept(docs, results):
    """Marks each re-laid document's result with whether it kept its text (no word lost, no line
    uncovered) and its structure (heading, item and goal F1 no lower than the source's as it came)."""
    source = {(d["corpus"], d["name"]): r for d, r in zip(docs, results)}
    for d, r in zip(docs, results):
        if "relay_of" not in d["gold"] or "failure" in r:
            continue
        orig = source.get((d["corpus"].replace("+relay", ""), d["gold"]["relay_of"]), {})
        worse = [k for k in ("headings", "items", "goals")
                 if k in r and k in orig and prf(*r[k])[2] < prf(*orig[k])[2] - 1e-9]
        text = not r["words_missing"] and not r["uncovered"]
        r["kept"] = [int(text and not worse), 1]
        r["kept_lost"] = (["text"] if not text else []) + worse


def guarded(group):
    """Whether the baseline holds a total: each corpus's, and each layout's among the re-laid documents."""
    return " " not in group or ("+relay " in group and " layout=" in group)


def check_targets(totals):
    """Each corpus's total and its holdout split (which judges) against the targets."""
    out = {}
    for name, t in totals.items():
        if " " in name and not name.endswith(" split=holdout"):
            continue
        f = figures(t)
        out[name] = [(label, f[k], test(f[k])) for k, test, label in TARGETS + (RELAY_TARGETS if t["relaid"] else [])]
    return out


def main():
    opts = parse(sys.argv[1:])
    if not os.access(opts["styrdok"], os.X_OK):
        die(f"{opts['styrdok']}: not an executable (build first: scripts/setup.sh)")
    docs, results, totals, notes = run(opts)
    checked = check_targets(totals)
    if opts["write_baseline"]:
        if opts["only"] or opts["corpora"] or not opts["relay"]:
            die("--write-baseline needs --relay and the whole corpus (no --only, --corpus)")
        old = {}
        if os.path.isfile(baseline_path):
            old = json.load(open(baseline_path, encoding="utf-8")).get("totals", {})
        # A corpus not scored in this run (the dev corpus where ../shared is absent) keeps its figures.
        kept = {name: figs for name, figs in old.items() if name.split(" ")[0] not in {d["corpus"] for d in docs}}
        base = {"_about": "Totals the regression guard (tests/quality_test.py) holds styrdok to: a figure may not "
                          "fall (counts of uncovered lines, failures and lost or added words may not rise). "
                          "Rewritten by `python3 bench/quality.py build/styrdok --relay --write-baseline` only "
                          "after a person has read what changed (docs/quality.md).",
                "totals": dict(kept, **{name: figures(t) for name, t in totals.items() if guarded(name)})}
        with open(baseline_path, "w", encoding="utf-8") as f:
            json.dump(base, f, ensure_ascii=False, indent=2, sort_keys=True)
            f.write("\n")
        notes.append(f"baseline written: {os.path.relpath(baseline_path, root)}")
    if opts["json"]:
        json.dump({"styrdok": opts["styrdok"], "notes": notes,
                   "documents": [dict(name=d["name"], corpus=d["corpus"],
                                      # a re-laid file lived in a temporary directory: its name there
                                      path=d["gold"]["file"] if "relay_of" in d["gold"] else d["path"],
                                      layout=d["gold"].get("layout"), split=d["gold"].get("split"),
                                      relay_of=d["gold"].get("relay_of"), **r) for d, r in zip(docs, results)],
                   "totals": {name: dict(t, figures=figures(t)) for name, t in totals.items()},
                   "targets": {name: [{"target": label, "value": v, "met": ok} for label, v, ok in res]
                               for name, res in checked.items()}},
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(f"styrdok quality benchmark: {opts['styrdok']}")
        print_text(docs, results, totals, checked, notes, opts["verbose"])
    return 1 if any("failure" in r for r in results) else 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the output quietly
    sys.path.insert(0, here)
    sys.exit(main())
