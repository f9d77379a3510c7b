"""The tracker end to end on articles: ids, batch independence, merges and redirects, retirement, saved state."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle

import pytest

from storyline.config import TrackConfig
from storyline.model import Entity
from storyline.track.tracker import Tracker

from .conftest import D, article, as_saved_whole, basketball_final, make_fragments, make_world


def assignments_of(articles) -> dict[str, tuple[str, str]]:
    return {a.id: (a.event_id, a.storyline_id) for a in articles}


def test_events_and_storylines_are_named_after_their_first_article(world):
    changes = Tracker().track(world)
    assert changes.assignments == {
        "gazette-fire": ("ev_gazette-fire", "sl_gazette-fire"),
        "courier-fire": ("ev_gazette-fire", "sl_gazette-fire"),
        "sport-final": ("ev_sport-final", "sl_sport-final"),
        "herald-fire": ("ev_herald-fire", "sl_herald-fire"),
        "gazette-arson": ("ev_gazette-arson", "sl_gazette-fire"),  # a month later: new event, same storyline
    }
    assert assignments_of(world) == changes.assignments
    assert changes.redirects == {} and changes.storyline_merges == {}


def test_an_early_page_named_by_site_furniture_is_renamed_by_its_first_line_once_the_furniture_repeats():
    """A crawl's first page titled "Web + tablette + mobile à partir de 1€" named the Libya storyline (CL-TLS fr):
    that title is only known to be furniture once three more pages carried it, by then the page is filed."""
    banner = "Web + tablette + mobile à partir de 1€"
    stories = [("38 blessés lors de manifestations en Libye", "Les forces de l'ordre sont intervenues à Benghazi."),
               ("Chronologie de la révolte libyenne", "Rappel des événements en Libye depuis le 15 février."),
               ("Un fils de Kadhafi apparaît à la télévision", "Des images ont montré Khamis, âgé de 28 ans."),
               ("La face sombre du régime Kadhafi", "La libération progressive des villes libyennes.")]
    pages = [article(f"p{n}", D(2011, 2, 16 + n), banner, f"{headline}\n{text}", [])
             for n, (headline, text) in enumerate(stories)]
    changes = Tracker().track(pages)
    event_of_first, storyline_of_first = changes.assignments["p0"]
    assert changes.events[event_of_first].title == "38 blessés lors de manifestations en Libye"
    assert changes.storylines[storyline_of_first]["title"] == "38 blessés lors de manifestations en Libye"
    assert banner not in {e.title for e in changes.events.values()}


def test_changes_describe_touched_events_and_storylines(world):
    changes = Tracker().track(world)
    fire = changes.events["ev_gazette-fire"]
    assert (fire.storyline_id, fire.first_date, fire.last_date, fire.article_ids) == (
        "sl_gazette-fire", D(2024, 3, 4), D(2024, 3, 4), ["gazette-fire", "courier-fire"])
    thread = changes.storylines["sl_gazette-fire"]
    assert (thread["first_date"], thread["last_date"], thread["events"], thread["articles"]) == (
        D(2024, 3, 4), D(2024, 4, 5), 2, 3)
    assert {"Harlow Furniture", "Millbrook", "Dana Whitfield"} <= set(thread["top_entities"][:4])
    assert sorted(changes.storylines) == ["sl_gazette-fire", "sl_herald-fire", "sl_sport-final"]


def test_month_and_weekday_names_are_not_shown_among_a_storylines_entities():
    """The capitalised-phrase reader takes "July" and "Saturday" for names (9% of gva's storylines showed one among
    their first six entities); they still count as shared words, but a storyline is not shown as about them."""
    final = basketball_final()
    dated = dataclasses.replace(final, entities=[Entity("July", "MISC", 9), Entity("Saturday", "MISC", 8),
                                                 *final.entities])
    changes = Tracker().track([dated])
    shown = changes.storylines["sl_sport-final"]["top_entities"]
    assert "Kingsport Sharks" in shown and not {"July", "Saturday"} & set(shown)


def test_a_storylines_entities_put_the_names_that_tell_it_apart_before_those_the_stream_shares():
    """A station's "Florida" and "News" in every report of the stream came first in a storyline's entities, more
    often named than its own people (gva: "News" in 27 storylines' first six); rarer names now come first."""
    final = basketball_final()
    others = [article(f"other-{n}", D(2023, 3, n + 1), f"Council votes on budget item {n}",  # a year before: retired
                      f"Item {n} of the budget passed.", [Entity("Florida", "GPE", 3), Entity("News", "ORG", 3)])
              for n in range(5)]
    named = dataclasses.replace(final, entities=[Entity("Florida", "GPE", 5), Entity("News", "ORG", 5), *final.entities])
    shown = Tracker().track([*others, named]).storylines["sl_sport-final"]["top_entities"]
    assert shown.index("Kingsport Sharks") < shown.index("Florida") and shown.index("Kingsport Sharks") < shown.index("News")


def test_an_event_retired_within_the_batch_keeps_its_final_state(world):
    tracker = Tracker()
    changes = tracker.track(world)  # the follow-up of 5 April retires the fire of 4 March
    assert "ev_gazette-fire" not in tracker.events.events
    assert changes.events["ev_gazette-fire"].article_ids == ["gazette-fire", "courier-fire"]
    assert set(changes.events) == {"ev_gazette-fire", "ev_sport-final", "ev_herald-fire", "ev_gazette-arson"}


def test_a_storyline_retired_within_the_batch_keeps_its_final_state():
    fire, courier, basketball, *_ = make_world()
    later = dataclasses.replace(basketball, id="sport-next-season", published=D(2024, 11, 20))
    tracker = Tracker()
    changes = tracker.track([fire, courier, basketball, later])
    assert "sl_gazette-fire" not in tracker.storylines.storylines
    assert changes.storylines["sl_gazette-fire"]["articles"] == 2
    assert changes.events["ev_gazette-fire"].article_ids == ["gazette-fire", "courier-fire"]


def test_display_names_are_kept_only_for_entities_of_active_storylines():
    tracker, final = Tracker(), basketball_final()
    ordinals = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()
    for season in range(12):  # a year apart: each season's storyline retires before the next
        title = f"{final.title} of {2024 + season}"  # each year's report in its own words, not page furniture
        game = dataclasses.replace(final, id=f"final-{season}", published=D(2024 + season, 3, 6), title=title,
                                   text=final.text.replace(final.title, title)
                                   .replace(".", f" for the {ordinals[season]} time.", 1),
                                   entities=[Entity(f"Team {season}", "ORG", 3), *final.entities])
        changes = tracker.track([game])
        assert f"Team {season}" in changes.storylines[f"sl_final-{season}"]["top_entities"]
        active = {key for state in tracker.storylines.storylines.values() for key in state.profile.actors}
        assert len(tracker.features.entity_names) <= 2 * len(active)
    assert "team 0" not in tracker.features.entity_names


@pytest.mark.parametrize("split", [1, 2, 3, 4])
def test_assignments_do_not_depend_on_how_the_stream_is_batched(split):
    reference = Tracker().track(make_world()).assignments
    articles = make_world()
    tracker = Tracker()
    first, second = tracker.track(articles[:split]), tracker.track(articles[split:])
    assert assignments_of(articles) == reference
    assert {**first.assignments, **second.assignments} == reference


def test_a_bridging_report_merges_events_and_redirects_collapse_chains():
    tracker = Tracker()
    wire, smoke, workers, roundup, full = make_fragments()
    first = tracker.track([wire, smoke, workers])
    assert len(set(first.assignments.values())) == 3
    # the round-up links the smoke and the workers' fragments: the workers' event and storyline are absorbed
    second = tracker.track([roundup])
    assert second.redirects == {"ev_tv-workers": "ev_radio-smoke", "sl_tv-workers": "sl_radio-smoke"}
    assert second.assignments == {id: ("ev_radio-smoke", "sl_radio-smoke")
                                  for id in ("radio-smoke", "tv-workers", "paper-roundup")}
    assert set(second.events) == {"ev_radio-smoke"} and set(second.storylines) == {"sl_radio-smoke"}
    # the full report links the fire and the merged event: everything ends in the wire's event
    third = tracker.track([full])
    assert third.redirects == {"ev_radio-smoke": "ev_wire-fire", "sl_radio-smoke": "sl_wire-fire"}
    assert set(third.events) == {"ev_wire-fire"}
    assert third.events["ev_wire-fire"].article_ids == [a.id for a in make_fragments()]


def test_within_one_batch_redirect_chains_collapse_to_the_survivor():
    articles = make_fragments()
    changes = Tracker().track(articles)
    assert changes.redirects == {
        "ev_tv-workers": "ev_wire-fire", "ev_radio-smoke": "ev_wire-fire",
        "sl_tv-workers": "sl_wire-fire", "sl_radio-smoke": "sl_wire-fire",
    }
    assert set(changes.assignments.values()) == {("ev_wire-fire", "sl_wire-fire")}
    assert set(changes.events) == {"ev_wire-fire"} and set(changes.storylines) == {"sl_wire-fire"}
    assert changes.storylines["sl_wire-fire"]["articles"] == 5 and changes.storylines["sl_wire-fire"]["events"] == 1


def test_articles_of_the_batch_carry_their_final_assignment_after_merges():
    articles = make_fragments()
    changes = Tracker().track(articles)
    assert assignments_of(articles) == changes.assignments


def test_storylines_that_grow_alike_merge_and_their_events_follow(world):
    # thresholds too strict to join an event or link a storyline: two events and two threads of one fire
    config = TrackConfig(event_threshold=100.0, event_merge_threshold=100.0, storyline_threshold=10.0)
    late = dataclasses.replace(world[1], published=D(2024, 3, 5))  # the later report is filed first
    tracker = Tracker(config)
    first = tracker.track([late])
    changes = tracker.track([world[0]])
    assert first.assignments == {"courier-fire": ("ev_courier-fire", "sl_courier-fire")}
    assert changes.storyline_merges == {"sl_courier-fire": "sl_gazette-fire"}
    assert changes.redirects == {"sl_courier-fire": "sl_gazette-fire"}
    assert changes.assignments == {"gazette-fire": ("ev_gazette-fire", "sl_gazette-fire"),
                                   "courier-fire": ("ev_courier-fire", "sl_gazette-fire")}
    assert changes.events["ev_courier-fire"].storyline_id == "sl_gazette-fire"
    assert set(changes.storylines) == {"sl_gazette-fire"} and changes.storylines["sl_gazette-fire"]["events"] == 2


def test_restoring_something_else_is_refused():
    with pytest.raises(ValueError, match="not a Tracker"):
        Tracker.from_bytes(pickle.dumps({"newest": dt.date(2024, 3, 4)}))


class _OldDocumentFrequencies:
    """Pickles as the document frequencies of an earlier version did: a plain Counter of keys."""

    def __reduce__(self):
        from collections import Counter

        from storyline.track.features import DocumentFrequencies

        return object.__new__, (DocumentFrequencies,), {"documents": 3, "counts": Counter({"fire": 2})}


def test_a_state_saved_by_another_version_is_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="another version of Storyline"):
        Tracker.from_bytes(pickle.dumps({"term_df": _OldDocumentFrequencies()}))


