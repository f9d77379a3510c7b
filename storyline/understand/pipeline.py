"""The understand stage: language, entities, dates and embedding of a batch of articles, filled in place."""

from __future__ import annotations

from functools import cached_property

from storyline.config import UnderstandConfig
from storyline.model import Article
from storyline.understand.dates import mentioned_dates, published_from_text
from storyline.understand.embed import Embedder, make_embedder
from storyline.understand.entities import EntityExtractor, NerJob
from storyline.understand.language import LanguageDetector

EMBED_CHARS = 1000  # the embedding reads the headline and this many leading characters


class Understander:
    """Fills ``lang``, ``entities``, ``mentioned_dates`` and ``embedding`` of articles; models load on first use."""

    def __init__(self, config: UnderstandConfig = UnderstandConfig(), embed_chars: int = EMBED_CHARS):
        self.config = config
        self.embed_chars = embed_chars
        self.language_detector = LanguageDetector()
        self.entity_extractor = EntityExtractor(
            ner_chars=config.ner_chars, phrase_chars=config.phrase_chars, use_spacy=config.ner, batch_size=config.batch_size,
            processes=config.ner_processes, min_parallel=config.ner_min_parallel,
        )

    @cached_property
    def embedder(self) -> Embedder | None:
        """The configured embedder, created on first use (``None`` when embeddings are off)."""
        return make_embedder(self.config.embedder)

    def start(self, articles: list[Article]) -> NerJob:
        """Set the language of ``articles`` and start reading their names, which the workers of a large batch
        do while the caller goes on; pass the job to :meth:`understand` (for these articles or some of them)."""
        self._detect_languages(articles)
        return self.entity_extractor.start(articles)

    def understand(self, articles: list[Article], job: NerJob | None = None) -> None:
        """Enrich ``articles`` in place (a language already set is kept); each model sees the whole batch at once."""
        self._detect_languages(articles)
        for article in articles:
            article.mentioned_dates = self._dates(article)
        for article, entities in zip(articles, self.entity_extractor.extract(articles, job)):
            article.entities = entities
        if self.embedder is not None and articles:
            vectors = self.embedder.embed([self.embedding_text(article) for article in articles])
            for article, vector in zip(articles, vectors):
                article.embedding = vector

    def _detect_languages(self, articles: list[Article]) -> None:
        for article in articles:
            if article.lang is None:
                article.lang = self.language_detector.detect(f"{article.title}\n{article.text[:1000]}")

    def close(self) -> None:
        """Stop the NER worker processes, if any were started."""
        self.entity_extractor.close()

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
        days = [mention.date for mention in mentioned_dates(article.text, reference, article.lang)]
        if dateline is not None:
            if dateline in days:
                days.remove(dateline)  # the dateline is itself a full date of the text: count it once
            days.insert(0, dateline)
        return days
