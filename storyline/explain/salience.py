"""Sentences of articles as TF-IDF vectors, and centroid-based selection of the salient, non-redundant ones.

Lexical on purpose: it works for any language (stop words where spaCy has a list, plain words elsewhere)
and needs no model. A sentence printed word for word by several outlets is kept once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

from storyline.explain.views import SentenceRef
from storyline.model import Article
from storyline.understand.dates import is_timestamp
from storyline.understand.sentences import split_sentences, stopwords, tokenize

if TYPE_CHECKING:
    from scipy import sparse

# Photo galleries' and video players' controls and credits, which text scraped from news pages runs into the
# sentences around them ("Photo: Cody Duty / Houston Chronicle Image 1 of / 2 Caption Close Image 1 of 2 Houston
# police say..."): 5% of gva's pages, from a few site-wide page templates.
_MEDIA_WIDGET_TEXT = re.compile(
    r"(?:\bPhoto: [^\n]{0,80}?\s(?:Buy (?:this )?[Pp]hoto\s)?)?\bImage \d+ of /? ?\d+"  # a gallery's counter and credit
    r"|\bPhoto: [^\n]{0,200}?\d+ / \d+ Back to Gallery|\b\d+ / \d+ Back to Gallery"  # its last slide
    r"|\(Photo: [^)\n]{0,100}\)"  # a photo's credit
    r"|\[ \] (?:Hide|Show) Caption|\b(?:Caption Close|View Full Caption|Back to Gallery|Buy (?:this )?[Pp]hoto)\b"
    r"|\bCLOSE Skip in Skip x Embed x Share\b|\bSkip Ad Ad Loading\.\.\.|\bx Embed x Share\b"  # a video player
    r"|\.\.\. more\b"  # a caption cut short
)
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
    """The sentences of an article's body, page furniture left out (its headline line only if asked), each with its
    content words."""
    return list(_sentences(article.id, article.title or "", article.body or "", article.lang, article.date,
                           include_headline))


@lru_cache(maxsize=4096)  # a storyline's view reads each article's sentences once per later event: split once
def _sentences(article_id: str, title: str, text: str, lang: str | None, date: dt.date | None,
               include_headline: bool) -> tuple[Sentence, ...]:
    words = stopwords(lang)
    spans = split_sentences(without_media_widgets(text), lang)
    repeats = 0  # the headline opening the text, once or more (a scraped page's title, then its heading)
    while repeats < len(spans) and same_words(spans[repeats].text) == same_words(title):
        repeats += 1
    if repeats:
        spans = spans[repeats - 1 :] if include_headline else spans[repeats:]
    elif include_headline and title:
        spans = [*split_sentences(title, lang)[:1], *spans]
    return tuple(
        Sentence(article_id, span.text, date, position, tuple(tokenize(span.text, lang, words)), lang)
        for position, span in enumerate(spans)
    )


def without_media_widgets(text: str) -> str:
    """``text`` without the controls and credits of photo galleries and video players run into its lines."""
    return _MEDIA_WIDGET_TEXT.sub(" ", text)


def is_statement(sentence: Sentence) -> bool:
    """Whether a sentence reads as a statement worth quoting: long enough, not a list, a bare link or tag, or a
    page's time stamp ("Updated: Oct 26, 2016 - 7:20 PM")."""
    words = sentence.text.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS or len(sentence.tokens) < 3 or is_timestamp(sentence.text):
        return False
    links = sum(word.startswith(("http", "www.", "@", "#")) for word in words)
    return links <= len(words) // 5 and not sentence.text.endswith(":")


def unique_sentences(sentences: Iterable[Sentence]) -> list[Sentence]:
    """Drop repeats of the same sentence (same words, any case or punctuation), keeping the first seen."""
    seen: set[str] = set()
    unique = []
    for sentence in sentences:
        key = same_words(sentence.text)
        if key not in seen:
            seen.add(key)
            unique.append(sentence)
    return unique


def tfidf(documents: Sequence[Sequence[str]], fit_on: Sequence[Sequence[str]] | None = None) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows for token lists, with IDF learnt on ``fit_on`` (default: the documents)."""
    corpus = list(fit_on if fit_on is not None else documents)
    return TermSpace(corpus).tfidf(documents, corpus)


class TermSpace:
    """Token lists counted once over their sorted vocabulary, so that the TF-IDF of many subsets (each event's
    earlier part of a storyline, for what's new) costs a selection of rows each, not a count of all again.

    The weighting is scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``: ``(1 + log tf) * (log((1 + n) /
    (1 + df)) + 1)`` over the terms of the fitted documents, written out (importing scikit-learn cost 1.5 s).
    """

    def __init__(self, documents: Iterable[Sequence[str]]) -> None:
        unique = list(dict.fromkeys(map(tuple, documents)))
        self._row = {tokens: row for row, tokens in enumerate(unique)}
        self._vocabulary = {term: column for column, term in enumerate(sorted({t for d in unique for t in d}))}
        self._counts = _term_counts(unique, self._vocabulary)

    def tfidf(self, documents: Sequence[Sequence[str]], fit_on: Sequence[Sequence[str]] | None = None) -> sparse.csr_matrix:
        """:func:`tfidf` within this space (terms outside it are left out)."""
        from scipy import sparse  # imported on first use: commands that print no summary never need it

        corpus = list(fit_on if fit_on is not None else documents)
        df = np.bincount(self._rows(corpus).indices, minlength=len(self._vocabulary))
        if not df.any():
            return sparse.csr_matrix((len(documents), 1))
        idf = np.where(df > 0, np.log((1 + len(corpus)) / (1 + df)) + 1, 0.0)  # 0: a term the fit never saw
        rows = self._rows(documents)
        rows.data = (np.log(rows.data) + 1) * idf[rows.indices]
        rows.eliminate_zeros()
        sizes = np.diff(rows.indptr)
        if rows.nnz:  # every weight left is at least 1, so a row with terms has a length
            lengths = np.sqrt(np.add.reduceat(rows.data**2, rows.indptr[:-1][sizes > 0]))
            rows.data /= np.repeat(lengths, sizes[sizes > 0])
        return rows

    def _rows(self, documents: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """Count rows of ``documents`` (a new copy), those not in the space counted now."""
        from scipy import sparse

        rows = [self._row.get(tuple(d), -1) for d in documents]
        counts = self._counts
        missing = [d for d, row in zip(documents, rows) if row < 0]
        if missing:
            counts = sparse.vstack([counts, _term_counts(missing, self._vocabulary)], format="csr")
            extra = iter(range(self._counts.shape[0], counts.shape[0]))
            rows = [row if row >= 0 else next(extra) for row in rows]
        return counts[rows]


def _term_counts(documents: Sequence[Sequence[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """A row of counts per document, over the columns of ``vocabulary`` (other tokens are left out)."""
    from scipy import sparse

    columns = [[vocabulary[t] for t in tokens if t in vocabulary] for tokens in documents]
    indptr = np.cumsum([0, *map(len, columns)])
    flat = np.fromiter((c for row in columns for c in row), dtype=np.int64, count=int(indptr[-1]))
    counts = sparse.csr_matrix((np.ones(len(flat)), flat, indptr), shape=(len(documents), len(vocabulary)))
    counts.sum_duplicates()  # sorted columns, each counted once
    return counts


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


def same_words(text: str) -> str:
    """The words of ``text``, lower-cased: what two lines that say the same thing have in common."""
    return " ".join(re.findall(r"\w+", text.lower()))
