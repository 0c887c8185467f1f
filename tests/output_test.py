#!/usr/bin/python3
"""output_test.py STYRDOK FIXTURES [--as-is] - what -o does to what is
already there, for every command that writes a file: a regular file is
replaced whole and keeps its mode, a symlink's target is replaced and the
link kept, hard links stay linked, a FIFO or device is written as a stream,
`-o -` is stdout, and an output that is a file the run reads is refused
before anything is written.

Run as root, it runs the cases as root and then again as the user nobody
(through setpriv); a variant that cannot run is a failure.  Run as anyone
else, it runs the cases as that user and says that the root variant was not
run.  --as-is: only the cases, as the current user."""
import os
import stat
import subprocess
import sys
import tempfile

from harness import check, finish

styrdok, fixtures = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
as_is = "--as-is" in sys.argv[3:]
sample = os.path.join(fixtures, "policy-social-hallbarhet.txt")
is_root = os.geteuid() == 0
who = "root" if is_root else f"uid {os.geteuid()}"
os.umask(0o022)


def run(*args, stdin=None, cwd=None):
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as f:
        return subprocess.run([styrdok, *args], stdin=f, capture_output=True, cwd=cwd,
                              timeout=300)


def read(path):
    """The file's bytes, or None when it is not there."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def write(path, data, mode=None):
    with open(path, "wb") as f:
        f.write(data)
    if mode is not None:
        os.chmod(path, mode)


def mode_of(path):
    """The permission bits, or 0 when the file is not there."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return 0


def leftovers(directory):
    return [n for n in os.listdir(directory) if n.endswith(".part")]


work = tempfile.mkdtemp(prefix="styrdok-output-")
rules_file = os.path.join(work, "own-rules.json")
write(rules_file, b'{"styrdok_rules": 1, "rules": []}\n')
# What each command prints on stdout: what -o must write.
commands = {
    "extract": ["extract", sample],
    "explain": ["explain", sample],
    "report": ["report", sample],
    "rules dump": ["rules", "dump", "--rules", rules_file],
}
want = {name: run(*args).stdout for name, args in commands.items()}
for name, data in want.items():
    check(len(data) > 1000, f"[{who}] {name} prints its output ({len(data)} bytes)")


def case_dir(name):
    d = os.path.join(work, name)
    os.mkdir(d)
    return d


def with_output(name, out):
    return [*commands[name][:-1], "-o", out, commands[name][-1]] if name != "rules dump" \
        else [*commands[name], "-o", out]


# ---- regular files ----
for name in commands:
    d = case_dir("new-" + name.replace(" ", "-"))
    out = os.path.join(d, "out")
    r = run(*with_output(name, out))
    check(r.returncode == 0 and r.stdout == b"" and r.stderr == b"",
          f"[{who}] {name} -o NEW: exit 0, silent ({r.returncode}, {r.stderr[:200]!r})")
    check(read(out) == want[name], f"[{who}] {name} -o NEW writes what stdout shows")
    check(mode_of(out) == 0o644, f"[{who}] {name} -o NEW: mode 644 under umask 022, "
          f"is {mode_of(out):o}")
    check(leftovers(d) == [], f"[{who}] {name} -o NEW leaves no part file: {os.listdir(d)}")

d = case_dir("existing")
out = os.path.join(d, "out.json")
write(out, b"old\n", 0o640)
r = run("extract", "-o", out, sample)
check(r.returncode == 0 and read(out) == want["extract"], f"[{who}] -o EXISTING replaces it")
check(mode_of(out) == 0o640, f"[{who}] -o EXISTING keeps mode 640, is {mode_of(out):o}")
write(out, b"old\n", 0o600)
r = run("extract", "--output=" + out, sample)
check(r.returncode == 0 and read(out) == want["extract"] and mode_of(out) == 0o600,
      f"[{who}] --output=EXISTING replaces it and keeps mode 600 ({mode_of(out):o})")

# A file this user may not write is refused as `>` would refuse it (root
# may write any file, and then its mode stays).
write(out, b"read-only\n", 0o444)
r = run("extract", "-o", out, sample)
if is_root:
    check(r.returncode == 0 and read(out) == want["extract"] and mode_of(out) == 0o444,
          f"[{who}] -o READ-ONLY as root: written, mode 444 kept ({r.stderr[:200]!r})")
else:
    check(r.returncode == 2 and b"Permission denied" in r.stderr and read(out) == b"read-only\n",
          f"[{who}] -o READ-ONLY: exit 2, untouched ({r.returncode}, {r.stderr[:200]!r})")
