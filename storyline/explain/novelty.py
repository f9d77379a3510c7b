"""What's new: the sentences of later articles that add information the reader has not seen yet."""

from __future__ import annotations

import datetime as dt
from typing import Sequence

import numpy as np

from storyline.explain.salience import (
    TermSpace, article_sentences, centroid, is_statement, same_words, unique_sentences,
)
from storyline.explain.views import SentenceRef
from storyline.model import Article


def whats_new(
    seen: Sequence[Article],
    new: Sequence[Article],
    max_sentences: int = 3,
    max_overlap: float = 0.5,
    lead_bonus: float = 0.1,
    space: TermSpace | None = None,
    shown: Sequence[str] = (),
) -> list[SentenceRef]:
    """Sentences of ``new`` that say what ``seen`` did not, most central to ``new`` first, never one of the lines
    ``shown`` beside them (the headline they are listed under).

    A sentence is scored by its similarity to the centre of the new articles times its novelty
    (one minus its highest TF-IDF cosine to a seen sentence or headline), plus a small bonus near the top
    of its article; sentences overlapping a seen one, or one already chosen, beyond ``max_overlap`` are dropped.
    ``space`` holds the sentences' terms when many calls share them (:func:`sentence_space`).
    """
    old = [sentence for article in seen for sentence in article_sentences(article, include_headline=True)]
    hidden = {same_words(line) for line in shown}
    pool = unique_sentences(sentence for article in new
                            for sentence in article_sentences(article, include_headline=True)
                            if same_words(sentence.text) not in hidden)
    candidates = [sentence for sentence in pool if is_statement(sentence)] or [s for s in pool if s.tokens]
    if not candidates or max_sentences <= 0:
        return []
    documents = [s.tokens for s in candidates + old]
    rows = (space or TermSpace(documents)).tfidf(documents)
    new_rows, old_rows = rows[: len(candidates)], rows[len(candidates) :]
    overlap = (new_rows @ old_rows.T).max(axis=1).toarray().ravel() if old_rows.shape[0] else np.zeros(len(candidates))
    positions = np.array([sentence.position for sentence in candidates])
    scores = (new_rows @ centroid(new_rows)) * (1 - overlap) + lead_bonus / (1 + positions)
    chosen: list[int] = []
    for index in np.argsort(-scores, kind="stable"):
        if overlap[index] > max_overlap:
            continue
        if chosen and (new_rows[chosen] @ new_rows[index].T).max() > max_overlap:
            continue
        chosen.append(int(index))
        if len(chosen) == max_sentences:
            break
    return [candidates[i].ref() for i in chosen]


def article_novelty(articles: Sequence[Article], max_sentences: int = 3) -> dict[str, list[SentenceRef]]:
    """For each article in date order, what it adds to the articles before it (the first adds everything), its
    headline aside (listed with it)."""
    ordered = sorted(articles, key=lambda article: article.date or dt.date.max)
    space = sentence_space(ordered)
    return {article.id: whats_new(ordered[:index], [article], max_sentences, space=space, shown=[article.title or ""])
            for index, article in enumerate(ordered)}


def sentence_space(articles: Sequence[Article]) -> TermSpace:
    """The terms of the articles' sentences as :func:`whats_new` reads them, counted once for many calls."""
    return TermSpace(s.tokens for article in articles for s in article_sentences(article, include_headline=True))
