"""Storyline linking: a new event joins the active storyline it best continues, or starts its own.

Storyline profiles gather every article of their events, so a thread keeps its actors and places
as it unfolds over weeks; storylines idle for longer than the window retire.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from storyline.track.features import ArticleFeatures, Profile, compare
from storyline.track.index import ActiveIndex, IndexEntry
from storyline.track.scoring import Weights


@dataclass
class StorylineState:
    """A storyline as the tracker keeps it while it is active."""

    id: str
    title: str = ""  # headline of the article that opened it ("" for one revived after retiring)
    lead_line: str = ""  # that article's first line of text (``ArticleFeatures.lead_line``)
    profile: Profile = field(default_factory=Profile)
    event_ids: set[str] = field(default_factory=set)


class StorylineLinker:
    """Links events into storylines by entity, term and embedding similarity over a long window."""

    def __init__(self, weights: Weights, threshold: float, merge_threshold: float, window_days: int,
                 max_active: int, max_candidates: int | None = None, dense_dims: int | None = None) -> None:
        self.weights = weights
        self.threshold = threshold
        self.merge_threshold = merge_threshold
        self.window_days = window_days
        self.active = ActiveIndex(window_days, max_active, max_shared=max_candidates, dense_dims=dense_dims)
        self.storylines: dict[str, StorylineState] = {}
        self.evicted: list[StorylineState] = []  # storylines retired since the last take_evicted, the index being full
        self.changed: set[str] = set()  # ids of storylines whose events changed outside the index, since take_changed

    def __setstate__(self, state: dict) -> None:
        """A state saved before evictions retired storylines, or saved whole (before storylines were saved one by
        one: all count as changed)."""
        self.__dict__.update({"evicted": [], **state})
        if "changed" not in state:
            self.changed = set(self.storylines)

    def link(self, event_id: str, features: ArticleFeatures) -> tuple[str, bool]:
        """Storyline for a new event founded by ``features``; returns (storyline id, created)."""
        best_id, best_score = None, self.threshold
        for storyline_id in self.active.candidates(features.actors, features.embedding):
            s = self.weights.score(compare(features, self.active.items[storyline_id]), self.window_days, best_score)
            if s is not None and s >= best_score:
                best_id, best_score = storyline_id, s
        created = best_id is None
        if created:
            best_id = f"sl_{event_id.removeprefix('ev_')}"
            self.storylines[best_id] = StorylineState(best_id, title=features.headline, lead_line=features.lead_line)
        self.storylines[best_id].event_ids.add(event_id)
        self.add_article(best_id, features)
        return best_id, created

    def add_event(self, storyline_id: str, event_id: str) -> None:
        """Count an event split off one of the storyline's events (its articles are in the profile already)."""
        state = self.storylines.get(storyline_id)
        if state is not None:
            state.event_ids.add(event_id)
            self.changed.add(storyline_id)

    def add_article(self, storyline_id: str, features: ArticleFeatures | Profile) -> None:
        """Fold a later article of one of the storyline's events (or a whole event's profile) into its profile."""
        state = self.storylines.get(storyline_id)
        if state is None:  # retired storyline revived by a late article of its event
            state = self.storylines[storyline_id] = StorylineState(storyline_id)
        state.profile.add(features)
        state.profile.prune(max_keys=3000)
        self._index(state)

    def merge_similar(self, storyline_id: str, keys: int = 20) -> list[tuple[str, str]]:
        """Merge active storylines that grew into one thread with ``storyline_id``; return (absorbed, survivor) pairs.

        The storyline that began first survives.
        """
        merges = []
        state = self.storylines.get(storyline_id)
        while state is not None:
            heaviest = sorted(state.profile.actors, key=state.profile.actors.get, reverse=True)[:keys]
            best, best_score = None, self.merge_threshold
            for other_id in self.active.candidates(heaviest, state.profile.unit_embedding()):
                if other_id == state.id or other_id not in self.storylines:
                    continue
                s = self.weights.score(compare(self.storylines[other_id].profile, state.profile), self.window_days,
                                       best_score)
                if s is not None and s >= best_score:
                    best, best_score = other_id, s
            if best is None:
                break
            survivor, absorbed = sorted((state, self.storylines[best]), key=_began)
            survivor.profile.add(absorbed.profile)
            survivor.profile.prune(max_keys=3000)
            survivor.event_ids |= absorbed.event_ids
            del self.storylines[absorbed.id]
            self.active.remove(absorbed.id)
            self._index(survivor)
            merges.append((absorbed.id, survivor.id))
            state = survivor
        return merges

    def _index(self, state: StorylineState) -> None:
        p = state.profile
        for evicted in self.active.put(state.id, p, p.actors, p.unit_embedding(), p.last_date):
            if evicted in self.storylines:
                self.evicted.append(self.storylines.pop(evicted))

    def take_evicted(self) -> list[StorylineState]:
        """The storylines retired because a full index (``max_active``) pushed them out, since last asked."""
        evicted, self.evicted = self.evicted, []
        return evicted

    def forget_event(self, storyline_id: str, event_id: str) -> bool:
        """An event of the storyline was merged into another storyline's event; True if none is left."""
        state = self.storylines.get(storyline_id)
        if state is None:
            return False
        state.event_ids.discard(event_id)
        self.changed.add(storyline_id)
        if state.event_ids:
            return False
        self.storylines.pop(storyline_id)
        self.active.remove(storyline_id)
        return True

    def take_changed(self) -> set[str]:
        """The ids of storylines changed, opened or gone since last asked: those to save again or to delete."""
        changed, self.changed = self.changed, set()
        return changed | self.active.take_changed()

    def restore(self, storylines: Iterable[StorylineState], index: Iterable[tuple[str, IndexEntry]]) -> None:
        """Take back the saved active storylines and their index entries (whose items are their profiles)."""
        self.storylines = {state.id: state for state in storylines}
        self.active.restore(index)

    def retire_before(self, newest) -> list[StorylineState]:
        """Forget storylines idle for longer than the window; return their final state."""
        return [self.storylines.pop(i) for i in self.active.retire_before(newest) if i in self.storylines]


def _began(state: StorylineState):
    return (state.profile.first_date is None, state.profile.first_date or 0, state.id)
