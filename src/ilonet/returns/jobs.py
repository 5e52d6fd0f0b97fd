"""Periodic jobs of return cases (filled below)."""
