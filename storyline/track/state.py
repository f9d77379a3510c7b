"""The tracker's state as it is saved with each batch: a core, and one record per active article, event and
storyline. A batch writes the records it changed, not all that is active (some 4 KB an article, 50,000 of them
at the cap), so that saving costs what the batch did, however busy the stream.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Iterable
from dataclasses import dataclass

from storyline.track.index import ActiveIndex
from storyline.track.tracker import Tracker

ARTICLE, EVENT, STORYLINE = "a:", "e:", "s:"  # the prefixes of record ids


@dataclass
class StateChanges:
    """What to save after a batch: the whole core, and the records to write (bytes) or delete (``None``)."""

    core: bytes
    records: dict[str, bytes | None]


def take_state_changes(tracker: Tracker) -> StateChanges:
    """The tracker's core and the records of what changed since last taken (all of it the first time)."""
    events, storylines = tracker.events, tracker.storylines
    records: dict[str, bytes | None] = {}
    for id in events.articles.take_changed():
        records[ARTICLE + id] = _dumps(events.articles.entry(id)) if id in events.articles else None
    for id in events.take_changed():
        state = events.events.get(id)
        records[EVENT + id] = None if state is None else _dumps(state)
    for id in storylines.take_changed():
        state, entry = storylines.storylines.get(id), storylines.active.entry(id) if id in storylines.active else None
        records[STORYLINE + id] = None if state is None and entry is None else _dumps((state, entry))
    return StateChanges(_core_bytes(tracker), records)


def restore_tracker(core: bytes, records: Iterable[tuple[str, bytes]]) -> Tracker:
    """The tracker saved as ``core`` and its records (see :func:`take_state_changes`)."""
    try:
        tracker = _CoreUnpickler(io.BytesIO(core)).load()
        articles, events, storylines, storyline_entries = [], [], [], []
        for record_id, blob in records:
            kind, id, record = record_id[:2], record_id[2:], pickle.loads(blob)
            if kind == ARTICLE:
                articles.append((id, record))
            elif kind == EVENT:
                events.append(record)
            else:
                state, entry = record
                storylines += [state] if state is not None else []
                storyline_entries += [(id, entry)] if entry is not None else []
    except (AttributeError, KeyError, TypeError, ValueError, pickle.UnpicklingError) as exc:  # classes changed since
        raise ValueError("the database's tracker state was saved by another version of Storyline; "
                         "ingest into a new database") from exc
    if not isinstance(tracker, Tracker):
        raise ValueError("saved tracker state is not a Tracker")
    tracker.events.articles.restore(articles)
    tracker.events.restore(events)
    order = {id: entry.order for id, entry in storyline_entries}
    tracker.storylines.restore(sorted(storylines, key=lambda s: order.get(s.id, 0)), storyline_entries)
    return tracker


def _dumps(record) -> bytes:
    return pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)


def _per_record_parts(tracker: Tracker) -> dict[int, str]:
    """The tracker's attributes that the records rebuild, by object identity: the core leaves them out."""
    parts = {"events": tracker.events.events, "event_of": tracker.events.event_of,
             "storylines": tracker.storylines.storylines}
    for name, index in (("articles", tracker.events.articles), ("storyline_index", tracker.storylines.active)):
        parts |= {f"{name}.{attribute}": getattr(index, attribute) for attribute in ActiveIndex.PER_ITEM}
    return {id(part): name for name, part in parts.items() if part is not None}


class _CorePickler(pickle.Pickler):
    """Pickles the tracker without its per-record parts: each is written as a reference by name."""

    def __init__(self, file, skipped: dict[int, str]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.skipped = skipped

    def persistent_id(self, obj) -> str | None:
        return self.skipped.get(id(obj))


class _CoreUnpickler(pickle.Unpickler):
    """Loads a core; the per-record parts stay ``None`` until the records restore them."""

    def persistent_load(self, name: str) -> None:
        return None


def _core_bytes(tracker: Tracker) -> bytes:
    buffer = io.BytesIO()
    _CorePickler(buffer, _per_record_parts(tracker)).dump(tracker)
    return buffer.getvalue()
