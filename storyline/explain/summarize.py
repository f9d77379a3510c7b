"""Event and storyline views: representative headline, extractive summary, outlets, title and key entities."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from typing import Sequence
from urllib.parse import urlparse

import numpy as np

from storyline.explain.novelty import sentence_space, whats_new
from storyline.explain.salience import article_sentences, centroid, select_salient, tfidf
from storyline.explain.timeline import build_timeline
from storyline.explain.views import EventSummary, StorylineSummary
from storyline.model import Article
from storyline.understand.sentences import tokenize


def representative_title(articles: Sequence[Article]) -> str:
    """The headline closest to what all the headlines and leads say (not simply the first one seen)."""
    titled = [article for article in articles if (article.title or "").strip()]
    if not titled:
        return ""
    titles = [tuple(tokenize(a.title, a.lang)) for a in titled]
    # every headline and the first lines of every article vote: a headline repeated by many outlets weighs more
    votes = titles + [sentence.tokens for a in titled for sentence in article_sentences(a)[:2]]
    rows = tfidf(titles, fit_on=votes)
    scores = rows @ centroid(tfidf(votes))
    best = int(np.argmax(scores)) if np.any(scores) else 0
    return titled[best].title.strip()


def storyline_title(articles: Sequence[Article], max_entities: int = 3, max_keywords: int = 3) -> str:
    """A title naming the storyline's key entities and subject words, e.g. "North Korea, Moon Jae-in: olympics, talks"."""
    entities = key_entities(articles, max_entities)
    keys = {word for name in entities for word in tokenize(name, None, frozenset())}
    words = [word for word in keywords(articles, max_keywords + len(keys)) if word not in keys][:max_keywords]
    if entities and words:
        return f"{', '.join(entities)}: {', '.join(words)}"
    return ", ".join(entities or words) or representative_title(articles)


def key_entities(articles: Sequence[Article], limit: int = 5) -> list[str]:
    """Names of the entities mentioned in the most articles (most mentions break ties), in their commonest spelling."""
    articles_with: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for article in articles:
        for entity in article.entities:
            mentions[entity.key] += entity.count
            spellings.setdefault(entity.key, Counter())[entity.name] += entity.count
        articles_with.update({entity.key for entity in article.entities})
    ranked = sorted(articles_with, key=lambda key: (-articles_with[key], -mentions[key], key))
    return [spellings[key].most_common(1)[0][0] for key in ranked[:limit]]


def keywords(articles: Sequence[Article], limit: int = 5) -> list[str]:
    """Content words found in the most headlines and leads of the articles (their subject)."""
    document_frequency: Counter[str] = Counter()
    for article in articles:
        lead = " ".join(sentence.text for sentence in article_sentences(article, include_headline=True)[:3])
        document_frequency.update(set(tokenize(lead, article.lang)))
    return [word for word, _ in sorted(document_frequency.items(), key=lambda item: (-item[1], item[0]))[:limit]]


def outlets(articles: Sequence[Article]) -> list[str]:
    """The outlets that published the articles (source, else the URL's host), most articles first."""
    names = Counter(name for name in (_outlet(article) for article in articles) if name)
    return [name for name, _ in sorted(names.items(), key=lambda item: (-item[1], item[0]))]


def summarize_event(articles: Sequence[Article], max_sentences: int = 3) -> EventSummary:
    """The event view: representative headline, salient non-redundant sentences, outlets, date, counts.

    Copies (``duplicate_of`` set) are counted and name their outlets (a wire story reprinted by twenty outlets),
    but only the originals are read for the headline and the summary.
    """
    originals = _originals(articles)
    sentences = [sentence for article in _by_date(originals) for sentence in article_sentences(article)]
    dates = [article.date for article in articles if article.date is not None]
    return EventSummary(
        headline=representative_title(originals),
        sentences=[sentence.ref() for sentence in select_salient(sentences, max_sentences)],
        outlets=outlets(articles),
        article_count=len(originals),
        date=min(dates) if dates else None,
        copy_count=len(articles) - len(originals),
    )


def summarize_storyline(
    events: Sequence[Sequence[Article]],
    max_dates: int | None = None,
    summary_sentences: int = 3,
    new_sentences: int = 3,
) -> StorylineSummary:
    """The storyline view from its events' articles: title, summary, timeline, entities, and each event's view.

    Events are put in date order; each event after the first says what it adds to the ones before it. Copies are
    counted with their event (:func:`summarize_event`) and otherwise left out.
    """
    ordered = sorted((list(event) for event in events if event), key=_first_date)
    originals = [_originals(event) for event in ordered]
    articles = [article for event in originals for article in event]
    space = sentence_space(articles)
    event_views = []
    for index, event in enumerate(ordered):
        view = summarize_event(event)
        seen = [article for earlier in originals[:index] for article in earlier]
        if seen:
            view = replace(view, whats_new=whats_new(seen, originals[index], new_sentences, space=space,
                                                     shown=[view.headline]))
        event_views.append(view)
    sentences = [sentence for article in _by_date(articles) for sentence in article_sentences(article)]
    return StorylineSummary(
        title=storyline_title(articles),
        summary=[sentence.ref() for sentence in select_salient(sentences, summary_sentences)],
        timeline=build_timeline(articles, max_dates=max_dates),
        entities=key_entities(articles),
        events=event_views,
        article_count=len(articles),
        copy_count=sum(view.copy_count for view in event_views),
    )


def _originals(articles: Sequence[Article]) -> list[Article]:
    """The articles that are no copy of another (all of them, should every one be a copy)."""
    return [article for article in articles if not article.duplicate_of] or list(articles)


def _by_date(articles: Sequence[Article]) -> list[Article]:
    return sorted(articles, key=lambda article: article.date or dt.date.max)


def _first_date(articles: Sequence[Article]) -> dt.date:
    return min((article.date for article in articles if article.date is not None), default=dt.date.max)


def _outlet(article: Article) -> str | None:
    if article.source:
        return article.source
    host = urlparse(article.url or "").hostname or ""
    return host.removeprefix("www.") or None
