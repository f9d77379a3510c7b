"""Read news articles from files, folders and stdin in many formats.

Formats are chosen by extension (an outer ``.gz`` is looked through) or, failing that, by sniffing the
content: plain text, HTML, JSONL, CSV/TSV, RSS/Atom feeds and WARC. Whatever cannot be read becomes an
:class:`InputError` and reading goes on with the rest. Origins name where an article came from:
``path`` (whole file), ``path:line`` (JSONL/CSV line), ``path#n`` (n-th feed entry or record of a JSON array),
``path@offset`` (WARC record), ``<stdin>`` for standard input.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import email.utils
import gzip
import io
import itertools
import json
import os
import re
import sys
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import xxhash

from storyline.model import Article, InputError
from storyline.understand.dates import without_opening_timestamps
from storyline.workers import WorkerDied, worker_pool

DEFAULT_MAX_BYTES = 5_000_000  # largest article accepted: bytes of one input line/page, characters of text
FEED_SIZE_FACTOR = 20  # a feed file or a JSON document may hold this many maximal articles
PAGES_IN_FLIGHT = 64  # HTML pages handed to the extracting workers ahead of the one read next
SNIFF_BYTES = 4096
STDIN = "<stdin>"
ARTICLE_FIELDS = ("id", "title", "text", "published", "url", "lang", "source")
RECORD_LIST_KEYS = ("articles", "items", "data")  # where a JSON object wrapping records (an API's answer) keeps them
UNREADABLE_DATE = "published_raw"  # the metadata key keeping a ``published`` value that is no date to read or believe
# a publication date later than tomorrow (UTC; a day's grace for time zones) is a typo or a placeholder, not news: taken
# as one, it would move the stream's clock years ahead and retire every active event and storyline at once
DAYS_AHEAD_TRUSTED = 1
EARLIEST_EPOCH_DATE = dt.date(1990, 1, 1)  # a Unix time before it is more likely a count of something else
MAX_TITLE_CHARS = 200
TRUNCATED = "truncated: the archive ends"

FORMAT_BY_EXTENSION = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",  # pages of a mirrored site keep their server's names
    ".php": "html",
    ".asp": "html",
    ".aspx": "html",
    ".jsp": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",  # JSON lines, or one JSON document: see _read_json
    ".csv": "csv",
    ".tsv": "tsv",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".warc": "warc",
    ".arc": "warc",
}

Item = Article | InputError


class ExtractionError(WorkerDied):
    """A worker process died while extracting the text of HTML pages."""

    def __init__(self) -> None:
        super().__init__("extracting the text of HTML pages")


def read_inputs(
    paths: Iterable[str], stdin: BinaryIO | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES, workers: int = 1
) -> Iterator[Item]:
    """Yield every article found in ``paths`` (files, folders, ``-`` for stdin) and an InputError for each bad piece.

    With ``workers`` > 1 the main text of HTML pages (and WARC records) is extracted by that many processes, in
    input order. Ids must be unique within one call: a later article reusing an id is an error naming the first
    one's origin.
    """
    return with_unique_ids(_extracted(_read_paths(paths, stdin, max_bytes), workers))


def articles_given(articles: Iterable[Article], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """``Article`` objects handed over in Python, checked and completed in place as the same record read from a file
    would be (no text is an error, no id a content hash, a ``published`` string is parsed), named "article N" (from 1)
    where they carry no origin, and with reused ids reported (:func:`with_unique_ids`)."""
    def checked(number: int, article: Article) -> Item:
        record = {name: getattr(article, name) for name in ARTICLE_FIELDS}
        item = article_from_record(record, article.origin or f"article {number}", max_bytes)
        if isinstance(item, InputError):
            return item
        if (item.text, item.title) != (article.text, article.title):
            article.content_hash = None  # the engine hashes the text as filed
        for name in (*ARTICLE_FIELDS, "origin"):
            setattr(article, name, getattr(item, name))
        article.metadata = {**article.metadata, **item.metadata}
        return article

    return with_unique_ids(checked(number, article) for number, article in enumerate(articles, 1))


def with_unique_ids(items: Iterable[Item]) -> Iterator[Item]:
    """``items`` with each article reusing an earlier one's id for another headline or text replaced by an InputError
    naming both origins; the same article again (one story in two feeds, a page in two crawls) is left out, as a
    re-ingest would leave it."""
    first: dict[str, tuple[str, int]] = {}  # id -> origin and hash of headline and text
    for item in items:
        if isinstance(item, Article):
            content = xxhash.xxh3_64_intdigest(f"{item.title}\n{item.text}".encode(errors="surrogatepass"))
            if item.id in first:
                origin, first_content = first[item.id]
                if content != first_content:
                    yield InputError(item.origin or "", f"duplicate id {item.id!r}, first read from {origin}")
                continue
            first[item.id] = (item.origin or "", content)
        yield item


def parse_date(value: Any) -> dt.date | None:
    """A publication date from ``YYYY-MM-DD``, ISO datetimes, RFC 822 or common written forms; None if unparseable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    epoch = _epoch_date(value)
    if epoch is not None or not isinstance(value, str) or not value.strip():
        return epoch
    text = value.strip()
    if re.match(r"\d{4}-\d{2}-\d{2}(?:$|[T ])", text):  # the writer's local date, whatever the time zone
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    if len(text) > 64 or not (re.search(r"\b(?:1[89]|20)\d\d\b", text) and re.search(r"\b\d{1,2}\b", text)):
        return None  # no year and day: not worth dateparser, whose failures cost ~50 ms each
    import dateparser  # slow to import and rarely needed

    parsed = dateparser.parse(text, settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date() if parsed else None


def _epoch_date(value: Any) -> dt.date | None:
    """The UTC date of a Unix time in seconds or milliseconds (a number or a string of digits), if it falls between
    ``EARLIEST_EPOCH_DATE`` and tomorrow: "20180225" or 42 are no times."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", value):
        value = float(value)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    earliest = dt.datetime.combine(EARLIEST_EPOCH_DATE, dt.time(), dt.timezone.utc).timestamp()
    latest = dt.datetime.combine(_latest_trusted_date(), dt.time.max, dt.timezone.utc).timestamp()
    for per_second in (1, 1000):  # no division before the range check: an integer of 400 digits overflows a float
        if earliest * per_second <= value <= latest * per_second:
            return dt.datetime.fromtimestamp(value / per_second, dt.timezone.utc).date()
    return None


def strip_html(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed summary), one line per block element."""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class HTMLPage:
    """An HTML page read but not yet extracted: extraction (trafilatura, some 15 ms a page) can run in a worker."""

    data: bytes
    origin: str
    url: str | None
    max_bytes: int
    declared: str | None = None  # the charset its HTTP headers declare
    fallback_date: dt.date | None = None  # when it was fetched, should the page itself give no date

    def extract(self) -> Item:
        """The article in the page, or why there is none; never an exception."""
        try:
            return _article_from_html(self.data, self.origin, self.url, self.max_bytes, self.declared,
                                      self.fallback_date)
        except Exception as exc:  # noqa: BLE001 - one broken page must not end the others
            return InputError(self.origin, f"cannot extract the HTML ({type(exc).__name__}): {exc}")


Read = Item | HTMLPage  # what a format reader yields: pages are extracted afterwards, maybe by workers


def _extracted(items: Iterator[Read], workers: int) -> Iterator[Item]:
    """The items with their HTML pages extracted, in order; by ``workers`` processes, started at the first page."""
    pool: ProcessPoolExecutor | None = None
    ahead: deque[Item | Future] = deque()
    try:
        for item in items:
            if isinstance(item, HTMLPage) and workers > 1:
                if pool is None:
                    import trafilatura  # noqa: F401 - loaded once here, inherited by forked workers

                    pool = worker_pool(workers)
                ahead.append(_submit(pool, item))
            else:
                ahead.append(item.extract() if isinstance(item, HTMLPage) else item)
            while len(ahead) > PAGES_IN_FLIGHT or ahead and not isinstance(ahead[0], Future):
                yield _result(ahead.popleft())
        while ahead:
            yield _result(ahead.popleft())
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _submit(pool: ProcessPoolExecutor, page: HTMLPage) -> Future:
    try:
        return pool.submit(HTMLPage.extract, page)
    except BrokenProcessPool as error:
        raise ExtractionError() from error


def _result(item: Item | Future) -> Item:
    if not isinstance(item, Future):
        return item
    try:
        return item.result()
    except BrokenProcessPool as error:
        raise ExtractionError() from error


# --- paths -------------------------------------------------------------------------------


def _read_paths(paths: Iterable[str], stdin: BinaryIO | None, max_bytes: int) -> Iterator[Read]:
    for path in paths:
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _guarded(STDIN, lambda stream=stream: _read_stream(stream, STDIN, None, max_bytes))
        elif os.path.isdir(path):
            for file_path in _files_under(path):
                if isinstance(file_path, InputError):
                    yield file_path
                else:
                    yield from _read_file(file_path, max_bytes)
        elif os.path.exists(path):
            yield from _read_file(path, max_bytes)
        else:
            yield InputError(path, "no such file or directory")


def _files_under(folder: str) -> Iterator[str | InputError]:
    """Files below ``folder`` in sorted order, unreadable folders as errors. Hidden files and folders are skipped, and
    so are files whose extension names no article format: a saved page's scripts, styles and images, a README.
    Symbolic links to folders are followed, each real folder once: a link back up the tree ends no walk."""
    errors: list[OSError] = []
    visited = {os.path.realpath(folder)}
    for root, dirs, files in os.walk(folder, onerror=errors.append, followlinks=True):
        dirs[:] = [name for name in sorted(dirs) if not name.startswith(".")
                   and _first_visit(os.path.join(root, name), visited)]
        yield from (os.path.join(root, name) for name in sorted(files) if _may_hold_articles(name))
    for error in errors:
        yield InputError(error.filename or folder, f"cannot read folder: {error.strerror or error}")


def _first_visit(folder: str, visited: set[str]) -> bool:
    """Whether the real folder behind ``folder`` (a link's target) is not yet in ``visited``, adding it."""
    real = os.path.realpath(folder)
    if real in visited:
        return False
    visited.add(real)
    return True


def _read_file(path: str, max_bytes: int) -> Iterator[Read]:
    def read() -> Iterator[Read]:
        with open(path, "rb") as stream:
            yield from _read_stream(stream, path, _format_from_name(path), max_bytes)

    yield from _guarded(path, read)


def _may_hold_articles(name: str) -> bool:
    """Whether a file met in a folder is read: not hidden, and named as an article format or with no extension (a
    crawl may name pages by their hash); a file named on the command line is read whatever its name."""
    extension = _extension(name)
    return not name.startswith(".") and (not extension or extension in FORMAT_BY_EXTENSION)


def _extension(path: str) -> str:
    """The lower-cased extension of a file's name, under a ``.gz``: ".jsonl" for "Feed.JSONL.gz"."""
    return os.path.splitext(path.lower().removesuffix(".gz"))[1]


def _format_from_name(path: str) -> str | None:
    return FORMAT_BY_EXTENSION.get(_extension(path))


def _guarded(origin: str, read: Callable[[], Iterator[Read]]) -> Iterator[Read]:
    """Run one input's reader; any failure ends that input with an InputError instead of an exception."""
    try:
        yield from read()
    except Exception as exc:  # noqa: BLE001 - the contract: nothing escapes, the other inputs are still read
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        yield InputError(origin, f"cannot read ({type(exc).__name__}): {reason}")


# --- format detection ----------------------------------------------------------------------


def _read_stream(stream: BinaryIO, origin: str, fmt: str | None, max_bytes: int) -> Iterator[Read]:
    """Sniff what the stream holds (gzip, format, binary) and hand it to the right reader."""
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    head = buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    if not head:
        yield InputError(origin, "empty: nothing to read")
        return
    if head.startswith(b"\x1f\x8b") and fmt != "warc":  # warcio reads gzipped WARC record by record itself
        yield from _read_stream(gzip.GzipFile(fileobj=buffered, mode="rb"), origin, fmt, max_bytes)
        return
    utf16 = _utf16(head)
    fmt = fmt or _sniff_format(head.decode(utf16, errors="ignore").encode() if utf16 else head)
    if utf16 and fmt not in ("feed", "warc"):  # feedparser reads UTF-16 itself, as its XML declaration says
        yield from _read_stream(io.BufferedReader(_AsUtf8(buffered, utf16)), origin, fmt, max_bytes)
        return
    if fmt != "warc" and not utf16 and b"\x00" in head:
        yield InputError(origin, "binary file (contains NUL bytes), not text")
        return
    yield from READERS[fmt](buffered, origin, max_bytes)


def _utf16(head: bytes) -> str | None:
    """The UTF-16 codec a text starting with ``head`` is in (Windows' "Unicode", PowerShell's redirection): by its
    byte order mark, or, without one, by a zero in nearly every high byte and none in the low ones (Latin script)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    even, odd = head[0::2], head[1::2]
    for low, high, codec in ((even, odd, "utf-16-le"), (odd, even, "utf-16-be")):
        if len(head) >= 16 and 0 not in low and high.count(0) >= 0.8 * len(high):
            return codec
    return None


class _AsUtf8(io.RawIOBase):
    """A stream of text in another encoding, read as UTF-8 bit by bit, so that every reader reads it as UTF-8."""

    def __init__(self, stream: BinaryIO, encoding: str) -> None:
        super().__init__()
        self._text = io.TextIOWrapper(stream, encoding=encoding, newline="")  # type: ignore[arg-type]
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        """Fill ``buffer`` with the next UTF-8 bytes; 0 at the end."""
        while not self._pending:
            text = self._text.read(1 << 16)
            if not text:
                return 0
            self._pending = text.encode("utf-8")
        size = min(len(buffer), len(self._pending))
        buffer[:size], self._pending = self._pending[:size], self._pending[size:]
        return size


def _sniff_format(head: bytes) -> str:
    if head.startswith(b"WARC/"):
        return "warc"
    start = head.lstrip(codecs.BOM_UTF8).lstrip()
    if start.startswith(b"{") or re.match(rb"\[\s*[{\]]", start):  # not "[Updated] Quake hits Chile"
        return "json"
    if start.startswith(b"<"):
        return "feed" if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head, re.IGNORECASE) else "html"
    return "text"


# --- decoding --------------------------------------------------------------------------------


def _decode(data: bytes, declared: str | None = None) -> str | None:
    """Text from bytes: UTF-8 (BOM allowed), a UTF-16 BOM, the declared charset, else a confident detection."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _try_decode(data, "utf-16")
    text = _try_decode(data, "utf-8-sig")
    if text is None and declared:
        text = _try_decode(data, declared)
    if text is None:
        encoding = _detect_encoding(data)
        text = _try_decode(data, encoding) if encoding else None
    return text


def _detect_encoding(data: bytes) -> str | None:
    """The encoding charset_normalizer finds with little noise; among equally good single-byte guesses, Windows-1252."""
    import charset_normalizer

    matches = [match for match in charset_normalizer.from_bytes(data) if match.chaos <= 0.1]
    if not matches:
        return None
    best = matches[0]
    for match in matches:
        if (match.chaos, match.coherence) == (best.chaos, best.coherence) and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    return best.encoding


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _undecodable(origin: str) -> InputError:
    return InputError(origin, "undecodable text: not UTF-8 and no encoding could be detected with confidence")


def _read_limited(stream: BinaryIO, limit: int, origin: str, start: bytes = b"") -> bytes | InputError:
    """``start`` and the rest of the stream, or an error if together they are over ``limit`` bytes."""
    data = start + stream.read(max(0, limit + 1 - len(start)))
    if len(data) > limit:
        return InputError(origin, f"too large: over the limit of {limit:,} bytes")
    return data


def _lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) without ever holding more than one line; None for a line over ``max_bytes``."""
    number = 0
    while line := stream.readline(max_bytes + 1):
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(1 << 20)
            yield number, None
        else:
            yield number, line


# --- readers, one per format ------------------------------------------------------------------


def _read_text(stream: BinaryIO, origin: str, max_bytes: int) -> Iterator[Read]:
    data = _read_limited(stream, max_bytes, origin)
    if isinstance(data, InputError):
        yield data
        return
    text = _decode(data)
    if text is None:
        yield _undecodable(origin)
        return
    yield article_from_record({"text": text}, origin, max_bytes)


def _read_html(stream: BinaryIO, origin: str, max_bytes: int) -> Iterator[Read]:
    data = _read_limited(stream, max_bytes, origin)
    if isinstance(data, InputError):
        yield data
        return
    yield HTMLPage(data, origin, None, max_bytes)


def _read_jsonl(stream: BinaryIO, origin: str, max_bytes: int) -> Iterator[Read]:
    return _json_lines(_lines(stream, max_bytes), origin, max_bytes)


def _json_lines(lines: Iterable[tuple[int, bytes | None]], origin: str, max_bytes: int) -> Iterator[Read]:
    """One record a line, each named ``origin:line``."""
    for number, line in lines:
        where = f"{origin}:{number}"
        if line is None:
            yield InputError(where, f"too large: line over the limit of {max_bytes:,} bytes")
            continue
        if not line.strip():
            continue
        record = _json_value(line, where)
        if isinstance(record, InputError):
            yield record
        elif not isinstance(record, dict):
            yield InputError(where, f"a JSON line must be an object, not {type(record).__name__}")
        else:
            yield article_from_record(record, where, max_bytes)


def _json_value(data: bytes, origin: str) -> Any:
    """The JSON value ``data`` holds, or an InputError saying why it holds none."""
    text = _decode(data)
    if text is None:
        return _undecodable(origin)
    try:
        return json.loads(text.strip())
    except (ValueError, RecursionError) as exc:  # besides syntax: a number of over 4,300 digits, deep nesting
        return InputError(origin, f"invalid JSON: {exc}")


def _read_json(stream: BinaryIO, origin: str, max_bytes: int) -> Iterator[Read]:
    """A ``.json`` file, or one sniffed as JSON: JSON lines when its first line is one whole record, else one JSON
    document (see :func:`_json_document`), read whole up to ``FEED_SIZE_FACTOR`` maximal articles."""
    limit = FEED_SIZE_FACTOR * max_bytes
    start = b""
    while not start.strip() and len(start) <= limit and (line := stream.readline(limit + 1 - len(start))):
        start += line  # leading blank lines and the first line
    first = start.removeprefix(codecs.BOM_UTF8).lstrip()
    if first.startswith(b"{") and len(start) <= limit and _is_record(_json_value(first, origin)):
        number = start.count(b"\n", 0, len(start) - 1) + 1
        following = ((number + offset, line) for offset, line in _lines(stream, max_bytes))
        first_line = (number, first if len(first) <= max_bytes else None)
        yield from _json_lines(itertools.chain([first_line], following), origin, max_bytes)  # streamed: stdin
        return
    data = _read_limited(stream, limit, origin, start)
    if isinstance(data, InputError):
        yield data
        return
    document = _json_value(data, origin)
    if not isinstance(document, InputError):
        yield from _json_document(document, origin, max_bytes)
    elif _has_record_line(data):  # JSON lines after all, the first one broken
        yield from _json_lines(_lines(io.BytesIO(data), max_bytes), origin, max_bytes)
    else:
        yield document


def _has_record_line(data: bytes) -> bool:
    """Whether a line after the first of a text is one whole record."""
    lines = data.splitlines()[1:]
    return any(line.lstrip().startswith(b"{") and _is_record(_json_value(line, "")) for line in lines)


def _is_record(value: Any) -> bool:
    """Whether a JSON value is one article's record, not an object wrapping a list of them."""
    return isinstance(value, dict) and _wrapped_records(value) is None


