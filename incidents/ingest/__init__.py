"""Turning outside data (reference CSVs, ACLED files, articles) into incidents."""
