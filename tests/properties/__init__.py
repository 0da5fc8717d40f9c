"""Property and fuzz tests: Hypothesis on every parser, Schemathesis on the API."""
