import datetime as dt
import json

import pytest

from benchmarks.datasets import (
    BenchArticle,
    load_dataset,
    read_jsonl,
    sample_clusters,
    stream_order,
)


def article(id, published, event):
    return BenchArticle(id=id, title=id, text=id, published=published, lang="en", event=event, storyline=None)


def test_stream_order_sorts_by_date_and_keeps_undated_last_in_file_order():
    articles = [article("u1", None, "a"), article("late", dt.date(2018, 2, 9), "b"),
                article("u2", None, "a"), article("early", dt.date(2018, 1, 1), "b")]
    assert [a.id for a in stream_order(articles)] == ["early", "late", "u1", "u2"]


def test_sample_clusters_keeps_several_clusters_with_capped_size():
    articles = [article(f"{label}{i}", None, label) for i in range(10) for label in "abcdefg"]
    sample = sample_clusters(articles, "event", limit=8)
    sizes = {label: sum(a.event == label for a in sample) for label in "abcdefg"}
    assert sizes == {"a": 2, "b": 2, "c": 2, "d": 2, "e": 0, "f": 0, "g": 0}


def test_read_jsonl_names_the_bad_line(tmp_path):
    path = tmp_path / "docs.jsonl"
    good = {"id": "x", "title": "Seoul talks", "text": "Seoul talks resume.", "published": "2018-01-09",
            "lang": "en", "event": "talks", "storyline": None}
    path.write_text(json.dumps(good) + "\n{not json\n")
    with pytest.raises(ValueError, match=r"docs.jsonl:2"):
        read_jsonl(path)


def test_load_dataset_rejects_unknown_name_and_missing_folder(tmp_path):
    with pytest.raises(ValueError, match="unknown dataset 'reuters'"):
        load_dataset("reuters", tmp_path)
    with pytest.raises(FileNotFoundError, match="gva"):
        load_dataset("gva", tmp_path)


def test_cltls_concatenates_four_topics_into_one_storyline_stream(shared_data):
    dataset = load_dataset("cltls-es", shared_data)
    assert dataset.level == "storyline"
    assert set(dataset.gold) == {"es_egypt", "es_libya", "es_syria", "es_yemen"}
    dates = [a.published for a in dataset.articles]
    assert dates == sorted(dates)


def test_reprinted_stream_follows_each_article_with_a_near_copy_of_its_event():
    from benchmarks.datasets import with_reprints
    from storyline.ingest import NearDuplicateIndex

    text = ("Police said two men were shot outside a bar on Main Street early Sunday and taken to a hospital, "
            "where one of them died; officers are looking for a gray sedan seen leaving the scene. The second man, "
            "a 24-year-old from Dayton, was in stable condition on Sunday afternoon, a hospital spokeswoman said. "
            "Witnesses told investigators that an argument inside the bar spilled into the parking lot shortly "
            "before 2 a.m., and that several shots were fired from the car as it turned onto Fifth Avenue. "
            "Police asked anyone with information or video from the area to call the department's tip line.")
    stream = with_reprints([article("a", dt.date(2016, 3, 6), "e1"), BenchArticle(
        id="b", title="b", text=text, published=dt.date(2016, 3, 7), lang="en", event="e2", storyline=None)])
    assert [(a.id, a.event, a.published) for a in stream] == [
        ("a", "e1", dt.date(2016, 3, 6)), ("a#reprint", "e1", dt.date(2016, 3, 6)),
        ("b", "e2", dt.date(2016, 3, 7)), ("b#reprint", "e2", dt.date(2016, 3, 7))]
    index = NearDuplicateIndex()
    index.add("b", index.signature(stream[2].text))
    assert index.find(index.signature(stream[3].text)) == "b"  # Storyline's reader sees a reprint, not news
