"""Shared fixtures of the understand tests: the seed articles and the shared data folder."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from storyline.model import Article

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


def shared_path(relative: str) -> Path:
    """A file under ../shared, or skip the test with the reason when it is not there."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"shared data not found: {path} (the folder 'shared' beside the repository)")
    return path


def read_articles(relative: str, limit: int | None = None) -> list[Article]:
    """Articles of a shared JSONL file, without their gold labels."""
    articles = []
    with shared_path(relative).open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            published = dt.date.fromisoformat(row["published"]) if row.get("published") else None
            articles.append(Article(id=row["id"], title=row["title"], text=row["text"], published=published))
            if limit is not None and len(articles) == limit:
                break
    return articles


@pytest.fixture(scope="session")
def shared_articles():
    """``shared_articles("gva/docs.jsonl", limit)`` reads shared articles or skips the test."""
    return read_articles


@pytest.fixture(scope="session")
def seeds() -> list[Article]:
    return read_articles("seeds/seeds.jsonl")