def _wrapped_records(value: dict[str, Any]) -> list[Any] | None:
    """The records an object without text of its own keeps as a list under one of ``RECORD_LIST_KEYS``."""
    lists = [value[key] for key in RECORD_LIST_KEYS if isinstance(value.get(key), list)]
    return lists[0] if len(lists) == 1 and "text" not in value else None


def _json_document(document: Any, origin: str, max_bytes: int) -> Iterator[Item]:
    """The articles of a JSON document: a single record (named ``origin``), or an array of records (each named
    ``origin#n``, from 1), bare or kept by an object under one of ``RECORD_LIST_KEYS``."""
    if _is_record(document):
        yield article_from_record(document, origin, max_bytes)
        return
    records = _wrapped_records(document) if isinstance(document, dict) else document
    if not isinstance(records, list):
        yield InputError(origin, f"a JSON document must be an array of records or a record, not "
                                 f"{type(document).__name__}")
        return
    for number, record in enumerate(records, start=1):
        where = f"{origin}#{number}"
        if isinstance(record, dict):
            yield article_from_record(record, where, max_bytes)
        else:
            yield InputError(where, f"a JSON record must be an object, not {type(record).__name__}")


def _read_csv(stream: BinaryIO, origin: str, max_bytes: int, delimiter: str = ",") -> Iterator[Read]:
    head = stream.peek(1 << 16)[: 1 << 16]  # type: ignore[attr-defined]
    encoding = _csv_encoding(head)
    if encoding is None:
        yield _undecodable(origin)
        return
    delimiter = _csv_delimiter(head.decode(encoding, errors="ignore"), delimiter)
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))  # its default, 131,072 characters, is no article's
    # strict: a lenient reader runs a quote that is never closed on into the next rows, filing them as one article
    rows = csv.reader(io.TextIOWrapper(stream, encoding=encoding, newline=""), delimiter=delimiter, strict=True)
    header = next(rows, None)
    columns = [name.strip().lower() for name in header or []]
    if "text" not in columns:
        yield InputError(origin, f"no 'text' column; the columns are: {', '.join(header or []) or '(none)'}")
        return
    if twice := sorted({name for name in columns if name and columns.count(name) > 1}):
        yield InputError(origin, f"the header names a column more than once, so which to read is unclear: "
                                 f"{', '.join(map(repr, twice))}")
        return
    line = rows.line_num
    while True:
        where = f"{origin}:{line + 1}"
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            lost = f" (lines {line + 1}-{rows.line_num} were not read)" if rows.line_num > line + 1 else ""
            yield InputError(where, f"malformed CSV row: {_csv_problem(exc, delimiter)}{lost}")
            line = rows.line_num
            continue
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            yield InputError(where, f"row has {len(row)} fields, the header has {len(columns)}")
            continue
        yield article_from_record(dict(zip(columns, row)), where, max_bytes)