os.chmod(out, 0o644)

if is_root:  # only root can give a file away, so only root keeps another's owner
    write(out, b"old\n", 0o640)
    os.chown(out, 65534, 65534)
    r = run("extract", "-o", out, sample)
    st = os.stat(out)
    check(r.returncode == 0 and (st.st_uid, st.st_gid) == (65534, 65534),
          f"[{who}] -o a file owned by nobody keeps its owner: {st.st_uid}:{st.st_gid}")

r = run("extract", "-o", d, sample)
check(r.returncode == 2 and b"Is a directory" in r.stderr and os.path.isdir(d),
      f"[{who}] -o DIRECTORY: exit 2 ({r.returncode}, {r.stderr[:200]!r})")

# ---- symlinks: the target is replaced, the link stays ----
d = case_dir("symlink")
os.mkdir(os.path.join(d, "sub"))
target = os.path.join(d, "sub", "target.json")
write(target, b"old\n", 0o640)
link = os.path.join(d, "link.json")
os.symlink("sub/target.json", link)
chain = os.path.join(d, "chain.json")
os.symlink("link.json", chain)
r = run("extract", "-o", link, sample)
check(r.returncode == 0 and os.path.islink(link) and os.readlink(link) == "sub/target.json",
      f"[{who}] -o SYMLINK: the link stays a link to the same name ({r.stderr[:200]!r})")
check(read(target) == want["extract"] and mode_of(target) == 0o640,
      f"[{who}] -o SYMLINK: its target gets the output and keeps mode 640")
check(leftovers(d) == [] and leftovers(os.path.dirname(target)) == [],
      f"[{who}] -o SYMLINK leaves no part file")
write(target, b"old\n")
r = run("explain", "-o", chain, sample)
check(r.returncode == 0 and os.path.islink(chain) and os.path.islink(link)
      and read(target) == want["explain"], f"[{who}] -o a chain of two links: the last target")
dangling = os.path.join(d, "dangling.json")
os.symlink("sub/new.json", dangling)
r = run("extract", "-o", dangling, sample)
check(r.returncode == 0 and os.path.islink(dangling)
      and read(os.path.join(d, "sub", "new.json")) == want["extract"],
      f"[{who}] -o DANGLING-LINK creates the file it names ({r.stderr[:200]!r})")

# ---- hard links: every name sees the new content ----
d = case_dir("hardlink")
first, second = os.path.join(d, "a.json"), os.path.join(d, "b.json")
write(first, b"x" * (len(want["extract"]) * 2), 0o640)  # longer than the output
os.link(first, second)
inode = os.stat(first).st_ino
r = run("extract", "-o", first, sample)
check(r.returncode == 0 and read(second) == want["extract"] and read(first) == want["extract"],
      f"[{who}] -o HARD-LINK: both names have the output, cut to its length")
st = os.stat(first)
check(st.st_ino == inode and st.st_nlink == 2 and mode_of(first) == 0o640,
      f"[{who}] -o HARD-LINK: same inode, still 2 links, mode kept")

# ---- special files: written as a stream, never replaced ----
# As root, a broken build would replace the machine's /dev/null: root tests
# its own copies of the null and full devices instead (nobody cannot write
# in /dev, so nobody tests the real ones).
devices = case_dir("devices")
null, full = "/dev/null", "/dev/full"
if is_root:
    null, full = os.path.join(devices, "null"), os.path.join(devices, "full")
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except OSError as e:
        check(False, f"[{who}] cannot make the test's character devices, so the device cases "
              f"cannot run safely: {e}")
if stat.S_ISCHR(os.stat(null).st_mode) and stat.S_ISCHR(os.stat(full).st_mode):
    r = run("extract", "-o", null, sample)
    check(r.returncode == 0 and stat.S_ISCHR(os.stat(null).st_mode),
          f"[{who}] -o {null}: exit 0, still a character device ({r.stderr[:200]!r})")
    check(not leftovers(os.path.dirname(null)), f"[{who}] -o {null}: no part file")
    r = run("report", "-o", full, sample)
    check(r.returncode == 2 and f"cannot write {full}: No space left".encode() in r.stderr
          and stat.S_ISCHR(os.stat(full).st_mode),
          f"[{who}] -o {full}: exit 2 with the reason, still a device ({r.stderr[:200]!r})")
    # Reading the null device while writing it destroys nothing: not a clash.
    r = run("extract", "-o", null, null)
    check(r.returncode == 0 and stat.S_ISCHR(os.stat(null).st_mode),
          f"[{who}] extract -o {null} {null} is not a clash ({r.returncode}, {r.stderr[:200]!r})")
