"""The labelled benchmark sets as article streams: sorted by date, undated articles last in file order."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"

CLTLS_TOPICS = ("egypt", "libya", "syria", "yemen")

# name -> (scored level, files relative to the data folder, concatenated into one stream)
DATASETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ecbplus": ("event", ("ecbplus/docs.jsonl",)),
    "gva": ("event", ("gva/docs.jsonl",)),
    "cltls-es": ("storyline", tuple(f"cltls/es/{topic}/articles.jsonl" for topic in CLTLS_TOPICS)),
    "cltls-fr": ("storyline", tuple(f"cltls/fr/{topic}/articles.jsonl" for topic in CLTLS_TOPICS)),
}

# Sets derived from one above, measured only when named: gva with every story reprinted once by another outlet
# (a new id, a trailer line), as wire copy is in real streams; each reprint belongs to its original's event.
REPRINTED: dict[str, str] = {"gva-reprinted": "gva"}
REPRINT_TRAILER = "\nDistributed by a wire service; the original report is linked above."


@dataclass
class BenchArticle:
    """One labelled article as the benchmark systems see it."""

    id: str
    title: str
    text: str
    published: dt.date | None
    lang: str | None
    event: str | None
    storyline: str | None
    url: str | None = None

    @classmethod
    def from_row(cls, row: dict) -> BenchArticle:
        published = row.get("published")
        return cls(
            id=row["id"],
            title=row.get("title") or "",
            text=row.get("text") or "",
            published=dt.date.fromisoformat(published) if published else None,
            lang=row.get("lang"),
            event=row.get("event"),
            storyline=row.get("storyline"),
            url=row.get("url"),
        )

    def to_row(self) -> dict:
        """The shared-data JSONL schema, as the Storyline reader expects it."""
        row = asdict(self)
        row["published"] = self.published.isoformat() if self.published else None
        return row


@dataclass
class Dataset:
    """A stream of articles plus the gold level (``event`` or ``storyline``) it is scored on."""

    name: str
    level: str
    articles: list[BenchArticle]

    @property
    def gold(self) -> list[str]:
        return [getattr(article, self.level) for article in self.articles]

    def write_jsonl(self, path: Path) -> Path:
        """Write the stream in its order, for systems that read files."""
        with open(path, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(article.to_row(), ensure_ascii=False) + "\n" for article in self.articles)
        return path


def stream_order(articles: list[BenchArticle]) -> list[BenchArticle]:
    """Dated articles by date (stable), then the undated ones in their original order."""
    return sorted(articles, key=lambda a: (a.published is None, a.published or dt.date.min))


def read_jsonl(path: Path) -> list[BenchArticle]:
    """Read one shared-data JSONL file; a bad line raises naming the file and line."""
    articles = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                articles.append(BenchArticle.from_row(json.loads(line)))
            except (ValueError, KeyError) as error:
                raise ValueError(f"{path}:{number}: cannot read article: {error}") from error
    return articles


def sample_clusters(articles: list[BenchArticle], level: str, limit: int) -> list[BenchArticle]:
    """A small slice with several gold clusters: clusters in order of first appearance, at most ``limit // 4``
    articles of each (their first ones), until about ``limit`` articles."""
    per_cluster = max(1, limit // 4)
    sizes: dict[str, int] = {}
    for article in articles:
        label = getattr(article, level)
        sizes[label] = sizes.get(label, 0) + 1
    quota: dict[str, int] = {}
    for label, size in sizes.items():  # dicts keep first-appearance order
        if sum(quota.values()) >= limit:
            break
        quota[label] = min(size, per_cluster)
    kept = []
    for article in articles:
        label = getattr(article, level)
        if quota.get(label, 0) > 0:
            quota[label] -= 1
            kept.append(article)
    return kept


def load_dataset(name: str, data_dir: Path = DEFAULT_DATA_DIR, limit: int | None = None) -> Dataset:
    """Load a named benchmark set in stream order; ``limit`` keeps a small slice of several gold clusters."""
    if name in REPRINTED:
        base = load_dataset(REPRINTED[name], data_dir, limit)
        return Dataset(name=name, level=base.level, articles=with_reprints(base.articles))
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose from {', '.join([*DATASETS, *REPRINTED])}")
    level, files = DATASETS[name]
    articles: list[BenchArticle] = []
    for relative in files:
        path = Path(data_dir) / relative
        if not path.exists():
            raise FileNotFoundError(f"dataset {name!r} needs {path}, which does not exist")
        articles.extend(read_jsonl(path))
    articles = stream_order(articles)
    unlabelled = [a.id for a in articles if getattr(a, level) is None]
    if unlabelled:
        raise ValueError(f"dataset {name!r}: {len(unlabelled)} articles lack a gold {level}, e.g. {unlabelled[0]}")
    if limit is not None:
        articles = sample_clusters(articles, level, limit)
    return Dataset(name=name, level=level, articles=articles)


def with_reprints(articles: list[BenchArticle]) -> list[BenchArticle]:
    """Each article followed by its reprint: a new id, the same date and gold labels, a trailer line added."""
    stream = []
    for article in articles:
        stream.append(article)
        if article.text.strip():
            stream.append(replace(article, id=f"{article.id}#reprint", text=article.text + REPRINT_TRAILER, url=None))
    return stream
