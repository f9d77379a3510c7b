"""Duplicate detection: exact copies by content hash, near copies (wire stories reprinted with small edits) by MinHash LSH.

A copy must also carry the same headline (a reprint may add its site's name): crawled pages whose extracted text is one
site's cookie wall, paywall notice or stray feature, under different headlines, are different articles.

datasketch is imported where it is used: it imports scipy (0.6 s), which commands that only read the store never need.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import xxhash

from storyline.model import Article

if TYPE_CHECKING:
    from datasketch import LeanMinHash, MinHash

WORD = re.compile(r"\w+")
HEADLINE_WORD = re.compile(r"[^\W\d_]{3,}")  # words of three letters or more: no numbers, few function words
# LSH bands tuned for recall (at 128 permutations: 95% of pairs at Jaccard 0.8 become candidates, 6% at 0.5);
# candidates are then checked against the threshold, so false candidates cost only a comparison.
LSH_WEIGHTS = (0.05, 0.95)
BYTE_ORDER = "<"  # serialized signatures are little-endian whatever the machine


def content_hash(text: str, title: str = "") -> str:
    """Hash of the case-folded, whitespace-normalised headline and text: equal for exact copies that differ only in
    spacing or case."""
    return xxhash.xxh3_128_hexdigest(f"{' '.join(title.casefold().split())}\n{' '.join(text.casefold().split())}".encode())


def headline_words(title: str | None) -> frozenset[str]:
    """The words a headline is compared by (case-folded, three letters or more)."""
    return frozenset(HEADLINE_WORD.findall(title.casefold())) if title else frozenset()


def same_headline(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two headlines (as :func:`headline_words`) can top one story: either is missing, or more than half the
    words of the shorter are in the other, so that "Man shot in Houston - KHOU 11" reprints "Man shot in Houston"."""
    return not a or not b or 2 * len(a & b) > min(len(a), len(b))


def exact_duplicates(articles: Iterable[Article], stored: Mapping[str, str]) -> dict[str, str]:
    """Map each article id to the id of an earlier article with the same content hash.

    ``stored`` maps already stored content hashes to their article ids (``Store.ids_by_content_hash``);
    earlier articles of ``articles`` count too.
    """
    first_by_hash = dict(stored)
    duplicates: dict[str, str] = {}
    for article in articles:
        key = article.content_hash or content_hash(article.text, article.title)
        original = first_by_hash.setdefault(key, article.id)
        if original != article.id:
            duplicates[article.id] = original
    return duplicates


