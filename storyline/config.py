"""One configuration object with the defaults every stage reads; no global state."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace


MAX_DEFAULT_WORKERS = 4  # past four readers the tracker in the main process (2 ms an article) sets the pace


def default_workers() -> int:
    """The processes that read articles: one per CPU this process may run on, at most four."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(MAX_DEFAULT_WORKERS, usable))


@dataclass(frozen=True)
class UnderstandConfig:
    """Language, entities, dates and embeddings."""

    ner: bool = True  # spaCy NER; off gives capitalised-phrase entities only
    ner_chars: int = 300  # spaCy NER reads the headline and this many leading characters (the lede: who and where)
    phrase_chars: int = 2000  # capitalised phrases are taken from there up to this many; all names are counted further on
    workers: int = field(default_factory=default_workers)  # processes reading a batch while the last is filed
    min_parallel: int = 200  # smaller batches are read in the calling process (starting workers costs seconds)
    date_chars: int = 50_000  # days mentioned are read from this many leading characters (a page may be megabytes)
    embedder: str = "wordllama"  # "wordllama" (static, fast), "minilm" (torch), "none"
    batch_size: int = 64


@dataclass(frozen=True)
class DedupConfig:
    """Exact and near-duplicate detection."""

    num_perm: int = 128
    shingle_words: int = 5
    near_threshold: float = 0.8  # estimated Jaccard of word shingles above which a copy is a near-duplicate
    window_days: int = 7  # reprints follow within days: on gva 145 of 149 matches further apart were other incidents
    max_indexed: int = 200_000  # at most this many of the most recent originals are searched
    max_chars: int = 50_000  # copies are compared by their first 50,000 characters (some 8,000 words)


@dataclass(frozen=True)
class TrackConfig:
    """Event assignment and storyline linking. Calibrated once on ../shared/data, see docs."""

    text_chars: int = 4000  # leading characters of an article that its term vector is built from
    df_buckets: int = 2**20  # hashed document-frequency counters per vocabulary (terms, entities): 4 MB each
    # word frequencies of the language at large count as this many documents in the IDF weights, so that a small
    # stream about one subject does not find its own words common (ECB+ topics streamed alone: F1 0.843 -> 0.906)
    background_documents: float = 5.0
    boilerplate_repeats: int = 3  # a line of text that this many recent articles carried is page furniture: no terms
    # same-event model: log-odds weights of (terms, entities, dense, gap per 30 days, people, place, title,
    # no shared year, Jaccard of mentioned days, bias)
    same_event_weights: tuple[float, ...] = (16.0, 5.6, 0.9, -6.5, 4.0, 0.9, 4.2, -0.5, 3.6, -7.2)
    event_threshold: float = 0.0  # join the best event when its log-odds are above this
    event_merge_threshold: float = 3.0  # an article this sure of a second event merges the two
    event_split_threshold: float = 0.0  # an event whose two groups of reports average log-odds below this splits...
    event_split_min: int = 4  # ... when each group holds at least this many
    event_window_days: int = 30
    max_active_articles: int = 50_000
    event_candidates: int = 50  # key-sharing recent articles scored per article, those sharing the rarest keys
    # event -> storyline: weights of (terms, entities, actors, dense, gap per window) and the score needed
    storyline_weights: tuple[float, ...] = (0.3, 0.0, 1.0, 0.3, 0.2)
    storyline_threshold: float = 0.35
    storyline_merge_threshold: float = 0.9  # two storylines this alike are one thread
    storyline_window_days: int = 180
    max_active_storylines: int = 20_000
    storyline_candidates: int = 20  # key-sharing storylines scored per new event (F1 unchanged on the shared sets)
    # the nearest recent articles and storylines are searched by their embeddings' leading dimensions (None: all):
    # WordLlama's are trained to stand alone at 64, and a full index scans 4x less (F1 unchanged on the shared sets)
    search_dims: int | None = 64


@dataclass(frozen=True)
class Config:
    """Everything the engine needs; pass a modified copy (``with_``) to change a setting."""

    understand: UnderstandConfig = field(default_factory=UnderstandConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    track: TrackConfig = field(default_factory=TrackConfig)

    def with_(self, **sections) -> "Config":
        """Return a copy with whole sections or single fields replaced, e.g. ``with_(track={"event_threshold": .6})``."""
        changes = {}
        for name, value in sections.items():
            current = getattr(self, name)
            changes[name] = replace(current, **value) if isinstance(value, dict) else value
        return replace(self, **changes)


FAST = Config(understand=UnderstandConfig(ner=False))
