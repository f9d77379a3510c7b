"""Article features for tracking: TF-IDF term vectors with document frequencies kept incrementally,
IDF-weighted entity vectors, and the cluster profiles (sums of member vectors) they are compared with.

An article's term, entity and headline vectors are compact :class:`SparseVector` objects (key ids and weights in numpy
arrays: a gva article's terms take 1.6 KB, not the 10 KB of a dict), which one article is scored against many
with at once (:func:`sparse_dots`); its actors, and the profiles that sum vectors, are ``dict[int | str, float]``.
Keys are stable across processes: terms and entity keys are hashed with a fixed hash, not Python's salted one.
"""

from __future__ import annotations

import math
import re
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from operator import mul

import numpy as np

from storyline.model import Article, without_lines
from storyline.track.background import document_share
from storyline.understand.dates import is_timestamp, without_opening_timestamps
from storyline.understand.sentences import CAPITALS, stopwords

_WORD = re.compile(r"\w[\w'’.-]*\w|\w", re.UNICODE)
_URL = re.compile(r"https?://\S+|www\.\S+")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3}){2,}")
# modern news years; older ones are mostly street numbers. The lookaheads here and in _NUMBER test the first
# character before anything else, which re cannot do by itself for a pattern opening with a lookbehind: 2-3x faster.
_YEAR = re.compile(r"(?=[12])(?<!\d)(?:19[5-9]\d|20[0-3]\d)(?!\d)")
_TITLE_PARTS = re.compile(r"\s+[-|–—]\s+|\s*\|\s*")  # "Headline - Station name | Site": a title's parts
_CAPITALISED_RUN = re.compile(rf"[{CAPITALS}][\w'’.-]*(?:[ \t]+[{CAPITALS}][\w'’.-]*)*")
_DIGITS = re.compile(r"\d+")
_LOWERCASE_WORD = re.compile(r"[^\W\d_X]{4,}")  # a word of four letters or more left in a shape: no particle, no mask
SHAPED_LINE_CHARS = 400  # longer lines (paragraphs, cookie notices) are counted as they are
_NUMBER = re.compile(r"(?=\d)(?<![\w.,])(?:\d{1,3}(?:[.,]\d{3})*(?:[.,]\d+)?(?![\w])|\d{4,}(?![\w]))")


def content_terms(text: str, stop: frozenset[str]) -> list[str]:
    """Lower-cased words and numbers of ``text`` without stop words or URLs.

    Numbers stay: ages, tolls, amounts and years tell look-alike events apart.
    """
    words = _WORD.findall(_URL.sub(" ", text).lower())
    return [w for w in words if (len(w) > 2 or w.isdigit()) and w not in stop]


def term_ids(terms: list[str]) -> Iterator[int]:
    """Stable ids of terms (CRC-32 of their UTF-8), the same in every process unlike Python's salted ``hash``."""
    return map(zlib.crc32, map(str.encode, terms))  # C calls only: a tokenised article has hundreds of terms


def key_ids(keys: list) -> np.ndarray:
    """The ``np.uint64`` ids of ``keys``: a term id is its own, a string key (an entity) is hashed like a term. The
    keys of one call are all ids or all strings (a mix raises ``TypeError``), so that no Python call is made per key."""
    if keys and isinstance(keys[0], str):
        return np.fromiter(term_ids(keys), dtype=np.uint64, count=len(keys))
    return np.frombuffer(array("Q", keys), dtype=np.uint64)


def summed_by_id(vector: dict) -> dict[int, float]:
    """The values of ``vector`` by the :func:`key_ids` of its keys; two string keys hashed alike (once in millions of
    articles) are one, their values summed."""
    summed: dict[int, float] = {}
    for id, value in zip(key_ids(list(vector)).tolist(), vector.values()):
        summed[id] = summed.get(id, 0) + value
    return summed


