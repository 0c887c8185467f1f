#!/usr/bin/python3
"""quality_test.py STYRDOK REPO - the quality regression guard (ctest
quality/regression).  Runs bench/quality.py --relay --json and fails if a
total (each corpus's, and each layout's among the re-laid documents) is
below bench/quality/baseline.json, naming the figure that fell.  Before
that: the scoring on a hand-made document whose figures were counted by
hand, bench/relay.py's layouts on a labelled document written here, and,
when the dev corpus (../shared) exists, the same numbers as
/work/shared/tools/score.py gives there.  Without ../shared only the
repository's corpus is scored, and the test says so."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from harness import check, finish

styrdok, repo = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
sys.path.insert(0, os.path.join(repo, "bench"))
import quality  # noqa: E402
import relay  # noqa: E402

os.environ["LC_ALL"] = "C"
work = tempfile.mkdtemp(prefix="quality-test-")

# ---- scoring: a document and labels whose figures are counted by hand ----
SOURCE = "Plan för prov\n\n1 Inledning\nText om mål 5.\n\n- ett\n- två\nMål 3 God hälsa\n\nSida 1\n"
doc = {
    "title": "Plan för prov",
    "metadata": {"document_type": {"value": "plan", "lines": [1, 1]}, "organisation": None},
    "blocks": [{"type": "title", "text": "Plan för prov", "lines": [1, 1]}],
    "sections": [{"heading": "Inledning", "lines": [3, 3], "sections": [
        {"heading": "Text om mål 5.", "lines": [4, 4], "sections": [], "blocks": []}],
        "blocks": [{"type": "list", "role": "focus_areas", "lines": [6, 7],
                    "items": [{"text": "ett", "lines": [6, 6]}, {"text": "Två.", "lines": [7, 7]}]},
                   {"type": "goals", "lines": [8, 8], "items": [{"goal": 3, "line": 8, "lines": [8, 8]}]}]}],
    "goals": [{"goal": 3, "line": 8}, {"goal": 5, "lines": [4, 4]}, {"goal": 7, "line": 4}],
    "furniture": []}
gold = {"title": "Plan för prov", "headings": ["Inledning", "Syfte"], "headings_optional": [],
        "list_items": ["ett", "två", "tre"], "list_items_optional": [],
        "goals_lines": [[8, 3], [9, 4]], "goals_prose": [[4, 5]],
        "metadata": {"document_type": "Plan", "organisation": "Provby kommun"},
        "list_roles": [{"first_item": "Ett", "role": "focus_areas"}, {"first_item": "fyra", "role": "focus_areas"}]}
r = quality.score_document(doc, gold, SOURCE.encode())
# headings: Inledning found, "Text om mål 5" is extra, Syfte missing; items: "Två." matches "två", tre missing
check(r["headings"] == [1, 1, 1], f"headings counted {r['headings']}, by hand [1, 1, 1]")
check(r["items"] == [2, 0, 1], f"items counted {r['items']}, by hand [2, 0, 1]")
# goals: (8,3) line and (4,5) prose right, (4,7) wrong; (9,4) missed; a missed prose one is no miss
check(r["goals"] == [2, 1, 1] and r["goal_prose"] == [1, 1], f"goals {r['goals']} {r['goal_prose']}")
check(r["title"] == [1, 1] and r["metadata"] == [1, 2] and r["roles"] == [1, 2],
      f"title {r['title']} metadata {r['metadata']} roles {r['roles']}")
# line 10 ("Sida 1") is in no element; blank lines 2, 5, 9 and 11 need none
check(r["uncovered"] == [10], f"uncovered {r['uncovered']}, by hand [10]")
flat = quality.score_document(doc, dict(gold, flat=True, title=None), SOURCE.encode())
check("headings" not in flat and "items" not in flat and flat["title"] == [0, 0],
      "a flat document's headings, items and missing title are not scored")
opt = quality.score_document(doc, dict(gold, headings_optional=["text om mål 5"]), SOURCE.encode())
check(opt["headings"] == [1, 0, 1], f"an optional heading is neither required nor penalised: {opt['headings']}")
check(quality.norm("  • 1.2 Mål  och\u00ad medel: ") == "mål och medel", "norm drops markers, soft hyphens, trailing :")
src_doc = {"corpus": "c", "name": "x", "gold": {}}
variants = [{"corpus": "c+relay", "name": f"v{i}", "gold": {"relay_of": "x"}} for i in range(3)]
base = {"headings": [2, 0, 0], "items": [1, 1, 0], "goals": [0, 0, 0], "uncovered": []}
res = [dict(base), dict(base, words_missing=[], uncovered=[]), dict(base, items=[0, 0, 1], words_missing=[]),
       dict(base, words_missing=["ord"])]
quality.kept([src_doc] + variants, res)
check([r.get("kept") for r in res] == [None, [1, 1], [0, 1], [0, 1]] and res[2]["kept_lost"] == ["items"]
      and res[3]["kept_lost"] == ["text"], f"kept: as the source, or what was lost: {res}")
relaid_gold = dict(gold, goals_optional=[[4, 7]])
check(quality.score_document(doc, relaid_gold, SOURCE.encode())["goals"] == [2, 0, 1],
      "a re-laid document's optional goal reference is neither counted nor penalised")
t = quality.add_up([r, {"failure": "exit 4"}])
f = quality.figures(t)
check(t["documents"] == 2 and t["failures"] == 1 and abs(f["headings_f1"] - 0.5) < 1e-12
      and f["goals_p"] == 2 / 3 and f["metadata"] == 0.5, f"totals {t} {f}")

# ---- relay: a labelled document in the three layouts ----
LONG = ("Kommunövergripande verksamhetsutveckling förutsätter samverkan mellan förvaltningarna, "
        "bolagen och civilsamhällets organisationer i hela kommunen. Utbildningsförvaltningen och "
        "socialförvaltningen bygger på kunskapsbaserade arbetsmetoder, medborgardialoger och "
        "uppföljningssystem som tillsammans stärker förtroendet.")
CUT = LONG.index(" ", 60)
src_lines = ["Plan för prov", "", "1 Inledning", ""]
for i in range(14):
    src_lines += ["Så " * (i % 8) + LONG[:CUT], LONG[CUT + 1:] + f" Stycke {i}.", ""]  # breaks fall in turn
src_lines += ["Fokusområden är:", "• trygghet och säkerhet", "• god hälsa för alla", "",
              "Mål 3 God hälsa och välbefinnande", "Arbetet bidrar till mål 5 och mål 10.", ""]
src_text = "\n".join(src_lines)
goal_line = src_lines.index("Mål 3 God hälsa och välbefinnande") + 1
labels = {"title": "Plan för prov", "headings": ["Inledning"], "list_items": ["trygghet och säkerhet",
          "god hälsa för alla"], "goals_lines": [[goal_line, 3]],
          "goals_prose": [[goal_line + 1, 5], [goal_line + 1, 10]], "layout": "web", "split": "tune",
          "metadata": {"organisation": "Provby kommun"},
          "list_roles": [{"first_item": "trygghet och säkerhet", "role": "focus_areas"}]}
src_path = os.path.join(work, "prov.txt")
open(src_path, "w", encoding="utf-8").write(src_text)
relaid = relay.relay_all([("prov.txt", labels, src_path)], os.path.join(work, "relay"))
check(sorted(relaid) == ["dos/prov.txt", "pdf-noblank/prov.txt", "pdf/prov.txt", "word/prov.txt"],
      f"one variant per layout: {sorted(relaid)}")
skipped = relay.relay_all([("p.txt", dict(labels, layout="pdf"), src_path), ("f.txt", dict(labels, flat=True),
                                                                            src_path)], os.path.join(work, "r2"))
check(sorted(skipped) == ["dos/p.txt", "word/p.txt"], f"no variant in the layout it came in, none of a flat one: "
      f"{sorted(skipped)}")
src_words = sorted(w for line in src_lines for w in quality.words(line))
unit = relay.Unit("para", [(1, "Mål 6 och 15 ska in, på sidan 15. Mål 15 omfattar ekosystem.")])
check(unit.positions(1, 15) == [(0, 10), (34, 38)] and unit.positions(1, 6) == [(0, 4)]
      and unit.positions(1, 4) == [(0, 0)],
      f"each mention of a goal after 'mål' or in its list, from the 'mål', and its number: {unit.positions(1, 15)}")


def variant(layout, encoding):
    g = relaid[f"{layout}/prov.txt"]
    data = open(os.path.join(work, "relay", g["file"]), "rb").read()
    return g, data, data.decode(encoding)


for layout, enc in (("word", "cp1252"), ("pdf", "utf-8"), ("pdf-noblank", "utf-8"), ("dos", "cp850")):
    g, data, text = variant(layout, enc)
    lines = quality.split_lines(text)
    if lines and lines[-1] == "":
        lines.pop()
    crlf = enc != "utf-8"
    check((data.count(b"\r\n") == data.count(b"\n") == len(lines)) if crlf else b"\r" not in data,
          f"{layout}: line ends are {'CRLF' if crlf else 'LF'}")
    for line, goal in g["goals_lines"] + g["goals_prose"]:
        check(re.search(rf"(?<!\d){goal}(?!\d)", lines[line - 1]) is not None,
              f"{layout}: goal {goal} re-mapped to line {line}, which reads {lines[line - 1]!r}")
    added = {n for n, _ in g["relay_furniture"]}
    body = "\n".join(x for n, x in enumerate(lines, 1) if n not in added and x.strip())
    body = re.sub(r"(\w)-\n(\w)", r"\1\2", body)  # a word hyphenated at a line end is one word
    check(sorted(quality.words(body)) == src_words, f"{layout}: the text's words are the source's, less the "
          "added furniture")
    check(sorted(w for t in g["relay_text"] for w in quality.words(t)) == src_words,
          f"{layout}: relay_text holds the source's words")
    check(g["headings"] == ["Inledning"] and g["split"] == "tune" and g["relay_of"] == "prov.txt",
          f"{layout}: labels carried over")
    first, last = g["relay_line_map"][str(goal_line)]
    check(first == last and lines[first - 1].strip().endswith("Mål 3 God hälsa och välbefinnande"),
          f"{layout}: the line map sends the goal line to {first}-{last}")
    first, last = g["relay_line_map"]["5"]  # the first paragraph's first line, wrapped or joined
    check(quality.words(LONG)[0] in quality.words(lines[first - 1]) and first <= last,
          f"{layout}: the line map sends line 5 to {first}-{last}")

g, data, text = variant("word", "cp1252")
lines = text.split("\r\n")[:-1]
check("" not in lines, "word: no blank lines")
check("\u2022\ttrygghet och säkerhet" in lines and "1 Inledning" in lines, "word: •<TAB> bullets, heading as written")
check(sum(1 for x in lines if "Kommunövergripande" in x and "Stycke" in x) == 14, "word: a wrapped paragraph is one line")

g, data, text = variant("pdf", "utf-8")
lines = text.split("\n")
pages = text.count("\f")
check(pages >= 2 and lines[-1] == "\f", f"pdf: {pages} pages, the last ending in a form feed")
check([x for x in lines if x.startswith("Sida ")] == [f"Sida {k} av {pages}" for k in range(1, pages + 1)],
      "pdf: a 'Sida N av M' footer on every page")
heads = [x.lstrip("\f") for x in lines if x.startswith("\f") and x != "\f"] + [lines[0]]
check(len(heads) == pages and len(set(heads)) == 1 and heads[0].startswith("Provby kommun"),
      f"pdf: the running header on every page: {set(heads)}")
check(all(len(x) <= 90 for x in lines) and max(len(x) for x in lines) >= 70, "pdf: wrapped at 75-90 columns")
check(all(len(page.split("\n")) <= 46 for page in text.split("\f")), "pdf: at most 45 lines a page")
split = [(a, b) for a, b in zip(lines, lines[1:]) if re.search(r"\w-$", a)]
check(split and all(a.split()[-1][:-1] + b.split()[0] in LONG for a, b in split),
      f"pdf: long words hyphenated at line ends: {split[:2]}")
check("\uf0b7 god hälsa för alla" in lines and "" in lines, "pdf: U+F0B7 bullets, blank lines between paragraphs")
g, data, text = variant("pdf-noblank", "utf-8")
check("" not in text.split("\n"), "pdf-noblank: no blank lines")

g, data, text = variant("dos", "cp850")
lines = text.split("\r\n")
at = lines.index(next(x for x in lines if x.strip() == "1 Inledning"))
check(lines[at] == " " * ((78 - 11) // 2) + "1 Inledning" and lines[at + 1].strip() == "-" * 11
      and lines[at + 1].index("-") == lines[at].index("1"), "dos: heading centred in 78 columns, underlined")
check(any(x.strip() == "- 1 -" for x in lines) and all(len(x) <= 78 for x in lines), "dos: '- N -' page numbers")
check("  - trygghet och säkerhet" in lines, "dos: items with '- '")

# ---- the command's errors ----
bench = os.path.join(repo, "bench", "quality.py")
corpus = os.path.join(work, "corpus")
os.makedirs(os.path.join(corpus, "raw"))
open(os.path.join(corpus, "raw", "prov.txt"), "w", encoding="utf-8").write(SOURCE)
json.dump({"prov.txt": gold}, open(os.path.join(corpus, "gold-x.json"), "w", encoding="utf-8"))
failing = os.path.join(work, "failing-styrdok")
open(failing, "w").write("#!/bin/sh\necho 'styrdok: internal error' >&2\nexit 4\n")
os.chmod(failing, 0o755)
run = subprocess.run([sys.executable, bench, failing, "--corpus", corpus, "--no-dev"], capture_output=True, text=True)
check(run.returncode == 1 and "FAILED: exit 4: styrdok: internal error" in run.stdout,
      f"a document styrdok fails on is named, exit 1: {run.returncode} {run.stdout[-300:]}")
run = subprocess.run([sys.executable, bench, styrdok, "--corpus", corpus, "--no-dev", "--json"], capture_output=True,
                     text=True)
check(run.returncode == 0 and json.loads(run.stdout)["totals"]["corpus"]["documents"] == 1,
      f"--corpus DIR is scored as corpus 'corpus': {run.returncode} {run.stderr}")
json.dump({"prov.txt": {"title": None}}, open(os.path.join(corpus, "gold-y.json"), "w", encoding="utf-8"))
for args, message in (([styrdok, "--corpus", corpus], "gold-y.json: prov.txt: no headings or list_items"),
                      ([styrdok, "--frobnicate"], "unknown option --frobnicate"),
                      ([os.path.join(work, "nothing")], "not an executable"),
                      ([styrdok, "--write-baseline"], "--write-baseline needs --relay")):
    run = subprocess.run([sys.executable, bench, *args], capture_output=True, text=True)
    check(run.returncode == 2 and message in run.stderr, f"{args[1:]}: exit 2 and {message!r}: {run.returncode} "
          f"{run.stderr}")

# ---- the benchmark: the same numbers as score.py, and the baseline ----
dev = quality.default_dev()
have_dev = os.path.isfile(os.path.join(dev, "gold.json"))
score_py = os.path.join(os.path.dirname(os.path.dirname(dev)), "tools", "score.py")
run = subprocess.run([sys.executable, bench, styrdok, "--relay", "--json"], capture_output=True, text=True)
check(run.returncode == 0, f"quality.py exits 0 (got {run.returncode}): {run.stderr[-500:]}")
result = json.loads(run.stdout)
for note in result["notes"]:
    print("note:", note)
if not have_dev:
    print(f"note: no dev corpus at {dev}: scored the repository's corpus only; score.py comparison not run")
elif not os.path.isfile(score_py):
    print(f"note: {score_py} is missing: score.py comparison not run")
else:
    sp = subprocess.run([sys.executable, score_py, f"{styrdok} extract", os.path.join(dev, "gold.json"),
                         os.path.join(dev, "raw"), "--json"], capture_output=True, text=True)
    theirs = json.loads(sp.stdout.split("\n", 1)[0])["report"]
    mine = {d["name"]: d for d in result["documents"] if d["corpus"] == "dev"}
    check(sorted(theirs) == sorted(mine), "the same dev documents as score.py")
    for name, rep in theirs.items():
        for k, v in rep.items():
            check(mine.get(name, {}).get(k) == v, f"{name} {k}: score.py {v}, quality.py {mine.get(name, {}).get(k)}")
    total = re.search(r"^TOTAL .*$", sp.stdout, re.M).group(0)
    t = result["totals"]["dev"]
    for k in ("headings", "items", "goals"):
        p, r_, f1 = quality.prf(*t[k])
        check(f"{k}: P={p:.2f} R={r_:.2f} F1={f1:.2f}" in total, f"dev {k} total as score.py's: {total}")
    for key, k in (("goal-prose-recall", "goal_prose"), ("title", "title"), ("metadata", "metadata"),
                   ("focus-roles", "roles")):
        check(f"{key}={t[k][0]}/{t[k][1]}" in total, f"dev {key} as score.py's: {total}")
    check(f"uncovered-lines={t['uncovered']}" in total and f"failures={t['failures']}" in total,
          f"dev uncovered lines and failures as score.py's: {total}")

baseline = json.load(open(os.path.join(repo, "bench", "quality", "baseline.json"), encoding="utf-8"))["totals"]
now = {name: t["figures"] for name, t in result["totals"].items() if quality.guarded(name)}
for group, figs in baseline.items():
    if group not in now:
        print(f"note: {group} was not scored in this run (its corpus is absent): not checked")
        continue
    for k, want in figs.items():
        have = now[group].get(k)
        if k in quality.LOWER_IS_BETTER:
            check(have is not None and have <= want, f"{group} {k} rose: {have} (baseline {want})")
        else:
            check(have is not None and have >= want - 1e-9, f"{group} {k} fell: {have:.4f} (baseline {want:.4f})"
                  if have is not None else f"{group} {k} missing")
for group, figs in now.items():
    unheld = sorted(set(figs) - set(baseline.get(group, figs if group not in baseline else {})))
    check(group in baseline and not unheld, f"{group} " + ("has no baseline" if group not in baseline else
          f"has figures the baseline lacks: {unheld}") + "; after reading the changes, run "
          "`python3 bench/quality.py build/styrdok --relay --write-baseline`")
shutil.rmtree(work) if not os.environ.get("KEEP") else print(work)
finish()
