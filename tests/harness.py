"""harness.py - what the Python test drivers share (harness.h's twin): one
check() that counts, the closing line "N passed, M failed" that test runners
read, and an exception that ends a run counting as one more failure (with
that closing line), never as a silent stop."""
import sys
import traceback

passed = failed = 0


def check(ok, message):
    """Counts a check; a failed one prints FAIL and the message."""
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL", message)
    return ok


def finish():
    """Prints the closing line and exits 1 when anything failed."""
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def _crashed(kind, value, tb):
    traceback.print_exception(kind, value, tb)
    print(f"FAIL the test stopped: {value!r}")
    print(f"{passed} passed, {failed + 1} failed")


sys.excepthook = _crashed
