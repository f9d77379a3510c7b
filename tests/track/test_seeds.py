"""The two real seed articles, understood by the real models and tracked: two events of one storyline."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.ingest import read_inputs
from storyline.model import Article
from storyline.track.tracker import Tracker

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds" / "seeds.jsonl"


@pytest.mark.slow
def test_the_seeds_are_two_events_of_one_storyline():
    if not SEEDS.is_file():
        pytest.skip(f"the seed articles are not available at {SEEDS} (the shared folder beside the repository)")
    from storyline.understand import Understander

    articles = [item for item in read_inputs([str(SEEDS)]) if isinstance(item, Article)]
    assert len(articles) == 2
    Understander().understand(articles)
    articles.sort(key=lambda a: a.date)
    changes = Tracker().track(articles)
    events = sorted(changes.events.values(), key=lambda e: e.first_date)
    assert [e.article_ids for e in events] == [["002_d7e0dd7c6466f229"], ["000_2d17110a08b0926d"]]
    assert events[0].first_date.month == 1 and events[1].first_date.month == 2  # the January talks come first
    assert list(changes.storylines) == ["sl_002_d7e0dd7c6466f229"]
    assert {e.storyline_id for e in events} == {"sl_002_d7e0dd7c6466f229"}
    assert changes.redirects == {}
