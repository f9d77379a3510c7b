"""Understand stage: what language an article is in, who and where it names, which days, and what it is about."""

from storyline.understand.dates import DateMention, mentioned_dates, published_from_text
from storyline.understand.embed import (
    Embedder,
    MiniLMEmbedder,
    WordLlamaEmbedder,
    make_embedder,
)
from storyline.understand.entities import EntityExtractor
from storyline.understand.language import LanguageDetector, detect_language
from storyline.understand.pipeline import Understander

__all__ = [
    "DateMention",
    "Embedder",
    "EntityExtractor",
    "LanguageDetector",
    "MiniLMEmbedder",
    "Understander",
    "WordLlamaEmbedder",
    "detect_language",
    "make_embedder",
    "mentioned_dates",
    "published_from_text",
]