@dataclass(frozen=True, eq=False, slots=True)
class SparseVector:
    """An article's sparse vector, compact: the ids of its keys (CRC-32s, in the order the article gave them, which
    profiles keep) and their weights."""

    ids: np.ndarray  # np.uint32, distinct
    weights: np.ndarray  # np.float64

    @classmethod
    def from_dict(cls, vector: dict) -> SparseVector:
        """The compact form of a dict vector (as an earlier version kept an article's), string keys hashed."""
        summed = summed_by_id(vector)
        return cls(np.fromiter(summed, dtype=np.uint32, count=len(summed)),
                   np.fromiter(summed.values(), dtype=np.float64, count=len(summed)))

    @classmethod
    def empty(cls) -> SparseVector:
        """A vector without keys (of an article without a headline, say)."""
        return cls(np.zeros(0, dtype=np.uint32), np.zeros(0))

    def __len__(self) -> int:
        return len(self.ids)

    def __getstate__(self) -> tuple[bytes, bytes]:
        """Saved as the arrays' bytes: a pickled array carries some 150 bytes of header."""
        return self.ids.tobytes(), self.weights.tobytes()

    def __setstate__(self, state: tuple[bytes, bytes]) -> None:
        object.__setattr__(self, "ids", np.frombuffer(state[0], dtype=np.uint32))
        object.__setattr__(self, "weights", np.frombuffer(state[1], dtype=np.float64))

    def items(self) -> Iterable[tuple[int, float]]:
        """(id, weight) pairs, as a dict vector's ``items``: what a profile adds."""
        return zip(self.ids.tolist(), self.weights.tolist())

    def heaviest(self, count: int) -> list[int]:
        """The ids of the ``count`` heaviest keys, ties in the article's order."""
        return self.ids[np.argsort(-self.weights, kind="stable")[:count]].tolist()


SHARED_ID_FILTER = 2**14  # flags, one per value of an id's low bits: they leave the ids a query may share


def sparse_dots(queries: Sequence[SparseVector], vectors: Sequence[Sequence[SparseVector]]) -> np.ndarray:
    """Dot products of each of ``queries`` with the vector in its place of each of ``vectors``: a row per query, a
    column per member of ``vectors`` (an article's term, entity and headline vectors against many articles' ones).

    All are found with a few numpy calls: the vectors' ids, tagged with their place, are looked up among the
    queries' ids, tagged alike and sorted once; only the ids whose low bits some query id has are looked up (a binary
    search of every id costs four times as much: most are not shared).
    """
    kinds, count = len(queries), len(vectors)
    query_ids = _tagged([query.ids for query in queries])
    if not count or not len(query_ids):
        return np.zeros((kinds, count))
    order = np.argsort(query_ids)
    query_ids, query_weights = query_ids[order], np.concatenate([query.weights for query in queries])[order]
    low_bits = SHARED_ID_FILTER - 1
    in_query = np.zeros(SHARED_ID_FILTER, dtype=bool)
    in_query[query_ids & low_bits] = True
    parts = [vector for group in vectors for vector in group]  # member after member, each's vectors in place order
    ids = [vector.ids for vector in parts]
    all_ids = np.concatenate(ids)
    part_of = np.repeat(np.arange(len(parts)), list(map(len, ids)))
    maybe = np.flatnonzero(in_query[all_ids & low_bits])
    tagged = all_ids[maybe] | (part_of[maybe] % kinds).astype(np.uint64) << np.uint64(32)
    at = np.minimum(np.searchsorted(query_ids, tagged), len(query_ids) - 1)
    found = query_ids[at] == tagged
    shared, at = maybe[found], at[found]
    products = query_weights[at] * np.concatenate([vector.weights for vector in parts])[shared]
    return np.bincount(part_of[shared], weights=products, minlength=len(parts)).reshape(count, kinds).T


def _tagged(ids: list[np.ndarray]) -> np.ndarray:
    """The ids of each array, as ``np.uint64``, with its place in ``ids`` above their 32 bits."""
    places = np.arange(len(ids), dtype=np.uint64) << np.uint64(32)
    return np.concatenate(ids).astype(np.uint64) | np.repeat(places, list(map(len, ids)))


def dot(a: SparseVector | dict, b: dict) -> float:
    """Dot product of a sparse vector with a dict one (a profile's sums). Of two dicts, the shared keys are found in
    C and only they are visited; of a compact vector, its ids are looked up in the dict."""
    if isinstance(a, SparseVector):
        return sum(map(mul, a.weights.tolist(), map(b.get, a.ids.tolist(), repeat(0.0))))  # loops in C
    return sum([a[k] * b[k] for k in a.keys() & b.keys()])


def norm(vec: dict) -> float:
    return math.hypot(*vec.values())  # in C, twice as fast as summing squares in Python