def test_a_split_moves_the_look_alikes_reports_to_a_new_event_of_the_same_storyline():
    """Reports of two look-alike happenings, bridged by one resembling both, with scripted same-event scores."""
    from storyline.model import Article

    from .test_events import GroupScores

    ids = ["a-1", "a-2", "a-3", "a-4", "bridge-1", "b-1", "b-2", "b-3", "b-4"]
    articles = [Article(id=id, title=f"Report {id}", text=f"Report {id}\nA warehouse burned.", lang="en",
                        published=dt.date(2024, 3, day)) for day, id in enumerate(ids, 1)]
    tracker = Tracker()
    tracker.events.model = GroupScores()
    first = tracker.track(articles[:-1])
    assert set(first.assignments.values()) == {("ev_a-1", "sl_a-1")}
    second = tracker.track(articles[-1:])
    assert second.assignments == {id: ("ev_b-1", "sl_a-1") for id in ids[5:]}
    assert second.events["ev_b-1"].article_ids == ids[5:] and second.events["ev_a-1"].article_ids == ids[:5]
    assert second.storylines["sl_a-1"]["events"] == 2 and second.redirects == {}
    assert assignments_of(articles[-1:]) == {"b-4": ("ev_b-1", "sl_a-1")}


def test_a_state_saved_before_events_could_split_is_continued():
    unbroken = make_world()
    Tracker().track(unbroken)
    articles = make_world()
    old = Tracker()
    old.track(articles[:2])  # the fire, reported twice: one event
    for name in ("split_threshold", "min_split", "split_members"):
        delattr(old.events, name)
    as_saved_whole(old)
    for event in old.events.events.values():
        for name in ("dates", "members", "scores"):
            del event.__dict__[name]
    restored = Tracker.from_bytes(pickle.dumps(old))
    restored.track(articles[2:])
    assert assignments_of(articles) == assignments_of(unbroken)
    assert restored.events.min_split == 4