d = case_dir("fifo")
fifo = os.path.join(d, "pipe")
os.mkfifo(fifo)
reader = subprocess.Popen(["cat", fifo], stdout=subprocess.PIPE)
r = run("extract", "-o", fifo, sample)
if r.returncode != 0 or not stat.S_ISFIFO(os.stat(fifo).st_mode):
    reader.kill()  # it would wait for a writer that never comes
try:
    got = reader.communicate(timeout=300)[0]
except subprocess.TimeoutExpired:  # only a hang guard: the writer never closed
    reader.kill()
    got = reader.communicate()[0]
check(r.returncode == 0 and got == want["extract"],
      f"[{who}] -o FIFO: the reader gets the output and its end ({r.stderr[:200]!r})")
check(stat.S_ISFIFO(os.stat(fifo).st_mode) and os.listdir(d) == ["pipe"],
      f"[{who}] -o FIFO: still a FIFO, no part file: {os.listdir(d)}")

# ---- -o - is standard output ----
d = case_dir("dash")
for name in commands:
    r = run(*with_output(name, "-"), cwd=d)
    check(r.returncode == 0 and r.stdout == want[name] and os.listdir(d) == [],
          f"[{who}] {name} -o -: stdout, no file named - ({os.listdir(d)})")

# ---- an output that is a file the run reads is refused ----
d = case_dir("clash")
doc = os.path.join(d, "doc.txt")
write(doc, read(sample))
os.link(doc, os.path.join(d, "doc-link.txt"))
os.symlink("doc.txt", os.path.join(d, "doc-sym.txt"))
rules = os.path.join(d, "rules.json")
write(rules, read(rules_file))
original = read(doc)
spellings = ["doc.txt", "./doc.txt", doc, "../clash/doc.txt", "doc-link.txt", "doc-sym.txt"]
for name in ("extract", "explain", "report"):
    for out in spellings:
        r = run(name, "-o", out, "doc.txt", cwd=d)
        message = r.stderr.decode(errors="replace")
        check(r.returncode == 2 and f"output {out} is the same file as doc.txt" in message
              and r.stdout == b"", f"[{who}] {name} -o {out} doc.txt: exit 2 naming both: "
              f"{r.returncode} {message[:200]!r}")
    r = run(name, "--rules", "rules.json", "-o", "rules.json", "doc.txt", cwd=d)
    check(r.returncode == 2 and b"output rules.json is the same file as rules.json" in r.stderr,
          f"[{who}] {name} -o RULES-FILE: exit 2 ({r.stderr[:200]!r})")
    r = run(name, "-o", "doc.txt", "-", stdin=doc, cwd=d)
    check(r.returncode == 2 and b"is the same file as standard input" in r.stderr,
          f"[{who}] {name} -o FILE - <FILE: exit 2 ({r.stderr[:200]!r})")
r = run("rules", "dump", "--rules", "rules.json", "-o", "./rules.json", cwd=d)
check(r.returncode == 2 and b"output ./rules.json is the same file as rules.json" in r.stderr,
      f"[{who}] rules dump -o RULES-FILE: exit 2 ({r.stderr[:200]!r})")
check(read(doc) == original and read(rules) == read(rules_file) and leftovers(d) == [],
      f"[{who}] nothing was written over a file the run reads")
check(os.stat(doc).st_nlink == 2 and os.path.islink(os.path.join(d, "doc-sym.txt")),
      f"[{who}] the links to the input are as they were")

subprocess.run(["rm", "-rf", work])

# ---- the other variant ----
if is_root and not as_is:
    # setpriv drops to nobody for the whole child; the same cases must pass.
    try:
        r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            sys.executable, os.path.abspath(__file__), styrdok, fixtures,
                            "--as-is"],
                           capture_output=True, text=True, timeout=600)
        out, rc = r.stdout + r.stderr, r.returncode
    except OSError as e:
        out, rc = f"cannot run setpriv: {e}", -1
    for line in out.splitlines():
        print("  as nobody:", line)
    last = out.strip().splitlines()[-1] if out.strip() else ""
    check(rc == 0 and last.endswith(" 0 failed"),
          f"the cases as the user nobody (setpriv) did not all pass: exit {rc}, {last!r}")
elif not is_root and not as_is:
    print(f"NOTE: run as {who}: the variant as root was not run (run this test as root for it)")
finish()
