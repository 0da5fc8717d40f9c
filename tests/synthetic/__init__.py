"""Tests of ``incidents.synthetic``: the synthetic incidents benchmarks run on."""
