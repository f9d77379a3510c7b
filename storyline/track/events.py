"""Online event clustering: each article, in time order, joins the event of its most similar recent
article when the same-event model says so, or opens a new event.

Linking to the nearest article (not to an event centroid) keeps a long-running event from drifting
towards the generic story and swallowing look-alike happenings nearby. When an article links
strongly to two events, they were halves of one happening and merge: the older id survives. When
an event has grown into two groups of reports that, on average, the model judges different
happenings (a look-alike joined by one report that resembled both), it splits in two.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

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
    lead_line: str = ""  # that article's first line of text (``ArticleFeatures.lead_line``)
    profile: Profile = field(default_factory=Profile)
    article_ids: list[str] = field(default_factory=list)
    dates: list = field(default_factory=list)  # each article's date, as ``article_ids``
    members: list[str] = field(default_factory=list)  # its latest active articles, oldest first, that ``scores`` holds
    scores: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # same-event log-odds between members


@dataclass(frozen=True)
class EventAssignment:
    """Where an article went: the event it joined, whether that event is new, events merged into it, and parts
    split off it since (the article may be in one of them: ``EventClusterer.event_of`` says where it is now)."""

    event_id: str
    created: bool
    merged: tuple[EventState, ...] = ()  # events absorbed into this one, as they were
    split: tuple[EventState, ...] = ()  # new events made of its articles


class EventClusterer:
    """Nearest-neighbour event assignment over the articles of a sliding time window."""

    def __init__(self, model: SameEventModel, threshold: float, merge_threshold: float,
                 window_days: int, max_active: int, max_candidates: int | None = None,
                 split_threshold: float = 0.0, min_split: int = 4, split_members: int = 64,
                 dense_dims: int | None = None) -> None:
        self.model = model
        self.threshold = threshold
        self.merge_threshold = merge_threshold
        self.split_threshold = split_threshold  # two groups whose mean log-odds fall below this are two events
        self.min_split = min_split  # ... when each holds at least this many reports
        self.split_members = split_members  # an event's latest this many articles are checked, so a join costs O(1)
        self.articles = ActiveIndex(window_days, max_active, max_shared=max_candidates,
                                    dense_dims=dense_dims)  # article id -> ArticleFeatures
        self.event_of: dict[str, str] = {}  # active article id -> event id
        self.events: dict[str, EventState] = {}
        self.evicted: list[EventState] = []  # events retired since the last take_evicted, their articles pushed out
        self.changed: set[str] = set()  # ids of events changed, opened or gone since ``take_changed``
        self._created = 0

    def __setstate__(self, state: dict) -> None:
        """A state pickled whole by an earlier version (before events were saved one by one) counts all its events
        as changed; one saved before events could split checks them from their next report."""
        self.__dict__.update({"split_threshold": 0.0, "min_split": 4, "split_members": 64, "evicted": [], **state})
        if "changed" in state:
            return
        self.changed = set(self.events)
        for event in self.events.values():
            if "members" not in event.__dict__:
                event.dates, event.members, event.scores = [None] * len(event.article_ids), [], np.zeros((0, 0))

    def assign_to_event(self, features: ArticleFeatures) -> EventAssignment:
        """File the article under the event of its best-matching recent article (or a new one)."""
        others = [other_id for other_id in self.articles.candidates(features.keys, features.embedding)
                  if other_id in self.event_of]
        scored = dict(zip(others, self._scores(features, others)))
        best_by_event: dict[str, float] = {}
        for other_id, s in scored.items():
            event_id = self.event_of[other_id]
            if s > best_by_event.get(event_id, float("-inf")):
                best_by_event[event_id] = s
        ranked = sorted(best_by_event.items(), key=lambda kv: kv[1], reverse=True)
        if not ranked or ranked[0][1] < self.threshold:
            event = self._new_event(features)
            self._add(event, features, scored)
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
        self._add(event, features, scored)
        return EventAssignment(event.id, created=False, merged=tuple(merged), split=tuple(self._split(event)))

    def _scores(self, features: ArticleFeatures, others: list[str]) -> list[float]:
        """Same-event log-odds of an article against the active articles ``others``, scored at once."""
        if not others:  # most joins find every checked member scored already
            return []
        return self.model.scores(features, [self.articles.items[other_id] for other_id in others]).tolist()

    def _new_event(self, founder: ArticleFeatures) -> EventState:
        self._created += 1
        event = EventState(id=f"ev_{founder.article_id}", storyline_id=None, seq=self._created,
                           title=founder.headline, lead_line=founder.lead_line)
        self.events[event.id] = event
        self.changed.add(event.id)
        return event

    def _older_first(self, a: EventState, b: EventState) -> tuple[EventState, EventState]:
        """The event that began first survives a merge (ties: the one created first)."""
        def key(e: EventState):
            return (e.profile.first_date is None, e.profile.first_date or 0, e.seq)
        return (a, b) if key(a) <= key(b) else (b, a)

    def _add(self, event: EventState, features: ArticleFeatures, scored: dict[str, float]) -> None:
        """Add an article to an event; ``scored`` holds its log-odds against articles already scored."""
        self.changed.add(event.id)
        event.profile.add(features)
        event.article_ids.append(features.article_id)
        event.dates.append(features.date)
        self.event_of[features.article_id] = event.id
        self.evicted.extend(self._forget_articles(
            self.articles.put(features.article_id, features, features.keys, features.embedding, features.date)))
        self._forget_evicted(event)
        unscored = [m for m in event.members if m not in scored]
        rescored = dict(zip(unscored, self._scores(features, unscored)))
        row = [scored[m] if m in scored else rescored[m] for m in event.members]
        self._set_members(event, event.members + [features.article_id],
                          np.block([[event.scores, np.array(row)[:, None]], [np.array([row + [0.0]])]]))

    def _forget_evicted(self, event: EventState) -> None:
        """Drop members pushed out of a full index (``max_active``): their features are gone."""
        if any(m not in self.articles for m in event.members):
            self._keep_members(event, [m in self.articles for m in event.members])

    @staticmethod
    def _keep_members(event: EventState, keep: list[bool]) -> None:
        index = np.flatnonzero(keep)
        event.members = [event.members[i] for i in index.tolist()]
        event.scores = event.scores[np.ix_(index, index)]

    def _set_members(self, event: EventState, members: list[str], scores: np.ndarray) -> None:
        """Keep the latest ``split_members`` of ``members`` and their scores."""
        drop = max(0, len(members) - self.split_members)
        event.members, event.scores = members[drop:], scores[drop:, drop:]

    def _merge(self, survivor: EventState, absorbed: EventState) -> None:
        self.changed.update((survivor.id, absorbed.id))
        survivor.profile.add(absorbed.profile)
        survivor.article_ids.extend(absorbed.article_ids)
        survivor.dates.extend(absorbed.dates)
        self._forget_evicted(survivor)
        self._forget_evicted(absorbed)
        cross = np.array([self._scores(self.articles.items[a], absorbed.members) for a in survivor.members]
                         ).reshape(len(survivor.members), len(absorbed.members))
        self._set_members(survivor, survivor.members + absorbed.members,
                          np.block([[survivor.scores, cross], [cross.T, absorbed.scores]]))
        for article_id in absorbed.article_ids:
            if article_id in self.event_of:
                self.event_of[article_id] = survivor.id
        self.events.pop(absorbed.id, None)

    def _split(self, event: EventState) -> list[EventState]:
        """Split ``event`` while its checked members form two groups of ``min_split`` or more whose average
        same-event log-odds (average linkage) are below ``split_threshold``; return the parts split off.

        The part holding the event's oldest member keeps its id (and its articles no longer checked); the
        other becomes an event named after its first article.
        """
        if len(event.members) < 2 * self.min_split:
            return []
        from scipy.cluster.hierarchy import fcluster, linkage

        scores = event.scores
        distances = scores.max() - scores  # average linkage is blind to the shift; it needs distances >= 0
        tree = linkage(distances[np.triu_indices(len(scores), 1)], method="average")
        if scores.max() - tree[-1, 2] >= self.split_threshold:
            return []
        sides = fcluster(tree, 2, criterion="maxclust")
        moving = sides != sides[0]
        if min(int(moving.sum()), int((~moving).sum())) < self.min_split:
            return []
        part = self._move(event, [m for m, move in zip(event.members, moving) if move])
        part.scores = scores[np.ix_(moving, moving)]
        self._keep_members(event, ~moving)
        return [part, *self._split(event), *self._split(part)]

    def _move(self, event: EventState, moving: list[str]) -> EventState:
        """Take the articles ``moving`` (active ones) out of ``event`` into a new event."""
        gone = set(moving)
        self.changed.add(event.id)
        part_profile = Profile()
        for article_id in moving:
            part_profile.add(self.articles.items[article_id])
        part = self._new_event(self.articles.items[moving[0]])
        part.storyline_id, part.profile, part.members = event.storyline_id, part_profile, list(moving)
        part.article_ids = [a for a in event.article_ids if a in gone]
        part.dates = [d for a, d in zip(event.article_ids, event.dates) if a in gone]
        kept = [(a, d) for a, d in zip(event.article_ids, event.dates) if a not in gone]
        event.article_ids, event.dates = [a for a, _ in kept], [d for _, d in kept]
        event.profile.remove(part_profile, [d for _, d in kept])
        for article_id in moving:
            self.event_of[article_id] = part.id
        return part

    def retire_before(self, newest) -> list[EventState]:
        """Forget articles that fell out of the window, and events left with none; return those events."""
        return self._forget_articles(self.articles.retire_before(newest))

    def take_changed(self) -> set[str]:
        """The ids of events changed, opened or gone since last asked: the events to save again or to delete."""
        changed, self.changed = self.changed, set()
        return changed

    def restore(self, events: Iterable[EventState]) -> None:
        """Take back the saved active events; the articles index must be restored first (``event_of`` follows)."""
        self.events = {event.id: event for event in sorted(events, key=lambda event: event.seq)}
        self.event_of = {article_id: event.id for event in self.events.values() for article_id in event.article_ids
                         if article_id in self.articles}

    def take_evicted(self) -> list[EventState]:
        """The events retired because a full index (``max_active``) pushed out their last articles, since last asked."""
        evicted, self.evicted = self.evicted, []
        return evicted

    def _forget_articles(self, article_ids: list[str]) -> list[EventState]:
        """Forget articles gone from the index, and the events left with none; return those events."""
        touched: dict[str, set[str]] = {}
        for article_id in article_ids:
            event_id = self.event_of.pop(article_id, None)
            if event_id is not None:
                touched.setdefault(event_id, set()).add(article_id)
        retired = []
        self.changed.update(touched)
        for event_id, gone in touched.items():
            event = self.events.get(event_id)
            if event is None:
                continue
            if gone & set(event.members):
                self._keep_members(event, [m not in gone for m in event.members])
            if not any(a in self.event_of for a in reversed(event.article_ids)):  # newest first: found at once if any
                retired.append(self.events.pop(event_id))
        return retired
