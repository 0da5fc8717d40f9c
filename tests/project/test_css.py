"""Our stylesheets parse: every block closed. A rule left open swallows every rule
after it without a word from the browser (a merge once did this to the map's
label rules), so it is checked here, not found by chance in a screenshot."""

import re

import pytest

from tests import ROOT

STYLESHEETS = sorted((ROOT / "static" / "incidents" / "css").glob("*.css"))


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: p.name)
def test_every_block_is_closed_where_it_should_be(path):
    text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    text = re.sub(r"\"[^\"]*\"|'[^']*'", '""', text)
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for char in line:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, f"{path.name}:{number}: a }} closes nothing"
        # A new rule's selector (a line ending in "{" that is not inside
        # @media/@supports) must not start while a declaration block is open.
        if line.rstrip().endswith("{") and not line.lstrip().startswith("@"):
            assert depth <= 2, f"{path.name}:{number}: a rule opened inside a rule"
    assert depth == 0, f"{path.name}: {depth} block(s) left open"
