"""Basewatch's tests: a folder per package of ``incidents`` (CONTRIBUTING.md)."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent  # the repository
TEST_DATA = TESTS / "data"  # fixture files: acled/, articles/, geocode/
