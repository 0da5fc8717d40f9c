"""Shared pytest fixtures: reference data and small model factories."""

import pytest
from django.core.management import call_command

from tests import factories


@pytest.fixture
def reference_data(db):
    """The committed reference fixtures (26 sites, 60 + 4 incidents), loaded."""
    call_command("load_reference_data", verbosity=0)


@pytest.fixture
def make():
    """Factories for hand-made rows: ``make.site(...)``, ``make.incident(...)``."""
    return factories
