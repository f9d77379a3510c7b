"""Behaviour of the SQLite store on a small realistic news world (see conftest.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import numpy as np
import pytest

from storyline.model import Article, Entity, Event, Storyline
from storyline.store import SQLiteStore, StoreError, StorylineFilter, open_store
from storyline.store.base import SCHEMA_VERSION
from storyline.store.sqlite import fts_query

D = dt.date


def assert_same_article(got: Article, expected: Article) -> None:
    for field in dataclasses.fields(Article):
        got_value, expected_value = getattr(got, field.name), getattr(expected, field.name)
        if field.name == "embedding" and expected_value is not None:
            assert got_value.dtype == np.float32
            np.testing.assert_array_equal(got_value, expected_value)
        else:
            assert got_value == expected_value, field.name


def test_articles_round_trip_every_field_after_reopening(filled, tmp_path, articles):
    filled.close()
    with SQLiteStore(tmp_path / "store.db") as reopened:
        expected = {article.id: article for article in articles}
        got = reopened.get_articles(["kr-talks", "missing", "us-shooting-arrest", "kr-closing"])
        assert [article.id for article in got] == ["kr-talks", "us-shooting-arrest", "kr-closing"]
        for article in got:
            assert_same_article(article, expected[article.id])
        assert isinstance(got[0].published, dt.date) and isinstance(got[0].entities[0], Entity)
        assert got[0].embedding.flags.writeable


def test_iter_articles_streams_in_ingest_order(filled, articles):
    ids = [article.id for article in filled.iter_articles(batch_size=2)]
    assert ids == [article.id for article in articles]


def test_adding_a_stored_or_repeated_id_is_refused(filled, articles):
    with pytest.raises(ValueError, match="kr-talks"):
        filled.add_articles([articles[3]])
    fresh = Article(id="new", title="Headline", text="Body")
    with pytest.raises(ValueError, match="repeated.*new"):
        filled.add_articles([fresh, fresh])
    assert filled.stats()["articles"] == 6


def test_metadata_that_json_cannot_hold_names_the_article(store):
    odd = Article(id="odd-1", title="Headline", text="Body", metadata={"fetched": dt.datetime(2018, 1, 9)})
    with pytest.raises(ValueError, match="odd-1"):
        store.add_articles([odd])


def test_existing_ids_and_content_hashes(filled):
    assert filled.existing_ids(["kr-talks", "nope", "fr-seine"]) == {"kr-talks", "fr-seine"}
    assert filled.existing_ids([]) == set()
    assert filled.ids_by_content_hash(["h-talks", "h-unknown"]) == {"h-talks": "kr-talks"}
    talks = filled.stored_texts(["kr-talks", "nope"])
    assert list(talks) == ["kr-talks"] and talks["kr-talks"][0] == "h-talks"


def test_recent_minhashes_skip_duplicates_and_old_articles(filled, store):
    with store.transaction():
        store.add_articles(
            [Article(id="kr-copy-2", title="Copy", text="Copy", published=D(2018, 1, 10), duplicate_of="kr-talks")],
            minhashes={"kr-copy-2": b"\x09"},
        )
    shooting = ("us-shooting", b"\x03\x04", D(2016, 5, 2), "Two men shot on Chicago's South Side")
    talks = ("kr-talks", b"\x01\x02", D(2018, 1, 9), "North Korea to send team to Olympics in South Korea in breakthrough")
    assert filled.recent_minhashes(None, 10) == [shooting, talks]
    assert filled.recent_minhashes(D(2017, 1, 1), 10) == [talks]
    assert filled.recent_minhashes(None, 1) == [talks]


def test_transaction_rolls_back_everything_on_error(store, articles, events):
    with pytest.raises(RuntimeError, match="crash"):
        with store.transaction():
            store.add_articles(articles)
            store.save_events(events)
            store.put_state("tracker", b"active")
            raise RuntimeError("crash mid-batch")
    assert store.stats() == {"articles": 0, "events": 0, "storylines": 0, "duplicates": 0}
    assert store.get_state("tracker") is None
    assert store.search("Korea") == []
    store.add_articles(articles[:1])  # the connection is usable afterwards
    assert store.stats()["articles"] == 1


def test_nested_transaction_error_escaping_both_rolls_back_both(store, events, storylines):
    with pytest.raises(KeyError):
        with store.transaction():
            store.save_events(events)
            with store.transaction():
                store.save_storylines(storylines)
                raise KeyError("inner failure")
    assert store.stats()["events"] == 0 and store.stats()["storylines"] == 0


def test_nested_transaction_error_caught_inside_undoes_only_the_inner_block(store, events, storylines):
    with store.transaction():
        store.save_events(events)
        with pytest.raises(ValueError):
            with store.transaction():
                store.save_storylines(storylines)
                store.add_articles([Article(id="a", title="t", text="x"), Article(id="a", title="t", text="x")])
        store.put_state("after", b"ok")
    assert store.stats()["events"] == 4 and store.stats()["storylines"] == 0
    assert store.get_state("after") == b"ok"


def test_writes_are_visible_to_another_connection_only_after_commit(store, tmp_path, events):
    with SQLiteStore(tmp_path / "store.db") as reader:
        with store.transaction():
            store.save_events(events)
            assert reader.stats()["events"] == 0
        assert reader.stats()["events"] == 4


def test_events_and_storylines_come_back_in_date_order(filled):
    shooting = filled.get_event("ev-shooting")
    assert shooting.article_ids == ["us-shooting", "us-shooting-arrest"]  # the undated one by its mentioned date
    assert (shooting.first_date, shooting.last_date, shooting.article_count) == (D(2016, 5, 2), D(2016, 5, 3), 2)
    assert filled.get_event("ev-talks").article_ids == ["kr-talks", "kr-talks-copy"]  # same date: ingest order
    korea = filled.get_storyline("sl-korea")
    assert korea.event_ids == ["ev-talks", "ev-closing"]
    assert korea.top_entities == ["North Korea", "South Korea", "Moon Jae-in"]
    events = filled.events_of_storyline("sl-korea")
    assert [event.id for event in events] == ["ev-talks", "ev-closing"]
    assert events[1].article_ids == ["kr-closing"]
    assert filled.get_event("ev-unknown") is None and filled.get_storyline("sl-unknown") is None


def test_saving_again_replaces_events_and_storylines(filled, events, storylines):
    grown = dataclasses.replace(events[2], last_date=D(2018, 2, 1), article_count=5, title="Crue de la Seine")
    filled.save_events([grown])
    assert filled.get_event("ev-seine") == dataclasses.replace(grown, article_ids=["fr-seine"])
    filled.save_storylines([dataclasses.replace(storylines[1], top_entities=["Seine", "Paris", "RER C"])])
    assert filled.get_storyline("sl-seine").top_entities == ["Seine", "Paris", "RER C"]
    assert filled.stats()["events"] == 4


def test_merge_with_redirect_chain(filled):
    # ev-closing merges into ev-talks, then ev-talks into a new ev-olympics: both old ids lead to the new one
    with filled.transaction():
        olympics = Event("ev-olympics", "sl-korea", "North Korea at the Olympics", D(2018, 1, 9), D(2018, 2, 25), 3)
        filled.save_events([olympics])
        korean = ["kr-talks", "kr-talks-copy", "kr-closing"]
        filled.reassign_articles({id: ("ev-olympics", "sl-korea") for id in korean})
        filled.add_redirects({"ev-closing": "ev-talks"})
        filled.add_redirects({"ev-talks": "ev-olympics"})
        filled.delete_events(["ev-closing", "ev-talks"])
    assert filled.resolve("ev-closing") == "ev-olympics"
    assert filled.resolve("ev-olympics") == "ev-olympics"
    merged = filled.get_event("ev-closing")
    assert merged.id == "ev-olympics"
    assert merged.article_ids == ["kr-talks", "kr-talks-copy", "kr-closing"]
    assert [event.id for event in filled.events_of_storyline("sl-korea")] == ["ev-olympics"]
    assert filled.get_articles(["kr-closing"])[0].event_id == "ev-olympics"


def test_an_event_split_off_again_after_a_merge_is_live_under_its_own_id(filled):
    """ev-closing merged into ev-talks; later a split makes it anew: its id no longer redirects, and merging the
    other way round (ev-talks into it) is no cycle."""
    with filled.transaction():
        filled.add_redirects({"ev-closing": "ev-talks"})
        filled.reassign_articles({"kr-closing": ("ev-talks", "sl-korea")})
        filled.delete_events(["ev-closing"])
    with filled.transaction():
        filled.save_events([Event("ev-closing", "sl-korea", "Closing ceremony", D(2018, 2, 25), D(2018, 2, 25), 1)])
        filled.reassign_articles({"kr-closing": ("ev-closing", "sl-korea")})
    assert filled.resolve("ev-closing") == "ev-closing"
    assert filled.get_event("ev-closing").article_ids == ["kr-closing"]
    filled.add_redirects({"ev-talks": "ev-closing"})
    assert filled.resolve("ev-talks") == "ev-closing"


def test_reassigned_articles_take_their_reprints_along(filled):
    """A reprint is filed where its original is; when a later merge moves the original, the reprint follows."""
    with filled.transaction():
        filled.reassign_articles({"kr-talks": ("ev-closing", "sl-korea")})
    by_id = {a.id: a for a in filled.get_articles(["kr-talks", "kr-talks-copy"])}
    assert by_id["kr-talks-copy"].duplicate_of == "kr-talks"
    assert by_id["kr-talks-copy"].event_id == by_id["kr-talks"].event_id == "ev-closing"


def test_storyline_redirects_are_followed(filled):
    with filled.transaction():
        filled.add_redirects({"sl-seine": "sl-europe-weather"})
        filled.save_storylines([Storyline("sl-europe-weather", "Europe weather", D(2018, 1, 28), D(2018, 1, 28), 0, 0)])
        filled.delete_storylines(["sl-seine"])
    assert filled.get_storyline("sl-seine").id == "sl-europe-weather"
    assert filled.stats()["storylines"] == 4


def test_redirect_cycles_are_refused(filled):
    filled.add_redirects({"ev-a": "ev-b", "ev-b": "ev-c"})
    with pytest.raises(ValueError, match="cycle"):
        filled.add_redirects({"ev-c": "ev-a"})
    with pytest.raises(ValueError, match="cycle"):
        filled.add_redirects({"ev-d": "ev-d"})
    with pytest.raises(ValueError, match="cycle"):
        filled.add_redirects({"ev-x": "ev-y", "ev-y": "ev-x"})
    assert filled.resolve("ev-a") == "ev-c"
    assert filled.resolve("ev-x") == "ev-x"  # the refused batch left nothing behind


def test_a_cycle_written_behind_the_stores_back_is_reported(filled, tmp_path):
    with sqlite3.connect(tmp_path / "store.db") as connection:
        connection.executemany("INSERT INTO redirects VALUES (?, ?)", [("ev-a", "ev-b"), ("ev-b", "ev-a")])
    with pytest.raises(StoreError, match="ev-a -> ev-b -> ev-a"):
        filled.resolve("ev-a")


def test_list_storylines_newest_activity_first_undated_last(filled):
    assert [s.id for s in filled.list_storylines()] == ["sl-korea", "sl-seine", "sl-chicago", "sl-undated"]
    assert filled.list_storylines()[0].event_ids == ["ev-talks", "ev-closing"]
    assert [s.id for s in filled.list_storylines(StorylineFilter(limit=2))] == ["sl-korea", "sl-seine"]


@pytest.mark.parametrize(
    "filters, expected",
    [
        (StorylineFilter(query="Panmunjom"), ["sl-korea"]),
        (StorylineFilter(query="police"), ["sl-seine", "sl-chicago"]),
        (StorylineFilter(query="préfecture police"), ["sl-seine"]),
        (StorylineFilter(query='Chicago\'s "South Side"'), ["sl-chicago"]),
        (StorylineFilter(query="tsunami"), []),
        (StorylineFilter(query=" -- "), []),
        (StorylineFilter(entity="KIM JONG UN"), ["sl-korea"]),
        (StorylineFilter(entity="englewood"), ["sl-chicago"]),
        (StorylineFilter(entity="Atlantis"), []),
        (StorylineFilter(since=D(2018, 2, 1)), ["sl-korea"]),
        (StorylineFilter(since=D(2016, 5, 3), until=D(2016, 12, 31)), ["sl-chicago"]),
        (StorylineFilter(until=D(2018, 1, 9)), ["sl-korea", "sl-chicago"]),
        (StorylineFilter(lang="fr"), ["sl-seine"]),
        (StorylineFilter(lang="en", entity="North Korea", since=D(2018, 1, 1)), ["sl-korea"]),
        (StorylineFilter(lang="fr", entity="Chicago"), []),
    ],
)
def test_list_storylines_filters(filled, filters, expected):
    assert [s.id for s in filled.list_storylines(filters)] == expected


def test_entity_counts_merge_alias_forms_and_rank_by_articles(filled):
    counts = filled.entity_counts(["kr-talks", "kr-talks-copy", "kr-closing", "missing"], limit=4)
    assert [(c.name, c.label, c.articles, c.mentions) for c in counts] == [
        ("North Korea", "GPE", 3, 7),
        ("South Korea", "GPE", 2, 2),
        ("Kim Jong Un", "PERSON", 1, 2),  # "Kim Jong-un" + "Kim Jong Un" in one article
        ("Moon Jae-in", "PERSON", 1, 2),
    ]
    assert filled.entity_counts([]) == []
    without = filled.entity_counts(["kr-talks", "kr-talks-copy", "kr-closing"], limit=3, exclude=["south korea"])
    assert [c.name for c in without] == ["North Korea", "Kim Jong Un", "Moon Jae-in"]  # excluded by key


def test_an_entity_shows_the_type_a_model_gave_it_over_the_fallbacks_unknown(store):
    """NER reads the lede: a name further down is found untyped (MISC); where another article typed it, that counts."""
    with store.transaction():
        store.add_articles([
            Article(id="talks", title="Talks", text="Talks.", entities=[Entity("Donald Trump", "PERSON", 1)]),
            Article(id="games", title="Games", text="Games.", entities=[Entity("Donald Trump", "MISC", 2),
                                                                         Entity("Seoul", "MISC", 1)]),
        ])
    counts = store.entity_counts(["talks", "games"])
    assert [(c.name, c.label, c.articles, c.mentions) for c in counts] == [
        ("Donald Trump", "PERSON", 2, 3), ("Seoul", "MISC", 1, 1)]


def test_search_ranks_title_matches_first_and_marks_snippets(filled):
    hits = filled.search("Englewood shooting")
    assert [hit.article_id for hit in hits] == ["us-shooting-arrest", "us-shooting"]
    assert "[Englewood]" in hits[0].snippet and "[shooting]" in hits[0].snippet
    assert hits[0].score > hits[1].score > 0
    assert (hits[1].event_id, hits[1].storyline_id, hits[1].published) == ("ev-shooting", "sl-chicago", D(2016, 5, 2))
    assert hits[0].published is None


@pytest.mark.parametrize(
    "query, expected",
    [
        ('"Kim Jong-un', {"kr-closing"}),
        ("Jong-un AND Moon:", {"kr-closing"}),
        ("Pyongyang's delegate (Olympics)", {"kr-closing"}),
        ("Olympics* -cheerleaders", {"kr-talks", "kr-talks-copy"}),
        ('"South Side" Chicago', {"us-shooting"}),
        ('"Side South"', set()),
        ("crue a paris", {"fr-seine"}),  # accents and case folded
        ("5,84", {"fr-seine"}),
        ("", set()),
        ('  " - : * ( ) ', set()),
        ("Pyongyang Chicago", set()),
        ('"Kim Jong-un" OR "South Side" Chicago', {"kr-closing", "us-shooting"}),  # the words around OR bind first
        ("Pyongyang OR Chicago Seine", {"kr-closing"}),  # no article names both Chicago and the Seine
        ("OR", set()),
    ],
)
def test_search_reads_odd_user_strings_as_words(filled, query, expected):
    assert {hit.article_id for hit in filled.search(query)} == expected


def test_search_limit(filled):
    assert len(filled.search("North Korea", limit=2)) == 2
    assert len(filled.search("North Korea")) == 3


def test_fts_query_quotes_every_word():
    assert fts_query('Kim "Jong-un" OR') == '"Kim" "Jong-un"'  # an OR joining nothing is dropped
    assert fts_query('Kim OR OR "OR" or Moon') == '"Kim" OR "OR" "or" "Moon"'  # only a bare upper-case OR joins
    assert fts_query('"South Side" Chicago\'s "Kim') == '"South Side" "Chicago\'s" """Kim"'
    assert fts_query(" ... ") is None


