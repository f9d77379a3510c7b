"""The default store: one SQLite file (WAL mode) with an FTS5 index over article titles and texts."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, and one process at a time is up to the user
    fcntl = None

from storyline.model import Article, Entity, Event, Storyline, entity_key
from storyline.store.base import SCHEMA_VERSION, EntityCount, SearchHit, Store, StorylineFilter


class StoreError(RuntimeError):
    """The database cannot be used: not a SQLite file, not a Storyline store, or a newer schema."""


_SCHEMA = """
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY,            -- ingest order (rowid alias, also the FTS rowid)
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    published TEXT,                     -- ISO date
    date TEXT,                          -- Article.date: published, else first mentioned date (for ordering)
    url TEXT,
    lang TEXT,
    source TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    origin TEXT,
    content_hash TEXT,
    duplicate_of TEXT,
    event_id TEXT,
    storyline_id TEXT,
    mentioned_dates TEXT NOT NULL DEFAULT '[]',
    boilerplate_lines TEXT NOT NULL DEFAULT '[]',  -- Article.boilerplate_lines, JSON
    embedding BLOB,                     -- float32, native byte order
    embedding_dim INTEGER,
    minhash BLOB
);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_event ON articles(event_id);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
CREATE INDEX articles_storyline ON articles(storyline_id);

CREATE TABLE article_entities (
    article_seq INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,  -- integer keys insert 2x faster
    position INTEGER NOT NULL,          -- order in Article.entities
    key TEXT NOT NULL,                  -- model.entity_key(name)
    name TEXT NOT NULL,
    label TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (article_seq, position)
) WITHOUT ROWID;
CREATE INDEX article_entities_key ON article_entities(key);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    storyline_id TEXT,
    title TEXT NOT NULL,
    first_date TEXT,
    last_date TEXT,
    article_count INTEGER NOT NULL
);
CREATE INDEX events_storyline ON events(storyline_id);

CREATE TABLE storylines (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    first_date TEXT,
    last_date TEXT,
    event_count INTEGER NOT NULL,
    article_count INTEGER NOT NULL,
    top_entities TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX storylines_last_date ON storylines(last_date);

CREATE TABLE redirects (old_id TEXT PRIMARY KEY, new_id TEXT NOT NULL);

CREATE TABLE state (key TEXT PRIMARY KEY, value BLOB NOT NULL);

CREATE TABLE state_records (key TEXT NOT NULL, id TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (key, id)) WITHOUT ROWID;

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
);
-- add_articles indexes new rows in one INSERT ... SELECT (an insert trigger makes FTS5 flush every row: 2x slower)
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
"""

# The statements that bring a store from each earlier schema version to the next one.
_UPGRADES = {
    1: ("ALTER TABLE articles ADD COLUMN boilerplate_lines TEXT NOT NULL DEFAULT '[]'",),
    2: ("CREATE TABLE state_records (key TEXT NOT NULL, id TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (key, id))"
        " WITHOUT ROWID",),
    # entity keys no longer drop letters without an ASCII form nor join words at a curly apostrophe ("O’Brien")
    3: ("UPDATE article_entities SET key = entity_key(name) WHERE key != entity_key(name)",),
}

_ARTICLE_COLUMNS = (
    "seq, id, title, text, published, date, url, lang, source, metadata, origin, content_hash, duplicate_of,"
    " event_id, storyline_id, mentioned_dates, boilerplate_lines, embedding, embedding_dim"
)

# A list of ids travels as one JSON parameter, so any number of ids fits in one statement.
_IDS = "(SELECT value FROM json_each(?))"


_QUERY_TERM = re.compile(r'"([^"]*)"|(\S+)')


def fts_query(text: str) -> str | None:
    """Turn a user's search string into an FTS5 query matching all its words and "quoted phrases", or either side of
    a bare ``OR`` ("Englewood OR Chicago shooting": the words around it bind first, as in FTS5).

    Each term is quoted, so that apostrophes, hyphens, colons, ``*`` or ``AND``/``NEAR`` are read as
    text, never as query syntax; ``None`` if no word is left.
    """
    parts: list[str] = []
    for quoted, bare in _QUERY_TERM.findall(text):
        term = quoted or bare
        if bare == "OR":
            if parts and parts[-1] != "OR":
                parts.append("OR")
        elif any(ch.isalnum() for ch in term):
            parts.append('"' + term.replace('"', '""') + '"')
    while parts and parts[-1] == "OR":
        parts.pop()
    return " ".join(parts) or None


def _iso(value: dt.date | None) -> str | None:
    """ISO text of a date (a datetime counts by its date), so that text order is date order."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat()


