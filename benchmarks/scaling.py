"""Scaling run: a 200,000+ article stream made of time-shifted copies of the shared corpora, through Storyline.

Copy ``k`` of every source article gets a fresh id, gold labels suffixed with ``#k`` and its date moved ``k`` whole
spans of the corpus (in years) later than copy 0, so copies never overlap in time and the gold cluster structure is
known. The years written in its headline and text move with it: most of ECB+'s articles have no publication date and
are filed by the date their text names, which must lie in the copy's own time (unmoved, copy ``k``'s texts named
dates up to centuries ahead of the stream's clock, so they never retired: the tracker's active articles grew by ~70 a
copy and the per-article time by 15% over 200,000 articles). The stream is placed so that its last copy keeps the
sources' dates: ingest does not believe a date after tomorrow, so copies dated in the future would be filed undated
and stop the stream's clock.
Copies after the first keep a random ~70% of the body's sentences so they are new articles to the
near-duplicate detector rather than reprints (the tracking work is then the same as on fresh news).

``python -m benchmarks.scaling run STREAM DB RESULT`` measures articles/s and memory (PSS of the process tree) as the stream goes in.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import random
import re
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from benchmarks.datasets import (
    DATASETS,
    DEFAULT_DATA_DIR,
    BenchArticle,
    load_dataset,
    stream_order,
)
from benchmarks.memory import PeakSampler, tree_resident_mb

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
WRITTEN_YEAR = re.compile(r"\b(?:19|20)\d\d\b")  # the years storyline.understand.dates reads


def shift_months(date: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    year, month = divmod(date.year * 12 + date.month - 1 + months, 12)
    month += 1
    return dt.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def span_years(articles: Iterable[BenchArticle]) -> int:
    """How many calendar years the dated articles cover (at least one)."""
    years = [a.published.year for a in articles if a.published]
    return max(years) - min(years) + 1 if years else 1


def shift_written_years(text: str, years: int) -> str:
    """The text with every year written in it that the date reader reads (1900-2099) moved ``years`` on."""
    return WRITTEN_YEAR.sub(lambda year: str(int(year.group()) + years), text) if years else text


def vary_text(text: str, keep: float, rng: random.Random) -> str:
    """Keep the first line (the headline) and a random ``keep`` share of the other sentences, at least one."""
    head, _, body = text.partition("\n")
    sentences = [s for s in SENTENCE_END.split(body) if s.strip()]
    if not sentences:
        return text
    kept = [s for s in sentences if rng.random() < keep] or [rng.choice(sentences)]
    return head + "\n" + " ".join(kept)


def copy_article(article: BenchArticle, copy: int, shift: int, keep: float) -> dict:
    """Copy ``copy`` of an article as a JSONL row, its date and the years its text names moved ``shift`` years: fresh
    id and labels and a varied body after copy 0."""
    row = article.to_row()
    row["published"] = shift_months(article.published, 12 * shift).isoformat() if article.published else None
    row["title"] = shift_written_years(row["title"], shift) if row["title"] else row["title"]
    row["text"] = shift_written_years(row["text"], shift)
    if copy == 0:
        return row
    row["id"] = f"{article.id}#k{copy}"
    row["event"] = f"{article.event}#k{copy}" if article.event else None
    row["storyline"] = f"{article.storyline}#k{copy}" if article.storyline else None
    row["text"] = vary_text(row["text"], keep, random.Random(f"{copy}:{article.id}"))
    return row


def scaling_stream(sources: list[BenchArticle], target: int, keep: float = 0.7) -> Iterator[dict]:
    """Yield ``target`` rows: copy 0 of the sources in stream order, then copy 1 one corpus span later, and so on,
    the last copy on the sources' own dates."""
    if not sources:
        raise ValueError("scaling_stream needs at least one source article")
    years = span_years(sources)
    last_copy = (target - 1) // len(sources)
    produced, copy = 0, 0
    while produced < target:
        for article in sources:
            if produced >= target:
                return
            yield copy_article(article, copy, (copy - last_copy) * years, keep)
            produced += 1
        copy += 1


