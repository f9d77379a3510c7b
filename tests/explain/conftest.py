import datetime as dt
import json
from pathlib import Path

import pytest

from storyline.model import Article

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


def article(id, text, published, lang="en", title=None, source=None):
    """An article whose headline is its first line, as the ingest readers produce them."""
    return Article(id=id, title=title or text.split("\n", 1)[0], text=text, published=dt.date.fromisoformat(published),
                   lang=lang, source=source)


@pytest.fixture
def seeds():
    path = SHARED / "seeds" / "seeds.jsonl"
    if not path.is_file():
        pytest.skip(f"seed articles not found at {path} (../shared is absent)")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted((article(r["id"], r["text"], r["published"], r["lang"], r["title"]) for r in rows), key=lambda a: a.published)
