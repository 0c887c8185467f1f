#!/usr/bin/python3
"""docs_test.py STYRDOK DOC.md - a page of documentation is tested as written.

Blocks fenced as ```LANG file=NAME are written to a scratch directory; in
```console blocks, each "$ styrdok ..." line is run there and its output
(stdout and stderr) must be exactly the lines that follow it.  A list
between <!-- default-states --> markers must match `styrdok rules dump`."""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

from harness import check, finish

styrdok, page = sys.argv[1], sys.argv[2]
text = open(page, encoding="utf-8").read()
work = tempfile.mkdtemp()



blocks = re.findall(r"^```(\w+)([^\n]*)\n(.*?)^```$", text, re.S | re.M)
for lang, info, body in blocks:
    name = re.search(r"file=(\S+)", info)
    if name:
        with open(os.path.join(work, name.group(1)), "w", encoding="utf-8") as f:
            f.write(body)
commands = 0
for lang, info, body in blocks:
    if lang != "console":
        continue
    lines = body.split("\n")[:-1]
    i = 0
    while i < len(lines):
        command = lines[i][2:]
        expected = []
        i += 1
        while i < len(lines) and not lines[i].startswith("$ "):
            expected.append(lines[i])
            i += 1
        argv = shlex.split(command)
        check(argv[0] == "styrdok", f"a command that is not styrdok: {command}")
        r = subprocess.run([styrdok] + argv[1:], cwd=work, capture_output=True, text=True)
        got = (r.stdout + r.stderr).rstrip("\n").split("\n")
        check(got == expected, f"$ {command}\n--- expected\n" + "\n".join(expected) +
              "\n--- got\n" + "\n".join(got))
        commands += 1
check(commands > 0, "the page has no console commands to test")

listed = re.search(r"<!-- default-states -->\n(.*?)<!-- /default-states -->", text, re.S)
if listed:
    dump = json.loads(subprocess.run([styrdok, "rules", "dump"], capture_output=True).stdout)
    order = {s: [] for s in dump["states"]}
    for rule in dump["rules"]:
        if rule.get("scope") == "inline":
            continue
        states = rule.get("states", [dump["initial_state"]])
        for s in dump["states"] if states == ["*"] else states:
            order[s].append(rule["id"])
    want = "".join(f"- `{s}`: " + ", ".join(f"`{i}`" for i in ids) + "\n" for s, ids in order.items())
    check(listed.group(1) == want, "the list of built-in states and rules is not what rules dump says:\n" + want)

finish()
