"""The tracker's saved state: a core plus one record per active article, event and storyline, written as they
change. A tracker restored from what was saved after any batch continues exactly as the one that never stopped."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import re
import zlib
from pathlib import Path

import pytest

from storyline.config import TrackConfig
from storyline.track.features import SparseVector
from storyline.track.state import ARTICLE, EVENT, STORYLINE, restore_tracker, take_state_changes
from storyline.track.tracker import Tracker

from .conftest import as_saved_whole, make_world

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
TIGHT = dataclasses.replace(TrackConfig(), max_active_articles=50, max_active_storylines=60)  # a full index evicts


class SavedState:
    """What a store holds of the tracker: the latest core, and the records as written and deleted so far."""

    def __init__(self) -> None:
        self.core, self.records = b"", {}

    def save(self, tracker: Tracker) -> None:
        changes = take_state_changes(tracker)
        self.core = changes.core
        for id, blob in changes.records.items():
            if blob is None:
                self.records.pop(id, None)
            else:
                self.records[id] = blob

    def restore(self) -> Tracker:
        return restore_tracker(self.core, list(self.records.items()))


@pytest.mark.parametrize("split", [1, 2, 3, 4])
def test_a_restored_tracker_continues_identically(split):
    reference = Tracker()
    reference.track(make_world()[:split])
    expected = reference.track(make_world()[split:])
    saved, state = Tracker(), SavedState()
    saved.track(make_world()[:split])
    state.save(saved)
    restored = state.restore()
    got = restored.track(make_world()[split:])
    assert got.assignments == expected.assignments
    assert got.events == expected.events and got.storylines == expected.storylines
    assert restored.newest == reference.newest


def test_the_records_are_one_per_active_article_event_and_storyline_and_only_changed_ones_are_written_again():
    world = make_world()
    tracker, state = Tracker(), SavedState()
    tracker.track(world[:4])  # the fire twice, the final, the look-alike fire
    state.save(tracker)
    assert sorted(state.records) == sorted(
        [ARTICLE + a.id for a in world[:4]] + [EVENT + e for e in tracker.events.events]
        + [STORYLINE + s for s in tracker.storylines.storylines])
    tracker.track(world[4:])  # the follow-up, a month later: a new event of the fire's storyline
    changes = take_state_changes(tracker)
    written = {id for id, blob in changes.records.items() if blob is not None}
    assert written == {ARTICLE + "gazette-arson", EVENT + "ev_gazette-arson", STORYLINE + "sl_gazette-fire"}
    deleted = {id for id, blob in changes.records.items() if blob is None}  # out of the 30-day window by then
    assert deleted == {ARTICLE + "gazette-fire", ARTICLE + "courier-fire", EVENT + "ev_gazette-fire"}


def test_a_tracker_pickled_whole_by_an_earlier_version_is_continued_and_then_saved_as_records():
    unbroken = make_world()
    expected = Tracker()
    expected.track(unbroken[:2])
    expected = expected.track(unbroken[2:])
    old = Tracker()
    old.track(make_world()[:2])
    as_saved_whole(old)
    restored = Tracker.from_bytes(pickle.dumps(old))
    state = SavedState()
    state.save(restored)  # everything counts as changed, so the first save writes it all
    assert {ARTICLE + "gazette-fire", ARTICLE + "courier-fire", EVENT + "ev_gazette-fire"} <= set(state.records)
    assert state.restore().track(make_world()[2:]).assignments == expected.assignments


def as_saved_before_vectors_were_compact(tracker: Tracker, articles) -> None:
    """Give the tracker's articles dict vectors, entity keys as strings, and its profiles string entity keys, as
    the version before compact vectors kept them."""
    keys = {e.key for a in articles for e in a.entities}
    keys |= {"#" + number for a in articles for number in re.findall(r"\d+(?:\.\d+)?", a.text)}  # "#2.5", "#40"
    key_of = {zlib.crc32(key.encode()): key for key in keys}
    for features in tracker.events.articles.items.values():
        features.terms, features.title_terms = dict(features.terms.items()), dict(features.title_terms.items())
        features.entities = {key_of[id]: weight for id, weight in features.entities.items()}
    for state in [*tracker.events.events.values(), *tracker.storylines.storylines.values()]:
        state.profile.entities = {key_of[id]: weight for id, weight in state.profile.entities.items()}


@pytest.mark.parametrize("split", [2, 4])
def test_a_state_saved_before_article_vectors_were_compact_is_continued(split):
    reference = Tracker()
    reference.track(make_world()[:split])
    expected = reference.track(make_world()[split:])
    old, state, articles = Tracker(), SavedState(), make_world()
    old.track(articles[:split])
    as_saved_before_vectors_were_compact(old, articles)
    state.save(old)
    restored = state.restore()
    assert all(isinstance(features.entities, SparseVector) for features in restored.events.articles.items.values())
    got = restored.track(make_world()[split:])
    assert got.assignments == expected.assignments
    assert got.events == expected.events and got.storylines == expected.storylines


def test_a_core_that_is_not_a_tracker_is_refused():
    with pytest.raises(ValueError, match="not a Tracker"):
        restore_tracker(pickle.dumps({"newest": None}), [])


@pytest.fixture(scope="module")
def gva_understood():
    path = SHARED / "data" / "gva" / "docs.jsonl"
    if not path.exists():
        pytest.skip(f"the Gun Violence Archive set is not available at {path} (the shared folder beside the repository)")
    from storyline.evaluate.runner import load_labelled
    from storyline.ingest.ordering import processing_order
    from storyline.understand import Understander

    articles = sorted(load_labelled(path)[0], key=processing_order)[:1200]
    understander = Understander()
    try:
        understander.understand(articles)
    finally:
        understander.close()
    return articles


@pytest.mark.slow
def test_on_real_news_a_tracker_restored_after_every_batch_files_everything_as_one_that_never_stopped(gva_understood):
    """1,200 gva articles in batches of 50, with indexes small enough to push out articles and storylines: one
    tracker runs through; another is saved and restored from its records between every two batches."""
    unbroken, restarted, state, fullest = Tracker(TIGHT), None, SavedState(), [0, 0]
    articles = copy.deepcopy(gva_understood)
    for start in range(0, len(articles), 50):
        batch = articles[start:start + 50]
        expected = unbroken.track(copy.deepcopy(batch))
        restarted = Tracker(TIGHT) if restarted is None else state.restore()
        got = restarted.track(batch)
        assert got.assignments == expected.assignments
        assert got.events == expected.events and got.storylines == expected.storylines
        assert got.redirects == expected.redirects
        state.save(restarted)
        fullest = [max(n, len(index)) for n, index in zip(fullest, (restarted.events.articles, restarted.storylines.active))]
    assert fullest == [50, 60]  # both indexes were full, and pushed out what they could not hold
    events, storylines = restarted.events, restarted.storylines
    assert set(state.records) == ({ARTICLE + a for a in events.articles.items} | {EVENT + e for e in events.events}
                                  | {STORYLINE + s for s in storylines.storylines})
    assert restarted.events.event_of == unbroken.events.event_of
