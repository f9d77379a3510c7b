"""The SQLite store on the real shared corpora (skipped when ../shared is absent)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from storyline.model import Article
from storyline.store import SQLiteStore

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


def read_corpus(path: Path) -> list[Article]:
    """Articles of a shared JSONL file, first occurrence of each id, with a fake embedding."""
    if not path.exists():
        pytest.skip(f"shared data not found at {path}")
    articles: dict[str, Article] = {}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            record = json.loads(line)
            articles.setdefault(
                record["id"],
                Article(
                    id=record["id"],
                    title=record["title"] or "",
                    text=record["text"],
                    published=dt.date.fromisoformat(record["published"]) if record["published"] else None,
                    url=record["url"],
                    lang=record["lang"],
                    metadata={"gold_event": record["event"]},
                    origin=f"{path.name}:{number}",
                    embedding=np.full(4, number, dtype=np.float32),
                ),
            )
    return list(articles.values())


def test_seed_articles_are_found_by_their_words(tmp_path):
    seeds = read_corpus(SHARED / "seeds" / "seeds.jsonl")
    with SQLiteStore(tmp_path / "seeds.db") as store:
        store.add_articles(seeds)
        hits = store.search("Panmunjom")
        assert [hit.article_id for hit in hits] == ["002_d7e0dd7c6466f229"]
        assert "[Panmunjom]" in hits[0].snippet
        assert [hit.article_id for hit in store.search("Kim Yong-chol closing ceremony")] == ["000_2d17110a08b0926d"]
        assert {hit.article_id for hit in store.search("North Korea Olympics")} == {a.id for a in seeds}


@pytest.mark.slow
def test_gva_corpus_round_trips_and_its_headlines_find_their_article(tmp_path):
    articles = read_corpus(SHARED / "data" / "gva" / "docs.jsonl")
    path = tmp_path / "gva.db"
    with SQLiteStore(path) as store:
        for start in range(0, len(articles), 500):
            with store.transaction():
                store.add_articles(articles[start : start + 500])
    with SQLiteStore(path) as store:
        assert store.stats()["articles"] == len(articles) > 5000
        stored = list(store.iter_articles(batch_size=700))
        assert [a.id for a in stored] == [a.id for a in articles]
        assert all(a.text == b.text and a.published == b.published for a, b in zip(stored, articles))
        np.testing.assert_array_equal(stored[-1].embedding, articles[-1].embedding)
        found = 0
        sample = articles[::250]
        for article in sample:
            hits = store.search(article.title, limit=5)
            found += article.id in {hit.article_id for hit in hits}
        assert found >= 0.9 * len(sample)