def cosine(a: SparseVector | dict, b: dict, a_norm: float | None = None, b_norm: float | None = None) -> float:
    """Cosine of two sparse vectors; pass norms already known (1.0 for unit vectors) to skip computing them."""
    if not a or not b:
        return 0.0
    d = dot(a, b)
    if d == 0.0:
        return 0.0
    na = norm(a) if a_norm is None else a_norm
    nb = norm(b) if b_norm is None else b_norm
    return d / (na * nb) if na and nb else 0.0


class DocumentFrequencies:
    """Document frequencies of keys seen so far, for IDF weights that follow the stream.

    Counts are kept in a fixed number of hashed buckets, so memory stays the same however many distinct keys
    (names, numbers, typos) the stream brings; a key sharing a bucket reads as a little more common. Documents are
    counted per language, so that a word's weight in one language does not depend on how much of the stream is in
    others (535 English articles mixed into the Spanish CL-TLS stream cut its storyline F1 from 0.90 to 0.75).
    """

    def __init__(self, buckets: int = 2**20, background_documents: float = 0.0) -> None:
        self.documents = 0
        self.documents_by_language: dict[str | None, int] = {}
        self.undivided_documents = 0  # counted before languages were told apart (a saved state): in every language
        self.counts = np.zeros(buckets, dtype=np.uint32)
        # the language at large counts as this many documents (``storyline.track.background``), so that the first
        # articles of a stream are weighted sensibly; the stream's own counts soon outweigh it
        self.background_documents = background_documents

    def __getstate__(self) -> dict:
        """Saved sparsely (the tracker's state is saved with every batch, and most buckets are empty); the
        background shares are rebuilt from the installed word lists, not saved."""
        used = np.flatnonzero(self.counts).astype(np.uint32)
        return {"documents": self.documents, "buckets": len(self.counts), "used": used, "counts": self.counts[used],
                "background_documents": self.background_documents,
                "documents_by_language": self.documents_by_language, "undivided_documents": self.undivided_documents}

    def __setstate__(self, state: dict) -> None:
        self.documents = state["documents"]
        self.documents_by_language = state.get("documents_by_language", {})
        self.undivided_documents = state.get("undivided_documents", self.documents)  # a state saved before: all undivided
        self.background_documents = state.get("background_documents", 0.0)  # a state saved before: as it was
        self.counts = np.zeros(state["buckets"], dtype=np.uint32)
        self.counts[state["used"]] = state["counts"]

    def _buckets(self, ids: np.ndarray) -> np.ndarray:
        """Each key's bucket, from its :func:`key_ids` id."""
        return ids % np.uint64(len(self.counts))

    def add(self, keys, lang: str | None = None) -> None:
        """Count one more document (of language ``lang``) containing each of ``keys``."""
        self._count(key_ids(list(set(keys))), lang)

    def add_weighted(self, counts: dict, lang: str | None = None) -> SparseVector:
        """Count one more document holding the keys of ``counts`` (all above 0, ids distinct), and return its
        L2-normalised TF-IDF vector: :meth:`add` and :func:`_weighted` with each key hashed once."""
        ids = key_ids(list(counts))
        return _tf_idf(ids, list(counts.values()), self._idfs_of(self._count(ids, lang), lang))

    def _count(self, ids: np.ndarray, lang: str | None = None) -> np.ndarray:
        """Count one more document holding the keys of ``ids`` (distinct) and return their buckets."""
        buckets = self._buckets(ids)
        self.documents += 1
        self.documents_by_language[lang] = self.documents_by_language.get(lang, 0) + 1
        self.counts[buckets] += 1
        return buckets

    def idf(self, key, lang: str | None = None) -> float:
        """Smoothed inverse document frequency, ``log((N + B + 1) / (df + B * share + 1)) + 1``, where ``N`` counts
        the documents of language ``lang`` (``df`` at most that: a name is counted in every language that writes it),
        ``B`` is ``background_documents`` and ``share`` the share of documents of ``lang`` holding the key."""
        return float(self.idfs([key], lang)[0])

    def idfs(self, keys, lang: str | None = None) -> np.ndarray:
        """:meth:`idf` of each of ``keys`` at once."""
        return self._idfs_of(self._buckets(key_ids(list(keys))), lang)

    def idfs_in_all_languages(self, keys) -> np.ndarray:
        """Smoothed inverse document frequency of each of ``keys`` over every document counted, whatever its
        language, and no background: how rare a name is in this stream."""
        df = self.counts[self._buckets(key_ids(list(keys)))]
        return np.log((self.documents + 1) / (df + 1.0)) + 1.0

    def _idfs_of(self, buckets: np.ndarray, lang: str | None = None) -> np.ndarray:
        documents = self.undivided_documents + self.documents_by_language.get(lang, 0)
        df = np.minimum(self.counts[buckets], documents)
        share = document_share(lang, len(self.counts)) if self.background_documents else None
        if share is None:
            return np.log((documents + 1) / (df + 1.0)) + 1.0
        background = self.background_documents
        return np.log((documents + background + 1) / (df + background * share[buckets] + 1.0)) + 1.0


