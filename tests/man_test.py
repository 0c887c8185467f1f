#!/usr/bin/python3
"""man_test.py STYRDOK MANPAGE - the man page is kept in step with --help:
every command, option and exit code that --help or a command's --help names
is in the man page, and its version is the program's."""
import re
import subprocess
import sys

from harness import check, finish

styrdok, manpage = sys.argv[1], sys.argv[2]
def help_of(*command):
    return subprocess.run([styrdok, *command, "--help"], capture_output=True, text=True).stdout


help_text = help_of()
# Each command's own --help lists its options: the man page has them all.
command_help = "".join(help_of(c) for c in ("extract", "explain", "report", "batch", "rules",
                                            "validate", "schema"))
version = subprocess.run([styrdok, "--version"], capture_output=True, text=True).stdout.split()[1]
man = open(manpage, encoding="utf-8").read().replace("\\-", "-")



options = set(re.findall(r"(?<![\w-])(--?[a-z0-9A-Z][a-z0-9-]*)", help_text + command_help))
check(len(options) > 10, f"found too few options in --help: {sorted(options)}")
for option in sorted(options):
    check(re.search(r"(?<![\w-])" + re.escape(option) + r"(?![\w-])", man),
          f"--help names {option}, the man page does not")
commands = re.findall(r"^  ((?:rules )?[a-z]+)\b", help_text.split("Commands:")[1], re.M)
for command in commands:
    check(re.search(r"^\.B " + re.escape(command) + "$", man, re.M), f"command {command} has no section")
codes = re.findall(r"^  (\d)  ", help_text.split("Exit status:")[1], re.M)
check(codes == ["0", "1", "2", "3", "4"], f"exit codes in --help: {codes}")
for code in codes:
    check(re.search(r"^\.B " + code + "$", man, re.M), f"exit code {code} is not in the man page")
check(f'"styrdok {version}"' in man, f"the man page is not for version {version}")
finish()
