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
from typing import Any

import numpy as np


class ActiveIndex:
    """Recent items by id, with postings of their keys and a matrix of their unit embeddings."""

    def __init__(self, window_days: int, max_active: int, dense_k: int = 10, max_postings: int = 300,
                 max_shared: int | None = None) -> None:
        self.window_days = window_days
        self.max_active = max_active
        self.dense_k = dense_k
        self.max_postings = max_postings
        self.max_shared = max_shared  # at most this many key-sharing candidates, those sharing the rarest keys
        self.items: OrderedDict[str, Any] = OrderedDict()  # least recently updated first
        self._keys: dict[str, tuple] = {}
        self._last_date: dict[str, dt.date | None] = {}
        self._postings: dict[object, set[str]] = {}
        self._slots: dict[str, int] = {}
        self._slot_ids: list[str | None] = []
        self._free: list[int] = []
        self._matrix: np.ndarray | None = None
        self.newest: dt.date | None = None  # the stream's clock, set by retire_before; until then undated items stay

    def __getstate__(self) -> dict:
        """Saved with the embedding rows in use, not the room the matrix grew for more (up to half of it)."""
        state = self.__dict__.copy()
        if self._matrix is not None:
            state["_matrix"] = self._matrix[: max(len(self._slot_ids), 1)].copy()
        return state

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
        self._last_date[id] = last_date or self.newest
        self._keys[id] = keys
        if embedding is not None:
            self._set_embedding(id, embedding)
        evicted = []
        while len(self.items) > self.max_active:
            evicted.append(next(iter(self.items)))
            self.remove(evicted[-1])
        return evicted

    def _set_embedding(self, id: str, embedding: np.ndarray) -> None:
        if self._matrix is None:
            self._matrix = np.zeros((256, embedding.shape[0]), dtype=np.float32)
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
        slot = self._slots.pop(id, None)
        if slot is not None:
            self._slot_ids[slot] = None
            self._matrix[slot] = 0.0
            self._free.append(slot)
        return item

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
            sims = self._matrix[: len(self._slot_ids)] @ embedding
            k = min(self.dense_k, len(sims))
            for slot in np.argpartition(-sims, k - 1)[:k].tolist():  # Python ints index the list faster
                owner = self._slot_ids[slot]
                if owner is not None:
                    found.add(owner)
        elif not self._slots and len(self.items) <= self.dense_k:
            found.update(self.items)
        return sorted(found)
