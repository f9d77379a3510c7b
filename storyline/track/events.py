"""Online event clustering: each article, in time order, joins the best-scoring active event or opens one.

When an article makes its event look like another active event (two halves of one happening that
began apart), the two merge: the older id survives and the younger one redirects to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline.track.features import ArticleFeatures, Profile, compare
from storyline.track.index import ActiveIndex
from storyline.track.scoring import Weights


@dataclass
class EventState:
    """An event as the tracker keeps it while it is active."""

    id: str
    storyline_id: str | None
    seq: int  # creation order, to break ties between events that began the same day
    profile: Profile = field(default_factory=Profile)
    article_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EventAssignment:
    """Where an article went: its event, whether that event is new, and events merged into it."""

    event_id: str
    created: bool
    merged: tuple[EventState, ...] = ()  # events absorbed into this one, as they were


class EventClusterer:
    """Single-pass clustering of articles into events over a sliding time window."""

    def __init__(self, weights: Weights, threshold: float, window_days: int, max_active: int,
                 merge_threshold: float | None = None) -> None:
        self.weights = weights
        self.threshold = threshold
        self.merge_threshold = threshold if merge_threshold is None else merge_threshold
        self.window_days = window_days
        self.active = ActiveIndex(window_days, max_active)
        self.events: dict[str, EventState] = {}
        self._created = 0

    def assign_to_event(self, features: ArticleFeatures) -> EventAssignment:
        """File the article under an active event (or a new one) and merge events it bridges."""
        scored = self._score_candidates(features)
        if not scored or scored[0][0] < self.threshold:
            self._created += 1
            event = EventState(id=f"ev_{features.article_id}", storyline_id=None, seq=self._created)
            self.events[event.id] = event
            self._add(event, features)
            return EventAssignment(event.id, created=True)
        best = self.events[scored[0][1]]
        self._add(best, features)
        merged = []
        for score, other_id in scored[1:]:
            other = self.events.get(other_id)
            if other is None or score < self.threshold * 0.75:
                continue
            s = self.weights.score(compare(other.profile, best.profile), self.window_days)
            if s is not None and s >= self.merge_threshold:
                survivor, absorbed = self._older_first(best, other)
                self._merge(survivor, absorbed)
                merged.append(absorbed)
                best = survivor
        return EventAssignment(best.id, created=False, merged=tuple(merged))

    def _score_candidates(self, features: ArticleFeatures) -> list[tuple[float, str]]:
        scored = []
        for event_id in self.active.candidates(features):
            s = self.weights.score(compare(features, self.active.profiles[event_id]), self.window_days)
            if s is not None:
                scored.append((s, event_id))
        scored.sort(reverse=True)
        return scored

    def _older_first(self, a: EventState, b: EventState) -> tuple[EventState, EventState]:
        """The event that began first survives a merge (ties: the one created first)."""
        def key(e: EventState):
            return (e.profile.first_date is None, e.profile.first_date or 0, e.seq)
        return (a, b) if key(a) <= key(b) else (b, a)

    def _add(self, event: EventState, features: ArticleFeatures) -> None:
        event.profile.add(features)
        event.article_ids.append(features.article_id)
        self.active.put(event.id, event.profile)

    def _merge(self, survivor: EventState, absorbed: EventState) -> None:
        survivor.profile.add(absorbed.profile)
        survivor.article_ids.extend(absorbed.article_ids)
        self.active.remove(absorbed.id)
        self.events.pop(absorbed.id, None)
        self.active.put(survivor.id, survivor.profile)

    def retire_before(self, newest) -> list[EventState]:
        """Forget events that fell out of the window; return them (their final state)."""
        return [self.events.pop(i) for i in self.active.retire_before(newest) if i in self.events]
