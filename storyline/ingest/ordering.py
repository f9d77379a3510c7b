"""Putting what was read in processing order: an archive's files and lines need not be in date order (a crawl, a dump),
but the tracker must meet its articles in date order, in memory that does not grow with the archive."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import sqlite3
import tempfile
import zlib
from collections.abc import Iterable, Iterator

from storyline.model import Article


def processing_order(article: Article) -> tuple:
    """Undated articles first (active for a window from the stream's clock when they arrive, they meet the
    dated articles that follow), then the dated ones in date order."""
    return (article.date is not None, article.date or dt.date.min)


def sqlite_scratch_folder() -> str:
    """The folder SQLite keeps its temporary files in, found as its Unix VFS finds it: ``SQLITE_TMPDIR``, ``TMPDIR``,
    then the first writable of ``/var/tmp``, ``/usr/tmp`` and ``/tmp``."""
    for folder in (os.environ.get("SQLITE_TMPDIR"), os.environ.get("TMPDIR"), "/var/tmp", "/usr/tmp", "/tmp"):
        if folder and os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
            return folder
    return tempfile.gettempdir()


class SpilledArticles:
    """Articles written to a temporary SQLite file as they are read, and read back in processing order (input order
    among equals): sorting an archive larger than memory costs disk (about a third of its text, compressed), not RAM.

    The file is SQLite's own temporary database, which it unlinks as soon as it opens it: it is gone when the
    connection closes, and also when the process is killed. Use as a context manager.
    """

    def __init__(self) -> None:
        self._conn = sqlite3.connect("")  # "": a private temporary database on disk (in sqlite_scratch_folder())
        self._conn.execute("PRAGMA journal_mode = OFF")  # a scratch file: nothing to recover after a crash
        self._conn.execute("PRAGMA synchronous = OFF")
        self._conn.execute("CREATE TABLE spilled (dated INTEGER, date TEXT, seq INTEGER PRIMARY KEY, article BLOB)")
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, articles: Iterable[Article]) -> None:
        """Write ``articles`` after those added before."""
        rows = []
        for article in articles:
            dated, date = processing_order(article)
            rows.append((dated, date.isoformat(), self._count, zlib.compress(pickle.dumps(article, protocol=5), 1)))
            self._count += 1
        try:
            with self._conn:
                self._conn.executemany("INSERT INTO spilled VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:  # a full disk, most likely: say where, and what to do
            raise OSError(f"cannot sort the input by date in {sqlite_scratch_folder()}: {exc} "
                          "(set TMPDIR to a folder with room for about a third of the input)") from exc

    def in_processing_order(self) -> Iterator[Article]:
        """Every article added, in processing order."""
        for (blob,) in self._conn.execute("SELECT article FROM spilled ORDER BY dated, date, seq"):
            yield pickle.loads(zlib.decompress(blob))

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SpilledArticles:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