class NearDuplicateIndex:
    """Finds an earlier article whose word shingles overlap a new one's above ``threshold`` (estimated Jaccard).

    Reprints follow their original within days, so only originals dated within ``window_days`` of the newest one
    are kept (at most ``max_size``, the oldest added go first): memory follows the stream, not the archive. An
    undated original counts as dated by that clock when it arrives; before any dated one it is kept until evicted.
    """

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, shingle_words: int = 5, seed: int = 1,
                 window_days: int = 7, max_size: int = 200_000, max_chars: int = 50_000):
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.max_chars = max_chars  # a copy is recognised by its beginning: a 2 MB page would cost a second
        self.num_perm = num_perm
        self.shingle_words = shingle_words
        self.seed = seed
        self.window = dt.timedelta(days=window_days)
        self.max_size = max_size
        self.newest: dt.date | None = None  # latest date of an original added: the index's clock
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=LSH_WEIGHTS)
        self._signatures: dict[str, MinHash] = {}  # oldest added first
        self._headlines: dict[str, frozenset[str]] = {}  # headline words of each original
        self._dates: dict[str, dt.date | None] = {}  # the date each original is matched and retired by
        self._expiry: list[tuple[dt.date, str]] = []  # heap of (date, id); entries of removed ids are skipped

    @cached_property
    def _permutations(self) -> np.ndarray:
        """The hash permutations, drawn once for this index instead of once per signature."""
        from datasketch import MinHash

        return MinHash(num_perm=self.num_perm, seed=self.seed).permutations

    @cached_property
    def _shingle_multipliers(self) -> np.ndarray:
        """Odd 32-bit multipliers combining the hashes of a shingle's words into the shingle's hash."""
        rng = np.random.default_rng(self.seed)
        return rng.integers(1, 2**32, size=self.shingle_words, dtype=np.uint32) | np.uint32(1)

    def signature(self, text: str) -> LeanMinHash:
        """MinHash of the text's overlapping ``shingle_words``-word shingles (case-folded words).

        Each word is hashed once and shingle hashes are combined in numpy, about twice as fast as hashing
        every joined shingle string.
        """
        from datasketch import LeanMinHash, MinHash

        words = WORD.findall(text[: self.max_chars].casefold())
        minhash = MinHash(
            num_perm=self.num_perm, seed=self.seed, hashfunc=int, permutations=self._permutations, scheme="affine32"
        )
        if words:
            word_hashes = np.fromiter(
                map(xxhash.xxh32_intdigest, map(str.encode, words)), dtype=np.uint32, count=len(words)
            )
            count = max(1, len(words) - self.shingle_words + 1)  # a text shorter than a shingle is one shingle
            shingle_hashes = np.zeros(count, dtype=np.uint32)
            for position, multiplier in enumerate(self._shingle_multipliers[: len(words)]):
                shingle_hashes += word_hashes[position : position + count] * multiplier
            minhash.update_batch(shingle_hashes.tolist())
        return LeanMinHash(minhash)

    def find(self, signature: MinHash, date: dt.date | None = None, headline: str | None = None) -> str | None:
        """Id of the indexed article most similar to ``signature`` if at or above the threshold, else None.

        A dated copy only matches originals dated within the window of ``date``, and a copy with a ``headline`` only
        originals with the same headline (:func:`same_headline`).
        """
        if signature.is_empty():
            return None
        words = headline_words(headline)
        date = date or self.newest
        best_id, best_similarity = None, self.threshold
        for candidate in sorted(self._lsh.query(signature), key=self._earliest_first):  # a tie: the first copy
            original = self._dates[candidate]
            if date is not None and original is not None and abs(date - original) > self.window:
                continue
            if not same_headline(words, self._headlines[candidate]):
                continue
            similarity = signature.jaccard(self._signatures[candidate])
            if similarity > best_similarity or (best_id is None and similarity == best_similarity):
                best_id, best_similarity = candidate, similarity
        return best_id

    def _earliest_first(self, article_id: str) -> tuple:
        """Originals by date (undated last), then id: the same order in every process, unlike the LSH's sets."""
        date = self._dates[article_id]
        return date is None, date or dt.date.min, article_id

    def add(self, article_id: str, signature: MinHash, date: dt.date | None = None, headline: str | None = None) -> None:
        """Index a signature under an article id (empty signatures, from texts without words, are not indexed),
        then forget originals that fell out of the window or beyond ``max_size``."""
        if signature.is_empty() or article_id in self._signatures:
            return
        if date is not None and (self.newest is None or date > self.newest):
            self.newest = date
        date = date or self.newest
        self._lsh.insert(article_id, signature, check_duplication=False)
        self._signatures[article_id] = signature
        self._headlines[article_id] = headline_words(headline)
        self._dates[article_id] = date
        if date is not None:
            heapq.heappush(self._expiry, (date, article_id))
        self._retire()

    def _retire(self) -> None:
        while self._expiry and self._expiry[0][0] < self.newest - self.window:
            date, article_id = heapq.heappop(self._expiry)
            if self._dates.get(article_id) == date:
                self.remove(article_id)
        while len(self._signatures) > self.max_size:
            self.remove(next(iter(self._signatures)))

    def remove(self, article_id: str) -> None:
        """Forget an article, e.g. one that fell out of the time window."""
        if self._signatures.pop(article_id, None) is not None:
            del self._dates[article_id], self._headlines[article_id]
            self._lsh.remove(article_id)

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._signatures

    @staticmethod
    def to_bytes(signature: MinHash) -> bytes:
        """Portable bytes of a signature, for the store."""
        from datasketch import LeanMinHash

        lean = signature if isinstance(signature, LeanMinHash) else LeanMinHash(signature)
        buffer = bytearray(lean.bytesize(BYTE_ORDER))
        lean.serialize(buffer, BYTE_ORDER)
        return bytes(buffer)

    @staticmethod
    def from_bytes(data: bytes) -> LeanMinHash:
        """A signature back from :meth:`to_bytes`."""
        from datasketch import LeanMinHash

        return LeanMinHash.deserialize(data, BYTE_ORDER)
