"""The same-event model and the storyline weights on pairs of realistic reports."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from storyline.model import Entity
from storyline.track.scoring import SameEventModel, Weights, pair_signals
from storyline.understand.dates import mentioned_dates

from .conftest import (
    D,
    article,
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


def test_an_article_scored_against_many_at_once_gets_each_pair_its_own_score(features):
    """The tracker scores an article against all its candidates in one call; each score is the pair's, bit for bit,
    whatever else is in the call (some without a date or embedding)."""
    model = SameEventModel()
    fire, second_outlet, lookalike, *_ = features
    scored = [*features, replace(second_outlet, article_id="undated", date=None, embedding=None)]
    for a in scored:
        others = [b for b in scored if b is not a]
        assert model.scores(a, others).tolist() == [model.score(a, b) for b in others]
        assert model.scores(a, others[::-1]).tolist() == [model.score(a, b) for b in others[::-1]]
    assert model.scores(fire, []).tolist() == []
    assert model.score(fire, second_outlet) > 3.0 > model.score(fire, lookalike)


def test_the_cosines_of_compact_vectors_are_their_dot_products_as_dicts(features):
    """Terms and entity keys (hashed) share ids ("millbrook" is both): each vector is only matched with its kind."""
    def dot(a, b) -> float:
        b = dict(b.items())
        return sum(w * b.get(k, 0.0) for k, w in a.items())

    for a in features:
        for b in features:
            terms, entities, *_, title, _, _ = pair_signals(a, b)
            assert (terms, entities, title) == pytest.approx(
                (dot(a.terms, b.terms), dot(a.entities, b.entities), dot(a.title_terms, b.title_terms)), abs=1e-12)
    fire, second_outlet, *_ = features
    assert set(fire.terms.ids.tolist()) & set(fire.entities.ids.tolist())  # the kinds do share ids


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


def _understood_dates(a):
    """The article with the days it mentions, resolved against its publication date as the understand stage does."""
    a.mentioned_dates = [m.date for m in mentioned_dates(a.text, a.published, a.lang)]
    return a


def _shooting(id: str, published, title: str, text: str, street: str) -> object:
    return _understood_dates(article(id, published, title, text, [
        Entity("Dayton", "GPE", 2), Entity(street, "FAC", 1), Entity("Dayton Police", "ORG", 1)]))


def test_reports_naming_the_same_day_score_higher_than_a_look_alike_a_week_later(extractor):
    sunday, monday, next_monday = D(2015, 10, 18), D(2015, 10, 19), D(2015, 10, 26)
    first = _shooting(
        "news-1", sunday, "Man, 24, shot dead outside Dayton bar",
        "A 24-year-old man was shot dead outside a bar on Salem Avenue late Saturday night, Dayton police said. "
        "Officers found him in the parking lot at about 11:40 p.m.; no arrests have been made.", "Salem Avenue")
    second = _shooting(
        "tv-1", monday, "Police seek shooter after deadly Salem Avenue shooting",
        "Dayton police are still looking for whoever shot a man outside a Salem Avenue bar on Saturday. "
        "The victim, 24, died at the scene, police said on Sunday.", "Salem Avenue")
    lookalike = _shooting(
        "news-2", next_monday, "Dayton man killed in Third Street shooting",
        "Dayton police are investigating after a 31-year-old man was found shot on Third Street on Saturday. "
        "He was taken to Miami Valley Hospital, where he died; detectives have not named a suspect.", "Third Street")
    f_first, f_second, f_lookalike = (extractor.extract(a) for a in (first, second, lookalike))
    saturday = D(2015, 10, 17)
    assert saturday in f_first.days and saturday in f_second.days and saturday not in f_lookalike.days
    model = SameEventModel()
    same_day = pair_signals(f_second, f_first)[-1]
    assert same_day > 0 and pair_signals(f_lookalike, f_first)[-1] == 0.0
    assert model.score(f_second, f_first) == pytest.approx(
        model.score(replace(f_second, days=frozenset()), f_first) + model.days * same_day)
    assert model.score(f_second, f_first) > 3.0 > model.score(f_lookalike, f_first)  # sure enough to merge events


def test_articles_naming_only_different_years_are_told_apart(extractor):
    def heist(id: str, text: str):
        return _understood_dates(article(id, None, "Armed robbers raid Harry Winston store in Paris", text,
                                         [Entity("Harry Winston", "ORG", 1), Entity("Paris", "GPE", 1)]))
    old = extractor.extract(heist("heist-2008", "Robbers disguised as women stole jewels worth 85 million euros "
                                  "on December 4, 2008, the biggest jewel heist in French history."))
    new = extractor.extract(heist("heist-2013", "Thieves made off with two million euros of jewellery in 2013, "
                                  "five years after the store's 2008 raid, police said."))
    other = extractor.extract(heist("heist-2013b", "A gang stole watches and rings from the store on Avenue Montaigne "
                                    "in a raid in 2013."))
    undated = extractor.extract(heist("heist-undated", "Armed robbers stole jewels from the store, police said."))
    assert old.years == {2008} and new.years == {2008, 2013}
    no_shared_year = 7  # position of the signal in pair_signals
    assert pair_signals(old, other)[no_shared_year] == 1.0  # 2008 against 2013 only
    assert pair_signals(old, new)[no_shared_year] == 0.0  # the later story recalls the earlier year
    assert pair_signals(old, undated)[no_shared_year] == 0.0  # no year named: no evidence either way
