"""What the explain stage hands to reports, the CLI and the web: small views of events and storylines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SentenceRef:
    """A sentence quoted from an article, with the article it came from and that article's date."""

    article_id: str
    text: str
    date: dt.date | None


@dataclass(frozen=True)
class TimelineEntry:
    """One dated step of a storyline and the sentences that best say what happened that day."""

    date: dt.date
    sentences: list[SentenceRef]


@dataclass(frozen=True)
class EventSummary:
    """The event view: headline, a short extractive summary, who reported it and when."""

    headline: str
    sentences: list[SentenceRef]
    outlets: list[str]
    article_count: int  # originals
    date: dt.date | None
    whats_new: list[SentenceRef] = field(default_factory=list)  # against the storyline's earlier events
    copy_count: int = 0  # reprints of its originals


@dataclass(frozen=True)
class StorylineSummary:
    """The storyline view: title, short summary, dated timeline, key entities and its events in date order."""

    title: str
    summary: list[SentenceRef]
    timeline: list[TimelineEntry]
    entities: list[str]
    events: list[EventSummary] = field(default_factory=list)
    article_count: int = 0  # originals
    copy_count: int = 0
