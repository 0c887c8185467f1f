#!/usr/bin/env python3
"""tree_spec_test.py STYRDOK SPEC.md - runs each example of the tree spec
(tests/tree_spec.md) through `styrdok extract -` and compares the
document's outline, with intros and markers, line by line with the
example's expected outline."""
import sys

from outline import run

run(sys.argv[1], sys.argv[2], detail=True, least=25)
