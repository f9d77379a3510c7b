"""The storage interface every backend implements (SQLite by default, PostgreSQL for shared use).

The store persists data objects and answers queries; it knows nothing of scoring. All writes of
one ingest batch happen inside one ``transaction()`` so that a crash leaves the database as it
was before the batch.
"""

from __future__ import annotations

import abc
import datetime as dt
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from storyline.model import Article, Event, Storyline

SCHEMA_VERSION = 4


@dataclass(frozen=True)
class StorylineFilter:
    """Filters for listing storylines; ``None`` means no restriction."""

    query: str | None = None  # full-text query some article of the storyline must match
    entity: str | None = None  # entity name (any alias form) some article must mention
    since: dt.date | None = None  # storyline active on or after
    until: dt.date | None = None  # storyline active on or before
    lang: str | None = None  # some article in this language
    limit: int | None = None


@dataclass(frozen=True)
class SearchHit:
    """One article matching a full-text query, with where it was filed."""

    article_id: str
    title: str
    published: dt.date | None
    snippet: str
    event_id: str | None
    storyline_id: str | None
    score: float


@dataclass(frozen=True)
class EntityCount:
    """How often an entity is mentioned in a set of articles."""

    name: str
    label: str
    articles: int
    mentions: int


class Store(abc.ABC):
    """Persistence of articles, events, storylines, id redirects and tracker state."""

    # --- transactions and lifecycle -------------------------------------------------
    @abc.abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """All writes inside the block commit together or not at all (nested blocks join the outer one)."""

    @abc.abstractmethod
    def filing_lock(self, on_wait: Callable[[str], None] | None = None) -> AbstractContextManager[None]:
        """Held while one engine files articles, so that two processes never track into one store at once (each
        would file on a tracker state that misses the other's articles). Waits for the holder, telling ``on_wait``
        why once; a holder that dies releases it."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection."""

    # --- articles -----------------------------------------------------------------------
    @abc.abstractmethod
    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored."""

    @abc.abstractmethod
    def stored_texts(self, ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """For each of ``ids`` already stored, the content hash and origin it was stored with."""

    @abc.abstractmethod
    def ids_by_content_hash(self, hashes: Iterable[str]) -> dict[str, str]:
        """Map each already stored content hash to the id of the article that has it."""

    @abc.abstractmethod
    def add_articles(self, articles: Iterable[Article], minhashes: dict[str, bytes] | None = None) -> None:
        """Insert articles with everything the pipeline filled in (entities, embedding, event, ...).

        ``minhashes`` maps article id to its serialized MinHash signature for near-duplicate search.
        Ids already stored are an error (``ValueError``): the engine filters them out first.
        """

    @abc.abstractmethod
    def get_articles(self, ids: Iterable[str]) -> list[Article]:
        """Articles by id, with entities and embedding, in the order asked (missing ids skipped)."""

    @abc.abstractmethod
    def iter_articles(self, batch_size: int = 1000) -> Iterator[Article]:
        """Every article in ingest order (for export)."""

    @abc.abstractmethod
    def recent_minhashes(self, since: dt.date | None, limit: int) -> list[tuple[str, bytes, dt.date | None, str]]:
        """(id, signature, published, title) of the most recently ingested non-duplicate articles published on or
        after ``since`` (or undated), to rebuild the LSH index."""

    @abc.abstractmethod
    def reassign_articles(self, assignments: dict[str, tuple[str, str]]) -> dict[str, str | None]:
        """Set (event_id, storyline_id) of stored articles and of their reprints, e.g. after events merged; return
        the storyline each stored one was filed in before."""

    @abc.abstractmethod
    def move_storyline(self, old_id: str, new_id: str) -> None:
        """Point every stored event and article of storyline ``old_id`` at ``new_id`` (storylines merged)."""

    # --- events and storylines ------------------------------------------------------------
    @abc.abstractmethod
    def save_events(self, events: Iterable[Event]) -> None:
        """Insert or replace events (their ``article_ids`` are not stored here: articles point to events)."""

    @abc.abstractmethod
    def save_storylines(self, storylines: Iterable[Storyline]) -> None:
        """Insert or replace storylines."""

    @abc.abstractmethod
    def delete_events(self, ids: Iterable[str]) -> None:
        """Remove events that were merged away (their redirects are kept)."""

    @abc.abstractmethod
    def delete_storylines(self, ids: Iterable[str]) -> None:
        """Remove storylines that were merged away (their redirects are kept)."""

    @abc.abstractmethod
    def add_redirects(self, redirects: dict[str, str]) -> None:
        """Record that old event or storyline ids now live on under new ids."""

    @abc.abstractmethod
    def resolve(self, id: str) -> str:
        """Follow redirects from ``id`` to the id that now stands for it (itself if none)."""

    @abc.abstractmethod
    def get_event(self, id: str) -> Event | None:
        """An event with its ``article_ids`` in date order, after redirects."""

    @abc.abstractmethod
    def get_storyline(self, id: str) -> Storyline | None:
        """A storyline with its ``event_ids`` in date order, after redirects."""

    @abc.abstractmethod
    def events_of_storyline(self, storyline_id: str) -> list[Event]:
        """The storyline's events in date order, each with its ``article_ids``."""

    @abc.abstractmethod
    def storyline_totals(self, ids: Iterable[str]) -> dict[str, dict]:
        """For each storyline with stored events: ``{"events", "articles", "first_date", "last_date"}`` summed over
        those events, so that a storyline's record agrees with what is filed in it however its events moved."""

    @abc.abstractmethod
    def list_storylines(self, filters: StorylineFilter = StorylineFilter()) -> list[Storyline]:
        """Storylines matching the filters, newest activity first."""

    @abc.abstractmethod
    def entity_counts(self, article_ids: Iterable[str], limit: int = 10, exclude: Iterable[str] = ()) -> list[EntityCount]:
        """The entities most mentioned across the given articles, less those whose key is in ``exclude``."""

    # --- search and stats -----------------------------------------------------------------
    @abc.abstractmethod
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search over titles and texts of articles, best first."""

    @abc.abstractmethod
    def stats(self) -> dict[str, int]:
        """Counts: articles, events, storylines, duplicates."""

    # --- tracker state ----------------------------------------------------------------------
    @abc.abstractmethod
    def get_state(self, key: str) -> bytes | None:
        """A blob saved by ``put_state`` (e.g. the tracker's active events), or ``None``."""

    @abc.abstractmethod
    def put_state(self, key: str, value: bytes | None) -> None:
        """Save a blob under ``key`` (``None``: delete it), inside the current transaction."""

    @abc.abstractmethod
    def state_records(self, key: str) -> Iterator[tuple[str, bytes]]:
        """The ``(id, blob)`` records saved under ``key`` by ``put_state_records``."""

    @abc.abstractmethod
    def put_state_records(self, key: str, records: dict[str, bytes | None]) -> None:
        """Save records under ``key`` by id (``None``: delete the record), inside the current transaction; a state
        saved as records (the tracker's) writes what changed, not all of it."""
