"""The one Python API every interface (CLI, HTTP, evaluation, benchmarks) calls.

``Storyline(db).ingest(paths)`` reads, understands, de-duplicates and tracks articles in batches;
each batch is stored in one transaction together with the tracker's state, so a crash loses at most
the batch in flight and re-running the same ingest completes it without duplicates.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import islice
from pathlib import Path

from storyline.config import Config
from storyline.explain import (
    EventSummary, SentenceRef, StorylineSummary, article_novelty, summarize_event, summarize_storyline,
)
from storyline.ingest import NearDuplicateIndex, articles_given, content_hash, exact_duplicates, read_inputs
from storyline.ingest.ordering import SpilledArticles, processing_order
from storyline.ingest.readers import UNREADABLE_DATE
from storyline.model import Article, Event, InputError, Storyline as StorylineRecord, entity_key
from storyline.store import EntityCount, SearchHit, Store, StorylineFilter, open_store
from storyline.track.state import restore_tracker, take_state_changes
from storyline.track.tracker import TOP_ENTITIES, Tracker, TrackChanges
from storyline.understand import Understander
from storyline.understand.dates import CALENDAR_WORDS
from storyline.understand.pipeline import ReadingJob

TRACKER_STATE = "tracker-core"  # the tracker's core; its records are saved under the same key
WHOLE_TRACKER_STATE = "tracker"  # the tracker pickled whole, as saved before store schema 3 (loaded, then replaced)
DEDUP_CLOCK = "near_duplicates_clock"  # the near-duplicate index's newest date, to rebuild its window from
FILING_MARK = "filing_mark"  # a fresh random value written with every batch: another process filed since it changed
DEFAULT_DB = "storyline.db"
# files are put in date order before they are tracked, in memory up to this many articles and on disk beyond: an
# archive's files need not be in date order (a shuffled gva: event F1 0.770 with batches of 1,000 sorted alone, 0.889
# sorted whole)
READ_AHEAD = 20_000


def default_db() -> str:
    """``$STORYLINE_DB`` if set, else ``./storyline.db``."""
    return os.environ.get("STORYLINE_DB") or DEFAULT_DB


@dataclass
class IngestReport:
    """What an ingest did: counts, every input error and every warning (with its origin).

    An error is input left out; a warning is input stored with a part of it left out (a date that could not be read).
    """

    read: int = 0
    stored: int = 0
    already_stored: int = 0
    duplicates: int = 0
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "read": self.read, "stored": self.stored, "already_stored": self.already_stored,
            "duplicates": self.duplicates, "errors": [str(e) for e in self.errors],
            "warnings": [str(w) for w in self.warnings],
        }


@dataclass
class SortedBatch:
    """A batch's new articles split into originals (to read and track) and copies of earlier articles."""

    originals: list[Article] = field(default_factory=list)
    copies: list[Article] = field(default_factory=list)  # ``duplicate_of`` set, pointing at an original
    minhashes: dict[str, bytes] = field(default_factory=dict)  # signatures of the originals, stored with them
    dedup_clock: dt.date | None = None  # the near-duplicate index's clock once this batch was sorted
    read: int = 0  # articles of the batch as read, already stored ones included (for progress)

    @property
    def size(self) -> int:
        return len(self.originals) + len(self.copies)

    def ids(self) -> set[str]:
        return {a.id for a in self.originals} | {a.id for a in self.copies}

    def hashes(self) -> dict[str, str]:
        """Content hash -> the id its first article here was filed under (the original's, for a copy)."""
        first: dict[str, str] = {}
        for a in self.originals + self.copies:
            first.setdefault(a.content_hash, a.duplicate_of or a.id)
        return first