def test_a_date_read_from_the_text_does_not_move_the_clock_of_a_stream_with_publication_dates():
    """A text's date is a guess (ECB+'s undated reports name dates years ahead of the CL-TLS stream they were mixed
    into): once the stream gives publication dates, it retires nothing, and the fire's second report still joins."""
    fire, courier, final, *_ = make_world()
    undated = dataclasses.replace(final, id="undated-final", published=None, mentioned_dates=[D(2025, 6, 1)])
    tracker = Tracker()
    tracker.track([fire, undated, courier])
    assert courier.event_id == fire.event_id == "ev_gazette-fire"
    assert tracker.newest == fire.published and undated.date == D(2025, 6, 1)
    text_dated_only = Tracker()  # with no publication date at all, the text's dates are all the clock there is
    text_dated_only.track([undated])
    assert text_dated_only.newest == D(2025, 6, 1)


def test_a_state_saved_before_the_clock_followed_publication_dates_is_continued():
    unbroken = make_world()
    Tracker().track(unbroken)
    articles = make_world()
    old = Tracker()
    old.track(articles[:2])
    del old.__dict__["clock_published"]
    as_saved_whole(old)
    restored = Tracker.from_bytes(pickle.dumps(old))
    restored.track(articles[2:])
    assert assignments_of(articles) == assignments_of(unbroken)


def test_a_full_index_retires_what_it_pushes_out_and_keeps_its_final_state(world):
    """Only ``max_active_articles`` articles and ``max_active_storylines`` storylines stay active (a stream of
    millions a day fills them within the window): what a full index pushes out retires as if too old, so that the
    tracker's memory stays bounded, and what this batch touched is saved as it was last."""
    tracker = Tracker(dataclasses.replace(TrackConfig(), max_active_articles=2, max_active_storylines=1))
    changes = tracker.track(world)
    events, storylines = tracker.events, tracker.storylines
    assert set(events.event_of) == set(events.articles.items) == {"herald-fire", "gazette-arson"}
    assert {events.event_of[a] for a in events.event_of} == set(events.events)
    assert list(storylines.storylines) == list(storylines.active.items) and len(storylines.storylines) == 1
    assert changes.events["ev_gazette-fire"].article_ids == ["gazette-fire", "courier-fire"]
    assert changes.storylines["sl_gazette-fire"]["articles"] == 2
    assert changes.storylines["sl_sport-final"]["articles"] == 1
