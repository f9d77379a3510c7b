"""Candidate retrieval over *active* (recent) items, so per-article cost does not grow with the archive.

Items are recent articles (for event assignment) or storyline profiles (for linking). Candidates
are the items sharing a selective key with the query (an entity, a rare word) plus the nearest
ones by embedding; items whose last date falls behind the stream by more than the window retire.
An undated item is dated by the stream's clock when it is put, so undated news retires too.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class IndexEntry:
    """One item of an index as saved: what ``put`` was given, its embedding's row, and when it was put last."""

    item: Any
    keys: tuple
    last_date: dt.date | None
    slot: int | None
    embedding: np.ndarray | None
    order: int


class ActiveIndex:
    """Recent items by id, with postings of their keys and a matrix of their unit embeddings.

    It is saved as one ``entry`` per item, written when the item changes (``take_changed``), plus the few
    attributes outside ``PER_ITEM``; ``restore`` rebuilds the rest from the entries.
    """

    PER_ITEM = ("items", "_keys", "_last_date", "_order", "_postings", "_slots", "_slot_ids", "_matrix")

    def __init__(self, window_days: int, max_active: int, dense_k: int = 10, max_postings: int = 300,
                 max_shared: int | None = None, dense_dims: int | None = None) -> None:
        self.window_days = window_days
        self.max_active = max_active
        self.dense_k = dense_k
        self.dense_dims = dense_dims  # the nearest are found by the embeddings' leading dimensions (None: all)
        self.max_postings = max_postings
        self.max_shared = max_shared  # at most this many key-sharing candidates, those sharing the rarest keys
        self.items: OrderedDict[str, Any] = OrderedDict()  # least recently updated first
        self._keys: dict[str, tuple] = {}
        self._last_date: dict[str, dt.date | None] = {}
        self._order: dict[str, int] = {}  # the count of puts when each item was put last: the order of ``items``
        self._puts = 0
        self._postings: dict[object, set[str]] = {}
        self._slots: dict[str, int] = {}
        self._slot_ids: list[str | None] = []
        self._free: list[int] = []
        self._matrix: np.ndarray | None = None
        self.newest: dt.date | None = None  # the stream's clock, set by retire_before; until then undated items stay
        self.changed: set[str] = set()  # ids put or removed since ``take_changed``

    def __setstate__(self, state: dict) -> None:
        """An index saved before the search was cut to ``dense_dims`` searches all dimensions, as it did; one pickled
        whole by an earlier version counts its items as changed, to be saved as entries."""
        self.__dict__.update({"dense_dims": None, **state})
        if "_order" not in state:
            self._order = {id: n for n, id in enumerate(self.items, 1)}
            self._puts, self.changed = len(self.items), set(self.items)

    def __contains__(self, id: str) -> bool:
        return id in self.items

    def __len__(self) -> int:
        return len(self.items)

    def put(self, id: str, item: Any, keys: Iterable, embedding: np.ndarray | None, last_date: dt.date | None) -> list[str]:
        """Add or refresh an item, retrievable by any of ``keys`` and by its embedding; return the ids of the least
        recently updated items removed to keep at most ``max_active`` (the owner retires them, as if too old)."""
        keys = tuple(keys)
        old = set(self._keys.get(id, ()))
        for key in old.difference(keys):  # a refreshed item (a growing storyline) only updates what changed
            self._drop_posting(key, id)
        for key in keys:
            if key not in old:
                self._postings.setdefault(key, set()).add(id)
        self.items[id] = item
        self.items.move_to_end(id)
        self._puts += 1
        self._order[id] = self._puts
        self.changed.add(id)
        self._last_date[id] = last_date or self.newest
        self._keys[id] = keys
        if embedding is not None:
            self._set_embedding(id, embedding)
        evicted = []
        while len(self.items) > self.max_active:
            evicted.append(next(iter(self.items)))
            self.remove(evicted[-1])
        return evicted

    def _searched(self, embedding: np.ndarray) -> np.ndarray:
        """What the nearest-neighbour search compares of an embedding: its leading ``dense_dims``, unit length."""
        if self.dense_dims is None or len(embedding) <= self.dense_dims:
            return embedding
        lead = embedding[: self.dense_dims]
        length = float(np.linalg.norm(lead))
        return lead / length if length else lead

    def _set_embedding(self, id: str, embedding: np.ndarray) -> None:
        embedding = self._searched(embedding)
        if self._matrix is None:  # the first embedding, or the first since a restore with none in use
            self._matrix = np.zeros((max(256, len(self._slot_ids)), embedding.shape[0]), dtype=np.float32)
        slot = self._slots.get(id)
        if slot is None:
            if self._free:
                slot = self._free.pop()
            else:
                slot = len(self._slot_ids)
                self._slot_ids.append(None)
                if slot >= self._matrix.shape[0]:
                    self._matrix = np.vstack([self._matrix, np.zeros_like(self._matrix)])
            self._slots[id] = slot
            self._slot_ids[slot] = id
        self._matrix[slot] = embedding

    def _drop_postings(self, id: str) -> None:
        for key in self._keys.pop(id, ()):
            self._drop_posting(key, id)

    def _drop_posting(self, key, id: str) -> None:
        ids = self._postings.get(key)
        if ids is not None:
            ids.discard(id)
            if not ids:
                del self._postings[key]

    def remove(self, id: str) -> Any:
        """Drop an item (retired or merged away) and return it."""
        item = self.items.pop(id, None)
        if item is None:
            return None
        self._drop_postings(id)
        self._last_date.pop(id, None)
        self._order.pop(id, None)
        self.changed.add(id)
        slot = self._slots.pop(id, None)
        if slot is not None:
            self._slot_ids[slot] = None
            self._matrix[slot] = 0.0
            self._free.append(slot)
        return item

    def take_changed(self) -> set[str]:
        """The ids put or removed since last asked: the entries to save again or to delete."""
        changed, self.changed = self.changed, set()
        return changed

    def entry(self, id: str) -> IndexEntry:
        """An active item as saved (see ``restore``)."""
        slot = self._slots.get(id)
        return IndexEntry(self.items[id], self._keys[id], self._last_date[id], slot,
                          None if slot is None else self._matrix[slot].copy(), self._order[id])

    def restore(self, entries: Iterable[tuple[str, IndexEntry]]) -> None:
        """Rebuild the ``PER_ITEM`` attributes from the saved ``(id, entry)`` pairs; the free slots were kept."""
        entries = sorted(entries, key=lambda pair: pair[1].order)
        self.items, self._order = OrderedDict(), {}
        self._keys, self._last_date, self._postings = {}, {}, {}
        for id, entry in entries:
            self.items[id], self._order[id] = entry.item, entry.order
            self._keys[id], self._last_date[id] = entry.keys, entry.last_date
            for key in entry.keys:
                self._postings.setdefault(key, set()).add(id)
        used = {entry.slot: (id, entry.embedding) for id, entry in entries if entry.slot is not None}
        self._slot_ids = [None] * (len(used) + len(self._free))  # every slot below the last is in use or free
        self._slots, self._matrix = {}, None
        for slot, (id, embedding) in sorted(used.items()):
            self._slots[id], self._slot_ids[slot] = slot, id
            self._set_embedding(id, embedding)

    def retire_before(self, newest: dt.date) -> list[str]:
        """Remove dated items whose last date is more than the window before ``newest``; return their ids."""
        self.newest = newest
        cutoff = newest - dt.timedelta(days=self.window_days)
        old = [i for i, d in self._last_date.items() if d is not None and d < cutoff]
        for i in old:
            self.remove(i)
        return old

    def candidates(self, keys: Iterable, embedding: np.ndarray | None) -> list[str]:
        """Ids of active items worth scoring: sharing a selective key, or nearest by embedding."""
        found: set[str] = set()
        postings = [ids for ids in map(self._postings.get, keys) if ids and len(ids) <= self.max_postings]
        if self.max_shared is not None and sum(map(len, postings)) > self.max_shared:
            weight: dict[str, float] = {}
            for ids in postings:
                w = 1.0 / len(ids)  # a key few items share says more
                for i in ids:
                    weight[i] = weight.get(i, 0.0) + w
            found.update(heapq.nlargest(self.max_shared, sorted(weight), key=weight.__getitem__))  # sorted: ties alike in every process
        else:
            for ids in postings:
                found.update(ids)
        if embedding is not None and self._slots:
            sims = self._matrix[: len(self._slot_ids)] @ self._searched(embedding)
            k = min(self.dense_k, len(sims))
            for slot in np.argpartition(-sims, k - 1)[:k].tolist():  # Python ints index the list faster
                owner = self._slot_ids[slot]
                if owner is not None:
                    found.add(owner)
        elif not self._slots and len(self.items) <= self.dense_k:
            found.update(self.items)
        return sorted(found)
