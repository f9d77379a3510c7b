import os

import pytest

from storyline.config import MAX_DEFAULT_WORKERS, Config, default_workers


@pytest.mark.parametrize("cpus, workers", [({0}, 1), ({0, 1}, 2), (set(range(16)), MAX_DEFAULT_WORKERS)])
def test_default_workers_follow_the_cpus_this_process_may_use(monkeypatch, cpus, workers):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: cpus, raising=False)
    assert default_workers() == workers
    assert Config().understand.workers == workers


def test_with_replaces_single_fields_and_keeps_the_rest():
    config = Config().with_(understand={"workers": 3}, track={"event_threshold": 0.5})
    assert config.understand.workers == 3 and config.track.event_threshold == 0.5
    assert config.understand.ner == Config().understand.ner and config.dedup == Config().dedup