TITLE_PART_BUCKETS = 2**18  # 512 KB of counts for the parts of headlines


class RepeatedLines:
    """Counts, in hashed buckets, how many articles of the recent stream carried each line of text (or each
    part of a headline), so that page furniture ("Advertisement", "Please enable Javascript...", a station's
    name after its headlines) can be left out of term vectors.

    Counts live in two generations that rotate every ``rotate_every`` articles, so a line is judged by
    the last one or two generations only and the buckets never fill up with a long stream's lines.
    """

    def __init__(self, buckets: int = 2**22, rotate_every: int = 20_000) -> None:
        self.rotate_every = rotate_every
        self.current = np.zeros(buckets, dtype=np.uint8)
        self.previous = np.zeros(buckets, dtype=np.uint8)
        self.articles = 0

    def __getstate__(self) -> dict:
        """Saved sparsely, like :class:`DocumentFrequencies`."""
        state = {"rotate_every": self.rotate_every, "articles": self.articles, "buckets": len(self.current)}
        for name in ("current", "previous"):
            counts = getattr(self, name)
            used = np.flatnonzero(counts).astype(np.uint32)
            state[name] = (used, counts[used])
        return state

    def __setstate__(self, state: dict) -> None:
        self.rotate_every, self.articles = state["rotate_every"], state["articles"]
        for name in ("current", "previous"):
            counts = np.zeros(state["buckets"], dtype=np.uint8)
            used, values = state[name]
            counts[used] = values
            setattr(self, name, counts)

    def repeated_lines(self, text: str, repeats: int, keep_first: bool = True) -> list[int]:
        """The numbers of the lines of ``text`` that ``repeats`` or more earlier articles carried (never the first
        if ``keep_first``: a headline is judged as a title); then this article's lines are counted."""
        lines = text.split("\n")
        seen = self._count([_line_key(line) for line in lines])
        return [index for index, line in enumerate(lines)
                if seen[index] >= repeats and line.strip() and (index or not keep_first)]

    def drop_repeated_parts(self, title: str, repeats: int) -> str:
        """``title`` without the parts ("- KSLA News 12 Shreveport", "| Site") that ``repeats`` or more earlier
        titles carried (its longest part stays if all were), or "" if that many carried the whole title (a site's
        name or cookie notice that a crawl took for every page's headline); then this title and its parts are
        counted."""
        parts = _TITLE_PARTS.split(title)
        whole = title.strip().lower()
        if len(parts) < 2:
            return "" if self._count([whole])[0] >= repeats else title
        seen = self._count([whole, *(part.strip().lower() for part in parts)])
        if seen[0] >= repeats:
            return ""
        seen = seen[1:]
        kept = [part for part, n in zip(parts, seen) if n < repeats] or [max(parts, key=len)]
        if len(kept) == len(parts):
            return title
        return " - ".join(part.strip() for part in kept if part.strip())

    def carried(self, key: str) -> int:
        """How many articles so far carried ``key`` (a line or title, lower-cased), without counting it."""
        bucket = self._buckets([key])[0]
        return int(self.current[bucket]) + int(self.previous[bucket])

    def _count(self, keys: list[str]) -> np.ndarray:
        """How many earlier items carried each key; then this item's (non-empty) keys are counted once each."""
        buckets = self._buckets(keys)
        seen = self.current[buckets].astype(np.int32) + self.previous[buckets]
        counted = np.unique(buckets[list(map(bool, keys))])
        self.current[counted] = np.minimum(self.current[counted].astype(np.int32) + 1, 255)
        self.articles += 1
        if self.articles % self.rotate_every == 0:
            self.previous, self.current = self.current, np.zeros_like(self.current)
        return seen

    def _buckets(self, keys: list[str]) -> np.ndarray:
        return np.fromiter(term_ids(keys), dtype=np.uint64, count=len(keys)) % np.uint64(len(self.current))


