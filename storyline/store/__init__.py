"""Persistence: the :class:`Store` interface and ``open_store`` choosing a backend from a path or URL."""

from __future__ import annotations

from pathlib import Path

from storyline.store.base import EntityCount, SearchHit, Store, StorylineFilter
from storyline.store.sqlite import SQLiteStore, StoreError

__all__ = ["EntityCount", "SQLiteStore", "SearchHit", "Store", "StoreError", "StorylineFilter", "open_store"]


def open_store(target: str | Path) -> Store:
    """Open the store at a file path or ``sqlite:///relative.db`` / ``sqlite:////absolute.db`` URL."""
    text = str(target)
    scheme, separator, rest = text.partition("://")
    if isinstance(target, Path) or not separator:
        return SQLiteStore(target)
    if scheme == "sqlite":
        if not rest.startswith("/") or rest == "/":
            raise ValueError(f"store URL {text!r} names no file: write sqlite:///relative.db or sqlite:////absolute.db")
        return SQLiteStore(rest[1:])
    if scheme.split("+")[0] in {"postgresql", "postgres"}:
        raise NotImplementedError(f"store URL scheme {scheme!r} ({text!r}): the PostgreSQL store is not available yet")
    raise ValueError(f"unknown store URL scheme {scheme!r} in {text!r}: use a file path or sqlite:///path")
