"""Ingest stage: read articles from many input formats and detect exact and near duplicates."""

from storyline.ingest.dedup import NearDuplicateIndex, content_hash, exact_duplicates
from storyline.ingest.readers import (
    DEFAULT_MAX_BYTES, ExtractionError, article_from_record, articles_given, parse_date, read_inputs, strip_html,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ExtractionError",
    "NearDuplicateIndex",
    "article_from_record",
    "articles_given",
    "content_hash",
    "exact_duplicates",
    "parse_date",
    "read_inputs",
    "strip_html",
]
