"""The active index: candidates by shared key and by embedding, retirement by date, eviction by recency."""

from __future__ import annotations

import copy
import pickle

from storyline.track.index import ActiveIndex, IndexEntry

from .conftest import D, embed

FIRE = embed("fire destroys furniture warehouse in Millbrook, firefighters evacuate workers")
FIRE_AGAIN = embed("warehouse fire in Millbrook: firefighters evacuate night-shift workers")
BASKETBALL = embed("Kingsport Sharks beat Lakeview Owls to win the state basketball final")
ELECTION = embed("mayor of Ashford wins re-election after recount of postal ballots")


def test_candidates_share_a_key_or_are_nearest_by_embedding():
    index = ActiveIndex(window_days=30, max_active=100, dense_k=1)
    index.put("fire", "fire report", ["millbrook", "harlow furniture"], FIRE, D(2024, 3, 4))
    index.put("final", "basketball final", ["kingsport sharks"], BASKETBALL, D(2024, 3, 6))
    index.put("election", "mayoral election", ["ashford"], ELECTION, D(2024, 3, 7))
    assert index.candidates(["millbrook"], None) == ["fire"]
    assert index.candidates(["ashford"], BASKETBALL) == ["election", "final"]
    assert index.candidates(["nowhere"], FIRE_AGAIN) == ["fire"]
    assert index.candidates(["nowhere"], None) == []


def test_keys_shared_by_too_many_items_retrieve_nothing():
    index = ActiveIndex(window_days=30, max_active=100, dense_k=1, max_postings=2)
    for n in range(3):
        index.put(f"report-{n}", n, ["millbrook", f"street-{n}"], FIRE, D(2024, 3, 4))
    assert index.candidates(["millbrook"], None) == []
    assert index.candidates(["millbrook", "street-1"], None) == ["report-1"]


def test_a_capped_index_keeps_the_candidates_sharing_the_rarest_keys():
    capped, uncapped = (ActiveIndex(window_days=30, max_active=100, dense_k=1, max_shared=cap) for cap in (2, None))
    for n in range(6):  # six reports from one town, two of them on Mill Lane, one naming the chief
        keys = ["millbrook"] + (["mill lane"] if n in (2, 4) else []) + (["chief ruiz"] if n == 4 else [])
        for index in (capped, uncapped):
            index.put(f"report-{n}", n, keys, None, D(2024, 3, 4))
    query = ["millbrook", "mill lane", "chief ruiz"]
    assert capped.candidates(query, None) == ["report-2", "report-4"]
    assert len(uncapped.candidates(query, None)) == 6
    assert len(capped.candidates(["millbrook"], None)) == 2


def test_refreshing_an_item_replaces_its_keys():
    index = ActiveIndex(window_days=30, max_active=100, dense_k=1)
    index.put("fire", "early", ["millbrook"], FIRE, D(2024, 3, 4))
    index.put("final", "final", ["kingsport sharks"], BASKETBALL, D(2024, 3, 6))
    index.put("fire", "later", ["harlow furniture"], FIRE, D(2024, 3, 5))
    assert index.candidates(["millbrook"], None) == []
    assert index.candidates(["harlow furniture"], None) == ["fire"]
    assert index.items["fire"] == "later" and len(index) == 2


def test_retire_before_removes_items_older_than_the_window_and_keeps_recent_and_early_undated():
    index = ActiveIndex(window_days=30, max_active=100, dense_k=5)
    index.put("old", "old", ["millbrook"], FIRE, D(2024, 1, 20))
    index.put("recent", "recent", ["millbrook"], FIRE_AGAIN, D(2024, 2, 15))
    index.put("undated", "undated", ["millbrook"], None, None)
    assert index.retire_before(D(2024, 3, 4)) == ["old"]
    assert "old" not in index and "recent" in index and "undated" in index
    assert index.candidates(["millbrook"], FIRE) == ["recent", "undated"]  # neither by key nor by embedding
    assert index.retire_before(D(2024, 3, 4)) == []


def test_an_undated_item_put_after_the_clock_started_retires_a_window_later():
    index = ActiveIndex(window_days=30, max_active=100, dense_k=5)
    index.put("first", "first", ["millbrook"], FIRE, D(2024, 3, 4))
    index.retire_before(D(2024, 3, 4))
    index.put("undated", "undated", ["millbrook"], None, None)  # counts as put on 4 March
    assert index.retire_before(D(2024, 4, 3)) == []
    assert index.retire_before(D(2024, 4, 4)) == ["first", "undated"]


def test_max_active_evicts_the_least_recently_updated():
    index = ActiveIndex(window_days=30, max_active=2, dense_k=1)
    index.put("fire", "fire", ["millbrook"], FIRE, D(2024, 3, 4))
    index.put("final", "final", ["kingsport sharks"], BASKETBALL, D(2024, 3, 6))
    assert index.put("fire", "fire, updated", ["millbrook"], FIRE, D(2024, 3, 7)) == []
    assert index.put("election", "election", ["ashford"], ELECTION, D(2024, 3, 7)) == ["final"]  # for its owner to retire
    assert list(index.items) == ["fire", "election"]
    assert "final" not in index.candidates(["kingsport sharks"], BASKETBALL)


