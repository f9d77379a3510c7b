"""Benchmarks of Storyline against peer clusterers on the labelled sets in ../shared/data.

Run everything with ``python -m benchmarks.run --out docs/benchmarks.md``; see ``benchmarks/run.py``.
"""
