"""Run the whole benchmark suite and write the report: ``python -m benchmarks.run --out docs/benchmarks.md``.

For each data set and system: tune the system's grid in one process (peers only), measure the best setting in a
fresh process, then optionally push the 200,000-article scaling stream through Storyline.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.datasets import DATASETS, DEFAULT_DATA_DIR, REPRINTED, load_dataset
from benchmarks.harness import REPO_ROOT, SYSTEM_NAMES, Job, make_system, run_isolated
from benchmarks.report import environment, write_report
from benchmarks.scaling import plot_scaling, write_scaling_stream

QUICK_ARTICLES = 40  # --quick keeps whole gold clusters up to about this many articles per set
DEFAULT_CACHE = Path.home() / ".cache" / "storyline-benchmarks"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def benchmark(system: str, dataset: str, data_dir: Path, limit: int | None, cache_dir: Path,
              timeout: float | None, repeat: int = 1) -> dict:
    """Tune (if the system has a grid) then measure one system on one data set ``repeat`` times, each in a fresh
    process; errors are recorded, not raised."""
    grid = make_system(system).grid(load_dataset(dataset, data_dir, limit))
    record: dict = {"system": system, "dataset": dataset, "params": grid[0], "grid": []}
    if len(grid) > 1:
        log(f"  tuning {system} on {dataset}: {len(grid)} settings")
        sweep = run_isolated(Job(system, dataset, grid, str(data_dir), limit, str(cache_dir)), timeout)
        if sweep.get("error"):
            return {**record, "error": sweep["error"]}
        record["grid"] = [{"params": p["params"], "scores": p["scores"]} for p in sweep["points"]]
        record["params"] = max(sweep["points"], key=lambda p: p["scores"]["bcubed_f1"])["params"]
    log(f"  measuring {system} on {dataset} with {record['params'] or 'its fixed setting'}")
    runs = [run_isolated(Job(system, dataset, [record["params"]], str(data_dir), limit), timeout) for _ in range(repeat)]
    failed = next((run for run in runs if run.get("error")), None)
    if failed:
        return {**record, "error": failed["error"]}
    return {**record, **median_run(runs)}


def median_run(runs: list[dict]) -> dict:
    """One row from repeated measurements: the median seconds (and its speed), the largest peak memory.

    Machines like this one vary by 10 to 20% from run to run; the median of a few runs is steadier than one.
    """
    seconds = sorted(run["points"][0]["seconds"] for run in runs)
    middle = statistics.median(seconds)
    first = runs[0]
    return {"level": first["level"], "articles": first["articles"], "scores": first["points"][0]["scores"],
            "seconds": middle, "articles_per_second": first["articles"] / middle if middle else None,
            "runs_seconds": seconds, "peak_rss_mb": max(run["peak_rss_mb"] for run in runs),
            "rss_before_mb": first["rss_before_mb"]}


def scaling(out: Path, articles: int, data_dir: Path, fast: bool, batch_size: int, max_seconds: float | None,
            timeout: float | None) -> dict:
    """Write the scaling stream to a temporary folder, ingest it in a fresh process, plot the checkpoints."""
    description = (f"A stream of {articles:,} articles: time-shifted copies of all shared corpora "
                   f"(see `benchmarks/scaling.py`), ingested into a file database in batches of {batch_size:,} "
                   f"with the {'fast' if fast else 'default'} configuration.")
    with tempfile.TemporaryDirectory(prefix="storyline-scaling-") as folder:
        stream, db, result = Path(folder) / "stream.jsonl", Path(folder) / "scaling.db", Path(folder) / "result.json"
        write_scaling_stream(stream, articles, data_dir)
        command = [sys.executable, "-m", "benchmarks.scaling", "run", str(stream), str(db), str(result),
                   "--batch-size", str(batch_size), *(["--fast"] if fast else []),
                   *(["--max-seconds", str(max_seconds)] if max_seconds else [])]
        try:
            finished = subprocess.run(command, check=False, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"description": description, "error": f"timed out after {timeout:.0f} s"}
        if not result.exists():
            tail = " | ".join(finished.stderr.strip().splitlines()[-5:])
            return {"description": description, "error": f"exited with {finished.returncode}: {tail}"}
        checkpoints = json.loads(result.read_text())
    try:
        png = plot_scaling(checkpoints, out.with_name(out.stem + "-scaling.png"))
    except ImportError as error:  # matplotlib comes with the bench extra: keep the figures of a long run anyway
        log(f"scaling plot skipped: {error}")
        return {"description": description, "articles": articles, "checkpoints": checkpoints, "plot": None}
    return {"description": description, "articles": articles, "checkpoints": checkpoints, "plot": png.name}


def reused_results(path: Path, measured: list[dict]) -> list[dict]:
    """The rows of an earlier report's JSON for (system, data set) pairs not measured now, on any of its data
    sets, each marked with the commit and date it was measured at, so that slow peers (or whole data sets) need
    not be re-run to re-measure the rest."""
    earlier = json.loads(Path(path).read_text())
    env = earlier.get("environment", {})
    source = f"{env.get('commit', '?')[:10]}, {env.get('date', '?')}"
    done = {(row["system"], row["dataset"]) for row in measured}
    return [{**row, "reused_from": row.get("reused_from") or source} for row in earlier.get("results", [])
            if (row["system"], row["dataset"]) not in done]


def reused_scaling(path: Path, out: Path) -> dict | None:
    """An earlier report's scaling run (when this run skips it), its description marked with where it was measured;
    its plot is kept if it lies where this report's would."""
    earlier = json.loads(Path(path).read_text())
    scaled = earlier.get("scaling")
    if not scaled or scaled.get("error"):
        return None
    env = earlier.get("environment", {})
    source = scaled.get("reused_from") or f"{str(env.get('commit', '?'))[:10]}, {env.get('date', '?')}"
    measured = scaled.get("measured_description", scaled["description"])  # as it was before any reuse marked it
    plot = scaled.get("plot")
    return {**scaled, "reused_from": source, "measured_description": measured,
            "description": f"{measured} († measured in an earlier run: {source}.)",
            "plot": plot if plot and (out.parent / plot).exists() else None}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"), help="markdown report; JSON goes beside it")
    parser.add_argument("--systems", default=",".join(SYSTEM_NAMES), help=f"comma-separated, from {', '.join(SYSTEM_NAMES)}")
    parser.add_argument("--datasets", default=",".join(DATASETS),
                        help=f"comma-separated, from {', '.join(DATASETS)}; also {', '.join(REPRINTED)} (by name only)")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--quick", action="store_true", help=f"tiny slices (~{QUICK_ARTICLES} articles a set), tiny scaling run")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="embedding cache used while tuning BERTopic")
    parser.add_argument("--scaling-articles", type=int, default=200_000, help="0 skips the scaling run")
    parser.add_argument("--scaling-batch", type=int, default=5000)
    parser.add_argument("--scaling-fast", action="store_true", help="scale with the fast configuration")
    parser.add_argument("--scaling-max-seconds", type=float, help="stop the scaling run after this long")
    parser.add_argument("--timeout", type=float, help="seconds allowed for each process")
    parser.add_argument("--note", action="append", default=[], help="a line for the report's header, e.g. about load")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="measure each system N times in fresh processes and report the median (tuning runs once)")
    parser.add_argument("--reuse", type=Path,
                        help="an earlier report's JSON: its rows for systems and data sets not run now are kept, marked")
    args = parser.parse_args(argv)

    systems, datasets = args.systems.split(","), args.datasets.split(",")
    for name in systems:
        make_system(name)  # fail before hours of work on a misspelt name
    for name in datasets:
        if name not in DATASETS and name not in REPRINTED:
            parser.error(f"unknown dataset {name!r}; choose from {', '.join([*DATASETS, *REPRINTED])}")
    if args.reuse:  # read it now, not after hours of measuring
        try:
            reused_results(args.reuse, [])
        except (OSError, ValueError, KeyError, TypeError) as error:
            parser.error(f"--reuse {args.reuse}: cannot read an earlier report from it ({error})")
    limit = QUICK_ARTICLES if args.quick else None
    env = environment(REPO_ROOT)  # before the run writes its plot into the work tree
    results = []
    for dataset in datasets:
        log(f"{dataset}:")
        for system in systems:
            results.append(benchmark(system, dataset, args.data_dir, limit, args.cache_dir, args.timeout, args.repeat))
            log(f"  -> {results[-1].get('error') or results[-1]['scores']['bcubed_f1']}")
    if args.reuse:
        results += reused_results(args.reuse, results)
        order = {name: index for index, name in enumerate(SYSTEM_NAMES)}
        sets = list(dict.fromkeys([*datasets, *DATASETS, *REPRINTED, *(row["dataset"] for row in results)]))
        results.sort(key=lambda row: (sets.index(row["dataset"]), order.get(row["system"], len(order))))
    scaled = None
    if args.scaling_articles:
        articles, batch = (300, 100) if args.quick else (args.scaling_articles, args.scaling_batch)
        log(f"scaling: {articles} articles")
        scaled = scaling(args.out, articles, args.data_dir, args.scaling_fast, batch, args.scaling_max_seconds, args.timeout)
    elif args.reuse:
        scaled = reused_scaling(args.reuse, args.out)
    notes = list(args.note)
    if args.repeat > 1:
        notes.append(f"Rows measured in this run: articles/s is the median of {args.repeat} runs, each in a fresh "
                     "process (every run's seconds are in the JSON, `runs_seconds`); peak memory is the largest.")
    markdown, data = write_report(args.out, results, env, scaled, notes)
    log(f"wrote {markdown} and {data}")


if __name__ == "__main__":
    main()
