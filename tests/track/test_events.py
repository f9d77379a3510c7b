"""Event clustering: reports of one happening share an event, look-alikes do not, bridging reports merge events."""

from __future__ import annotations

import dataclasses

import pytest

from storyline.track.events import EventClusterer
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