def test_stats_counts_duplicates_among_articles(filled):
    assert filled.stats() == {"articles": 6, "events": 4, "storylines": 4, "duplicates": 1}


def test_state_blobs(store):
    assert store.get_state("tracker") is None
    store.put_state("tracker", b"\x00\xffactive events\x00")
    store.put_state("tracker", bytearray(b"\x00second"))
    store.put_state("lsh", b"")
    assert store.get_state("tracker") == b"\x00second"
    assert store.get_state("lsh") == b""
    store.put_state("tracker", None)
    assert store.get_state("tracker") is None and store.get_state("lsh") == b""


def test_state_records_are_written_replaced_and_deleted_by_id(store):
    store.put_state_records("tracker", {"a:kr-talks": b"\x00talks", "e:ev_kr-talks": b"event", "s:sl_kr": b"thread"})
    store.put_state_records("dedup", {"a:kr-talks": b"other key"})
    store.put_state_records("tracker", {"a:kr-talks": b"\x00talks, later", "e:ev_kr-talks": None, "e:gone": None})
    assert sorted(store.state_records("tracker")) == [("a:kr-talks", b"\x00talks, later"), ("s:sl_kr", b"thread")]
    assert list(store.state_records("dedup")) == [("a:kr-talks", b"other key")]


def test_state_records_written_in_a_failed_transaction_are_rolled_back(store):
    store.put_state_records("tracker", {"a:kr-talks": b"saved"})
    with pytest.raises(RuntimeError, match="crash"):
        with store.transaction():
            store.put_state_records("tracker", {"a:kr-talks": None, "a:kr-closing": b"new"})
            raise RuntimeError("crash mid-batch")
    assert list(store.state_records("tracker")) == [("a:kr-talks", b"saved")]