def _line_key(line: str) -> str:
    """What a line is counted as: its shape, lower-cased, without its links ("Read or Share this story: http://..."),
    and, if short, with each number and each run of capitalised words masked, so that a template filled in with
    names and dates ("by: Nicole Carr Updated: Nov 9, 2016 - 6:57 PM") repeats like a fixed line. A line whose shape
    would keep no number and no lower-case word of four letters or more (a name, "Diario de Mallorca", a headline in
    capitals, a transcript) counts as it is."""
    line = line.strip()
    if not line:  # half the lines of a crawled page
        return line
    if "http" in line or "www." in line:
        line = _URL.sub("", line).strip()
    if len(line) <= SHAPED_LINE_CHARS:
        shape = _DIGITS.sub("0", _CAPITALISED_RUN.sub("X", line))
        if "0" in shape or _LOWERCASE_WORD.search(shape):
            line = shape
    return line.lower()


@dataclass
class ArticleFeatures:
    """What the tracker compares: L2-normalised term, headline, entity and actor vectors, names, embedding, date."""

    article_id: str
    terms: SparseVector  # TF-IDF of the words and numbers
    entities: SparseVector  # TF-IDF of entity keys (hashed) and numbers (the specifics of a happening)
    embedding: np.ndarray | None
    date: object  # datetime.date | None
    title_terms: SparseVector = field(default_factory=SparseVector.empty)
    actors: dict = field(default_factory=dict)  # entity mention counts (log), no IDF: who and where it is about
    people: frozenset = frozenset()  # keys of full personal names
    places: frozenset = frozenset()
    keys: tuple = ()  # selective keys to retrieve it by: entities and its rarest words
    headline: str = ""  # the article's title, which names an event or storyline it founds
    lead_line: str = ""  # the text's first line after the title: the name, should the title prove to be furniture
    days: frozenset = frozenset()  # the days it mentions, resolved against its publication date
    years: frozenset = frozenset()  # the years it names, in its text or through the days it mentions

    def __setstate__(self, state: dict) -> None:
        """Vectors saved as dicts (by the version before they were compact) are made compact, entity keys hashed."""
        self.__dict__.update(state)
        for name in ("terms", "entities", "title_terms"):
            if isinstance(state.get(name), dict):
                setattr(self, name, SparseVector.from_dict(state[name]))


