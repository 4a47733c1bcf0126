"""Benchmark harness (`python -m benchmarks.run`, `make bench`) and load tools; not shipped in the wheel."""
