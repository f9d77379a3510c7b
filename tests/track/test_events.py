"""Event clustering: reports of one happening share an event, look-alikes do not, bridging reports merge events."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from storyline.track.events import EventClusterer
from storyline.track.features import ArticleFeatures
from storyline.track.scoring import SameEventModel

from .conftest import D


@pytest.fixture
def clusterer(config):
    return EventClusterer(SameEventModel(*config.same_event_weights), config.event_threshold,
                          config.event_merge_threshold, config.event_window_days, config.max_active_articles)


def test_reports_of_one_fire_share_an_event_and_look_alikes_open_their_own(clusterer, extractor, world):
    assignments = {a.id: clusterer.assign_to_event(extractor.extract(a)) for a in world if a.id != "gazette-arson"}
    assert {id: (a.event_id, a.created) for id, a in assignments.items()} == {
        "gazette-fire": ("ev_gazette-fire", True),
        "courier-fire": ("ev_gazette-fire", False),
        "sport-final": ("ev_sport-final", True),
        "herald-fire": ("ev_herald-fire", True),
    }
    assert clusterer.events["ev_gazette-fire"].article_ids == ["gazette-fire", "courier-fire"]
    assert clusterer.events["ev_gazette-fire"].profile.size == 2


def test_a_report_matching_two_events_merges_them_into_the_one_that_began_first(clusterer, extractor, fragments):
    _, smoke, workers, roundup, _ = fragments
    # the workers' story is filed first but dated a day later than the smoke story, which arrives late
    workers = dataclasses.replace(workers, published=D(2024, 3, 5))
    roundup = dataclasses.replace(roundup, published=D(2024, 3, 5))
    for fragment in (workers, smoke):
        assert clusterer.assign_to_event(extractor.extract(fragment)).created
    assignment = clusterer.assign_to_event(extractor.extract(roundup))
    assert assignment.event_id == "ev_radio-smoke" and not assignment.created
    assert [absorbed.id for absorbed in assignment.merged] == ["ev_tv-workers"]
    assert assignment.merged[0].article_ids == ["tv-workers"]  # the absorbed event as it was
    assert set(clusterer.events) == {"ev_radio-smoke"}
    survivor = clusterer.events["ev_radio-smoke"]
    assert survivor.article_ids == ["radio-smoke", "tv-workers", "paper-roundup"]
    assert (survivor.profile.first_date, survivor.profile.size) == (D(2024, 3, 4), 3)
    assert {clusterer.event_of[i] for i in survivor.article_ids} == {"ev_radio-smoke"}


def test_a_look_alike_that_matches_weakly_is_not_merged(clusterer, extractor, world):
    fire, second_outlet, _, lookalike, _ = world
    for a in (fire, lookalike, second_outlet):
        assignment = clusterer.assign_to_event(extractor.extract(a))
    assert (assignment.event_id, assignment.merged) == ("ev_gazette-fire", ())
    assert set(clusterer.events) == {"ev_gazette-fire", "ev_herald-fire"}


def test_events_retire_when_all_their_articles_fall_out_of_the_window(clusterer, extractor, world):
    for a in world[:-1]:  # up to the look-alike fire of 11 March
        clusterer.assign_to_event(extractor.extract(a))
    assert clusterer.retire_before(D(2024, 4, 3)) == []  # the Millbrook fire's reports are 30 days old: kept
    retired = clusterer.retire_before(D(2024, 4, 4))
    assert sorted(e.id for e in retired) == ["ev_gazette-fire"]
    assert sorted(clusterer.events) == ["ev_herald-fire", "ev_sport-final"]
    # the follow-up a month later no longer finds the fire's reports and opens its own event
    assert clusterer.assign_to_event(extractor.extract(world[-1])).event_id == "ev_gazette-arson"


class GroupScores:
    """Same-event log-odds scripted by the group an article id names ("a-1", "b-3"): reports of one group agree, of
    two groups disagree, and the bridging report resembles both (group a a little more)."""

    def score(self, x, y) -> float:
        groups = {x.article_id.split("-")[0], y.article_id.split("-")[0]}
        if "bridge" in groups:
            return 3.0 if "a" in groups else 2.0
        return 5.0 if len(groups) == 1 else -4.0

    def scores(self, x, others) -> np.ndarray:
        return np.array([self.score(x, y) for y in others])


def scripted_features(article_id: str, day: int) -> ArticleFeatures:
    return ArticleFeatures(article_id=article_id, terms={}, entities={}, embedding=None, date=D(2024, 3, day),
                           headline=f"Report {article_id}")


def test_an_event_grown_into_two_disagreeing_groups_splits_and_the_oldest_report_keeps_the_id():
    """A look-alike joins through a report resembling both; once it has four reports of its own, it splits off."""
    clusterer = EventClusterer(GroupScores(), threshold=0.0, merge_threshold=3.0, window_days=30, max_active=100)
    ids = ["a-1", "a-2", "a-3", "a-4", "bridge-1", "b-1", "b-2", "b-3", "b-4", "b-5"]
    assignments = {id: clusterer.assign_to_event(scripted_features(id, day)) for day, id in enumerate(ids, 1)}
    assert all(not assignments[id].split for id in ids if id != "b-4")  # three reports are too few to stand apart
    assert [part.id for part in assignments["b-4"].split] == ["ev_b-1"]
    assert assignments["b-4"].event_id == "ev_a-1"  # the event it joined, before the split moved it
    assert set(clusterer.events) == {"ev_a-1", "ev_b-1"}
    kept, part = clusterer.events["ev_a-1"], clusterer.events["ev_b-1"]
    assert kept.article_ids == ids[:5] and part.article_ids == ids[5:]
    assert {clusterer.event_of[id] for id in ids[5:]} == {"ev_b-1"}
    assert (kept.profile.size, kept.profile.first_date, kept.profile.last_date) == (5, D(2024, 3, 1), D(2024, 3, 5))
    assert (part.profile.size, part.profile.first_date, part.profile.last_date) == (5, D(2024, 3, 6), D(2024, 3, 10))
    assert part.title == "Report b-1"
    assert part.scores.shape == (5, 5) and kept.scores.shape == (5, 5)


def test_groups_that_agree_on_average_stay_one_event():
    """Two groups joined by many strong links are one happening told twice, however each group looks alone."""

    class Agreeing(GroupScores):
        def score(self, x, y) -> float:
            return 1.0 if {x.article_id[0], y.article_id[0]} == {"a", "b"} else 5.0

    clusterer = EventClusterer(Agreeing(), threshold=0.0, merge_threshold=3.0, window_days=30, max_active=100)
    for day, id in enumerate(["a-1", "a-2", "a-3", "a-4", "b-1", "b-2", "b-3", "b-4"], 1):
        assert not clusterer.assign_to_event(scripted_features(id, day)).split
    assert set(clusterer.events) == {"ev_a-1"}
