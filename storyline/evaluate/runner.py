"""Run the real pipeline over a labelled JSONL file and score it against the gold labels.

Articles go through ingest → understand → track exactly as in production, in publication order
(undated ones first, in file order; see ``engine.processing_order``), on a fresh temporary database; gold labels are
read with the other fields and taken out of each article before the pipeline sees it: they are used for scoring only.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

from storyline.config import Config
from storyline.evaluate.metrics import clustering_scores
from storyline.ingest import read_inputs
from storyline.model import Article, InputError

LEVELS = ("event", "storyline")


ARTICLE_FILES = ("articles.jsonl", "docs.jsonl")


def labelled_files(path: str | Path) -> list[Path]:
    """The file itself, or every ``articles.jsonl``/``docs.jsonl`` below a folder (one stream of several topics)."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for name in ARTICLE_FILES for p in path.rglob(name))
        if not files:
            raise FileNotFoundError(f"no {' or '.join(ARTICLE_FILES)} below {path}")
        return files
    if not path.is_file():
        raise FileNotFoundError(f"no such file or folder: {path}")
    return [path]


def load_labelled(path: str | Path) -> tuple[list[Article], dict[str, dict[str, str | None]], list[InputError]]:
    """Articles of a labelled JSONL file (or folder of them) in processing order, gold labels by article id, and
    the records the reader rejected (empty text, a repeated id), which are left out of the evaluation."""
    articles, skipped = [], []
    for item in read_inputs([str(f) for f in labelled_files(path)]):
        (skipped if isinstance(item, InputError) else articles).append(item)
    articles.sort(key=lambda a: (a.published is not None, a.published or dt.date.min))  # stable: file order among equals
    # the labels are read as any other field (a BOM, another encoding or a broken line are the reader's to handle),
    # and taken out of the metadata, so that they cannot leak into the pipeline
    gold = {a.id: {level: _label(a.metadata.pop(level, None)) for level in LEVELS} for a in articles}
    return articles, gold, skipped


def _label(value):
    """A gold label, or ``None`` where there is none (null, or a CSV's empty cell)."""
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def evaluate_file(path: str | Path, config: Config | None = None, progress: bool = True) -> dict:
    """Score event and storyline clustering of a labelled file; a level without gold labels is ``None``, and
    ``skipped`` lists the records left out (origin and reason)."""
    articles, gold, skipped = load_labelled(path)
    started = time.perf_counter()
    filed = file_articles(articles, config, progress)
    seconds = time.perf_counter() - started
    result: dict = {"file": str(path), "articles": len(articles), "seconds": round(seconds, 3),
                    "skipped": [{"origin": e.origin, "reason": e.reason} for e in skipped]}
    return {**result, **score_filed(articles, gold, filed)}


def file_articles(articles: list[Article], config: Config | None = None, progress: bool = True) -> dict[str, dict]:
    """Ingest ``articles`` on a fresh temporary database and return what was filed (``export`` records) by id."""
    from storyline.engine import Storyline

    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp:
        with Storyline(Path(tmp) / "eval.db", config=config) as engine:
            engine.ingest(articles, progress=progress)
            return {record["id"]: record for record in engine.export()}


def score_filed(articles: list[Article], gold: dict[str, dict[str, str | None]], filed: dict[str, dict]) -> dict:
    """B-cubed and AMI scores of each level (``None`` for a level without gold labels) of what was filed."""
    result: dict = {}
    for level in LEVELS:
        labelled = [a.id for a in articles if gold[a.id][level] is not None]
        if not labelled:
            result[level] = None
            continue
        scores = clustering_scores([gold[i][level] for i in labelled], [filed[i][level] for i in labelled])
        result[level] = {k: round(v, 4) if isinstance(v, float) else v for k, v in scores.items()}
    return result
