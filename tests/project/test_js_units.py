"""The map's pure JavaScript (no DOM), through Node's own test runner.

``tests/js/*.test.mjs`` import modules of ``static/incidents/js/`` that touch no
page (``map/official_series.js``) and check them with ``node:test``; this runs
them with the rest of the suite. Without Node the test is skipped, unless
``BASEWATCH_REQUIRE_NODE=1``, which turns that into a failure.
"""

import os
import shutil
import subprocess

import pytest

from tests import ROOT

TESTS = ROOT / "tests" / "js"


def test_node_unit_tests_pass():
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        if os.environ.get("BASEWATCH_REQUIRE_NODE") == "1":
            pytest.fail("node not found (apt-get install nodejs)")
        pytest.skip("node not found (apt-get install nodejs)")
    files = sorted(str(path) for path in TESTS.glob("*.test.mjs"))
    assert files, f"no *.test.mjs under {TESTS}"
    result = subprocess.run(
        [node, "--test", *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