def _date(text: str | None) -> dt.date | None:
    """The date stored by ``_iso``."""
    return None if text is None else dt.date.fromisoformat(text)


def _json_ids(ids: Iterable[str]) -> str:
    """Ids as one JSON array parameter, read back in SQL by ``_IDS``."""
    return json.dumps(list(ids))


class SQLiteStore(Store):
    """A :class:`Store` in one SQLite file; use one instance per thread (the connection is not shared)."""

    def __init__(self, path: str | Path, *, timeout: float = 30.0, snippet_marks: tuple[str, str] = ("[", "]")):
        """Open or create the store at ``path`` (``":memory:"`` for a throw-away one).

        ``timeout`` is how long to wait for another process's write lock; ``snippet_marks`` surround
        matched words in search snippets.
        """
        self.path = str(path)
        self.snippet_marks = snippet_marks
        self._depth = 0  # nesting level of transaction() blocks
        try:
            self._conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        try:
            self._conn.row_factory = sqlite3.Row
            self._conn.create_function("entity_key", 1, entity_key, deterministic=True)  # for upgrades
            version = self._schema_version()
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            if version == 0:
                self._create_schema()
            elif version < SCHEMA_VERSION:
                self._upgrade_schema()
        except BaseException:
            self._conn.close()
            raise

    def _schema_version(self) -> int:
        """The file's schema version (0 if new), refusing files this code cannot read."""
        try:
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a SQLite database: {exc}") from exc
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has store schema version {version}, newer than version {SCHEMA_VERSION} "
                "that this Storyline understands: upgrade Storyline to open it"
            )
        if version not in (0, SCHEMA_VERSION, *_UPGRADES):
            raise StoreError(f"{self.path} has store schema version {version} and no upgrade path to {SCHEMA_VERSION}")
        return version

    def _create_schema(self) -> None:
        """Create the tables in an empty database; a database with other tables is refused."""
        with self.transaction():
            if self._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                return  # another process created it meanwhile
            tables = sorted(row[0] for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
            if tables:
                raise StoreError(
                    f"{self.path} is a SQLite database but not a Storyline store (it has tables {tables[:5]})"
                )
            for statement in _split_statements(_SCHEMA):
                self._conn.execute(statement)
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _upgrade_schema(self) -> None:
        """Bring a store of an earlier schema version up to this one, a version at a time, in one transaction."""
        with self.transaction():
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have done it
            while version < SCHEMA_VERSION:
                for statement in _UPGRADES[version]:
                    self._conn.execute(statement)
                version += 1
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # --- transactions and lifecycle -------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Commit the block's writes together; a nested block is a savepoint inside the outer transaction,
        so an exception caught between the two undoes only the inner block."""
        if self._depth:
            name = f"nested_{self._depth}"
            self._conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._conn.execute(f"ROLLBACK TO {name}")
                self._conn.execute(f"RELEASE {name}")
                raise
            else:
                self._conn.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
            return
        self._conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0

    @contextmanager
    def filing_lock(self, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """An exclusive ``flock`` on ``PATH.lock`` beside the database file (the kernel releases it when its holder
        dies, so a killed ingest never leaves it taken); nothing for ``:memory:`` or where ``fcntl`` is missing."""
        if self.path == ":memory:" or fcntl is None:
            yield
            return
        with open(f"{self.path}.lock", "a+b") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait(f"waiting for another process to finish filing into {self.path}")
                fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def close(self) -> None:
        """Release the connection (safe to call twice)."""
        self._conn.close()

    def __enter__(self) -> "SQLiteStore":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    # --- articles -----------------------------------------------------------------------
    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored."""
        rows = self._conn.execute(f"SELECT id FROM articles WHERE id IN {_IDS}", (_json_ids(ids),))
        return {row[0] for row in rows}

    def stored_texts(self, ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """For each of ``ids`` already stored, the content hash and origin it was stored with."""
        rows = self._conn.execute(f"SELECT id, content_hash, origin FROM articles WHERE id IN {_IDS}", (_json_ids(ids),))
        return {id: (content_hash, origin) for id, content_hash, origin in rows}

    def ids_by_content_hash(self, hashes: Iterable[str]) -> dict[str, str]:
        """Map each already stored content hash to the id of the first article ingested with it."""
        rows = self._conn.execute(
            f"SELECT content_hash, id FROM articles WHERE content_hash IN {_IDS} ORDER BY seq DESC",
            (_json_ids(hashes),),
        )
        return {content_hash: id for content_hash, id in rows}  # later rows (earlier seq) win

    def add_articles(self, articles: Iterable[Article], minhashes: dict[str, bytes] | None = None) -> None:
        """Insert articles with their entities, embedding and assignments; an id already stored is a ``ValueError``."""
        batch = list(articles)
        minhashes = minhashes or {}
        article_rows = [_article_row(article, minhashes.get(article.id)) for article in batch]
        ids = [article.id for article in batch]
        repeated = sorted(id for id, times in Counter(ids).items() if times > 1)
        if repeated:
            raise ValueError(f"article ids repeated within the batch: {repeated[:5]}")
        with self.transaction():
            stored = self.existing_ids(ids)
            if stored:
                raise ValueError(f"{len(stored)} article ids already stored, e.g. {sorted(stored)[:5]}")
            last_seq = self._conn.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]
            self._conn.executemany(
                "INSERT INTO articles (seq, id, title, text, published, date, url, lang, source, metadata, origin,"
                " content_hash, duplicate_of, event_id, storyline_id, mentioned_dates, boilerplate_lines, embedding,"
                " embedding_dim, minhash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(seq, *row) for seq, row in enumerate(article_rows, last_seq + 1)],
            )
            self._conn.execute(
                "INSERT INTO articles_fts (rowid, title, text) SELECT seq, title, text FROM articles WHERE seq > ?",
                (last_seq,),
            )
            keys: dict[str, str] = {}  # entity names repeat across a batch: normalise each once
            self._conn.executemany(
                "INSERT INTO article_entities (article_seq, position, key, name, label, count)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (seq, position, keys.get(entity.name) or keys.setdefault(entity.name, entity.key),
                     entity.name, entity.label, entity.count)
                    for seq, article in enumerate(batch, last_seq + 1)
                    for position, entity in enumerate(article.entities)
                ),
            )

    def get_articles(self, ids: Iterable[str]) -> list[Article]:
        """Articles by id, with entities and embedding, in the order asked (missing ids skipped)."""
        wanted = list(ids)
        rows = self._conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN {_IDS}", (_json_ids(wanted),))
        found = self._articles_from_rows(rows.fetchall())
        return [found[id] for id in wanted if id in found]

    def iter_articles(self, batch_size: int = 1000) -> Iterator[Article]:
        """Every article in ingest order, read ``batch_size`` at a time."""
        after = 0
        while True:
            rows = self._conn.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (after, batch_size)
            ).fetchall()
            if not rows:
                return
            after = rows[-1]["seq"]
            yield from self._articles_from_rows(rows).values()

    def _articles_from_rows(self, rows: list[sqlite3.Row]) -> dict[str, Article]:
        """Build Article objects (in row order) for the rows, with their entities fetched in one query."""
        entities: dict[int, list[Entity]] = {row["seq"]: [] for row in rows}
        entity_rows = self._conn.execute(
            f"SELECT article_seq, name, label, count FROM article_entities WHERE article_seq IN {_IDS}"
            " ORDER BY article_seq, position",
            (json.dumps(list(entities)),),
        )
        for seq, name, label, count in entity_rows:
            entities[seq].append(Entity(name=name, label=label, count=count))
        return {row["id"]: _article_from_row(row, entities[row["seq"]]) for row in rows}

    def recent_minhashes(self, since: dt.date | None, limit: int) -> list[tuple[str, bytes, dt.date | None, str]]:
        """(id, signature, published, title) of the last ``limit`` ingested non-duplicates published on or after
        ``since`` (or undated), oldest first."""
        rows = self._conn.execute(
            "SELECT id, minhash, published, title FROM articles WHERE minhash IS NOT NULL AND duplicate_of IS NULL"
            " AND (? IS NULL OR published IS NULL OR published >= ?) ORDER BY seq DESC LIMIT ?",
            (_iso(since), _iso(since), limit),
        ).fetchall()
        return [(id, bytes(minhash), _date(published), title) for id, minhash, published, title in reversed(rows)]

    def reassign_articles(self, assignments: dict[str, tuple[str, str]]) -> dict[str, str | None]:
        """Set (event_id, storyline_id) of stored articles and of their reprints, e.g. after events merged; return
        the storyline each stored one was filed in before."""
        rows = [(event_id, storyline_id, id) for id, (event_id, storyline_id) in assignments.items()]
        with self.transaction():
            before = dict(self._conn.execute(
                f"SELECT id, storyline_id FROM articles WHERE id IN {_IDS}", (_json_ids(assignments),)).fetchall())
            self._conn.executemany("UPDATE articles SET event_id = ?, storyline_id = ? WHERE id = ?", rows)
            self._conn.executemany("UPDATE articles SET event_id = ?, storyline_id = ? WHERE duplicate_of = ?", rows)
        return before

    def move_storyline(self, old_id: str, new_id: str) -> None:
        """Point every stored event and article of storyline ``old_id`` at ``new_id`` (storylines merged)."""
        with self.transaction():
            self._conn.execute("UPDATE events SET storyline_id = ? WHERE storyline_id = ?", (new_id, old_id))
            self._conn.execute("UPDATE articles SET storyline_id = ? WHERE storyline_id = ?", (new_id, old_id))

    # --- events and storylines ------------------------------------------------------------
    def save_events(self, events: Iterable[Event]) -> None:
        """Insert or replace events (their ``article_ids`` come from the articles that point to them); an event saved
        is live again if an earlier merge had redirected its id (a split made it anew)."""
        rows = [
            (e.id, e.storyline_id, e.title, _iso(e.first_date), _iso(e.last_date), e.article_count) for e in events
        ]
        with self.transaction():
            self._conn.execute(f"DELETE FROM redirects WHERE old_id IN {_IDS}", (_json_ids(r[0] for r in rows),))
            self._conn.executemany(
                "INSERT INTO events (id, storyline_id, title, first_date, last_date, article_count)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET storyline_id = excluded.storyline_id,"
                " title = excluded.title, first_date = excluded.first_date, last_date = excluded.last_date,"
                " article_count = excluded.article_count",
                rows,
            )

    def save_storylines(self, storylines: Iterable[Storyline]) -> None:
        """Insert or replace storylines (their ``event_ids`` come from the events that point to them)."""
        rows = [
            (
                s.id,
                s.title,
                _iso(s.first_date),
                _iso(s.last_date),
                s.event_count,
                s.article_count,
                json.dumps(s.top_entities, ensure_ascii=False),
            )
            for s in storylines
        ]
        with self.transaction():
            self._conn.executemany(
                "INSERT INTO storylines (id, title, first_date, last_date, event_count, article_count, top_entities)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title,"
                " first_date = excluded.first_date, last_date = excluded.last_date,"
                " event_count = excluded.event_count, article_count = excluded.article_count,"
                " top_entities = excluded.top_entities",
                rows,
            )

    def delete_events(self, ids: Iterable[str]) -> None:
        """Remove events that were merged away (their redirects are kept)."""
        with self.transaction():
            self._conn.execute(f"DELETE FROM events WHERE id IN {_IDS}", (_json_ids(ids),))

    def delete_storylines(self, ids: Iterable[str]) -> None:
        """Remove storylines that were merged away (their redirects are kept)."""
        with self.transaction():
            self._conn.execute(f"DELETE FROM storylines WHERE id IN {_IDS}", (_json_ids(ids),))

    def add_redirects(self, redirects: dict[str, str]) -> None:
        """Record that old ids now live on under new ids; a redirect that would close a loop is a ``ValueError``."""
        with self.transaction():
            for old_id, new_id in redirects.items():
                if self.resolve(new_id) == old_id:
                    raise ValueError(f"redirect {old_id!r} -> {new_id!r} would make a cycle")
                self._conn.execute(
                    "INSERT INTO redirects (old_id, new_id) VALUES (?, ?)"
                    " ON CONFLICT(old_id) DO UPDATE SET new_id = excluded.new_id",
                    (old_id, new_id),
                )

    def resolve(self, id: str) -> str:
        """Follow redirects from ``id`` to the id that now stands for it (itself if none)."""
        seen = [id]
        while True:
            row = self._conn.execute("SELECT new_id FROM redirects WHERE old_id = ?", (seen[-1],)).fetchone()
            if row is None:
                return seen[-1]
            if row[0] in seen:
                raise StoreError(f"redirect cycle in {self.path}: {' -> '.join(seen + [row[0]])}")
            seen.append(row[0])

    def get_event(self, id: str) -> Event | None:
        """An event with its ``article_ids`` (duplicates included) in date order, after redirects."""
        row = self._conn.execute("SELECT * FROM events WHERE id = ?", (self.resolve(id),)).fetchone()
        return None if row is None else self._events_from_rows([row])[0]

    def get_storyline(self, id: str) -> Storyline | None:
        """A storyline with its ``event_ids`` in date order, after redirects."""
        row = self._conn.execute("SELECT * FROM storylines WHERE id = ?", (self.resolve(id),)).fetchone()
        return None if row is None else self._storylines_from_rows([row])[0]

    def storyline_totals(self, ids: Iterable[str]) -> dict[str, dict]:
        rows = self._conn.execute(
            "SELECT storyline_id, COUNT(*), SUM(article_count), MIN(COALESCE(first_date, last_date)),"
            f" MAX(COALESCE(last_date, first_date)) FROM events WHERE storyline_id IN {_IDS} GROUP BY storyline_id",
            (_json_ids(ids),),
        )
        return {sid: {"events": events, "articles": articles, "first_date": _date(first), "last_date": _date(last)}
                for sid, events, articles, first, last in rows}

    def events_of_storyline(self, storyline_id: str) -> list[Event]:
        """The storyline's events by (first date, id), each with its ``article_ids`` in date order."""
        rows = self._conn.execute(
            "SELECT * FROM events WHERE storyline_id = ? ORDER BY first_date IS NULL, first_date, id",
            (self.resolve(storyline_id),),
        ).fetchall()
        return self._events_from_rows(rows)

    def _events_from_rows(self, rows: list[sqlite3.Row]) -> list[Event]:
        """Events for the rows, their article ids ordered by (date, ingest order), undated last."""
        article_ids: dict[str, list[str]] = {row["id"]: [] for row in rows}
        for event_id, article_id in self._conn.execute(
            f"SELECT event_id, id FROM articles WHERE event_id IN {_IDS} ORDER BY date IS NULL, date, seq",
            (_json_ids(article_ids),),
        ):
            article_ids[event_id].append(article_id)
        return [
            Event(
                id=row["id"],
                storyline_id=row["storyline_id"],
                title=row["title"],
                first_date=_date(row["first_date"]),
                last_date=_date(row["last_date"]),
                article_count=row["article_count"],
                article_ids=article_ids[row["id"]],
            )
            for row in rows
        ]

    def _storylines_from_rows(self, rows: list[sqlite3.Row]) -> list[Storyline]:
        """Storylines for the rows, their event ids ordered by (first date, id), undated last, with their copies
        counted."""
        event_ids: dict[str, list[str]] = {row["id"]: [] for row in rows}
        for storyline_id, event_id in self._conn.execute(
            f"SELECT storyline_id, id FROM events WHERE storyline_id IN {_IDS}"
            " ORDER BY first_date IS NULL, first_date, id",
            (_json_ids(event_ids),),
        ):
            event_ids[storyline_id].append(event_id)
        copies = dict(self._conn.execute(
            f"SELECT storyline_id, COUNT(*) FROM articles WHERE storyline_id IN {_IDS} AND duplicate_of IS NOT NULL"
            " GROUP BY storyline_id",
            (_json_ids(event_ids),),
        ).fetchall())
        return [
            Storyline(
                id=row["id"],
                title=row["title"],
                first_date=_date(row["first_date"]),
                last_date=_date(row["last_date"]),
                event_count=row["event_count"],
                article_count=row["article_count"],
                top_entities=json.loads(row["top_entities"]),
                event_ids=event_ids[row["id"]],
                copy_count=copies.get(row["id"], 0),
            )
            for row in rows
        ]

    def list_storylines(self, filters: StorylineFilter = StorylineFilter()) -> list[Storyline]:
        """Storylines matching every filter, latest ``last_date`` first (undated last).

        A date filter excludes storylines without the date it compares; an empty query matches nothing.
        """
        conditions: list[str] = []
        params: list[Any] = []
        if filters.query is not None:
            match = fts_query(filters.query)
            if match is None:
                return []
            conditions.append(
                "s.id IN (SELECT a.storyline_id FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
                " WHERE articles_fts MATCH ?)"
            )
            params.append(match)
        if filters.entity is not None:
            conditions.append(
                "s.id IN (SELECT a.storyline_id FROM article_entities e JOIN articles a ON a.seq = e.article_seq"
                " WHERE e.key = ?)"
            )
            params.append(entity_key(filters.entity))
        if filters.since is not None:
            conditions.append("s.last_date >= ?")
            params.append(_iso(filters.since))
        if filters.until is not None:
            conditions.append("s.first_date <= ?")
            params.append(_iso(filters.until))
        if filters.lang is not None:
            conditions.append("EXISTS (SELECT 1 FROM articles a WHERE a.storyline_id = s.id AND a.lang = ?)")
            params.append(filters.lang)
        where = " AND ".join(conditions) or "1"
        limit = -1 if filters.limit is None else filters.limit
        rows = self._conn.execute(  # SQLite sorts NULL below every date, so undated storylines come last
            f"SELECT s.* FROM storylines s WHERE {where}"
            " ORDER BY s.last_date DESC, s.id LIMIT ?",
            (*params, limit),
        ).fetchall()
        return self._storylines_from_rows(rows)

    def entity_counts(self, article_ids: Iterable[str], limit: int = 10, exclude: Iterable[str] = ()) -> list[EntityCount]:
        """Entities across the given articles, ranked by how many articles mention them, then by mentions.

        Alias forms with the same ``entity_key`` count as one entity, shown under its most mentioned form and its
        most mentioned type, MISC (a name no model typed) only when no article typed it.
        """
        rows = self._conn.execute(
            f"""
            WITH chosen AS (
                SELECT e.article_seq, e.key, e.name, e.label, e.count
                FROM articles a JOIN article_entities e ON e.article_seq = a.seq
                WHERE a.id IN {_IDS} AND e.key NOT IN {_IDS}),
            totals AS (
                SELECT key, COUNT(DISTINCT article_seq) AS articles, SUM(count) AS mentions FROM chosen GROUP BY key),
            forms AS (
                SELECT key, name, ROW_NUMBER() OVER (PARTITION BY key ORDER BY SUM(count) DESC, name) AS rank
                FROM chosen GROUP BY key, name),
            labels AS (
                SELECT key, label,
                       ROW_NUMBER() OVER (PARTITION BY key ORDER BY label = 'MISC', SUM(count) DESC, label) AS rank
                FROM chosen GROUP BY key, label)
            SELECT f.name, l.label, t.articles, t.mentions FROM totals t
            JOIN forms f ON f.key = t.key AND f.rank = 1 JOIN labels l ON l.key = t.key AND l.rank = 1
            ORDER BY t.articles DESC, t.mentions DESC, f.name LIMIT ?
            """,
            (_json_ids(article_ids), _json_ids(exclude), limit),
        )
        return [EntityCount(name, label, articles, mentions) for name, label, articles, mentions in rows]

    # --- search and stats -----------------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Articles containing every word and "phrase" of ``query``, best BM25 first, each with a snippet
        of its text where matched words are marked."""
        match = fts_query(query)
        if match is None:
            return []
        open_mark, close_mark = self.snippet_marks
        rows = self._conn.execute(
            "SELECT a.id, a.title, a.published, snippet(articles_fts, 1, ?, ?, '…', 16) AS snippet,"
            " a.event_id, a.storyline_id, articles_fts.rank AS rank"
            " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank, a.seq LIMIT ?",
            (open_mark, close_mark, match, limit),
        )
        return [
            SearchHit(
                article_id=row["id"],
                title=row["title"],
                published=_date(row["published"]),
                snippet=row["snippet"],
                event_id=row["event_id"],
                storyline_id=row["storyline_id"],
                score=-row["rank"],  # bm25() is lower for better matches
            )
            for row in rows
        ]

    def stats(self) -> dict[str, int]:
        """Counts: articles (duplicates included), events, storylines, duplicates."""
        row = self._conn.execute(
            "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM storylines),"
            " (SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL)"
        ).fetchone()
        return dict(zip(("articles", "events", "storylines", "duplicates"), row))

    # --- tracker state ----------------------------------------------------------------------
    def get_state(self, key: str) -> bytes | None:
        """A blob saved by ``put_state``, or ``None``."""
        row = self._conn.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return None if row is None else bytes(row[0])

    def put_state(self, key: str, value: bytes | None) -> None:
        """Save a blob under ``key`` (``None``: delete it), inside the current transaction."""
        with self.transaction():
            if value is None:
                self._conn.execute("DELETE FROM state WHERE key = ?", (key,))
            else:
                self._conn.execute(
                    "INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, bytes(value)),
                )

    def state_records(self, key: str) -> Iterator[tuple[str, bytes]]:
        """The ``(id, blob)`` records saved under ``key``."""
        for id, value in self._conn.execute("SELECT id, value FROM state_records WHERE key = ?", (key,)):
            yield id, bytes(value)

    def put_state_records(self, key: str, records: dict[str, bytes | None]) -> None:
        """Write or (``None``) delete records under ``key`` by id, inside the current transaction."""
        with self.transaction():
            self._conn.executemany("DELETE FROM state_records WHERE key = ? AND id = ?",
                                   [(key, id) for id, value in records.items() if value is None])
            self._conn.executemany(
                "INSERT INTO state_records (key, id, value) VALUES (?, ?, ?)"
                " ON CONFLICT(key, id) DO UPDATE SET value = excluded.value",
                [(key, id, bytes(value)) for id, value in records.items() if value is not None],
            )


def _split_statements(script: str) -> list[str]:
    """Split the schema script into single statements (triggers contain ``;`` before their ``END``)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements


