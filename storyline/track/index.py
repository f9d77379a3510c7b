"""Candidate retrieval over the *active* (recent) profiles, so per-article cost does not grow with the archive.

Candidates are the profiles sharing a selective entity with the query plus the nearest ones by
embedding; profiles whose last date falls behind the stream by more than the window retire.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

import numpy as np

from storyline.track.features import ArticleFeatures, Profile


class ActiveIndex:
    """The recent event (or storyline) profiles, with entity postings and an embedding matrix."""

    def __init__(self, window_days: int, max_active: int, dense_k: int = 10, max_postings: int = 300) -> None:
        self.window_days = window_days
        self.max_active = max_active
        self.dense_k = dense_k
        self.max_postings = max_postings
        self.profiles: OrderedDict[str, Profile] = OrderedDict()  # least recently updated first
        self._postings: dict[str, set[str]] = {}
        self._slots: dict[str, int] = {}
        self._slot_ids: list[str | None] = []
        self._matrix: np.ndarray | None = None

    def __contains__(self, id: str) -> bool:
        return id in self.profiles

    def __len__(self) -> int:
        return len(self.profiles)

    def put(self, id: str, profile: Profile) -> None:
        """Add or refresh a profile after it changed."""
        self.profiles[id] = profile
        self.profiles.move_to_end(id)
        for key in profile.entities:
            self._postings.setdefault(key, set()).add(id)
        emb = profile.unit_embedding()
        if emb is not None:
            if self._matrix is None:
                self._matrix = np.zeros((64, emb.shape[0]), dtype=np.float32)
            slot = self._slots.get(id)
            if slot is None:
                slot = self._free_slot()
                self._slots[id] = slot
                self._slot_ids[slot] = id
            self._matrix[slot] = emb
        while len(self.profiles) > self.max_active:
            self.remove(next(iter(self.profiles)))

    def _free_slot(self) -> int:
        for slot, owner in enumerate(self._slot_ids):
            if owner is None:
                return slot
        slot = len(self._slot_ids)
        self._slot_ids.append(None)
        if slot >= self._matrix.shape[0]:
            grown = np.zeros((self._matrix.shape[0] * 2, self._matrix.shape[1]), dtype=np.float32)
            grown[: self._matrix.shape[0]] = self._matrix
            self._matrix = grown
        return slot

    def remove(self, id: str) -> Profile | None:
        """Drop a profile (retired or merged away)."""
        profile = self.profiles.pop(id, None)
        if profile is None:
            return None
        for key in profile.entities:
            ids = self._postings.get(key)
            if ids is not None:
                ids.discard(id)
                if not ids:
                    del self._postings[key]
        slot = self._slots.pop(id, None)
        if slot is not None:
            self._slot_ids[slot] = None
            self._matrix[slot] = 0.0
        return profile

    def retire_before(self, newest: dt.date) -> list[str]:
        """Remove dated profiles whose last date is more than the window before ``newest``; return their ids."""
        cutoff = newest - dt.timedelta(days=self.window_days)
        old = [i for i, p in self.profiles.items() if p.last_date is not None and p.last_date < cutoff]
        for i in old:
            self.remove(i)
        return old

    def candidates(self, item: ArticleFeatures | Profile) -> list[str]:
        """Ids of active profiles worth scoring against ``item``."""
        found: set[str] = set()
        for key in item.entities:
            ids = self._postings.get(key)
            if ids and len(ids) <= self.max_postings:
                found.update(ids)
        emb = item.unit_embedding() if isinstance(item, Profile) else item.embedding
        if emb is not None and self._matrix is not None and self._slots:
            sims = self._matrix[: len(self._slot_ids)] @ emb
            k = min(self.dense_k, len(sims))
            for slot in np.argpartition(-sims, k - 1)[:k]:
                owner = self._slot_ids[slot]
                if owner is not None:
                    found.add(owner)
        elif len(self.profiles) <= self.dense_k:
            found.update(self.profiles)
        return sorted(found)
