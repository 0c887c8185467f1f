#!/usr/bin/env python3
"""goals_spec_test.py STYRDOK SPEC.md - runs each example of the goal spec
(tests/goals_spec.md) through `styrdok extract -` and compares the goal
references and warnings it finds with the example's expected lists."""
import json
import re
import subprocess
import sys

from harness import check, finish
from spec import examples


def found(doc):
    """The example's lists, as the document gives them."""
    goals = []
    for g in doc["goals"]:
        number = g.get("target") or str(g["goal"])
        goals.append(f"goal {g['line']} {number} {g['form']} {g['in']}")
    warnings = [f"warning {w['code']} {w['lines'][0]}" for w in doc["warnings"]]
    return goals, warnings


def headings(node, out):
    for s in node.get("sections", []):
        out.add(f"heading {s['lines'][0]} {s['heading']}")
        headings(s, out)
    return out


def main():
    styrdok, spec = sys.argv[1], sys.argv[2]
    count = 0
    for where, text, expected in examples(open(spec, encoding="utf-8").read()):
        count += 1
        p = subprocess.run([styrdok, "extract", "-"], input=text.encode(), capture_output=True)
        if not check(p.returncode == 0, f"{spec}:{where}: exit {p.returncode}: {p.stderr.decode()}"):
            continue
        doc = json.loads(p.stdout)
        goals, warnings = found(doc)
        want_goals = [l for l in expected if l.startswith("goal ")]
        want_warnings = [l for l in expected if l.startswith("warning ")]
        want_headings = [l for l in expected if l.startswith("heading ")]
        check(goals == want_goals, f"{spec}:{where}: goals\n  want {want_goals}\n  got  {goals}")
        check(warnings == want_warnings,
              f"{spec}:{where}: warnings\n  want {want_warnings}\n  got  {warnings}")
        have = headings(doc, set())
        for h in want_headings:
            check(h in have, f"{spec}:{where}: no section '{h}' (sections: {sorted(have)})")
        unknown = [l for l in expected if not re.match(r"(goal|warning|heading) ", l)]
        check(not unknown, f"{spec}:{where}: lines the test does not understand: {unknown}")
    check(count >= 10, f"{spec}: only {count} examples were read")
    finish()


main()
