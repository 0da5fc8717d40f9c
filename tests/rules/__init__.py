"""Tests of ``incidents.rules``: the review workflow, roles and history."""
