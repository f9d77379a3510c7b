"""Shared fixtures of the end-to-end tests: the demo corpus, the seeds, one ingested demo database, a CLI runner."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from storyline.demo import demo_path

# The engine and CLI are imported inside the fixtures, so that a stage that fails to import breaks the
# end-to-end tests only, not the collection of every other test folder.
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SEEDS = SHARED / "seeds" / "seeds.jsonl"
GVA = SHARED / "data" / "gva" / "docs.jsonl"
ECBPLUS = SHARED / "data" / "ecbplus" / "docs.jsonl"


@dataclass(frozen=True)
class CliResult:
    """What one ``storyline`` command did."""

    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def run_cli(capsys):
    """Run ``storyline ARGS...`` in this process and capture its exit code, stdout and stderr."""

    from storyline.cli import main

    def run(*args: str | Path) -> CliResult:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def demo_records() -> list[dict]:
    """The bundled demo corpus with its gold labels, one dict per article."""
    return [json.loads(line) for line in demo_path().read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A database holding the ingested demo corpus; tests must only read it."""
    from storyline.engine import Storyline

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Storyline(path) as engine:
        report = engine.ingest([str(demo_path())])
    assert report.errors == [] and report.stored == 46
    return path


@pytest.fixture
def seeds_path() -> Path:
    if not SEEDS.is_file():
        pytest.skip(f"the seed articles are not available at {SEEDS} (the shared folder beside the repository)")
    return SEEDS


def export_of(db: Path) -> list[dict]:
    from storyline.engine import Storyline

    with Storyline(db) as engine:
        return list(engine.export())


def assert_consistent(db: Path) -> list[dict]:
    """Every stored article is filed in an event and storyline that exist and agree; stats agree with export.

    Events and storylines count their original articles; reprints (``duplicate_of``) are filed but not counted.
    """
    from storyline.engine import Storyline

    with Storyline(db) as engine:
        records = list(engine.export())
        stats = engine.stats()
        per_event = Counter(r["event"] for r in records)
        originals = {level: Counter(r[level] for r in records if r["duplicate_of"] is None)
                     for level in ("event", "storyline")}
        for event_id, count in per_event.items():
            event = engine.event(event_id)
            assert event is not None, f"articles filed in missing event {event_id}"
            assert len(event.article_ids) == count, event_id
            assert event.article_count == originals["event"][event_id], event_id  # reprints are not counted
        for r in records:
            storyline = engine.storyline(r["storyline"]) if r["storyline"] else None
            assert storyline is not None, r
            assert engine.event(r["event"]).storyline_id == r["storyline"], r
            assert r["event"] in storyline.event_ids, r
            assert storyline.article_count == originals["storyline"][r["storyline"]], r
    assert stats["articles"] == len(records)
    assert stats["events"] == len(per_event)
    assert stats["storylines"] == len({r["storyline"] for r in records})
    assert stats["duplicates"] == sum(r["duplicate_of"] is not None for r in records)
    return records
