"""How often words occur in a language at large (the ``wordfreq`` package's lists), in the hashed buckets of the
tracker's document frequencies: a prior that lets a small stream about one subject start with sensible IDF weights
instead of finding its own subject's words common."""

from __future__ import annotations

import zlib
from functools import cache

import numpy as np

WORDS_PER_DOCUMENT = 600  # words of a news text's first 4,000 characters, stop words included


@cache  # constants of the installed word lists: built once per process, language and bucket count
def document_share(lang: str | None, buckets: int) -> np.ndarray | None:
    """For each bucket, the share of documents holding a word of that bucket, from the language's word frequencies
    (``1 - exp(-frequency * WORDS_PER_DOCUMENT)``); ``None`` for a language without a list."""
    from wordfreq import available_languages, get_frequency_dict

    code = lang.split("-")[0].lower() if lang else ""
    if code not in available_languages(wordlist="best"):
        return None
    frequencies = get_frequency_dict(code, wordlist="best")
    words = list(frequencies)
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64, count=len(words))
    in_a_document = -np.expm1(-np.fromiter(frequencies.values(), float, count=len(words)) * WORDS_PER_DOCUMENT)
    share = np.zeros(buckets, dtype=np.float64)
    np.add.at(share, hashes % np.uint64(buckets), in_a_document)
    return np.minimum(share, 1.0).astype(np.float32)
