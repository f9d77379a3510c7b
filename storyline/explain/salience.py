"""Sentences of articles as TF-IDF vectors, and centroid-based selection of the salient, non-redundant ones.

Lexical on purpose: it works for any language (stop words where spaCy has a list, plain words elsewhere)
and needs no model. A sentence printed word for word by several outlets is kept once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

from storyline.explain.views import SentenceRef
from storyline.model import Article
from storyline.understand.sentences import split_sentences, stopwords, tokenize

if TYPE_CHECKING:
    from scipy import sparse

MIN_WORDS = 6  # shorter lines are captions, bylines or tweets, not statements
MAX_WORDS = 70  # longer "sentences" are lists or run-on boilerplate


@dataclass(frozen=True)
class Sentence:
    """One sentence of one article, with its content words."""

    article_id: str
    text: str
    date: dt.date | None  # the article's date
    position: int  # 0 = first sentence of the article body
    tokens: tuple[str, ...]
    lang: str | None

    def ref(self) -> SentenceRef:
        """The sentence as it is quoted in views."""
        return SentenceRef(self.article_id, self.text, self.date)


def article_sentences(article: Article, include_headline: bool = False) -> list[Sentence]:
    """The sentences of an article's body (its headline line only if asked), each with its content words."""
    words = stopwords(article.lang)
    spans = split_sentences(article.text or "", article.lang)
    if spans and _normalise(spans[0].text) == _normalise(article.title or ""):
        spans = spans if include_headline else spans[1:]
    elif include_headline and article.title:
        spans = [*split_sentences(article.title, article.lang)[:1], *spans]
    return [
        Sentence(article.id, span.text, article.date, position, tuple(tokenize(span.text, article.lang, words)), article.lang)
        for position, span in enumerate(spans)
    ]


def is_statement(sentence: Sentence) -> bool:
    """Whether a sentence reads as a statement worth quoting: long enough, not a list, not a bare link or tag."""
    words = sentence.text.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS or len(sentence.tokens) < 3:
        return False
    links = sum(word.startswith(("http", "www.", "@", "#")) for word in words)
    return links <= len(words) // 5 and not sentence.text.endswith(":")


def unique_sentences(sentences: Iterable[Sentence]) -> list[Sentence]:
    """Drop repeats of the same sentence (same words, any case or punctuation), keeping the first seen."""
    seen: set[str] = set()
    unique = []
    for sentence in sentences:
        key = _normalise(sentence.text)
        if key not in seen:
            seen.add(key)
            unique.append(sentence)
    return unique


def tfidf(documents: Sequence[Sequence[str]], fit_on: Sequence[Sequence[str]] | None = None) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows for token lists, with IDF learnt on ``fit_on`` (default: the documents)."""
    from scipy import sparse  # both imported on first use: together they cost every command a second at start-up
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=list, sublinear_tf=True, lowercase=False)
    corpus = list(fit_on if fit_on is not None else documents)
    if not any(corpus):
        return sparse.csr_matrix((len(documents), 1))
    vectorizer.fit(corpus)
    return vectorizer.transform(list(documents)).tocsr()


def centroid(rows: sparse.csr_matrix) -> np.ndarray:
    """The unit-length mean of the rows (zeros if there are none)."""
    mean = np.asarray(rows.mean(axis=0)).ravel() if rows.shape[0] else np.zeros(rows.shape[1])
    norm = np.linalg.norm(mean)
    return mean / norm if norm else mean


def select_salient(
    sentences: Sequence[Sentence],
    k: int,
    redundancy: float = 0.5,
    exclude: Sequence[Sentence] = (),
    lead_bonus: float = 0.2,
) -> list[Sentence]:
    """Up to ``k`` sentences closest to the centroid of ``sentences``, none too similar to another or to ``exclude``.

    Candidates are statements (see ``is_statement``) when there are any, else every sentence; a sentence
    at the top of its article gains up to ``lead_bonus``, because news puts the key facts first.
    """
    pool = unique_sentences(sentences)
    statements = [sentence for sentence in pool if is_statement(sentence)]
    candidates = statements or [sentence for sentence in pool if sentence.tokens] or pool
    if not candidates or k <= 0:
        return []
    vectors = tfidf([s.tokens for s in candidates] + [s.tokens for s in exclude], fit_on=[s.tokens for s in pool])
    candidate_rows, excluded_rows = vectors[: len(candidates)], vectors[len(candidates) :]
    scores = candidate_rows @ centroid(candidate_rows)
    scores = scores + lead_bonus / (1 + np.array([s.position for s in candidates]))
    chosen: list[int] = []
    for index in np.argsort(-scores, kind="stable"):
        row = candidate_rows[index]
        others = [candidate_rows[i] for i in chosen]
        if excluded_rows.shape[0]:
            others.append(excluded_rows)
        if any((row @ other.T).max() > redundancy for other in others if other.shape[0]):
            continue
        chosen.append(int(index))
        if len(chosen) == k:
            break
    return [candidates[i] for i in chosen]


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))