def _csv_problem(error: csv.Error, delimiter: str) -> str:
    """What a strict CSV reader's error means for the person who wrote the file."""
    reason = str(error)
    if reason == "unexpected end of data":
        return "a quoted field is never closed, so the rest of the file could not be read"
    if reason.endswith("expected after '\"'"):
        return (f"a quote inside a quoted field must be doubled (\"\"), or the field ends there and "
                f"{delimiter!r} must follow ({reason})")
    return reason


def _read_tsv(stream: BinaryIO, origin: str, max_bytes: int) -> Iterator[Read]:
    return _read_csv(stream, origin, max_bytes, delimiter="\t")


def _csv_delimiter(head: str, expected: str) -> str:
    """The delimiter that makes a 'text' column of the header: ``expected``, else ';' (Excel's in much of Europe),
    tab or '|'."""
    header = head.split("\n", 1)[0]
    for delimiter in (expected, ";", "\t", "|"):
        if "text" in (name.strip().lower() for name in next(csv.reader([header], delimiter=delimiter), [])):
            return delimiter
    return expected


def _csv_encoding(head: bytes) -> str | None:
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return _detect_encoding(head)


def _read_feed(stream: BinaryIO, origin: str, max_bytes: int) -> Iterator[Read]:
    import feedparser

    data = _read_limited(stream, FEED_SIZE_FACTOR * max_bytes, origin)
    if isinstance(data, InputError):
        yield data
        return
    parsed = feedparser.parse(data)
    if not parsed.entries:
        if parsed.bozo:
            yield InputError(origin, f"malformed feed: {parsed.get('bozo_exception', 'unknown error')}")
        elif not parsed.version:
            yield InputError(origin, "not an RSS or Atom feed")
        return
    feed = parsed.feed
    feed_source = feed.get("title") or _host(feed.get("link"))
    cut = _cut_short(parsed)
    whole = len(re.findall(rb"</(?:item|entry)\s*>", data)) if cut else len(parsed.entries)  # the cut one is not
    for number, entry in enumerate(parsed.entries, start=1):
        if number > whole:
            yield InputError(f"{origin}#{number}", "truncated: the feed ends inside this entry")
            continue
        content = entry["content"][0].get("value", "") if entry.get("content") else entry.get("summary", "")
        published = entry.get("published") or entry.get("updated")
        parsed_time = entry.get("published_parsed") or entry.get("updated_parsed")
        record = {
            "id": entry.get("id"),
            "title": strip_html(entry.get("title", "")),
            "text": strip_html(content),
            "published": parse_date(published) or (dt.date(*parsed_time[:3]) if parsed_time else published),
            "url": entry.get("link"),
            "lang": entry.get("language") or feed.get("language"),
            "source": feed_source or _host(entry.get("link")),
            "author": entry.get("author"),
            "tags": [tag.get("term") for tag in entry.get("tags", []) if tag.get("term")] or None,
        }
        yield article_from_record({k: v for k, v in record.items() if v is not None}, f"{origin}#{number}", max_bytes)
    if cut and whole >= len(parsed.entries):  # no entry was cut: the file still was
        yield InputError(origin, "truncated: the feed ends before its closing tag (the entries before are whole)")


