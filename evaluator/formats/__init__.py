"""Reporters: views of the one Report model (never re-computations)."""
