"""The same-event model and the storyline weights on pairs of realistic reports."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from storyline.track.scoring import SameEventModel, Weights

from .conftest import (
    D,
    basketball_final,
    fire_follow_up,
    fire_report,
    fire_second_outlet,
    lookalike_fire,
)


@pytest.fixture
def features(extractor):
    """Features of every report, from one extractor that has seen them all (and a late copy of the fire report)."""
    articles = [fire_report(), fire_second_outlet(), lookalike_fire(), basketball_final(), fire_follow_up(),
                fire_second_outlet(D(2024, 6, 2))]
    return [extractor.extract(a) for a in articles]


def test_two_reports_of_the_same_fire_are_the_same_event(features):
    fire, second_outlet, *_ = features
    model = SameEventModel()
    assert model.score(fire, second_outlet) > 3.0  # sure enough to merge events
    assert model.score(fire, second_outlet) == pytest.approx(model.score(second_outlet, fire))


def test_look_alike_and_unrelated_happenings_are_not(features):
    fire, second_outlet, lookalike, basketball, *_ = features
    model = SameEventModel()
    assert model.score(lookalike, fire) < 0 and model.score(lookalike, second_outlet) < 0
    assert model.score(basketball, fire) < model.score(lookalike, fire)


def test_a_large_time_gap_costs_log_odds_in_proportion(features):
    fire, second_outlet, *_, three_months_later = features
    model = SameEventModel()
    assert model.score(fire, three_months_later) < model.score(fire, second_outlet)
    undated = replace(three_months_later, date=None)
    months = (three_months_later.date - fire.date).days / 30
    assert model.score(fire, three_months_later) == pytest.approx(model.score(fire, undated) + model.gap * months)


def test_without_dates_or_embeddings_the_text_still_decides(features):
    fire, second_outlet, lookalike, *_ = features
    for f in (fire, second_outlet, lookalike):
        f.date, f.embedding = None, None
    model = SameEventModel()
    assert model.score(fire, second_outlet) > 0 > model.score(fire, lookalike)


def signals(terms, entities, actors, dense, gap_days):
    """Fixed comparison signals, standing in for a computed :class:`Similarity`."""
    return SimpleNamespace(terms=terms, entities=entities, actors=actors, dense=dense, gap_days=gap_days)


def test_storyline_weights_reward_shared_actors_and_refuse_beyond_the_window():
    weights = Weights(terms=0.3, entities=0.0, actors=1.0, dense=0.3, gap=0.2)
    same_actors = signals(terms=0.2, entities=0.5, actors=0.9, dense=0.8, gap_days=30.0)
    other_actors = signals(terms=0.2, entities=0.0, actors=0.0, dense=0.8, gap_days=30.0)
    assert weights.score(same_actors, 180) > 0.35 > weights.score(other_actors, 180)
    assert weights.score(same_actors, 180) == pytest.approx(0.3 * 0.2 + 0.9 + 0.3 * 0.6 - 0.2 * 30 / 180)
    assert weights.score(signals(0.2, 0.5, 0.9, None, 181.0), 180) is None
    assert weights.score(signals(0.2, 0.5, 0.9, 0.4, None), 180) == pytest.approx(0.3 * 0.2 + 0.9)


def test_storyline_score_skips_the_term_cosine_when_it_cannot_reach_the_floor():
    weights = Weights(terms=0.3, entities=0.0, actors=1.0, dense=0.3, gap=0.2)
    hopeless = signals(terms=None, entities=None, actors=0.1, dense=0.5, gap_days=0.0)  # reading terms would fail
    assert weights.score(hopeless, 180, floor=0.9) is None
    close = signals(terms=0.5, entities=0.0, actors=0.7, dense=0.5, gap_days=0.0)
    assert weights.score(close, 180, floor=0.9) == pytest.approx(0.85)  # could have reached 1.0: computed in full
