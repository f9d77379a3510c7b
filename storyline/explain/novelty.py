"""What's new: the sentences of later articles that add information the reader has not seen yet."""

from __future__ import annotations

import datetime as dt
from typing import Sequence

import numpy as np

from storyline.explain.salience import article_sentences, centroid, is_statement, tfidf, unique_sentences
from storyline.explain.views import SentenceRef
from storyline.model import Article


def whats_new(
    seen: Sequence[Article],
    new: Sequence[Article],
    max_sentences: int = 3,
    max_overlap: float = 0.5,
    lead_bonus: float = 0.1,
) -> list[SentenceRef]:
    """Sentences of ``new`` that say what ``seen`` did not, most central to ``new`` first.

    A sentence is scored by its similarity to the centre of the new articles times its novelty
    (one minus its highest TF-IDF cosine to a seen sentence or headline), plus a small bonus near the top
    of its article; sentences overlapping a seen one, or one already chosen, beyond ``max_overlap`` are dropped.
    """
    old = [sentence for article in seen for sentence in article_sentences(article, include_headline=True)]
    pool = unique_sentences(sentence for article in new for sentence in article_sentences(article, include_headline=True))
    candidates = [sentence for sentence in pool if is_statement(sentence)] or [s for s in pool if s.tokens]
    if not candidates or max_sentences <= 0:
        return []
    rows = tfidf([s.tokens for s in candidates + old])
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
    """For each article in date order, what it adds to the articles before it (the first adds everything)."""
    ordered = sorted(articles, key=lambda article: article.date or dt.date.max)
    return {article.id: whats_new(ordered[:index], [article], max_sentences) for index, article in enumerate(ordered)}