def _cut_short(parsed: Any) -> bool:
    """Whether a parsed feed ends before its closing tag (a cut download): its XML parser's error at the input's end."""
    return bool(parsed.bozo) and str(parsed.get("bozo_exception")).endswith(("no element found", "unclosed token"))


def _read_warc(stream: BinaryIO, origin: str, max_bytes: int) -> Iterator[Read]:
    from warcio.exceptions import ArchiveLoadFailed

    records = _warc_records(stream)
    last: Item | HTMLPage | None = None  # the last page read, or why it could not be
    try:
        for record in records:
            if (page := _warc_page(record, records, origin, max_bytes)) is not None:
                last = page
                yield page
    except ArchiveLoadFailed as exc:
        where = f"{origin}@{records.offset}" if records.offset > 0 else origin
        yield InputError(where, f"invalid WARC record, the rest of the archive is not read: {_printable(str(exc))}")
        return
    if records.cut_short and not (isinstance(last, InputError) and last.reason.startswith(TRUNCATED)):
        yield InputError(f"{origin}@{records.offset}", f"{TRUNCATED} inside a compressed record")
    elif last is None:
        yield InputError(origin, "no HTML page in the archive (a record of an HTTP 200 response of type text/html)")


def _warc_page(record: Any, records: Any, origin: str, max_bytes: int) -> Item | HTMLPage | None:
    """The HTML page a WARC record holds, or why it cannot be read; None for a record of no page (a request, an
    image, a redirect)."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    if "html" not in content_type.lower():
        return None
    payload = record.content_stream().read(max_bytes + 1)
    where = f"{origin}@{records.get_record_offset()}"  # only after the payload: this reads the record to its end
    if len(payload) > max_bytes:
        return InputError(where, f"too large: over the limit of {max_bytes:,} bytes")
    if getattr(record.raw_stream, "limit", 0) > 0:  # warcio reads a cut record's bytes as if they were all
        return InputError(where, f"{TRUNCATED} {record.raw_stream.limit:,} bytes before the record does")
    url = record.rec_headers.get_header("WARC-Target-URI")
    declared = re.search(r"charset=([\w.:-]+)", content_type, re.IGNORECASE)
    fallback_date = parse_date(record.rec_headers.get_header("WARC-Date"))
    return HTMLPage(payload, where, url, max_bytes, declared and declared.group(1), fallback_date)


def _warc_records(stream: BinaryIO) -> Any:
    """warcio's iterator over a WARC's records, telling afterwards (``cut_short``) whether the archive ended inside
    a gzip member: warcio (pinned at 1.8.1) takes that for the archive's end, and a cut download lost its last
    records in silence."""
    from warcio.archiveiterator import ArchiveIterator

    class Records(ArchiveIterator):
        cut_short = False

        def close(self) -> None:
            decompressor = self.reader and self.reader.decompressor
            self.cut_short = bool(decompressor) and not decompressor.eof
            super().close()

    return Records(stream)


def _printable(text: str, limit: int = 100) -> str:
    """A library's message on one line, its control characters and non-ASCII escaped (a WARC's garbage bytes)."""
    line = ascii(" ".join(text.split()))[1:-1]
    return line[:limit] + ("..." if len(line) > limit else "")


READERS: dict[str, Callable[[BinaryIO, str, int], Iterator[Read]]] = {
    "text": _read_text,
    "html": _read_html,
    "jsonl": _read_jsonl,
    "json": _read_json,
    "csv": _read_csv,
    "tsv": _read_tsv,
    "feed": _read_feed,
    "warc": _read_warc,
}


# --- building articles ----------------------------------------------------------------------


def _article_from_html(
    data: bytes,
    origin: str,
    url: str | None,
    max_bytes: int,
    declared: str | None = None,
    fallback_date: dt.date | None = None,
) -> Item:
    """Main text and metadata of an HTML page via trafilatura (date via htmldate); ``url`` overrides the page's."""
    import trafilatura

    if declared is None:
        meta = re.search(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", data[:SNIFF_BYTES], re.IGNORECASE)
        declared = meta.group(1).decode("ascii") if meta else None
    html = _decode(data, declared)
    if html is None:
        return _undecodable(origin)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # lxml deprecation noise inside trafilatura
        document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if document is None or not (document.text or "").strip():
        return InputError(origin, "no article text could be extracted from the HTML")
    record = {
        "title": document.title,
        "text": document.text,
        "published": parse_date(document.date) or fallback_date,
        "url": url or document.url,
        "source": document.sitename,
        "lang": document.language or _declared_language(html),
        "author": document.author,
        "description": document.description,
    }
    return article_from_record({k: v for k, v in record.items() if v}, origin, max_bytes)


_SURROGATE = re.compile("[\ud800-\udfff]")  # half a UTF-16 pair: JSON may escape one ("\\ud800"), UTF-8 cannot hold it


def article_from_record(record: Mapping[str, Any], origin: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Item:
    """An Article from a mapping with the fields of the data schema (other keys go to ``metadata``), or why not."""
    if (error := _field_error(record, origin)) is not None:
        return error
    text = (record.get("text") or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
    if not text:
        return InputError(origin, "empty article: no text")
    if len(text) > max_bytes:
        return InputError(origin, f"too large: {len(text):,} characters of text, over the limit of {max_bytes:,}")
    title = _clean_str(record.get("title")) or _first_line(text)
    url = _clean_str(record.get("url"))
    raw_id = "" if record.get("id") is None else str(record.get("id"))
    # without an input id (or a blank one): stable across runs, and copies of one text at different addresses stay apart
    article_id = raw_id if raw_id.strip() else "h" + xxhash.xxh3_64_hexdigest(f"{url}\n{title}\n{text}".encode())
    metadata = {key: value for key, value in record.items() if key not in ARTICLE_FIELDS}
    published = parse_date(record.get("published"))
    if published is not None and published > _latest_trusted_date():
        published = None
    if published is None and record.get("published") not in (None, ""):
        raw = record.get("published")
        metadata[UNREADABLE_DATE] = raw.isoformat() if isinstance(raw, dt.date) else raw
    return Article(
        id=article_id,
        title=title,
        text=text,
        published=published,
        url=url,
        lang=_language_code(record.get("lang")),
        source=_clean_str(record.get("source")) or _host(url),
        metadata=metadata,
        origin=origin,
    )


def _field_error(record: Mapping[str, Any], origin: str) -> InputError | None:
    """Why a record's fields make no article: a lone surrogate, a text that is no string, an id or title that is a
    list or an object (whose printed form would be filed)."""
    for field_name in ARTICLE_FIELDS:
        value = record.get(field_name)
        if isinstance(value, str) and (surrogate := _SURROGATE.search(value)):
            return InputError(origin, f"field {field_name!r} is not valid Unicode: a lone surrogate "
                                      f"({surrogate.group()!a}) at character {surrogate.start():,}")
        if field_name == "text" and not isinstance(value, (str, type(None))) or (
                field_name in ("id", "title") and isinstance(value, (list, dict))):
            return InputError(origin, f"field {field_name!r} must be a string, not {type(value).__name__}")
    return None


def _latest_trusted_date() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=DAYS_AHEAD_TRUSTED)


def _declared_language(html: str) -> str | None:
    """The ``lang`` attribute of the page's ``<html>`` element."""
    match = re.search(r"<html[^>]*?\blang=[\"']?([\w-]+)", html[:SNIFF_BYTES], re.IGNORECASE)
    return match.group(1) if match else None


def _clean_str(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).replace("\x00", "").split())  # JSON may escape a NUL ("\\u0000"): nothing to store
    return text or None


def _first_line(text: str) -> str:
    """The headline of a text given without one: its first line below any timestamps ("Posted 11/27/2005 7:21")."""
    body = without_opening_timestamps(text) or text
    line = next(line.strip() for line in body.split("\n") if line.strip())
    if len(line) <= MAX_TITLE_CHARS:
        return line
    return line[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"


def _language_code(value: Any) -> str | None:
    """ISO 639 code from forms like ``en``, ``en-US``, ``fr_FR``."""
    code = re.split(r"[-_]", str(value).strip().lower())[0] if value else ""
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


# An archived copy (the Wayback Machine's /web/<timestamp>/<address>) names the outlet in the address it archived.
_ARCHIVED = re.compile(r"https?://(?:web|wayback)\.archive\.org/web/\d+[a-z_]*/(?:(https?)://?)?(.+)", re.IGNORECASE)


def _host(url: str | None) -> str | None:
    """The outlet of an address (``www.`` dropped), or of the address an archived copy was taken from."""
    if not url:
        return None
    archived = _ARCHIVED.match(url)
    if archived:
        url = f"{archived.group(1) or 'http'}://{archived.group(2)}"
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


class _TextCollector(HTMLParser):
    """Collects the text of an HTML fragment, breaking lines at block elements and skipping scripts."""

    BLOCKS = frozenset(
        {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "blockquote"}
        | {"section", "article", "figure", "pre"}
    )
    HIDDEN = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden_depth += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.parts.append(data)