class StrictModeError(Exception):
    """Raised by a ``strict`` ingest whose input had errors: nothing was stored."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__(f"{len(errors)} input error(s); nothing stored")
        self.errors = errors


class Storyline:
    """A story tracker over one store: ingest articles, then read storylines, events and search."""

    def __init__(self, db: str | Path | Store | None = None, config: Config | None = None) -> None:
        self.config = config or Config()
        self.store = db if isinstance(db, Store) else open_store(db or default_db())
        self._filing_mark: bytes | None = None  # the store's FILING_MARK as this engine last saw or wrote it

    def close(self) -> None:
        if "understander" in self.__dict__:  # built on first ingest only
            self.understander.close()
        self.store.close()

    def __enter__(self) -> "Storyline":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- stages, built lazily once -------------------------------------------------------------
    @cached_property
    def understander(self) -> Understander:
        return Understander(self.config.understand)

    @cached_property
    def tracker(self) -> Tracker:
        core = self.store.get_state(TRACKER_STATE)
        if core is not None:
            return restore_tracker(core, self.store.state_records(TRACKER_STATE))
        whole = self.store.get_state(WHOLE_TRACKER_STATE)
        return Tracker.from_bytes(whole) if whole else Tracker(self.config.track)

    @cached_property
    def near_duplicates(self) -> NearDuplicateIndex:
        d = self.config.dedup
        index = NearDuplicateIndex(threshold=d.near_threshold, num_perm=d.num_perm, shingle_words=d.shingle_words,
                                   window_days=d.window_days, max_size=d.max_indexed, max_chars=d.max_chars)
        clock = self.store.get_state(DEDUP_CLOCK)
        since = dt.date.fromisoformat(clock.decode()) - dt.timedelta(days=d.window_days) if clock else None
        for article_id, blob, published, title in self.store.recent_minhashes(since=since, limit=d.max_indexed):
            if published is None and since is not None and index.newest is None:
                continue  # undated and ingested before the window's first original: retired by now
            index.add(article_id, index.from_bytes(blob), published, title)
        return index

    # --- ingest ----------------------------------------------------------------------------------
    def ingest(self, sources: Iterable[str] | Iterable[Article], *, strict: bool = False,
               batch_size: int = 1000, read_ahead: int = READ_AHEAD, progress: bool = False,
               stdin=None, on_wait: Callable[[str], None] | None = None) -> IngestReport:
        """Read paths (files, folders, ``-``) or take ``Article`` objects (checked and completed as a file's records
        are; not both in one call), and file them into stories.

        Files are read whole and put in date order (in memory up to ``read_ahead`` articles, on disk beyond);
        stdin (a live stream that should not wait) and ``Article`` objects come in their own order. Each batch is
        tracked in date order. Bad input is reported in the returned report and the rest is stored; with ``strict``
        any error raises :class:`StrictModeError` before anything is stored. One process files into a store at a
        time: another one's ingest is waited for (``on_wait`` is told), and what it filed is loaded before going on.
        """
        with self.store.filing_lock(on_wait):
            stored_mark = self.store.get_state(FILING_MARK)
            if stored_mark != self._filing_mark:  # another engine filed since this one last did
                self._forget_loaded_state()
                self._filing_mark = stored_mark
            return self._ingest(list(sources), strict, batch_size, read_ahead, progress, stdin)

    def _ingest(self, sources: list, strict: bool, batch_size: int, read_ahead: int, progress: bool,
                stdin) -> IngestReport:
        if "-" in sources or not all(isinstance(s, str | os.PathLike) for s in sources):
            read_ahead = 0
        report = IngestReport()
        items = self._read(sources, stdin)
        if strict and not read_ahead:  # files are read whole before their first batch anyway
            items = list(items)
            self._without_changed_texts([i for i in items if not isinstance(i, InputError)], report)
            errors = [i for i in items if isinstance(i, InputError)] + report.errors
            if errors:
                raise StrictModeError(errors)
        bar = _progress_bar(progress)
        pending: tuple[SortedBatch, ReadingJob] | None = None  # read by the workers while the batch before is filed

        def sorting(read: int) -> None:  # a large archive is read whole before its first article is filed
            bar.set_postfix_str(f"{read:,} read, sorting by date")

        try:
            for batch in _batches(items, batch_size, report, read_ahead, on_spill=sorting,
                                  check=lambda articles: self._without_changed_texts(articles, report)):
                if strict and report.errors:  # every file was read before this first batch came out
                    raise StrictModeError(report.errors)
                if getattr(bar, "postfix", None):  # a disabled bar has none
                    bar.set_postfix_str("")
                if pending is None:  # nothing in flight to overlap with: the workers read while copies are sorted out
                    job = self.understander.start(sorted(self._unstored(batch), key=processing_order))
                    sorted_batch = self._sort_out_copies(batch, None, report)
                else:  # copies are sorted out first and never read: they file as their original
                    sorted_batch = self._sort_out_copies(batch, pending[0], report)
                    job = self.understander.start(sorted(sorted_batch.originals, key=processing_order))
                    self._file_batch(*pending, report)
                    bar.update(pending[0].read)
                pending = (sorted_batch, job)
            if strict and report.errors:  # nothing but errors
                raise StrictModeError(report.errors)
            if pending is not None:
                self._file_batch(*pending, report)
                bar.update(pending[0].read)
        except BaseException:
            self._forget_loaded_state()
            raise
        finally:
            bar.close()
        return report

    def _forget_loaded_state(self) -> None:
        """Drop the tracker and near-duplicate index held in memory, to be loaded from the store when next used:
        after a failed ingest they may hold part of a batch that was not stored, after another engine filed they
        miss what it filed."""
        for stage in ("tracker", "near_duplicates"):
            self.__dict__.pop(stage, None)

    def _read(self, sources: list, stdin) -> Iterator[Article | InputError]:
        given = sum(isinstance(s, Article) for s in sources)
        if given == len(sources):
            return articles_given(sources)
        if given:
            raise TypeError("ingest takes paths or Article objects, not both in one call")
        return read_inputs([str(s) for s in sources], stdin=stdin, workers=self.config.understand.workers)

    def _without_changed_texts(self, articles: list[Article], report: IngestReport) -> list[Article]:
        """``articles`` but those whose id is stored with another text: an input error (the stored article is
        kept), found as they are read, so that ``strict`` stores nothing. The same article again is no error."""
        stored = self.store.stored_texts(a.id for a in articles)
        if not stored:
            return articles
        kept = []
        for a in articles:
            if a.id in stored:
                a.content_hash = a.content_hash or content_hash(a.text, a.title)
                stored_hash, stored_origin = stored[a.id]
                if stored_hash is not None and stored_hash != a.content_hash:
                    report.errors.append(InputError(
                        a.origin or f"article {a.id!r}", f"id {a.id!r} is already stored with another text (read "
                        f"from {stored_origin or 'the Python API'}): the stored article is kept; a changed article "
                        "needs an id of its own"))
                    continue
            kept.append(a)
        return kept

    def _unstored(self, batch: list[Article]) -> list[Article]:
        known = self.store.existing_ids(a.id for a in batch)
        return [a for a in batch if a.id not in known]

    def _sort_out_copies(self, batch: list[Article], unstored: SortedBatch | None, report: IngestReport) -> SortedBatch:
        """Split a batch's new articles into originals and copies (exact or near) of earlier articles, before any
        reading: in a stream of reprinted wire stories, only the originals cost models their time.

        ``unstored`` is the batch before, sorted but not stored yet: its articles count as earlier ones too.
        """
        before = unstored or SortedBatch()
        in_flight = before.ids()
        fresh = [a for a in self._unstored(batch) if a.id not in in_flight]
        report.already_stored += len(batch) - len(fresh)
        for a in fresh:
            a.content_hash = a.content_hash or content_hash(a.text, a.title)
        stored_hashes = self.store.ids_by_content_hash({a.content_hash for a in fresh})
        copy_of = exact_duplicates(fresh, {**before.hashes(), **stored_hashes})
        originals, copies = [], []
        for a in fresh:
            a.duplicate_of = copy_of.get(a.id)
            (originals if a.duplicate_of is None else copies).append(a)
        minhashes = self._mark_near_duplicates(originals, copies)
        originals = [a for a in originals if a.duplicate_of is None]
        self._point_copies_at_originals(copies, set(stored_hashes.values()), before)
        _date_undated_originals(originals, copies)
        return SortedBatch(originals, copies, minhashes, self.near_duplicates.newest, read=len(batch))

    def _file_batch(self, batch: SortedBatch, job: ReadingJob, report: IngestReport) -> None:
        """Understand (collecting what the workers read), track and store one sorted batch, in one transaction."""
        if not batch.size:
            return
        originals, copies = batch.originals, batch.copies
        if all(a.published is not None for a in originals):  # in date order already: tracked as they are read
            changes = self.tracker.track(self.understander.understood(sorted(originals, key=processing_order), job))
        else:  # an undated article takes its date from its text, so the order is known once all are read
            self.understander.understand(originals, job)
            changes = self.tracker.track(sorted(originals, key=processing_order))
        self._file_copies(copies, changes)
        with self.store.transaction():  # originals in the order they were checked, which the index is rebuilt in
            self.store.add_articles(originals + copies, batch.minhashes)
            self._save_changes(changes, {a.id for a in originals})
            state = take_state_changes(self.tracker)
            self.store.put_state(TRACKER_STATE, state.core)
            self.store.put_state_records(TRACKER_STATE, state.records)
            self.store.put_state(WHOLE_TRACKER_STATE, None)  # a store saved by an earlier version: in records now
            if batch.dedup_clock is not None:
                self.store.put_state(DEDUP_CLOCK, batch.dedup_clock.isoformat().encode())
            mark = os.urandom(8)
            self.store.put_state(FILING_MARK, mark)
        self._filing_mark = mark
        report.stored += batch.size
        report.duplicates += len(copies)

    def _mark_near_duplicates(self, originals: list[Article], copies: list[Article]) -> dict[str, bytes]:
        """Mark near-copies of earlier articles; return the signatures of the new originals."""
        index = self.near_duplicates
        minhashes = {}
        for a in originals:
            sig = index.signature(a.text)
            first = index.find(sig, a.published, a.title)
            if first is not None:
                a.duplicate_of = first
                copies.append(a)
            else:
                index.add(a.id, sig, a.published, a.title)
                minhashes[a.id] = index.to_bytes(sig)
        return minhashes

    def _point_copies_at_originals(self, copies: list[Article], stored_ids: set[str], unstored: SortedBatch) -> None:
        """Make ``duplicate_of`` name an original, never another copy (an exact copy of a near-copy, say)."""
        copy_of = {c.id: c.duplicate_of for c in unstored.copies} | {c.id: c.duplicate_of for c in copies}
        stored_targets = stored_ids & set(copy_of.values())
        if stored_targets:
            copy_of.update({a.id: a.duplicate_of for a in self.store.get_articles(stored_targets) if a.duplicate_of})
        for c in copies:
            while c.duplicate_of in copy_of:
                c.duplicate_of = copy_of[c.duplicate_of]

    def _file_copies(self, copies: list[Article], changes: TrackChanges) -> None:
        """A duplicate goes where its original went (original in this batch or already stored)."""
        missing = [c.duplicate_of for c in copies if c.duplicate_of not in changes.assignments]
        stored = {a.id: (a.event_id, a.storyline_id) for a in self.store.get_articles(missing)} if missing else {}
        for c in copies:
            c.event_id, c.storyline_id = changes.assignments.get(c.duplicate_of) or stored.get(c.duplicate_of, (None, None))

    def _save_changes(self, changes: TrackChanges, new_ids: set[str]) -> None:
        for absorbed, survivor in changes.storyline_merges.items():  # events that retired before the merge
            self.store.move_storyline(absorbed, survivor)
        moved = {k: v for k, v in changes.assignments.items() if k not in new_ids}
        filed_before = self.store.reassign_articles(moved) if moved else {}
        # events first: one a split made anew under an id an earlier batch merged away is live again before this
        # batch redirects to it (else the stored redirect from it and the new one to it close a loop)
        self.store.save_events(
            Event(id=c.id, storyline_id=c.storyline_id, title=c.title,
                  first_date=c.first_date, last_date=c.last_date, article_count=len(c.article_ids))
            for c in changes.events.values()
        )
        if changes.redirects:
            self.store.add_redirects(changes.redirects)
            self.store.delete_events(changes.redirects)
            self.store.delete_storylines(changes.redirects)
        # counts and dates from the stored events, which follow every merge and split; the tracker's running sums
        # do not shrink when an event leaves for another storyline's event
        totals = self.store.storyline_totals(changes.storylines)
        records = []
        for storyline_id, s in changes.storylines.items():
            title = s["title"]
            s = {**s, **totals.get(storyline_id, {})}
            if not title:  # revived after retiring: the tracker knows only what came since, the store all of it
                existing = self.store.get_storyline(storyline_id)
                events = self.store.events_of_storyline(storyline_id)
                # one retired and revived in the batch that founded it is not stored yet: its first event names it
                title = (existing.title if existing else "") or next((e.title for e in events if e.title), "")
                if events:
                    s["top_entities"] = [c.name for c in self._entity_counts(events, TOP_ENTITIES)]
            records.append(StorylineRecord(
                id=storyline_id, title=title, first_date=s["first_date"], last_date=s["last_date"],
                event_count=s["events"], article_count=s["articles"],
                top_entities=s["top_entities"],
            ))
        self.store.save_storylines(records)
        self._settle_retired_storylines(changes, filed_before)

    def _settle_retired_storylines(self, changes: TrackChanges, filed_before: dict[str, str | None]) -> None:
        """Storylines that retired before their events merged into other storylines' events (the tracker no longer
        knows them): one left with no event is merged into the storyline most of its articles went to, and one
        that kept some is counted again from them."""
        went: dict[str, Counter] = {}
        for article_id, storyline_id in filed_before.items():
            if storyline_id and storyline_id not in changes.storylines and storyline_id not in changes.redirects:
                went.setdefault(storyline_id, Counter())[changes.assignments[article_id][1]] += 1
        went = {left: targets for left, targets in went.items() if set(targets) != {left}}
        if not went:
            return
        totals = self.store.storyline_totals(went)
        for left in sorted(set(went) - set(totals)):
            self.store.add_redirects({left: self.store.resolve(went[left].most_common(1)[0][0])})
        self.store.delete_storylines(set(went) - set(totals))
        records = []
        for storyline_id, counts in totals.items():
            existing = self.store.get_storyline(storyline_id)
            if existing is None:
                continue
            events = self.store.events_of_storyline(storyline_id)
            records.append(replace(existing, event_count=counts["events"], article_count=counts["articles"],
                                   first_date=counts["first_date"], last_date=counts["last_date"],
                                   top_entities=[c.name for c in self._entity_counts(events, TOP_ENTITIES)]))
        self.store.save_storylines(records)

    # --- reading ----------------------------------------------------------------------------------
    def stats(self) -> dict[str, int]:
        return self.store.stats()

    def storylines(self, **filters) -> list[StorylineRecord]:
        """Storylines, newest activity first; keyword filters as in :class:`StorylineFilter`."""
        return self.store.list_storylines(StorylineFilter(**filters))

    def storyline(self, id: str) -> StorylineRecord | None:
        return self.store.get_storyline(id)

    def events(self, storyline_id: str) -> list[Event]:
        return self.store.events_of_storyline(self.store.resolve(storyline_id))

    def event(self, id: str) -> Event | None:
        return self.store.get_event(id)

    def articles(self, ids: Iterable[str]) -> list[Article]:
        return self.store.get_articles(ids)

    def storyline_view(self, id: str, max_dates: int | None = None) -> StorylineSummary | None:
        """Title, summary, timeline, entities and each event's view (with what's new) of a storyline."""
        record = self.store.get_storyline(self.store.resolve(id))
        if record is None:
            return None
        events = self.store.events_of_storyline(record.id)
        articles = {a.id: a for a in self.store.get_articles(i for e in events for i in e.article_ids)}
        return summarize_storyline([[articles[i] for i in e.article_ids if i in articles] for e in events],
                                   max_dates=max_dates)

    def event_view(self, id: str) -> tuple[Event, EventSummary, list[Article], dict[str, list[SentenceRef]]] | None:
        """An event, its summary, its articles in date order, and what each original article added."""
        event = self.store.get_event(self.store.resolve(id))
        if event is None:
            return None
        articles = self.store.get_articles(event.article_ids)
        originals = [a for a in articles if not a.duplicate_of] or articles
        return event, summarize_event(articles), articles, article_novelty(originals)

    def entity_counts(self, storyline_id: str, limit: int = 15) -> list[EntityCount]:
        """The people, organisations and places of a storyline, most mentioned first (no month or weekday names)."""
        return self._entity_counts(self.store.events_of_storyline(self.store.resolve(storyline_id)), limit)

    def _entity_counts(self, events: list[Event], limit: int) -> list[EntityCount]:
        return self.store.entity_counts([i for e in events for i in e.article_ids], limit, exclude=CALENDAR_WORDS)

    def entity_months(self, storyline_id: str, limit: int = 8) -> dict[str, dict[str, int]]:
        """For the storyline's most mentioned entities, how many of its articles name each one per month."""
        events = self.store.events_of_storyline(self.store.resolve(storyline_id))
        articles = [a for a in self.store.get_articles(i for e in events for i in e.article_ids) if not a.duplicate_of]
        top = {entity_key(c.name): c.name
               for c in self.store.entity_counts([a.id for a in articles], limit, exclude=CALENDAR_WORDS)}
        months: dict[str, dict[str, int]] = {name: {} for name in top.values()}
        for article in articles:
            month = article.date.strftime("%Y-%m") if article.date else "undated"
            for key in {e.key for e in article.entities} & top.keys():
                counts = months[top[key]]
                counts[month] = counts.get(month, 0) + 1
        return {name: dict(sorted(counts.items())) for name, counts in months.items()}

    def entity_storylines(self, name: str, limit: int = 50) -> list[tuple[StorylineRecord, EntityCount]]:
        """The storylines whose articles name ``name`` (any alias form), with how often each does."""
        key = entity_key(name)
        found = []
        for record in self.store.list_storylines(StorylineFilter(entity=name, limit=limit)):
            ids = [i for e in self.store.events_of_storyline(record.id) for i in e.article_ids]
            counts = [c for c in self.store.entity_counts(ids, limit=10_000) if entity_key(c.name) == key]
            if counts:
                found.append((record, counts[0]))
        return found

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        return self.store.search(query, limit)

    def export(self) -> Iterator[dict]:
        """Every article as a JSON-ready record with where it was filed."""
        for a in self.store.iter_articles():
            yield {
                "id": a.id, "title": a.title, "published": a.published.isoformat() if a.published else None,
                "url": a.url, "source": a.source, "lang": a.lang,
                "event": a.event_id, "storyline": a.storyline_id, "duplicate_of": a.duplicate_of,
            }


