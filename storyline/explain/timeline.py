"""A storyline's timeline: the days that matter most, each with the sentences that best say what happened.

Days are ranked by how many articles were published on them and how many articles mention them in the
text ("on Saturday", "9 January", "el 25 de enero", resolved against the publication date). A day's
sentences are the salient ones among those that mention it, else among the articles published that day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from storyline.explain.salience import Sentence, article_sentences, select_salient
from storyline.explain.views import TimelineEntry
from storyline.model import Article
from storyline.understand.dates import mentioned_dates


@dataclass
class DayEvidence:
    """What the articles say about one day: who was published on it and which sentences mention it."""

    published: set[str] = field(default_factory=set)
    mentioned_by: set[str] = field(default_factory=set)
    mentions: list[Sentence] = field(default_factory=list)
    reports: list[Sentence] = field(default_factory=list)

    def score(self, published_weight: float) -> float:
        """Articles published that day (weighted) plus articles mentioning the day."""
        return published_weight * len(self.published) + len(self.mentioned_by)


def gather_days(articles: Sequence[Article], horizon_days: int = 31) -> dict[dt.date, DayEvidence]:
    """Collect, per day, the articles published on it and the sentences that mention it.

    Mentioned days more than ``horizon_days`` before the first publication date, or after the last one,
    are background (history, schedules) and are left out.
    """
    published_dates = [article.date for article in articles if article.date is not None]
    if not published_dates:
        return {}
    earliest = min(published_dates) - dt.timedelta(days=horizon_days)
    latest = max(published_dates)
    days: dict[dt.date, DayEvidence] = defaultdict(DayEvidence)
    for article in articles:
        sentences = article_sentences(article)
        if article.date is not None:
            days[article.date].published.add(article.id)
            days[article.date].reports.extend(sentences)
        for day in {m.date for m in mentioned_dates(article.title or "", article.date, article.lang)}:
            if earliest <= day <= latest:
                days[day].mentioned_by.add(article.id)  # a dated headline supports the day, but is not quoted
        for sentence in sentences:
            for day in {m.date for m in mentioned_dates(sentence.text, article.date, article.lang)}:
                if earliest <= day <= latest:
                    days[day].mentioned_by.add(article.id)
                    days[day].mentions.append(sentence)
    return dict(days)


def rank_days(days: dict[dt.date, DayEvidence], published_weight: float = 1.0) -> list[dt.date]:
    """Days from the best supported down; earlier days first among equals."""
    return sorted(days, key=lambda day: (-days[day].score(published_weight), day))


def build_timeline(
    articles: Sequence[Article],
    max_dates: int | None = None,
    sentences_per_date: int = 1,
    published_weight: float = 1.0,
    min_support: int = 2,
    redundancy: float = 0.7,
) -> list[TimelineEntry]:
    """The timeline of ``articles`` in date order, with at most ``max_dates`` entries.

    Without ``max_dates`` every publication day is kept, plus every day mentioned by ``min_support`` articles.
    Each entry quotes up to ``sentences_per_date`` sentences, none with a TF-IDF cosine above ``redundancy``
    to one quoted for another day;
    a day with nothing left to quote gives way to the next best one.
    """
    days = gather_days(articles)
    ranked = rank_days(days, published_weight)
    if max_dates is None:
        ranked = [day for day in ranked if days[day].published or len(days[day].mentioned_by) >= min_support]
    entries: list[TimelineEntry] = []
    quoted: list[Sentence] = []
    for day in ranked:
        evidence = days[day]
        chosen = select_salient(evidence.mentions, sentences_per_date, redundancy, quoted) or select_salient(
            evidence.reports, sentences_per_date, redundancy, quoted
        )
        if chosen:
            quoted.extend(chosen)
            entries.append(TimelineEntry(day, [sentence.ref() for sentence in chosen]))
        if max_dates is not None and len(entries) >= max_dates:
            break
    return sorted(entries, key=lambda entry: entry.date)
