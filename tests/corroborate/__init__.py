"""Tests of ``incidents.corroborate``: matching reports to incidents, merging."""
