#!/usr/bin/python3
"""readme_test.py SOURCE_DIR - every shell command in README.md and docs/*.md
is run as written, in a scratch copy of the source tree, and must succeed.

The ```sh blocks are run in document order (README.md first, then docs/ by
name), each line by bash from the copy's root, so the Quick start's set-up
builds the copy that later commands use.  A command that cannot run here is
listed below with the reason; it is printed as NOT RUN, never passed over in
silence, and a listed command that no page has any more fails the test."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from harness import check, finish

src = os.path.abspath(sys.argv[1])
work = tempfile.mkdtemp(prefix="styrdok-readme-")
copy = os.path.join(work, "styrdok")
scratch = os.path.join(work, "destdir")

# Commands not run as they stand, and why; or the environment they run in.
TEST_COMMAND = "scripts/setup.sh --tests && ctest --test-dir build --output-on-failure"
NOT_RUN = {
    TEST_COMMAND: "it runs the whole suite, this test included (.ci/run runs it: checked below)",
    "/usr/bin/python3 bench/bench.py build/styrdok": "the benchmark takes minutes and only measures",
    "build-fuzz/fuzz/fuzz_extract -dict=fuzz/styrdok.dict -max_len=65536 CORPUS fixtures/":
        "fuzzing runs until stopped, and CORPUS stands for a directory of the reader's",
    "find arkiv -name '*.txt' -print0 | styrdok batch --files-from - -0 --jsonl - | "
    "jq -r 'select(.status != \"ok\") | \"\\(.path): \\(.error.message // .reason)\"'":
        "arkiv/ and jq are the reader's; tests/batch_inputs_test.py runs find | batch | a reader",
    "find /nfs/arkiv -name '*.txt' | parallel --pipe -N 500 -S 4/host1,4/host2,: "
    "'styrdok batch --jobs 1 --files-from - --jsonl -'    > alla.jsonl":
        "it needs the reader's hosts and GNU parallel",
}
ENV = {
    "cmake --install build --prefix /usr/local":
        ({"DESTDIR": scratch}, "installed under a scratch DESTDIR, not into /usr/local"),
}


def shell_blocks(page):
    text = open(page, encoding="utf-8").read()
    for body in re.findall(r"^```sh\n(.*?)^```$", text, re.S | re.M):
        # a line ending in a backslash or a pipe goes on on the next; a comment is no command
        body = re.sub(r"\|\n\s*", "| ", body.replace("\\\n", " "))
        yield from (c for c in body.split("\n") if c.strip() and not c.lstrip().startswith("#"))


def ignore(directory, names):
    top = os.path.abspath(directory) == src
    return [n for n in names if n == ".git" or (top and n.startswith("build")) or
            (directory.endswith("bench") and n == "out")]


shutil.copytree(src, copy, ignore=ignore, symlinks=True)
pages = [os.path.join(src, "README.md")] + sorted(
    os.path.join(src, "docs", n) for n in os.listdir(os.path.join(src, "docs")) if n.endswith(".md"))
seen = set()
for page in pages:
    name = os.path.relpath(page, src)
    for command in shell_blocks(page):
        seen.add(command)
        if command in NOT_RUN:
            print(f"NOT RUN {name}: {command}\n  because {NOT_RUN[command]}")
            continue
        env = dict(os.environ)
        extra, why = ENV.get(command, ({}, None))
        env.update(extra)
        if why:
            print(f"{name}: {command}\n  {why}")
        r = subprocess.run(["bash", "-c", command], cwd=copy, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, errors="replace")
        check(r.returncode == 0, f"{name}: `{command}` exited with {r.returncode}:\n"
              + r.stderr[-3000:])
        print(f"ran {name}: {command} (exit {r.returncode})")

# The README's rule file passes `styrdok rules check` (built above); docs/rules.md's
# are run by its own test (docs_test.py), and its outline of a file is no file.
styrdok = os.path.join(copy, "build", "styrdok")
rule_files = 0
for page in pages[:1]:
    text = open(page, encoding="utf-8").read()
    for n, body in enumerate(re.findall(r"^```json[^\n]*\n(.*?)^```$", text, re.S | re.M)):
        if '"styrdok_rules"' not in body:
            continue
        rule_files += 1
        path = os.path.join(work, f"rules-{n}.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(body)
        r = subprocess.run([styrdok, "rules", "check", path], capture_output=True, text=True)
        check(r.returncode == 0, f"the rule file in {os.path.relpath(page, src)} fails "
              f"`styrdok rules check`:\n{r.stderr}{body}")

check(rule_files > 0, "README.md shows no rule file")

for command in list(NOT_RUN) + list(ENV):
    check(command in seen, f"the list of commands not run as written has one no page has: {command}")
# What the install command put under the scratch DESTDIR works.
installed = os.path.join(scratch, "usr/local/bin/styrdok")
r = subprocess.run([installed, "--version"], capture_output=True, text=True) \
    if os.path.exists(installed) else None
check(r and r.returncode == 0 and r.stdout.startswith("styrdok "),
      f"the install command gave no working {installed}")
# The README's test command is exactly what CI runs.
ci = open(os.path.join(src, ".ci", "run"), encoding="utf-8").read().split("\n")
check(TEST_COMMAND in ci, f".ci/run does not run the README's test command: {TEST_COMMAND}")

shutil.rmtree(work, ignore_errors=True)
finish()
