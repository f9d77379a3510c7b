"""Storyline linking: follow-ups with the same actors join, unrelated events do not, idle threads retire,
threads that grew alike merge."""

from __future__ import annotations

import dataclasses

import pytest

from storyline.track.scoring import Weights
from storyline.track.storylines import StorylineLinker

from .conftest import D, fire_follow_up, fire_report, fire_second_outlet


def make_linker(config, threshold: float | None = None) -> StorylineLinker:
    return StorylineLinker(Weights(*config.storyline_weights),
                           config.storyline_threshold if threshold is None else threshold,
                           config.storyline_merge_threshold, config.storyline_window_days,
                           config.max_active_storylines)


@pytest.fixture
def linker(config) -> StorylineLinker:
    return make_linker(config)


def test_a_follow_up_with_the_same_actors_joins_the_thread_and_an_unrelated_event_does_not(linker, extractor, world):
    fire, _, basketball, lookalike, follow_up = (extractor.extract(a) for a in world)
    assert linker.link("ev_gazette-fire", fire) == ("sl_gazette-fire", True)
    assert linker.link("ev_sport-final", basketball) == ("sl_sport-final", True)
    assert linker.link("ev_herald-fire", lookalike) == ("sl_herald-fire", True)  # same kind of story, other actors
    assert linker.link("ev_gazette-arson", follow_up) == ("sl_gazette-fire", False)
    thread = linker.storylines["sl_gazette-fire"]
    assert thread.event_ids == {"ev_gazette-fire", "ev_gazette-arson"}
    assert (thread.profile.first_date, thread.profile.last_date, thread.profile.size) == (
        D(2024, 3, 4), D(2024, 4, 5), 2)


def test_later_articles_of_an_event_extend_its_storyline(linker, extractor):
    linker.link("ev_gazette-fire", extractor.extract(fire_report()))
    linker.add_article("sl_gazette-fire", extractor.extract(fire_second_outlet(D(2024, 3, 5))))
    profile = linker.storylines["sl_gazette-fire"].profile
    assert (profile.size, profile.last_date) == (2, D(2024, 3, 5))


def test_a_storyline_idle_longer_than_the_window_retires(linker, extractor):
    linker.link("ev_gazette-fire", extractor.extract(fire_report()))  # 4 March 2024, window 180 days
    assert linker.retire_before(D(2024, 8, 31)) == []
    retired = linker.retire_before(D(2024, 9, 1))
    assert [s.id for s in retired] == ["sl_gazette-fire"] and retired[0].event_ids == {"ev_gazette-fire"}
    assert linker.storylines == {} and len(linker.active) == 0
    # the trial half a year later starts a new thread, however alike
    trial = extractor.extract(dataclasses.replace(fire_follow_up(), published=D(2024, 9, 2)))
    assert linker.link("ev_trial", trial) == ("sl_trial", True)


def test_merge_similar_joins_near_identical_threads_and_keeps_the_one_that_began_first(config, extractor):
    strict = make_linker(config, threshold=10.0)  # never joins at link time: two threads of one fire
    late = extractor.extract(fire_second_outlet(D(2024, 3, 5)))
    early = extractor.extract(fire_report(D(2024, 3, 4)))  # arrives second but happened first
    assert strict.link("ev_courier-fire", late) == ("sl_courier-fire", True)
    assert strict.link("ev_gazette-fire", early) == ("sl_gazette-fire", True)
    assert strict.merge_similar("sl_courier-fire") == [("sl_courier-fire", "sl_gazette-fire")]
    assert list(strict.storylines) == ["sl_gazette-fire"] and "sl_courier-fire" not in strict.active
    survivor = strict.storylines["sl_gazette-fire"]
    assert survivor.event_ids == {"ev_courier-fire", "ev_gazette-fire"}
    assert (survivor.profile.size, survivor.profile.first_date) == (2, D(2024, 3, 4))
    assert strict.merge_similar("sl_gazette-fire") == []


def test_merge_similar_leaves_different_threads_apart(linker, extractor, world):
    for a in world[:4]:
        if a.id != "courier-fire":
            linker.link(f"ev_{a.id}", extractor.extract(a))
    assert all(linker.merge_similar(id) == [] for id in list(linker.storylines))
    assert sorted(linker.storylines) == ["sl_gazette-fire", "sl_herald-fire", "sl_sport-final"]


def test_forgetting_the_last_event_drops_the_storyline(linker, extractor, world):
    fire, _, _, _, follow_up = (extractor.extract(a) for a in world)
    linker.link("ev_gazette-fire", fire)
    linker.link("ev_gazette-arson", follow_up)
    assert linker.forget_event("sl_gazette-fire", "ev_gazette-arson") is False
    assert linker.forget_event("sl_gazette-fire", "ev_gazette-fire") is True
    assert "sl_gazette-fire" not in linker.storylines and "sl_gazette-fire" not in linker.active
