#!/usr/bin/env python3
"""layout_spec_test.py STYRDOK SPEC.md - runs each example of the layout spec
(tests/layout_spec.md) through `styrdok extract -` and compares the
document's outline, line by line, with the example's expected outline."""
import sys

from outline import run

run(sys.argv[1], sys.argv[2])
