"""Storyline itself as a benchmark system, through the engine's evaluation runner (default or fast configuration)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.datasets import Dataset


class StorylineSystem:
    """Runs what ``storyline evaluate`` runs (``storyline.evaluate.runner``) on the stream written to a temporary JSONL file."""

    def __init__(self, name: str, fast: bool):
        self.name = name
        self.fast = fast

    def grid(self, dataset: Dataset) -> list[dict]:
        return [{}]  # its settings were calibrated once for all sets; no per-set tuning

    def config(self):
        from storyline.config import FAST, Config

        return FAST if self.fast else Config()

    def timed_scores(self, dataset: Dataset) -> tuple[dict, float]:
        """Scores at the dataset's level and the seconds Storyline took: reading the stream's JSONL file as
        ``storyline evaluate`` does, then ingesting it (models, workers, understanding, tracking, SQLite, export);
        writing that file and scoring are the benchmark's own work, left out as they are for every peer."""
        from storyline.evaluate.runner import file_articles, load_labelled, score_filed

        with tempfile.TemporaryDirectory(prefix="storyline-bench-") as folder:
            path = dataset.write_jsonl(Path(folder) / f"{dataset.name}.jsonl")
            started = time.perf_counter()
            articles, gold, _ = load_labelled(path)
            filed = file_articles(articles, self.config(), progress=False)
            seconds = time.perf_counter() - started
        scores = score_filed(articles, gold, filed)
        if scores.get(dataset.level) is None:
            raise RuntimeError(f"no {dataset.level} labels in {dataset.name}: {scores}")
        return scores[dataset.level], seconds


STORYLINE_SYSTEMS = {
    system.name: system for system in (StorylineSystem("storyline-default", fast=False), StorylineSystem("storyline-fast", fast=True))
}