def test_a_removed_item_is_found_neither_by_key_nor_by_embedding():
    index = ActiveIndex(window_days=30, max_active=100, dense_k=3)
    index.put("fire", "fire", ["millbrook"], FIRE, D(2024, 3, 4))
    index.put("final", "final", ["kingsport sharks"], BASKETBALL, D(2024, 3, 6))
    assert index.remove("fire") == "fire" and index.remove("fire") is None
    index.put("election", "election", ["ashford"], ELECTION, D(2024, 3, 7))  # may take the freed slot
    assert index.candidates(["millbrook"], FIRE) == ["election", "final"]
    assert index.candidates(["millbrook"], None) == []


def test_an_index_restored_from_its_entries_continues_as_the_one_saved():
    """The tracker saves an index as one entry per item (written when the item changes) and its free slots: the
    restored index has the same recency order, postings and embedding rows, and reuses the same freed slot."""
    index = ActiveIndex(window_days=30, max_active=3, dense_k=1)
    index.put("fire", "fire report", ["millbrook"], FIRE, D(2024, 3, 4))
    index.put("final", "basketball final", ["kingsport sharks"], BASKETBALL, D(2024, 3, 6))
    index.put("undated", "undated note", ["millbrook"], None, None)
    index.put("fire", "fire, updated", ["millbrook", "harlow furniture"], FIRE_AGAIN, D(2024, 3, 7))
    index.remove("final")
    assert index.take_changed() == {"fire", "final", "undated"} and index.take_changed() == set()
    restored = copy.deepcopy(index)  # the attributes outside PER_ITEM, as the tracker's core keeps them
    restored.restore([(id, pickle.loads(pickle.dumps(index.entry(id)))) for id in reversed(index.items)])
    assert list(restored.items) == ["undated", "fire"] and restored.items["fire"] == "fire, updated"
    assert restored.candidates(["harlow furniture"], None) == ["fire"]
    assert restored.candidates(["nowhere"], FIRE) == ["fire"]
    for each in (index, restored):
        each.put("election", "mayoral election", ["ashford"], ELECTION, D(2024, 3, 8))
        assert each.put("verdict", "verdict", ["court"], BASKETBALL, D(2024, 3, 9)) == ["undated"]
    assert restored._slots == index._slots and restored.candidates(["nowhere"], ELECTION) == ["election"]


def test_the_nearest_are_searched_by_the_embeddings_leading_dimensions_when_asked():
    """With ``dense_dims`` the search compares the leading dimensions only, at unit length (WordLlama's are trained
    to stand alone): an item close in those but not overall is the nearest, and the full rows are not kept."""
    import numpy as np

    def unit(*values):
        vector = np.array(values, dtype=np.float32)
        return vector / np.linalg.norm(vector)

    query = unit(1, 0, 1, 0)
    lead_alike, overall_alike = unit(1, 0, 0, 0), unit(0.5, 0.5, 1, 0)  # cosines: 1.0 / 0.71 leading, 0.71 / 0.87 overall
    found = {}
    for dims in (None, 2):
        index = ActiveIndex(window_days=30, max_active=100, dense_k=1, dense_dims=dims)
        index.put("lead", "alike in the leading dimensions", ["a"], lead_alike, D(2024, 3, 4))
        index.put("overall", "alike overall", ["b"], overall_alike, D(2024, 3, 4))
        found[dims] = index.candidates(["nowhere"], query)
        assert index.entry("overall").embedding.shape == (dims or 4,)
    assert found == {None: ["overall"], 2: ["lead"]}
    index.restore([("old", IndexEntry("saved with its full row", (), D(2024, 3, 4), 0, overall_alike, 1))])
    assert index.entry("old").embedding.shape == (2,) and index.candidates([], unit(0.6, 0.6, 0, 1)) == ["old"]


def test_an_index_saved_before_the_search_was_cut_searches_all_dimensions_as_it_did():
    """A store saved by the version before ``dense_dims`` (its core pickles the index without it) is continued; the
    restored index raised AttributeError on its first embedding ("storyline ingest" into a store of `8f65f43`)."""
    index = ActiveIndex(window_days=30, max_active=100, dense_k=1)
    index.put("fire", "fire report", ["millbrook"], FIRE, D(2024, 3, 4))
    state = pickle.loads(pickle.dumps(index)).__dict__
    del state["dense_dims"]
    saved_before = ActiveIndex.__new__(ActiveIndex)
    saved_before.__setstate__(state)
    assert saved_before.dense_dims is None and saved_before.candidates([], FIRE_AGAIN) == ["fire"]
    saved_before.restore([("final", index.entry("fire"))])
    assert saved_before.candidates(["nowhere"], FIRE) == ["final"]
