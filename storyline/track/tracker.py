"""The tracking stage: features → event assignment → storyline linking, for articles in time order.

The tracker keeps only what is active (recent events and storylines, document frequencies) and
reports what changed, so that the engine can persist it in the same transaction as the articles.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field

from storyline.config import TrackConfig
from storyline.model import Article
from storyline.track.events import EventClusterer, EventState
from storyline.track.features import FeatureExtractor
from storyline.track.scoring import SameEventModel, Weights
from storyline.track.storylines import StorylineLinker, StorylineState
from storyline.understand.dates import CALENDAR_WORDS


TOP_ENTITIES = 8  # the entities a storyline lists


@dataclass
class EventChange:
    """The current state of an event touched by a batch, to be saved."""

    id: str
    storyline_id: str
    title: str
    first_date: object
    last_date: object
    article_ids: list[str]


@dataclass
class TrackChanges:
    """Everything a batch changed: assignments, touched events and storylines, merges."""

    assignments: dict[str, tuple[str, str]] = field(default_factory=dict)  # article -> (event, storyline)
    events: dict[str, EventChange] = field(default_factory=dict)
    storylines: dict[str, dict] = field(default_factory=dict)  # id -> {title, first_date, last_date, events, ...}
    redirects: dict[str, str] = field(default_factory=dict)  # merged event or storyline id -> surviving id
    storyline_merges: dict[str, str] = field(default_factory=dict)  # absorbed storyline -> surviving one


class Tracker:
    """Assigns articles to events and events to storylines, online, one article at a time."""

    def __init__(self, config: TrackConfig = TrackConfig()) -> None:
        self.config = config
        self.features = FeatureExtractor(text_chars=config.text_chars, df_buckets=config.df_buckets,
                                         boilerplate_repeats=config.boilerplate_repeats,
                                         background_documents=config.background_documents)
        self.events = EventClusterer(
            SameEventModel(*config.same_event_weights), config.event_threshold, config.event_merge_threshold,
            config.event_window_days, config.max_active_articles, config.event_candidates,
            config.event_split_threshold, config.event_split_min, dense_dims=config.search_dims,
        )
        self.storylines = StorylineLinker(
            Weights(*config.storyline_weights), config.storyline_threshold, config.storyline_merge_threshold,
            config.storyline_window_days, config.max_active_storylines, config.storyline_candidates,
            dense_dims=config.search_dims,
        )
        self.newest = None  # latest article date seen: the stream's clock
        self.clock_published = False  # once a publication date is seen, only publication dates move the clock
        self._names_kept = 0  # entity display names left by the last prune

    def track(self, articles: Iterable[Article]) -> TrackChanges:
        """Process articles (the caller sorts them by date) and set their ``event_id``/``storyline_id``; each is
        tracked as the iterable gives it (the engine's gives each article as soon as it is read)."""
        changes = TrackChanges()
        tracked = []
        for article in articles:
            self._track_one(article, changes)
            tracked.append(article)
        for article in tracked:  # merges later in the batch may have moved earlier articles
            article.event_id, article.storyline_id = changes.assignments[article.id]
        for event_id, snapshot in list(changes.events.items()):
            state = self.events.events.get(event_id)
            if state is not None:
                changes.events[event_id] = self._event_change(state)
            elif snapshot is None:  # merged away within this batch
                del changes.events[event_id]
        for storyline_id, snapshot in list(changes.storylines.items()):
            state = self.storylines.storylines.get(storyline_id)
            if state is not None:
                changes.storylines[storyline_id] = self._storyline_change(state)
            elif snapshot is None:
                del changes.storylines[storyline_id]
        self.events.changed.update(changes.events)  # titles and storyline ids the tracker itself set
        self.storylines.changed.update(changes.storylines)
        self._prune_names()
        return changes

    def _prune_names(self) -> None:
        """Keep display names only for entities of active storylines (the only ones shown), once the names have
        doubled since the last prune, so that the cost follows what was added."""
        names = self.features.entity_names
        if len(names) <= 2 * self._names_kept:
            return
        active = {key for state in self.storylines.storylines.values() for key in state.profile.actors}
        self.features.entity_names = {key: name for key, name in names.items() if key in active}
        self._names_kept = len(self.features.entity_names)

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update({"clock_published": False, **state})  # a state saved before the rule below: as it was

    def _clock_date(self, article: Article):
        """The date that may move the stream's clock. A date read from the text (a dateline, else any date named)
        is a guess: once the stream gives publication dates, only they move the clock, so that text dated
        years ahead (ECB+'s, in one batch with CL-TLS) does not retire every active storyline at once."""
        if article.published is not None:
            self.clock_published = True
            return article.published
        return None if self.clock_published else article.date

    def _track_one(self, article: Article, changes: TrackChanges) -> None:
        features = self.features.extract(article)
        date = self._clock_date(article)
        if date is not None and (self.newest is None or date > self.newest):
            self.newest = date
            self._keep_final_states(changes, self.events.retire_before(date), self.storylines.retire_before(date))
        assignment = self.events.assign_to_event(features)
        event = self.events.events[assignment.event_id]
        founded_storyline = False
        if assignment.created:
            event.storyline_id, founded_storyline = self.storylines.link(event.id, features)
        else:
            self.storylines.add_article(event.storyline_id, features)
        for absorbed in assignment.merged:
            self._redirect(changes, absorbed.id, event.id)
            if absorbed.storyline_id != event.storyline_id:
                self.storylines.add_article(event.storyline_id, absorbed.profile)  # its articles join this storyline
                emptied = self.storylines.forget_event(absorbed.storyline_id, absorbed.id)
                if emptied:  # merged into this one, with any event it no longer counted (see _move_storyline)
                    self._move_storyline(changes, absorbed.storyline_id, event.storyline_id)
                else:
                    changes.storylines[absorbed.storyline_id] = None
        if assignment.merged:
            for article_id in event.article_ids:
                changes.assignments[article_id] = (event.id, event.storyline_id)
        for part in assignment.split:  # a look-alike split off: a new event of the same storyline
            self.storylines.add_event(part.storyline_id, part.id)
            changes.redirects.pop(part.id, None)  # its id may have been merged away earlier in the batch
            changes.events[part.id] = changes.events[event.id] = None
            for article_id in part.article_ids:
                changes.assignments[article_id] = (part.id, part.storyline_id)
        # A storyline only changes course when it gains an event. One just founded by a single article
        # matched no storyline above the link threshold, so none above a merge threshold at least as high.
        founded_alone = founded_storyline and self.storylines.merge_threshold >= self.storylines.threshold
        if (assignment.created or assignment.merged) and not founded_alone:
            for absorbed, survivor in self.storylines.merge_similar(event.storyline_id):
                self._move_storyline(changes, absorbed, survivor)
        home = self.events.events[self.events.event_of[article.id]]
        changes.assignments[article.id] = (home.id, home.storyline_id)
        article.event_id, article.storyline_id = home.id, home.storyline_id
        changes.events[home.id] = None
        changes.storylines[home.storyline_id] = None
        self._keep_final_states(changes, self.events.take_evicted(), self.storylines.take_evicted())

    def _keep_final_states(self, changes: TrackChanges, events: list[EventState],
                           storylines: list[StorylineState]) -> None:
        """Keep the final state of retired events and storylines that this batch touched: they are saved as they
        were last, though no longer active."""
        for state in events:
            if state.id in changes.events:
                changes.events[state.id] = self._event_change(state)
        for state in storylines:
            if state.id in changes.storylines:
                changes.storylines[state.id] = self._storyline_change(state)

    def _event_change(self, state: EventState) -> EventChange:
        return EventChange(state.id, state.storyline_id, self._title(state), state.profile.first_date,
                           state.profile.last_date, list(state.article_ids))

    def _storyline_change(self, state: StorylineState, n_entities: int = TOP_ENTITIES) -> dict:
        named = [(k, w) for k, w in state.profile.actors.items() if k not in CALENDAR_WORDS]  # "July" is no actor
        # weighted by rarity in the stream, so that the names that tell this storyline apart come before those
        # half the stream names ("Florida", "Facebook", a station's "News")
        rarity = self.features.entity_df.idfs_in_all_languages([k for k, _ in named]) if named else []
        heaviest = sorted(zip(named, rarity), key=lambda pair: pair[0][1] * pair[1], reverse=True)[:n_entities]
        return {"title": self._title(state), "first_date": state.profile.first_date, "last_date": state.profile.last_date,
                "events": len(state.event_ids), "articles": state.profile.size,
                "top_entities": [self.features.entity_names.get(k, k) for (k, _), _ in heaviest]}

    def _title(self, state: EventState | StorylineState) -> str:
        """The headline of the article that opened an event or storyline, or its text's first line if later pages
        showed that headline to be page furniture (a crawl's first pages are named before their titles repeat)."""
        if state.lead_line and self.features.is_furniture(state.title):
            state.title = state.lead_line
        return state.title

    def _move_storyline(self, changes: TrackChanges, absorbed: str, survivor: str) -> None:
        """Point every event of ``absorbed`` (active ones and those retired earlier in the batch here, stored ones
        through the engine) at ``survivor``.

        A storyline revived by a late article knows only the events that have grown since; an undated event, which
        never retires, may still point at it when the linker finds it empty: it follows too, or it would revive
        the absorbed id and close a loop of redirects."""
        self._redirect(changes, absorbed, survivor)
        changes.storyline_merges[absorbed] = survivor
        for old, new in list(changes.storyline_merges.items()):
            if new == absorbed:
                changes.storyline_merges[old] = survivor
        changes.storylines.pop(absorbed, None)
        changes.storylines[survivor] = None
        for event in self.events.events.values():
            if event.storyline_id == absorbed:
                event.storyline_id = survivor
                changes.events[event.id] = None
                for article_id in event.article_ids:
                    changes.assignments[article_id] = (event.id, survivor)
        for snapshot in changes.events.values():  # events retired earlier in the batch, saved as they were last
            if snapshot is not None and snapshot.storyline_id == absorbed:
                snapshot.storyline_id = survivor
                for article_id in snapshot.article_ids:
                    changes.assignments[article_id] = (snapshot.id, survivor)

    @staticmethod
    def _redirect(changes: TrackChanges, old: str, new: str) -> None:
        changes.redirects[old] = new
        for earlier, target in list(changes.redirects.items()):
            if target == old:
                changes.redirects[earlier] = new

    @staticmethod
    def from_bytes(data: bytes) -> "Tracker":
        """Restore a tracker pickled whole, as earlier versions saved it (see ``storyline.track.state`` now)."""
        try:
            tracker = pickle.loads(data)
        except (AttributeError, KeyError, TypeError, pickle.UnpicklingError) as exc:  # its classes have changed since
            raise ValueError("the database's tracker state was saved by another version of Storyline; "
                             "ingest into a new database") from exc
        if not isinstance(tracker, Tracker):
            raise ValueError("saved tracker state is not a Tracker")
        return tracker
