"""Online event clustering: each article, in time order, joins the event of its most similar recent
article when the same-event model says so, or opens a new event.

Linking to the nearest article (not to an event centroid) keeps a long-running event from drifting
towards the generic story and swallowing look-alike happenings nearby. When an article links
strongly to two events, they were halves of one happening and merge: the older id survives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline.track.features import ArticleFeatures, Profile
from storyline.track.index import ActiveIndex
from storyline.track.scoring import SameEventModel


@dataclass
class EventState:
    """An event as the tracker keeps it while it is active."""

    id: str
    storyline_id: str | None
    seq: int  # creation order, to break ties between events that began the same day
    title: str = ""  # headline of the article that opened it
    profile: Profile = field(default_factory=Profile)
    article_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EventAssignment:
    """Where an article went: its event, whether that event is new, and events merged into it."""

    event_id: str
    created: bool
    merged: tuple[EventState, ...] = ()  # events absorbed into this one, as they were


class EventClusterer:
    """Nearest-neighbour event assignment over the articles of a sliding time window."""

    def __init__(self, model: SameEventModel, threshold: float, merge_threshold: float,
                 window_days: int, max_active: int, max_candidates: int | None = None) -> None:
        self.model = model
        self.threshold = threshold
        self.merge_threshold = merge_threshold
        self.articles = ActiveIndex(window_days, max_active, max_shared=max_candidates)  # article id -> ArticleFeatures
        self.event_of: dict[str, str] = {}  # active article id -> event id
        self.events: dict[str, EventState] = {}
        self._created = 0

    def assign_to_event(self, features: ArticleFeatures) -> EventAssignment:
        """File the article under the event of its best-matching recent article (or a new one)."""
        best_by_event: dict[str, float] = {}
        for other_id in self.articles.candidates(features.keys, features.embedding):
            event_id = self.event_of.get(other_id)
            if event_id is None:
                continue
            s = self.model.score(features, self.articles.items[other_id])
            if s > best_by_event.get(event_id, float("-inf")):
                best_by_event[event_id] = s
        ranked = sorted(best_by_event.items(), key=lambda kv: kv[1], reverse=True)
        if not ranked or ranked[0][1] < self.threshold:
            self._created += 1
            event = EventState(id=f"ev_{features.article_id}", storyline_id=None, seq=self._created,
                               title=features.headline)
            self.events[event.id] = event
            self._add(event, features)
            return EventAssignment(event.id, created=True)
        event = self.events[ranked[0][0]]
        merged = []
        for other_id, s in ranked[1:]:
            if s < self.merge_threshold:
                break
            survivor, absorbed = self._older_first(event, self.events[other_id])
            self._merge(survivor, absorbed)
            merged.append(absorbed)
            event = survivor
        self._add(event, features)
        return EventAssignment(event.id, created=False, merged=tuple(merged))

    def _older_first(self, a: EventState, b: EventState) -> tuple[EventState, EventState]:
        """The event that began first survives a merge (ties: the one created first)."""
        def key(e: EventState):
            return (e.profile.first_date is None, e.profile.first_date or 0, e.seq)
        return (a, b) if key(a) <= key(b) else (b, a)

    def _add(self, event: EventState, features: ArticleFeatures) -> None:
        event.profile.add(features)
        event.article_ids.append(features.article_id)
        self.event_of[features.article_id] = event.id
        self.articles.put(features.article_id, features, features.keys, features.embedding, features.date)

    def _merge(self, survivor: EventState, absorbed: EventState) -> None:
        survivor.profile.add(absorbed.profile)
        survivor.article_ids.extend(absorbed.article_ids)
        for article_id in absorbed.article_ids:
            if article_id in self.event_of:
                self.event_of[article_id] = survivor.id
        self.events.pop(absorbed.id, None)

    def retire_before(self, newest) -> list[EventState]:
        """Forget articles that fell out of the window, and events left with none; return those events."""
        touched = set()
        for article_id in self.articles.retire_before(newest):
            touched.add(self.event_of.pop(article_id, None))
        alive = set(self.event_of.values())
        return [self.events.pop(e) for e in touched if e is not None and e not in alive and e in self.events]