class FeatureExtractor:
    """Turns understood articles into :class:`ArticleFeatures`, updating document frequencies as it goes."""

    def __init__(self, text_chars: int = 4000, title_weight: int = 2, rare_terms: int = 8,
                 df_buckets: int = 2**20, boilerplate_repeats: int = 3, background_documents: float = 0.0) -> None:
        self.text_chars = text_chars
        self.boilerplate_repeats = boilerplate_repeats  # a line this many earlier articles carried is left out (0: keep all)
        self.lines = RepeatedLines()
        self.title_parts = RepeatedLines(buckets=TITLE_PART_BUCKETS)  # the parts of titles ("Headline - Station")
        self.title_weight = title_weight
        self.rare_terms = rare_terms
        self.term_df = DocumentFrequencies(df_buckets, background_documents)
        self.entity_df = DocumentFrequencies(df_buckets)
        self._stopwords: dict[str | None, frozenset[str]] = {}
        self.entity_names: dict[str, str] = {}  # entity key -> a display name seen for it (the latest typed one, in prose)

    def __setstate__(self, state: dict) -> None:
        """A state saved before title parts were counted starts counting them now."""
        self.__dict__.update(state)
        if "title_parts" not in state:
            self.title_parts = RepeatedLines(buckets=TITLE_PART_BUCKETS)

    def is_furniture(self, title: str) -> bool:
        """Whether ``boilerplate_repeats`` articles have carried ``title`` as theirs (a site's name, a cookie notice);
        an early article may have been named by such a title before its pages were counted."""
        key = title.strip().lower()
        return bool(self.boilerplate_repeats and key) and self.title_parts.carried(key) >= self.boilerplate_repeats

    def extract(self, article: Article) -> ArticleFeatures:
        """Features of one article; its terms and entities count towards the frequencies first.

        Names found only in what proves to be page furniture are also dropped from ``article.entities`` (so the
        store keeps the article's own): only this stage sees which lines and titles the stream repeats.
        """
        body, title = article.text, article.title or ""
        if is_timestamp(title):  # scraped text opening with "Posted 11/27/2005 7:21 AM": the headline is below
            body = without_opening_timestamps(body)
            title = body.split("\n", 1)[0].strip()
        if self.boilerplate_repeats:  # lines are judged within a few times the part read, not all of a huge page
            judged = body[: 4 * self.text_chars]
            # a text opening with its headline leaves that line to the title's judgement; any other first line
            # ("Please enable Javascript to watch this video", 125 gva pages) is judged like the rest
            repeated = self.lines.repeated_lines(judged, self.boilerplate_repeats,
                                                 keep_first=bool(title) and judged.startswith(title))
            opening_lines = article.text.count("\n", 0, len(article.text) - len(body))  # timestamps left out above
            body = without_lines(judged, repeated)
            article.boilerplate_lines = [opening_lines + index for index in repeated]
            if title:
                cleaned = self.title_parts.drop_repeated_parts(title, self.boilerplate_repeats)
                if cleaned != title:
                    if body.startswith(title):  # the text repeats the headline as its first line
                        body = cleaned + body[len(title):]
                    title = cleaned
            if len(body) < len(judged) or title != (article.title or ""):
                article.entities = _without_names_only_in_furniture(
                    article.entities, f"{article.title or ''}\n{judged}", f"{title}\n{body}")
        lead_line = _first_line(without_opening_timestamps(body.removeprefix(title) if title else body))
        headline = _shortened(title) or lead_line or _shortened(article.title or "")  # without a site's name
        body = body[: self.text_chars]
        if title and not body.startswith(title):
            body = f"{title}\n{body}"
        stop = self._stopwords.get(article.lang)
        if stop is None:
            stop = self._stopwords[article.lang] = stopwords(article.lang)
        terms = Counter(term_ids(content_terms(body, stop)))
        title_terms = Counter(term_ids(content_terms(title, stop)[:20]))
        terms.update({t: (self.title_weight - 1) * c for t, c in title_terms.items()})
        actors: Counter = Counter()
        people, places = set(), set()
        for e in article.entities:
            if key := e.key:
                actors[key] += e.count
                shown = self.entity_names.get(key)
                # an untyped form ("Us" of "Join Us") names a key only until a typed one does, and a dateline's
                # capitals ("CHICAGO") only until it is written as in prose
                if shown is None or (e.label != "MISC" and not (_shouted(e.name) and not _shouted(shown))):
                    self.entity_names[key] = e.name
                if e.label == "PERSON" and " " in key:
                    people.add(key)
                elif e.label in ("GPE", "LOC", "FAC"):
                    places.add(key)
        entity_counts = Counter(actors)
        prose = _URL.sub(" ", body)  # numbers and years of the text, not of its links
        for number in _NUMBER.findall(prose):
            if len(number) > 1:  # years, ages, tolls, amounts: the specifics that tell look-alike events apart
                entity_counts["#" + _normalise_number(number)] += 1
        term_vector = self.term_df.add_weighted(terms, article.lang)
        rarest = term_vector.heaviest(self.rare_terms)
        return ArticleFeatures(
            article_id=article.id,
            terms=term_vector,
            entities=self.entity_df.add_weighted(summed_by_id(entity_counts), article.lang),
            embedding=article.embedding,
            date=article.date,
            title_terms=_weighted(title_terms, self.term_df, article.lang),
            actors=_unit({k: 1.0 + math.log(c) for k, c in actors.items()}),
            people=frozenset(people),
            places=frozenset(places),
            keys=tuple(actors) + tuple(rarest),
            headline=headline,
            lead_line=lead_line,
            days=frozenset(article.mentioned_dates),
            years=frozenset(int(y) for y in _YEAR.findall(prose))
            | {d.year for d in article.mentioned_dates},
        )


def _shouted(name: str) -> bool:
    """Whether a name is written in capitals as a dateline or headline writes it ("NEW ORLEANS"), not an acronym."""
    return name.isupper() and (len(name) > 5 or " " in name)


