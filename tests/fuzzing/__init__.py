"""Fuzzing strategies shared by the test suite (few cases) and bench/fuzz.py (many)."""
