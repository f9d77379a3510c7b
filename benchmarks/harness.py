"""Run one system on one dataset in a fresh Python process, so its time and peak memory are its own.

``run_isolated(job)`` starts ``python -m benchmarks.harness JOB RESULT`` and reads the JSON result back.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.datasets import DEFAULT_DATA_DIR, Dataset, load_dataset
from benchmarks.memory import PeakSampler, tree_resident_mb
from benchmarks.peers import PEERS, MiniLMEmbedder
from benchmarks.storyline_system import STORYLINE_SYSTEMS, StorylineSystem

SYSTEM_NAMES = (*STORYLINE_SYSTEMS, *PEERS)
REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Job:
    """Which system, on which data, with which settings; ``cache_dir`` shares embeddings across a grid search."""

    system: str
    dataset: str
    params: list[dict] = field(default_factory=lambda: [{}])
    data_dir: str = str(DEFAULT_DATA_DIR)
    limit: int | None = None
    cache_dir: str | None = None


def make_system(name: str, cache_dir: str | None = None):
    """A fresh system object by name; BERTopic systems get an embedder that may cache to ``cache_dir``."""
    if name in STORYLINE_SYSTEMS:
        return STORYLINE_SYSTEMS[name]
    if name not in PEERS:
        raise ValueError(f"unknown system {name!r}; choose from {', '.join(SYSTEM_NAMES)}")
    if name.startswith("bertopic"):
        return PEERS[name](MiniLMEmbedder(cache_dir=Path(cache_dir) if cache_dir else None))
    return PEERS[name]()


def timed_scores(system, dataset: Dataset, params: dict) -> tuple[dict, float]:
    """B-cubed/AMI scores of one run and the seconds the system took, scoring left out."""
    from storyline.evaluate.metrics import clustering_scores

    if isinstance(system, StorylineSystem):
        return system.timed_scores(dataset)
    started = time.perf_counter()
    labels = system.labels(dataset, **params)
    seconds = time.perf_counter() - started
    return clustering_scores(dataset.gold, labels), seconds


def execute(job: Job) -> dict:
    """Run every setting of the job in this process; each point records its scores and seconds."""
    import sklearn.metrics  # noqa: F401  imported before timing: scoring is not part of any system's time

    dataset = load_dataset(job.dataset, Path(job.data_dir), job.limit)
    system = make_system(job.system, job.cache_dir)
    result = {"system": job.system, "dataset": job.dataset, "level": dataset.level,
              "articles": len(dataset.articles), "rss_before_mb": tree_resident_mb(), "points": []}
    with PeakSampler() as memory:  # this process and its workers
        for params in job.params:
            scores, seconds = timed_scores(system, dataset, params)
            result["points"].append({"params": params, "scores": scores, "seconds": seconds,
                                     "articles_per_second": len(dataset.articles) / seconds if seconds else None})
    result["peak_rss_mb"] = memory.peak_mb
    return result


def run_isolated(job: Job, timeout: float | None = None) -> dict:
    """Execute the job in a fresh interpreter; failures come back as ``{"error": ...}`` instead of raising."""
    with tempfile.TemporaryDirectory(prefix="storyline-bench-job-") as folder:
        job_path, result_path = Path(folder) / "job.json", Path(folder) / "result.json"
        job_path.write_text(json.dumps(asdict(job)))
        command = [sys.executable, "-m", "benchmarks.harness", str(job_path), str(result_path)]
        try:
            finished = subprocess.run(command, check=False, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"system": job.system, "dataset": job.dataset, "error": f"timed out after {timeout:.0f} s"}
        if not result_path.exists():
            tail = (finished.stderr or "").strip().splitlines()[-5:]
            return {"system": job.system, "dataset": job.dataset,
                    "error": f"worker exited with {finished.returncode}: " + " | ".join(tail)}
        return json.loads(result_path.read_text())


def main(job_path: str, result_path: str) -> None:
    job = Job(**json.loads(Path(job_path).read_text()))
    try:
        result = execute(job)
    except Exception as error:  # noqa: BLE001  reported in the benchmark table, e.g. Storyline not installed yet
        traceback.print_exc()
        result = {"system": job.system, "dataset": job.dataset, "error": f"{type(error).__name__}: {error}"}
    Path(result_path).write_text(json.dumps(result, default=str))


if __name__ == "__main__":
    main(*sys.argv[1:3])