def test_newer_schema_is_refused_with_the_path(tmp_path):
    path = tmp_path / "future.db"
    SQLiteStore(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match=f"future.db.*version {SCHEMA_VERSION + 1}"):
        SQLiteStore(path)


def test_a_store_of_the_schema_before_is_upgraded_in_place(filled, tmp_path, articles):
    """Version 1 had no ``boilerplate_lines`` and, like version 2, no ``state_records``: such a store gains both,
    and its articles read as before."""
    filled.close()
    path, original = tmp_path / "store.db", next(a for a in articles if a.id == "kr-closing")
    with sqlite3.connect(path) as connection:
        connection.execute("ALTER TABLE articles DROP COLUMN boilerplate_lines")
        connection.execute("DROP TABLE state_records")
        connection.execute("PRAGMA user_version = 1")
    with SQLiteStore(path) as upgraded:
        closing = upgraded.get_articles(["kr-closing"])[0]
        assert closing.boilerplate_lines == [] and closing.text == original.text
        upgraded.add_articles([dataclasses.replace(original, id="kr-closing-again", content_hash="h-again")])
        assert upgraded.get_articles(["kr-closing-again"])[0].boilerplate_lines == [2]
        upgraded.put_state_records("tracker", {"a:kr-closing": b"features"})
        assert list(upgraded.state_records("tracker")) == [("a:kr-closing", b"features")]
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_store_of_schema_3_has_its_entity_keys_made_again(filled, tmp_path):
    """Version 3 keyed "Kim Jong‐un" (a Unicode hyphen) as "kim jongun", dropping the hyphen with the accents:
    its rows are keyed anew, so that the name finds its storyline however it is typed."""
    filled.close()
    path = tmp_path / "store.db"
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE article_entities SET name = 'Kim Jong‐un', key = 'kim jongun' WHERE key = 'north korea'")
        connection.execute("PRAGMA user_version = 3")
    with SQLiteStore(path) as upgraded:
        assert [s.id for s in upgraded.list_storylines(StorylineFilter(entity="Kim Jong-un"))] == ["sl-korea"]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT DISTINCT key FROM article_entities WHERE name = 'Kim Jong‐un'").fetchall() == [
            ("kim jong un",)]
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_file_that_is_not_sqlite_is_refused_with_the_path(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("North Korea will send athletes to the Winter Olympics.\n" * 50)
    with pytest.raises(StoreError, match="notes.db is not a SQLite database"):
        SQLiteStore(path)


def test_another_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "browser.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE cookies (host TEXT, value TEXT)")
    with pytest.raises(StoreError, match="browser.db is a SQLite database but not a Storyline store"):
        SQLiteStore(path)


