"""One configuration object with the defaults every stage reads; no global state."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class UnderstandConfig:
    """Language, entities, dates and embeddings."""

    ner: bool = True  # spaCy NER; off gives capitalised-phrase entities only
    ner_chars: int = 2000  # NER reads the headline and this many leading characters
    embedder: str = "wordllama"  # "wordllama" (static, fast), "minilm" (torch), "none"
    batch_size: int = 64


@dataclass(frozen=True)
class DedupConfig:
    """Exact and near-duplicate detection."""

    num_perm: int = 128
    shingle_words: int = 5
    near_threshold: float = 0.8  # estimated Jaccard of word shingles above which a copy is a near-duplicate
    max_indexed: int = 200_000  # most recent originals whose signatures are searched


@dataclass(frozen=True)
class TrackConfig:
    """Event assignment and storyline linking. Calibrated once on ../shared/data, see docs."""

    text_chars: int = 4000  # leading characters of an article that its term vector is built from
    # weights of (terms, entities, dense, gap per window) and the score needed to join
    event_weights: tuple[float, float, float, float] = (1.0, 0.5, 0.3, 0.2)
    event_threshold: float = 0.45
    event_merge_threshold: float = 0.55
    event_window_days: int = 30
    storyline_weights: tuple[float, float, float, float] = (0.6, 1.0, 0.3, 0.2)
    storyline_threshold: float = 0.4
    storyline_window_days: int = 120
    max_active_events: int = 20000


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
