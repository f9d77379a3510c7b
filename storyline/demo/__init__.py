"""A small fictional news corpus bundled with Storyline, for demos, tutorials and smoke tests."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def demo_path() -> Path:
    """Path of the bundled demo corpus (JSONL, one labelled article a line; see README.md beside it)."""
    return Path(str(resources.files(__name__).joinpath("articles.jsonl")))
