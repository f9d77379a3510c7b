"""How similarity signals combine into one score: a logistic same-event model for pairs of articles,
and linear weights for an event against a storyline profile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storyline.track.features import ArticleFeatures, Similarity, sparse_dots


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass(frozen=True)
class SameEventModel:
    """Log-odds that two articles report the same happening, from nine pair signals.

    The weights are a logistic regression fitted once on labelled pairs (see docs/tuning.md);
    a positive score means "more likely the same event than not".
    """

    terms: float = 16.0  # TF-IDF cosine of words and numbers
    entities: float = 5.6  # TF-IDF cosine of entities and numbers
    dense: float = 0.9  # embedding cosine
    gap: float = -6.5  # per 30 days between the two publication dates
    people: float = 4.0  # Jaccard of full personal names
    place: float = 0.9  # 1 when they share a place
    title: float = 4.2  # cosine of the headlines
    years: float = -0.5  # 1 when both name years and share none
    days: float = 3.6  # Jaccard of the days they mention
    bias: float = -7.2

    def score(self, a: ArticleFeatures, b: ArticleFeatures) -> float:
        """Log-odds that ``a`` and ``b`` are about the same event."""
        return float(self.scores(a, [b])[0])

    def scores(self, a: ArticleFeatures, others: Sequence[ArticleFeatures]) -> np.ndarray:
        """Log-odds that ``a`` and each of ``others`` are about the same event."""
        weights = np.array([self.terms, self.entities, self.dense, self.gap, self.people, self.place, self.title,
                            self.years, self.days])
        # accumulated signal after signal, as ``sum`` adds one pair's: a pair scores the same in any batch
        return self.bias + (weights[:, None] * pair_signal_rows(a, others)).cumsum(axis=0)[-1]


def pair_signals(a: ArticleFeatures, b: ArticleFeatures) -> tuple[float, ...]:
    """The nine signals of :class:`SameEventModel` for one pair, in the order of its weights."""
    return tuple(pair_signal_rows(a, [b])[:, 0].tolist())


def pair_signal_rows(a: ArticleFeatures, others: Sequence[ArticleFeatures]) -> np.ndarray:
    """The nine signals of :class:`SameEventModel` between ``a`` and each of ``others``: a row per signal, in the
    order of its weights, and a column per other article (0 where one side lacks the signal).

    The last two say when it happened, which tells look-alikes of one kind apart (two heists in
    Paris, two shootings in one city): articles naming years but none in common are rarely about
    one event, and reports of one incident name its day ("on Saturday night", "on March 3").
    """
    # article vectors are unit: their dot products are their cosines
    terms, entities, title = sparse_dots((a.terms, a.entities, a.title_terms),
                                         [(b.terms, b.entities, b.title_terms) for b in others])
    # pair by pair: a dot product of two vectors costs less than stacking a dozen, and is the same whatever else is
    # scored with it (a matrix product's sums depend on the rows around)
    dense = [float(a.embedding @ b.embedding) if a.embedding is not None and b.embedding is not None else 0.0
             for b in others]
    return np.array([
        terms,
        entities,
        dense,
        [abs((a.date - b.date).days) / 30.0 if a.date is not None and b.date is not None else 0.0 for b in others],
        [_jaccard(a.people, b.people) for b in others],
        [1.0 if a.places & b.places else 0.0 for b in others],
        title,
        [1.0 if a.years and b.years and not a.years & b.years else 0.0 for b in others],
        [_jaccard(a.days, b.days) for b in others],
    ], dtype=np.float64)


@dataclass(frozen=True)
class Weights:
    """Linear weights of an event-to-storyline comparison; the time gap costs ``gap`` per window length."""

    terms: float
    entities: float
    actors: float
    dense: float
    gap: float
    dense_floor: float = 0.5  # static embeddings of any two news texts sit above this: only the excess counts

    def score(self, sim: Similarity, window_days: int, floor: float = float("-inf")) -> float | None:
        """Combined score, or ``None`` when the gap is beyond the window or the score is sure to fall below ``floor``.

        The cheap signals are read first; the term and entity cosines only when they can still
        lift the score to ``floor`` (each cosine is at most 1).
        """
        if sim.gap_days is not None and sim.gap_days > window_days:
            return None
        s = self.actors * sim.actors
        if sim.dense is not None:
            s += self.dense * max(sim.dense - self.dense_floor, 0.0) / (1.0 - self.dense_floor)
        if sim.gap_days is not None:
            s -= self.gap * sim.gap_days / window_days
        if s + max(self.terms, 0.0) + max(self.entities, 0.0) < floor:
            return None
        if self.terms:
            s += self.terms * sim.terms
        if self.entities:
            s += self.entities * sim.entities
        return s
