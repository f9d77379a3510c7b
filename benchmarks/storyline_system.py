"""Storyline itself as a benchmark system, through the engine's evaluation runner (default or fast configuration)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.datasets import Dataset


class StorylineSystem:
    """Runs ``storyline.evaluate.runner.evaluate_file`` on the stream written to a temporary JSONL file."""

    def __init__(self, name: str, fast: bool):
        self.name = name
        self.fast = fast

    def grid(self, dataset: Dataset) -> list[dict]:
        return [{}]  # its settings were calibrated once for all sets; no per-set tuning

    def config(self):
        from storyline.config import FAST, Config

        return FAST if self.fast else Config()

    def scores(self, dataset: Dataset) -> dict:
        """Scores at the dataset's level, as the runner computes them with ``clustering_scores``."""
        from storyline.evaluate.runner import evaluate_file

        with tempfile.TemporaryDirectory(prefix="storyline-bench-") as folder:
            path = dataset.write_jsonl(Path(folder) / f"{dataset.name}.jsonl")
            result = evaluate_file(path, self.config(), progress=False)
        if result.get(dataset.level) is None:
            raise RuntimeError(f"evaluate_file({dataset.name}) returned no {dataset.level} scores: {result}")
        return result[dataset.level]


STORYLINE_SYSTEMS = {
    system.name: system for system in (StorylineSystem("storyline-default", fast=False), StorylineSystem("storyline-fast", fast=True))
}