def _without_names_only_in_furniture(entities: list, text: str, kept: str) -> list:
    """``entities`` less those named in ``text`` but not in what is ``kept`` of it once page furniture is left out:
    the names of a site's title ("Boutique le Point") or of its menus and teasers ("Amazon Go") are not the article's,
    and would top every storyline its pages join. A name found in neither (an alias, a later mention) stays."""
    text, kept = text.casefold(), kept.casefold()
    return [e for e in entities if e.name.casefold() not in text or e.name.casefold() in kept]


HEADLINE_CHARS = 120


def _first_line(text: str) -> str:
    """The first non-empty line of ``text``, :func:`_shortened`."""
    return _shortened(next((line.strip() for line in text.split("\n", 20) if line.strip()), ""))


def _shortened(line: str, chars: int = HEADLINE_CHARS) -> str:
    """``line`` cut after a word within ``chars`` characters (with an ellipsis): a name to list, not a paragraph."""
    line = " ".join(line.split())
    if len(line) <= chars:
        return line
    cut = line.rfind(" ", 0, chars)
    return line[: cut if cut > chars // 2 else chars].rstrip(" ,;:") + "…"


def _normalise_number(number: str) -> str:
    """"1,200" and "1.200" (thousands) become "1200"; "5,84" (a decimal comma) becomes "5.84"."""
    if _THOUSANDS.fullmatch(number):
        return number.replace(",", "").replace(".", "")
    return number.replace(",", ".")


def _unit(vec: dict) -> dict:
    length = norm(vec)
    return {k: v / length for k, v in vec.items()} if length else {}


def _weighted(counts: Counter, df: DocumentFrequencies, lang: str | None = None) -> SparseVector:
    """Sublinear TF times IDF, L2-normalised."""
    keys = [k for k, c in counts.items() if c > 0]
    return _tf_idf(key_ids(keys), [counts[k] for k in keys], df.idfs(keys, lang))


def _tf_idf(ids: np.ndarray, counts: list[int], idfs: np.ndarray) -> SparseVector:
    """Sublinear TF-IDF of the keys of ``ids``, L2-normalised: the length as :func:`norm` takes it, the division in
    numpy (the same correctly rounded quotients as :func:`_unit`'s)."""
    if not len(ids):
        return SparseVector.empty()
    weights = (1.0 + np.log(counts)) * idfs
    length = math.hypot(*weights.tolist())
    return SparseVector(ids.astype(np.uint32), weights / length) if length else SparseVector.empty()


@dataclass
class Profile:
    """The running sum of member feature vectors of an event or a storyline."""

    terms: dict = field(default_factory=dict)
    entities: dict = field(default_factory=dict)  # keyed by hashed entity keys, as articles' entity vectors
    actors: dict = field(default_factory=dict)
    embedding: np.ndarray | None = None
    size: int = 0
    first_date: object = None
    last_date: object = None
    _norms: tuple[float, float, float] | None = field(default=None, repr=False)
    _unit_embedding: np.ndarray | None = field(default=None, repr=False)

    def __getstate__(self) -> dict:
        """Saved without the norms and unit embedding it caches: they are rebuilt when first read."""
        return {**self.__dict__, "_norms": None, "_unit_embedding": None}

    def __setstate__(self, state: dict) -> None:
        """A profile saved before articles' entity keys were hashed has its entity keys hashed alike."""
        self.__dict__.update(state)
        if self.entities and isinstance(next(iter(self.entities)), str):
            self.entities = summed_by_id(self.entities)

    def add(self, f: ArticleFeatures | "Profile") -> None:
        """Fold an article's features (or another profile, on a merge) into this profile."""
        for target, source in ((self.terms, f.terms), (self.entities, f.entities), (self.actors, f.actors)):
            for k, v in source.items():
                target[k] = target.get(k, 0.0) + v
        if f.embedding is not None:
            self.embedding = f.embedding.astype(np.float32) if self.embedding is None else self.embedding + f.embedding
        self.size += f.size if isinstance(f, Profile) else 1
        first = f.first_date if isinstance(f, Profile) else f.date
        last = f.last_date if isinstance(f, Profile) else f.date
        if first is not None and (self.first_date is None or first < self.first_date):
            self.first_date = first
        if last is not None and (self.last_date is None or last > self.last_date):
            self.last_date = last
        self._norms = self._unit_embedding = None

    def remove(self, part: "Profile", dates: list) -> None:
        """Take a part's sums out of this profile (an event split in two); ``dates`` are those of what is left."""
        for target, source in ((self.terms, part.terms), (self.entities, part.entities), (self.actors, part.actors)):
            for k, v in source.items():
                left = target[k] - v
                if abs(left) > 1e-9:
                    target[k] = left
                else:
                    del target[k]
        if part.embedding is not None:
            self.embedding = self.embedding - part.embedding
        self.size -= part.size
        dated = [d for d in dates if d is not None]
        self.first_date, self.last_date = (min(dated), max(dated)) if dated else (None, None)
        self._norms = self._unit_embedding = None

    @property
    def norms(self) -> tuple[float, float, float]:
        """L2 norms of the term, entity and actor sums, cached until the next ``add``."""
        if self._norms is None:
            self._norms = (norm(self.terms), norm(self.entities), norm(self.actors))
        return self._norms

    def prune(self, max_keys: int) -> None:
        """Keep only the heaviest terms and entities so that long-lived profiles stay small."""
        for name in ("terms", "entities", "actors"):
            vec = getattr(self, name)
            if len(vec) > max_keys:  # heaviest first, ties in insertion order: as a stable sort, in numpy
                keys, weights = list(vec), np.fromiter(vec.values(), dtype=np.float64, count=len(vec))
                values = weights.tolist()
                setattr(self, name, {keys[i]: values[i] for i in np.argsort(-weights, kind="stable")[:max_keys].tolist()})
                self._norms = None

    def unit_embedding(self) -> np.ndarray | None:
        """The mean embedding direction (cached until the next ``add``), or ``None`` when no member had one."""
        if self._unit_embedding is None and self.embedding is not None:
            n = float(np.linalg.norm(self.embedding))
            if n:
                self._unit_embedding = self.embedding / n
        return self._unit_embedding


def day_gap(date, first, last) -> float | None:
    """Days from ``date`` to the span [first, last]; ``None`` when either side is undated."""
    if date is None or first is None:
        return None
    if date < first:
        return float((first - date).days)
    if last is not None and date > last:
        return float((date - last).days)
    return 0.0


def span_gap(first_a, last_a, first_b, last_b) -> float | None:
    """Days between two date spans (0 when they overlap); ``None`` when either is undated."""
    if first_a is None or first_b is None:
        return None
    last_a, last_b = last_a or first_a, last_b or first_b
    if last_a < first_b:
        return float((first_b - last_a).days)
    if last_b < first_a:
        return float((first_a - last_b).days)
    return 0.0


class Similarity:
    """The signals comparing an article (or event) with a cluster profile.

    The cheap signals (time gap, actors, embedding) are computed at once; the costly term and entity
    cosines when first read, so that scoring can stop before them when its threshold is out of reach.
    """

    def __init__(self, item: ArticleFeatures | Profile, profile: Profile) -> None:
        self.item, self.profile = item, profile
        self.gap_days = self._gap_days()
        self.actors = self._cosine(2, "actors")
        self.dense = self._dense()

    def _cosine(self, index: int, name: str) -> float:
        item_norm = self.item.norms[index] if isinstance(self.item, Profile) else 1.0  # article vectors are unit
        return cosine(getattr(self.item, name), getattr(self.profile, name), item_norm, self.profile.norms[index])

    @cached_property
    def terms(self) -> float:
        return self._cosine(0, "terms")

    @cached_property
    def entities(self) -> float:
        return self._cosine(1, "entities")

    def _dense(self) -> float | None:
        item_emb = self.item.unit_embedding() if isinstance(self.item, Profile) else self.item.embedding
        prof_emb = self.profile.unit_embedding()
        if item_emb is None or prof_emb is None:
            return None
        return float(item_emb @ prof_emb)

    def _gap_days(self) -> float | None:
        p = self.profile
        if isinstance(self.item, Profile):
            return span_gap(self.item.first_date, self.item.last_date, p.first_date, p.last_date)
        return day_gap(self.item.date, p.first_date, p.last_date)


def compare(item: ArticleFeatures | Profile, profile: Profile) -> Similarity:
    """Term, entity and actor cosines, dense cosine and the time gap between ``item`` and ``profile``."""
    return Similarity(item, profile)