def load_sources(data_dir: Path = DEFAULT_DATA_DIR, datasets: Iterable[str] = tuple(DATASETS)) -> list[BenchArticle]:
    """All articles of the named sets, merged into one stream order; an id seen twice (gva has 21) is kept once."""
    unique: dict[str, BenchArticle] = {}
    for name in datasets:
        for article in load_dataset(name, data_dir).articles:
            unique.setdefault(article.id, article)
    return stream_order(list(unique.values()))


def write_scaling_stream(path: Path, target: int = 200_000, data_dir: Path = DEFAULT_DATA_DIR, keep: float = 0.7) -> int:
    """Write the scaling stream to a JSONL file one row at a time; returns the number of rows."""
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        for row in scaling_stream(load_sources(data_dir), target, keep):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            written += 1
    return written


def read_batches(path: Path, batch_size: int) -> Iterator[list]:
    """Articles of a JSONL stream as ``storyline.model.Article`` lists of ``batch_size``."""
    from storyline.model import Article

    batch = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            published = row.get("published")
            batch.append(Article(id=row["id"], title=row["title"], text=row["text"], url=row.get("url"),
                                 lang=row.get("lang"), published=dt.date.fromisoformat(published) if published else None))
            if len(batch) == batch_size:
                yield batch
                batch = []
    if batch:
        yield batch


def run_scaling(stream: Path, db: Path, fast: bool = False, batch_size: int = 5000,
                max_seconds: float | None = None) -> list[dict]:
    """Ingest the stream into a file database batch by batch; one checkpoint (throughput, memory) per batch."""
    from storyline.config import FAST, Config
    from storyline.engine import Storyline

    checkpoints, processed, started = [], 0, time.perf_counter()
    with Storyline(db, FAST if fast else Config()) as engine, PeakSampler() as memory:
        for batch in read_batches(stream, batch_size):
            batch_started = time.perf_counter()
            engine.ingest(batch)  # in the engine's own batches, so that NER of one overlaps filing the one before
            now = time.perf_counter()
            processed += len(batch)
            rss = tree_resident_mb()  # this process and its workers
            peak = max(memory.peak_mb, rss)
            checkpoints.append({
                "articles": processed,
                "seconds": round(now - started, 3),
                "batch_articles_per_second": round(len(batch) / (now - batch_started), 2),
                "articles_per_second": round(processed / (now - started), 2),
                "rss_mb": round(rss, 1),
                "peak_rss_mb": round(peak, 1),
            })
            print(json.dumps(checkpoints[-1]), flush=True)
            if max_seconds is not None and now - started > max_seconds:
                break
    return checkpoints


def plot_scaling(checkpoints: list[dict], png: Path, title: str = "Storyline ingest → track, file database") -> Path:
    """Two panels against articles processed: throughput (per batch and cumulative) and resident memory."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    articles = [c["articles"] for c in checkpoints]
    figure, (speed, memory) = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
    speed.plot(articles, [c["batch_articles_per_second"] for c in checkpoints], label="per batch")
    speed.plot(articles, [c["articles_per_second"] for c in checkpoints], label="cumulative")
    speed.set_ylabel("articles / s")
    speed.legend()
    speed.set_title(title)
    memory.plot(articles, [c["rss_mb"] for c in checkpoints], label="now (PSS)")
    memory.plot(articles, [c["peak_rss_mb"] for c in checkpoints], label="peak", linestyle="--")
    memory.set_ylabel("memory (MB)")
    memory.set_xlabel("articles processed")
    memory.legend()
    figure.tight_layout()
    png.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(png, dpi=110)
    plt.close(figure)
    return png


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("make", help="write the scaling stream JSONL")
    make.add_argument("stream", type=Path)
    make.add_argument("--articles", type=int, default=200_000)
    make.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    run = commands.add_parser("run", help="ingest a stream, write checkpoints JSON")
    run.add_argument("stream", type=Path)
    run.add_argument("db", type=Path)
    run.add_argument("result", type=Path)
    run.add_argument("--fast", action="store_true")
    run.add_argument("--batch-size", type=int, default=5000)
    run.add_argument("--max-seconds", type=float)
    args = parser.parse_args(argv)
    if args.command == "make":
        print(write_scaling_stream(args.stream, args.articles, args.data_dir))
    else:
        checkpoints = run_scaling(args.stream, args.db, args.fast, args.batch_size, args.max_seconds)
        args.result.write_text(json.dumps(checkpoints))


if __name__ == "__main__":
    main()
