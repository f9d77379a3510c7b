"""Plain data objects passed between the pipeline stages.

An :class:`Article` is filled in stage by stage: ``ingest`` sets the text and metadata,
``understand`` adds language, entities, dates and an embedding, ``track`` sets the event
and storyline it belongs to. The store persists these objects and knows nothing of scoring.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Entity:
    """A named entity as mentioned in one article, under its canonical name."""

    name: str  # canonical surface form, e.g. "Kim Jong-un"
    label: str  # PERSON, ORG, GPE, LOC, NORP, EVENT, MISC
    count: int = 1  # mentions in the article (aliases merged)
    # Case- and punctuation-insensitive identity used for matching across articles; computed where the entity is
    # made (a reading worker) and carried with it, so the tracking process does not normalise every name again.
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", entity_key(self.name))


@lru_cache(maxsize=200_000)
def entity_key(name: str) -> str:
    """Normalise an entity name so that "Kim Jong-un", "Kim Jong Un" and "KIM JONG UN" agree, and "José" and "Jose",
    "O’Brien" and "O'Brien": accents go, any other character than a letter or digit parts words."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(ch))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


@dataclass
class Article:
    """One news article, as read from its source and enriched by the pipeline."""

    id: str
    title: str
    text: str
    published: dt.date | None = None
    url: str | None = None
    lang: str | None = None
    source: str | None = None  # outlet, e.g. the URL's host or a feed title
    metadata: dict[str, Any] = field(default_factory=dict)
    origin: str | None = None  # where it was read from: "path:line"
    content_hash: str | None = None
    # filled by understand/
    entities: list[Entity] = field(default_factory=list)
    mentioned_dates: list[dt.date] = field(default_factory=list)
    embedding: np.ndarray | None = None
    # filled by ingest/dedup and track/
    duplicate_of: str | None = None
    boilerplate_lines: list[int] = field(default_factory=list)  # lines of ``text`` (from 0) that are page furniture
    event_id: str | None = None
    storyline_id: str | None = None

    @property
    def date(self) -> dt.date | None:
        """The date used for ordering and time distance: published, else the first date mentioned."""
        if self.published is not None:
            return self.published
        return self.mentioned_dates[0] if self.mentioned_dates else None

    @property
    def body(self) -> str:
        """The text without the lines that are page furniture ("Sign up for our newsletter"): what views quote."""
        return without_lines(self.text, self.boilerplate_lines)


def without_lines(text: str, numbers: list[int]) -> str:
    """``text`` without the lines numbered ``numbers`` (from 0)."""
    if not numbers:
        return text
    dropped = set(numbers)
    return "\n".join(line for index, line in enumerate(text.split("\n")) if index not in dropped)


@dataclass
class Event:
    """Articles reporting the same real-world happening."""

    id: str
    storyline_id: str | None
    title: str
    first_date: dt.date | None
    last_date: dt.date | None
    article_count: int = 0
    article_ids: list[str] = field(default_factory=list)


@dataclass
class Storyline:
    """A thread of events sharing actors, places and subject over weeks or months."""

    id: str
    title: str
    first_date: dt.date | None
    last_date: dt.date | None
    event_count: int = 0
    article_count: int = 0  # originals; their copies (reprints, wire copies) are counted apart
    top_entities: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    copy_count: int = 0


@dataclass(frozen=True)
class InputError:
    """A piece of input that could not be read: where it is and why."""

    origin: str  # "path" or "path:line"
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"