def _article_row(article: Article, minhash: bytes | None) -> tuple[Any, ...]:
    """The ``articles`` row for an Article; metadata that JSON cannot hold is a ``ValueError`` naming the article."""
    try:
        metadata = json.dumps(article.metadata, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"article {article.id!r}: metadata is not JSON-serializable: {exc}") from exc
    embedding = None if article.embedding is None else np.asarray(article.embedding, dtype=np.float32).ravel()
    return (
        article.id,
        article.title,
        article.text,
        _iso(article.published),
        _iso(article.date),
        article.url,
        article.lang,
        article.source,
        metadata,
        article.origin,
        article.content_hash,
        article.duplicate_of,
        article.event_id,
        article.storyline_id,
        json.dumps([_iso(d) for d in article.mentioned_dates]),
        json.dumps(article.boilerplate_lines),
        None if embedding is None else embedding.tobytes(),
        None if embedding is None else embedding.size,
        None if minhash is None else bytes(minhash),
    )


def _article_from_row(row: sqlite3.Row, entities: list[Entity]) -> Article:
    """The Article stored in a row selected with ``_ARTICLE_COLUMNS``."""
    embedding = row["embedding"]
    return Article(
        id=row["id"],
        title=row["title"],
        text=row["text"],
        published=_date(row["published"]),
        url=row["url"],
        lang=row["lang"],
        source=row["source"],
        metadata=json.loads(row["metadata"]),
        origin=row["origin"],
        content_hash=row["content_hash"],
        entities=entities,
        mentioned_dates=[dt.date.fromisoformat(d) for d in json.loads(row["mentioned_dates"])],
        boilerplate_lines=json.loads(row["boilerplate_lines"]),
        embedding=(
            None if embedding is None else np.frombuffer(embedding, dtype=np.float32, count=row["embedding_dim"]).copy()
        ),
        duplicate_of=row["duplicate_of"],
        event_id=row["event_id"],
        storyline_id=row["storyline_id"],
    )
