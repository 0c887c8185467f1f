#!/usr/bin/python3
"""formats_test.py STYRDOK - `extract --format markdown` and `--format goals-csv`
on small documents made here, each output written out in full from reading
the input: no title, no goals (the CSV is its header row alone), a table of
contents, Markdown specials (* _ # | ` < [ & and what opens a block at the
start of a list item), quotes and commas in a goal's title, and a file name
with a comma, quotes and a newline (the one way a line end reaches a field:
text inside a document never holds one).  Then the option's errors.  The
fixtures' Markdown and CSV are goldens (tests/golden.sh)."""
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile

import harness
from harness import check, finish

styrdok = os.path.abspath(sys.argv[1])
work = tempfile.mkdtemp(prefix="styrdok-formats-")
HEADER = "document,line,goal,target,indicator,title,canonical_title,form,in\r\n"


def run(*args, stdin=None):
    return subprocess.run([styrdok, *args], input=stdin, capture_output=True, check=False)


def write(name, text):
    path = os.path.join(work, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def same(path, fmt, want, what):
    r = run("extract", "--format", fmt, path)
    got = r.stdout.decode("utf-8")
    check(r.returncode == 0 and r.stderr == b"" and got == want,
          f"{what}: exit {r.returncode} {r.stderr!r}\n--- want\n{want}--- got\n{got}")
    return got


# ---- a table of contents, and no title: the file name heads the outline ----
toc = write("toc.txt", "Innehållsförteckning\n"
                       "1. Inledning .................... 2\n"
                       "2. Syfte ........................ 3\n"
                       "2.1 Avgränsningar ............... 3\n"
                       "\n"
                       "1. INLEDNING\n"
                       "\n"
                       "Planen gäller hela kommunen.\n"
                       "\n"
                       "2. SYFTE\n"
                       "\n"
                       "Planen ska samla arbetet.\n")
same(toc, "markdown",
     "# toc.txt (ingen titel)\n"
     "\n"
     "- Källa: toc.txt\n"
     "\n"
     "*Innehållsförteckning med 3 poster (rad 1–4), utelämnad.*\n"
     "\n"
     "## 1 INLEDNING\n"
     "\n"
     "## 2 SYFTE\n"
     "\n"
     "---\n"
     "\n"
     "**Målreferenser (Agenda 2030):** inga.\n",
     "toc, no title: the toc summarised, the paragraphs left out")
same(toc, "goals-csv", HEADER, "no goals: the header row alone")

# ---- specials: escaped so that they read as written ----
special = write("special.txt", "Plan för *kultur* & fritid #1 | 2024\n"
                               "\n"
                               "Inledning\n"
                               "\n"
                               "Prioriterade fokusområden är:\n"
                               "\n"
                               "- 1. läsning_för_alla\n"
                               "- + mer `kod` &amp; [alla](x) <b>fet</b>\n"
                               "- > citat\n"
                               "- ***\n"
                               "\n"
                               "Mål i Agenda 2030:\n"
                               "\n"
                               "Mål 13 Klimat, \"väder\" och | annat\n"
                               "Mål 4 God utbildning för alla\n")
same(special, "markdown",
     "# Plan för \\*kultur\\* & fritid \\#1 \\| 2024\n"
     "\n"
     "- Dokumenttyp: plan\n"
     "- Källa: special.txt\n"
     "\n"
     "## Inledning\n"
     "\n"
     "**Fokusområden:** Prioriterade fokusområden är:\n"
     "\n"
     "- 1\\. läsning\\_för\\_alla\n"
     "- \\+ mer \\`kod\\` \\&amp; \\[alla\\](x) \\<b>fet\\</b>\n"
     "- \\> citat\n"
     "- \\*\\*\\*\n"
     "\n"
     "Mål i Agenda 2030:\n"
     "\n"
     "- Mål 13: Klimat, \"väder\" och \\| annat (officiellt namn: Bekämpa klimatförändringarna)\n"
     "- Mål 4: God utbildning för alla\n"
     "\n"
     "---\n"
     "\n"
     "**Målreferenser (Agenda 2030):** 2 av 17 mål, 2 referenser.\n"
     "\n"
     "- Mål 4 God utbildning för alla: rad 15\n"
     "- Mål 13 Bekämpa klimatförändringarna: rad 14\n",
     "Markdown specials escaped, a mismatched goal name beside the official one")
got = same(special, "goals-csv",
           HEADER +
           "special.txt,14,13,,,\"Klimat, \"\"väder\"\" och | annat\",Bekämpa klimatförändringarna,"
           "line,goals\r\n"
           "special.txt,15,4,,,God utbildning för alla,God utbildning för alla,line,goals\r\n",
           "a title with a comma and quotes is quoted, its quotes doubled")
rows = list(csv.reader(io.StringIO(got, newline="")))
check(rows[1][5] == "Klimat, \"väder\" och | annat" and all(len(r) == 9 for r in rows),
      f"Python's csv module reads the title back as written: {rows}")

# ---- a file name with a comma, quotes and a newline ----
odd = os.path.join(work, "a, \"b\"\nc.txt")
shutil.copy(special, odd)
got = run("extract", "--format", "goals-csv", odd).stdout.decode("utf-8")
check(got.split("\r\n")[1].startswith("\"a, \"\"b\"\"\nc.txt\",14,13,"),
      f"the document field is quoted, its quotes doubled, the newline kept: {got!r}")
rows = list(csv.reader(io.StringIO(got, newline="")))
check(len(rows) == 3 and rows[1][0] == "a, \"b\"\nc.txt", f"… and reads back: {rows}")
untitled = os.path.join(work, "plan_*1*.txt")
shutil.copy(toc, untitled)
got = run("extract", "--format", "markdown", untitled).stdout.decode("utf-8")
check(got.startswith("# plan\\_\\*1\\*.txt (ingen titel)\n\n- Källa: plan\\_\\*1\\*.txt\n"),
      f"an untitled document's file name is escaped too: {got[:80]!r}")

# ---- the same document from stdin, and the option's errors ----
r = run("extract", "--format=goals-csv", "-", stdin=open(special, "rb").read())
check(r.returncode == 0 and r.stdout.decode().split("\r\n")[1].startswith("<stdin>,14,13,"),
      f"--format=goals-csv reads stdin, named <stdin>: {r.stdout[:120]!r}")
r = run("extract", "--format", "json", special)
check(r.returncode == 0 and r.stdout == run("extract", special).stdout, "--format json is the default")
r = run("extract", "--format", "json", "--compact", special)
check(r.returncode == 0 and r.stdout == run("extract", "--compact", special).stdout,
      "--compact with --format json")
for args, what in ((("--format", "html"), "an unknown format"),
                   (("--format", "markdown", "--compact"), "--compact with markdown"),
                   (("--format",), "--format without a value")):
    r = run("extract", *args, special)
    check(r.returncode == 2 and r.stdout == b"" and b"Try 'styrdok extract --help'" in r.stderr,
          f"{what}: exit 2, nothing printed: {r.returncode} {r.stderr!r}")
r = run("extract", "--format", "html", special)
check(b"json, markdown and goals-csv" in r.stderr, f"an unknown format lists the formats: {r.stderr!r}")
r = run("explain", "--format", "markdown", special)
check(r.returncode == 2, "explain takes no --format")

if harness.failed:
    print(f"kept the work directory {work}")
else:
    shutil.rmtree(work, ignore_errors=True)
finish()
