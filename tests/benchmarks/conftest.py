"""Shared fixtures: a small realistic labelled stream written by hand, and the shared data folder if present."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from benchmarks.datasets import BenchArticle, Dataset

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"

STORIES = {
    "quake": [
        "A magnitude 6.1 earthquake struck near Napa, California, early Sunday, damaging historic buildings downtown.",
        "Napa residents cleaned up on Sunday after the 6.1 earthquake shattered windows and cracked buildings.",
        "Officials said the Napa earthquake injured more than 100 people and left thousands without power.",
        "Winemakers in Napa Valley counted broken barrels after Sunday's earthquake rattled the region.",
    ],
    "rehab": [
        "Actress Tara Reid checked herself into the Promises Treatment Center in Malibu, her publicist said.",
        "Tara Reid has entered rehab at Promises in Malibu, her representative told People magazine.",
        "Friends of Tara Reid said the actress went to the Promises rehab center on Tuesday.",
    ],
    "shooting": [
        "Police in Hawthorne said a 20-year-old man was shot and killed outside a convenience store on Friday night.",
        "Hawthorne police are looking for the gunman who shot a 20-year-old man outside a convenience store.",
        "A vigil was held Saturday in Hawthorne for the 20-year-old man shot dead outside a convenience store.",
    ],
}


@pytest.fixture
def news_stream() -> Dataset:
    """Ten articles on three events, interleaved in time, each event's articles within a few days."""
    start = {"quake": dt.date(2014, 8, 24), "rehab": dt.date(2014, 8, 25), "shooting": dt.date(2014, 8, 26)}
    articles = []
    for event, texts in STORIES.items():
        for day, text in enumerate(texts):
            articles.append(BenchArticle(id=f"{event}-{day}", title=text.split(",")[0], text=text,
                                         published=start[event] + dt.timedelta(days=day), lang="en",
                                         event=event, storyline=None))
    articles.sort(key=lambda a: a.published)
    return Dataset(name="news", level="event", articles=articles)


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip(f"shared data folder {SHARED_DATA} is absent")
    return SHARED_DATA