def test_store_uses_wal_and_schema_version(store, tmp_path):
    with sqlite3.connect(tmp_path / "store.db") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_open_store_accepts_paths_and_sqlite_urls(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for target in [tmp_path / "a.db", str(tmp_path / "b.db"), "sqlite:///relative.db", f"sqlite:///{tmp_path}/c.db"]:
        store = open_store(target)
        assert isinstance(store, SQLiteStore)
        store.close()
    assert sorted(p.name for p in tmp_path.glob("*.db")) == ["a.db", "b.db", "c.db", "relative.db"]


def test_open_store_names_unsupported_schemes():
    with pytest.raises(NotImplementedError, match="postgresql"):
        open_store("postgresql://storyline@localhost/news")
    with pytest.raises(ValueError, match="mysql"):
        open_store("mysql://localhost/news")
    with pytest.raises(ValueError, match="names no file"):
        open_store("sqlite://")


def test_move_storyline_points_its_events_and_articles_at_the_survivor(filled):
    # the Korean thread is absorbed by a wider one about the 2018 Winter Olympics
    with filled.transaction():
        filled.save_storylines([Storyline("sl-olympics", "PyeongChang 2018", D(2018, 1, 9), D(2018, 2, 25), 2, 3)])
        filled.move_storyline("sl-korea", "sl-olympics")
    assert [event.id for event in filled.events_of_storyline("sl-olympics")] == ["ev-talks", "ev-closing"]
    assert filled.get_storyline("sl-olympics").event_ids == ["ev-talks", "ev-closing"]
    assert filled.events_of_storyline("sl-korea") == []
    moved = filled.get_articles(["kr-talks", "kr-talks-copy", "kr-closing"])
    assert {(a.event_id, a.storyline_id) for a in moved} == {("ev-talks", "sl-olympics"), ("ev-closing", "sl-olympics")}
    untouched = filled.get_articles(["fr-seine", "us-shooting"])
    assert [a.storyline_id for a in untouched] == ["sl-seine", "sl-chicago"]
    assert filled.get_event("ev-seine").storyline_id == "sl-seine"
    filled.move_storyline("sl-unknown", "sl-olympics")  # nothing to move is not an error
    assert len(filled.events_of_storyline("sl-olympics")) == 2


def test_storyline_totals_sum_the_stored_events_of_each_storyline(filled):
    """A storyline's counts and dates, from the events that point to it now (after a merge moved them, say)."""
    assert filled.storyline_totals(["sl-korea", "sl-chicago", "sl-undated", "sl-unknown"]) == {
        "sl-korea": {"events": 2, "articles": 3, "first_date": D(2018, 1, 9), "last_date": D(2018, 2, 25)},
        "sl-chicago": {"events": 1, "articles": 2, "first_date": D(2016, 5, 2), "last_date": D(2016, 5, 3)},
    }
    with filled.transaction():
        filled.move_storyline("sl-seine", "sl-korea")
    assert filled.storyline_totals(["sl-korea"])["sl-korea"] == {
        "events": 3, "articles": 4, "first_date": D(2018, 1, 9), "last_date": D(2018, 2, 25)}


def test_one_store_files_at_a_time_and_a_dead_holder_frees_the_file(tmp_path):
    """The filing lock is a ``flock`` beside the file: a second holder waits (and is told why) until the first lets
    go, and a process killed while holding it leaves nothing taken."""
    import subprocess
    import sys
    import threading
    import time

    path = tmp_path / "news.db"
    first, second = SQLiteStore(path), SQLiteStore(path)
    order, told = [], []
    holding = threading.Event()

    def hold() -> None:
        with first.filing_lock():
            holding.set()
            time.sleep(0.3)
            order.append("first done")

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait()
    with second.filing_lock(on_wait=told.append):
        order.append("second in")
    holder.join()
    assert order == ["first done", "second in"] and told == [f"waiting for another process to finish filing into {path}"]
    code = ("import sys, time; from storyline.store import SQLiteStore\n"
            "with SQLiteStore(sys.argv[1]).filing_lock(): print('held', flush=True); time.sleep(60)")
    child = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "held\n"
    child.kill()
    child.wait()
    told.clear()
    with second.filing_lock(on_wait=told.append):
        assert told == []  # free at once
    first.close()
    second.close()
