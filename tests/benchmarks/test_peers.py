import importlib.util

import pytest

from benchmarks.datasets import load_dataset
from benchmarks.peers import (
    BertopicBatch,
    BertopicOnline,
    Singletons,
    TfidfStream,
    outliers_as_singletons,
)
from storyline.evaluate.metrics import bcubed


def test_tfidf_stream_separates_three_news_events(news_stream):
    labels = TfidfStream().labels(news_stream, threshold=0.2, window_days=7)
    assert bcubed(news_stream.gold, labels)["bcubed_f1"] > 0.8


def test_tfidf_stream_time_window_splits_an_event_whose_articles_are_far_apart(news_stream):
    quake = [a for a in news_stream.articles if a.event == "quake"]
    quake[-1].published = quake[-1].published.replace(year=2015)  # same text a year later: outside a 7-day window
    assert len(set(TfidfStream().labels(news_stream, threshold=0.2, window_days=7))) > \
        len(set(TfidfStream().labels(news_stream, threshold=0.2, window_days=None)))


def test_singletons_have_perfect_precision_and_low_recall(news_stream):
    scores = bcubed(news_stream.gold, Singletons().labels(news_stream))
    assert scores["bcubed_precision"] == 1.0 and scores["bcubed_recall"] < 0.4


def test_tfidf_stream_beats_the_singleton_floor_on_gun_violence_articles(shared_data):
    gva = load_dataset("gva", shared_data, limit=40)
    tfidf = bcubed(gva.gold, TfidfStream().labels(gva, threshold=0.2, window_days=7))["bcubed_f1"]
    floor = bcubed(gva.gold, Singletons().labels(gva))["bcubed_f1"]
    assert tfidf > floor + 0.2


def test_outliers_become_singletons():
    assert outliers_as_singletons([0, -1, 1, -1, 0]) == [0, 2, 1, 3, 0]


def test_online_grid_starts_chunks_no_smaller_than_cluster_count(news_stream):
    assert all(point["n_clusters"] < len(news_stream.articles) for point in BertopicOnline().grid(news_stream))


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("bertopic") is None, reason="bertopic (benchmark extra) not installed")
def test_bertopic_batch_and_online_cluster_a_small_ecbplus_slice(shared_data):
    ecb = load_dataset("ecbplus", shared_data, limit=40)
    batch = bcubed(ecb.gold, BertopicBatch().labels(ecb, min_cluster_size=2))["bcubed_f1"]
    online = BertopicOnline().labels(ecb, n_clusters=4, chunk_size=20)
    assert len(online) == len(ecb.articles)
    assert batch > bcubed(ecb.gold, Singletons().labels(ecb))["bcubed_f1"]
