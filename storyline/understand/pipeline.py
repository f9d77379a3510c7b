"""The understand stage: language, entities, dates and embedding of a batch of articles, filled in place.

Reading an article (language, dates, entities, embedding) is CPU work per article, so large batches
are read by worker processes: :meth:`Understander.start` hands a batch to them and returns at once,
and the engine files the batch before it meanwhile. :meth:`Understander.understood` gives a batch's
articles back one by one as their part is read, so that they can be tracked while the rest is read.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import cache, cached_property

import numpy as np

from storyline.config import UnderstandConfig
from storyline.model import Article, Entity
from storyline.understand.dates import mentioned_dates, published_from_text
from storyline.understand.embed import Embedder, make_embedder
from storyline.understand.entities import EntityExtractor
from storyline.understand.language import LanguageDetector
from storyline.workers import WorkerDied, forks, worker_pool

EMBED_CHARS = 1000  # the embedding reads the headline and this many leading characters


@dataclass(frozen=True)
class Reading:
    """What reading one article found: its language, the days it mentions, its entities, its embedding."""

    lang: str | None
    mentioned_dates: list = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    embedding: np.ndarray | None = None


class ReadingError(WorkerDied):
    """A worker process died while reading articles."""

    def __init__(self) -> None:
        super().__init__("reading articles")


@dataclass
class ReadingJob:
    """Readings being made by the workers: (article ids, future of their readings) per chunk, in order."""

    chunks: list[tuple[list[str], Future]] = field(default_factory=list)
    _found: dict[str, Reading] = field(default_factory=dict, repr=False)
    _collected: int = field(default=0, repr=False)  # chunks whose readings are in _found, from the first

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._chunk_of

    @cached_property
    def _chunk_of(self) -> dict[str, int]:
        return {i: n for n, (ids, _) in enumerate(self.chunks) for i in ids}

    def reading(self, article_id: str) -> Reading:
        """The reading of an article of this job, waiting for the workers up to the chunk that holds it."""
        while self._collected <= self._chunk_of[article_id]:
            ids, future = self.chunks[self._collected]
            try:
                self._found.update(zip(ids, future.result()))
            except BrokenProcessPool as error:
                raise ReadingError() from error
            self._collected += 1
        return self._found[article_id]


class Understander:
    """Fills ``lang``, ``entities``, ``mentioned_dates`` and ``embedding`` of articles; models load on first use."""

    def __init__(self, config: UnderstandConfig = UnderstandConfig(), embed_chars: int = EMBED_CHARS):
        self.config = config
        self.embed_chars = embed_chars
        self.language_detector = LanguageDetector()
        self.entity_extractor = EntityExtractor(
            ner_chars=config.ner_chars, phrase_chars=config.phrase_chars, use_spacy=config.ner,
            batch_size=config.batch_size,
        )
        self._workers: ProcessPoolExecutor | None = None

    @cached_property
    def embedder(self) -> Embedder | None:
        """The configured embedder, created on first use (``None`` when embeddings are off)."""
        return make_embedder(self.config.embedder)

    def start(self, articles: list[Article]) -> ReadingJob:
        """Hand a large batch to the worker processes and return at once; :meth:`understand` collects it.

        Smaller batches (and all, with ``workers <= 1``) are read by :meth:`understand` itself.
        """
        if self.config.workers <= 1 or len(articles) < self.config.min_parallel:
            return ReadingJob()
        worker_config = replace(self.config, workers=1)
        if self._workers is None:
            self._workers = self._start_workers(worker_config, articles)
        size = -(-len(articles) // (self.config.workers * 4))  # a few chunks a worker keep all busy to the end
        try:
            return ReadingJob([
                ([a.id for a in chunk], self._workers.submit(_read_in_worker, worker_config, chunk))
                for chunk in (articles[i : i + size] for i in range(0, len(articles), size))
            ])
        except BrokenProcessPool as error:
            self.close()  # the next ingest starts new workers
            raise ReadingError() from error

    def _start_workers(self, worker_config: UnderstandConfig, articles: list[Article]) -> ProcessPoolExecutor:
        """The worker pool (:func:`storyline.workers.worker_pool`).

        Where workers fork, one article of each language in ``articles`` is read here first by the reader the
        workers will use, so they inherit its loaded models instead of each loading its own (spaCy: about 1 s each).
        """
        if forks():
            first_of_each_language = {
                a.lang or self.language_detector.detect(_language_sample(a)): a for a in reversed(articles)}
            _worker_understander(worker_config).read(list(first_of_each_language.values()))
            # what is alive now (the models above, mostly) lives on: as Python's gc documentation advises before a
            # fork, it is left out of later collections, here (0.3 s less on gva) and in the workers
            gc.collect()
            gc.freeze()
        return worker_pool(self.config.workers)

    def understand(self, articles: list[Article], job: ReadingJob | None = None) -> None:
        """Enrich ``articles`` in place (a language already set is kept); each model sees the whole batch at once.

        ``job`` is what :meth:`start` began for these articles (or more); the others are read now.
        """
        for _ in self.understood(articles, job):
            pass

    def understood(self, articles: list[Article], job: ReadingJob | None = None) -> Iterator[Article]:
        """:meth:`understand` article by article: each is yielded, enriched, as soon as the workers have read the
        chunk holding it (the ones not in ``job`` are read here first). When ``job`` was started with the
        articles in this order, the first can be tracked while the workers still read the last."""
        job = job or ReadingJob()
        rest = [a for a in articles if a.id not in job]
        found = dict(zip((a.id for a in rest), self.read(rest)))
        for article in articles:
            try:
                r = found[article.id] if article.id in found else job.reading(article.id)
            except ReadingError:
                self.close()  # the next ingest starts new workers
                raise
            article.lang, article.mentioned_dates, article.entities, article.embedding = (
                r.lang, r.mentioned_dates, r.entities, r.embedding)
            yield article

    def read(self, articles: list[Article]) -> list[Reading]:
        """Language, mentioned days, entities and embedding of each article, in this process."""
        if not articles:
            return []
        langs = [a.lang or self.language_detector.detect(_language_sample(a)) for a in articles]
        with_lang = [replace(a, lang=lang) for a, lang in zip(articles, langs)]
        entities = self.entity_extractor.extract(with_lang)
        vectors = (self.embedder.embed([self.embedding_text(a) for a in with_lang]) if self.embedder is not None
                   else [None] * len(articles))
        return [Reading(a.lang, self._dates(a), e, v) for a, e, v in zip(with_lang, entities, vectors)]

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        if self._workers is not None:
            self._workers.shutdown()
            self._workers = None
            gc.unfreeze()  # what was frozen for the workers is collected as usual again (a long-lived caller's too)

    def embedding_text(self, article: Article) -> str:
        """Headline and leading text, the part of an article that says what happened."""
        body = article.text
        if article.title and body.startswith(article.title):
            body = body[len(article.title) :]
        return f"{article.title}\n{body[: self.embed_chars]}".strip()

    def _dates(self, article: Article):
        """Days mentioned, resolved against the publication date; without one, the dateline's date comes first."""
        reference = article.published
        dateline = None
        if reference is None:
            dateline = published_from_text(article.text, article.lang)
            reference = dateline
        text = article.text[: self.config.date_chars]
        days = [mention.date for mention in mentioned_dates(text, reference, article.lang)]
        if dateline is not None:
            if dateline in days:
                days.remove(dateline)  # the dateline is itself a full date of the text: count it once
            days.insert(0, dateline)
        return days


def _language_sample(article: Article) -> str:
    return f"{article.title}\n{article.text[:1000]}"


@cache  # one reader per worker process and configuration, its models loaded once
def _worker_understander(config: UnderstandConfig) -> Understander:
    return Understander(config)


def _read_in_worker(config: UnderstandConfig, articles: list[Article]) -> list[Reading]:
    return _worker_understander(config).read(articles)