def _date_undated_originals(originals: list[Article], copies: list[Article]) -> None:
    """An undated original takes the earliest publication date of its copies in the same batch (a text file of a
    story that a feed also carries, with its date), so that it is tracked by the date the story has."""
    undated = {a.id: a for a in originals if a.published is None}
    for copy in sorted(copies, key=lambda c: c.published or dt.date.max):
        original = undated.pop(copy.duplicate_of, None) if copy.published is not None else None
        if original is not None:
            original.published = copy.published


def _batches(items: Iterable[Article | InputError], size: int, report: IngestReport, read_ahead: int = 0,
             on_spill: Callable[[int], None] | None = None,
             check: Callable[[list[Article]], list[Article]] = list) -> Iterator[list[Article]]:
    """Articles in lists of ``size``; input errors and warnings go into the report. With ``read_ahead``, all of them
    are put in processing order first: in memory if they are no more than ``read_ahead``, else on disk (``on_spill``
    is told how many are there so far). With 0, they come in input order, each list as soon as it is read (a live
    stream). ``check`` passes on the articles of each group read that may be filed (it reports the others)."""
    ahead: list[Article] = []
    with ExitStack() as cleanup:
        spilled: SpilledArticles | None = None
        for item in items:
            if isinstance(item, InputError):
                report.errors.append(item)
                continue
            report.read += 1
            if item.published is None and (raw := item.metadata.get(UNREADABLE_DATE)):
                report.warnings.append(InputError(item.origin or item.id, f"unreadable or future date in field "
                                                  f"'published' ({str(raw)[:80]!r}): stored without it, kept as "
                                                  f"metadata '{UNREADABLE_DATE}'"))
            ahead.append(item)
            if not read_ahead and len(ahead) >= size:
                yield check(ahead)
                ahead = []
            elif read_ahead and len(ahead) >= read_ahead:  # more than is held in memory: sorted on disk
                spilled = spilled or cleanup.enter_context(SpilledArticles())
                spilled.add(check(ahead))
                ahead = []
                if on_spill is not None:
                    on_spill(len(spilled))
        ahead = check(ahead)
        if spilled is not None:
            spilled.add(ahead)
            yield from _chunks(spilled.in_processing_order(), size)
        else:
            if read_ahead:
                ahead.sort(key=processing_order)  # stable: input order among equals
            yield from _chunks(ahead, size)


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _progress_bar(enabled: bool):
    from tqdm import tqdm

    return tqdm(unit=" articles", disable=not enabled, file=sys.stderr, dynamic_ncols=True)
