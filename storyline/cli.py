"""``storyline`` command line: a thin layer over :class:`storyline.engine.Storyline`.

Data goes to stdout (JSON with ``--json``), messages and errors to stderr; exit code 1 when an
input could not be read or an id was not found, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import re
import sys
from pathlib import Path

from storyline.config import Config
from storyline.engine import StrictModeError, Storyline, default_db
from storyline.explain.report import counted_articles
from storyline.model import InputError
from storyline.store import StoreError
from storyline.workers import WorkerDied


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.run(args)
    except BrokenPipeError:  # the reader of stdout went away (`storyline export | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except (OSError, ValueError, StoreError, WorkerDied) as exc:  # a missing file, a full disk, bad input
        print(f"storyline: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("storyline: interrupted; completed batches are stored, re-run to finish", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="storyline", description="Group news articles into events and storylines.")
    parser.add_argument("--db", default=None, help=f"database file (default: $STORYLINE_DB or {default_db()})")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("ingest", help="read articles (text, HTML, JSONL, CSV, RSS/Atom, WARC, folders, - for stdin)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--strict", action="store_true", help="store nothing if any input has an error")
    p.add_argument("--batch-size", type=int, default=1000)
    p.add_argument("--workers", type=_positive, help="processes that extract and read articles "
                   "(default: one per CPU, at most four; 1 reads in this process)")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_ingest)

    p = sub.add_parser("demo", help="ingest the bundled demo corpus and list its storylines")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser("stats", help="counts of articles, events, storylines, duplicates")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_stats)

    p = sub.add_parser("storylines", help="list storylines, newest activity first")
    p.add_argument("--query", help="full-text query some article must match")
    p.add_argument("--entity", help="a person, organisation or place some article names")
    p.add_argument("--since", type=_date, help="active on or after YYYY-MM-DD")
    p.add_argument("--until", type=_date, help="active on or before YYYY-MM-DD")
    p.add_argument("--lang", help="ISO 639-1 language of some article")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_storylines)

    p = sub.add_parser("show", help="a storyline (its events in date order) or an event (its articles)")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_show)

    p = sub.add_parser("timeline", help="a storyline as dated entries")
    p.add_argument("id")
    p.add_argument("--dates", type=int, default=None, help="at most this many dates")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--markdown", action="store_true")
    p.set_defaults(run=cmd_timeline)

    p = sub.add_parser("export-report", help="a self-contained report of a storyline to send to a colleague")
    p.add_argument("id")
    p.add_argument("--format", choices=("markdown", "html"), default="html")
    p.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    p.set_defaults(run=cmd_export_report)

    p = sub.add_parser("entity", help="the storylines a person, organisation or place appears in")
    p.add_argument("name")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_entity)

    p = sub.add_parser("search", help="full-text search over articles")
    p.add_argument("query", nargs="+", help='words (all must occur), "quoted phrases", OR between groups')
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("export", help="every article as JSONL with its event, storyline and duplicate_of")
    p.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("evaluate", help="score the pipeline on a labelled JSONL file or folder (fresh temporary database)")
    p.add_argument("file", type=Path, metavar="PATH", help="a JSONL file, or a folder whose articles.jsonl/docs.jsonl files form one stream")
    p.add_argument("--fast", action="store_true", help="use the fast configuration")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_evaluate)

    p = sub.add_parser("evaluate-timeline", help="score the timeline of a topic folder (articles.jsonl + timeline.jsonl)")
    p.add_argument("folder", type=Path)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_evaluate_timeline)
    return parser


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _engine(args) -> Storyline:
    config = Config()
    if getattr(args, "workers", None):
        config = config.with_(understand={"workers": args.workers})
    return Storyline(args.db, config)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_jsonable)
    sys.stdout.write("\n")


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def _count(n: int, noun: str) -> str:
    """"1 event", "3 events"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _span(first, last) -> str:
    if first is None:
        return "undated"
    return str(first) if last in (None, first) else f"{first} → {last}"


# --- commands ----------------------------------------------------------------------------------
def cmd_ingest(args) -> int:
    with _engine(args) as engine:
        try:
            report = engine.ingest(args.paths, strict=args.strict, batch_size=args.batch_size,
                                   progress=not args.no_progress and sys.stderr.isatty(), stdin=sys.stdin.buffer,
                                   on_wait=lambda why: print(f"storyline: {why}", file=sys.stderr, flush=True))
        except StrictModeError as exc:
            _print_input_errors(exc.errors)
            print(f"storyline: --strict: {len(exc.errors)} error(s), nothing stored", file=sys.stderr)
            return 1
        _print_input_errors(report.errors, listed_in_json=args.json)
        _print_input_errors(report.warnings, listed_in_json=args.json, action="warning:", noun="warning")
        if args.json:
            _print_json(report.as_dict())
        else:
            warned = f", warnings {len(report.warnings)}" if report.warnings else ""
            print(f"read {report.read}, stored {report.stored} ({report.duplicates} duplicates), "
                  f"already stored {report.already_stored}, errors {len(report.errors)}{warned}", file=sys.stderr)
        return 1 if report.errors else 0


def _print_input_errors(errors, per_file_and_reason: int = 5, listed_in_json: bool = False, action: str = "",
                        noun: str = "error") -> None:
    """Each input error (or warning) on stderr, but only the first few lines of one file failing for one kind of
    reason (a file of records without text, repeated ids), then how many more there are."""
    shown: dict[tuple[str, str], int] = {}
    for error in errors:
        path, _, line = error.origin.rpartition(":")
        key = (path if line.isdigit() else error.origin, _kind_of_error(error.reason))
        shown[key] = shown.get(key, 0) + 1
        if shown[key] <= per_file_and_reason:
            print(f"storyline: {action + ' ' if action else ''}{error}", file=sys.stderr)
    for (path, kind), count in shown.items():
        if count > per_file_and_reason:
            where = "the JSON report lists them all" if listed_in_json else "--json lists them all"
            print(f"storyline: {path}: {count - per_file_and_reason} more lines with the same {noun} ({kind}; "
                  f"{where})", file=sys.stderr)


def _kind_of_error(reason: str) -> str:
    """The reason without its particulars: "duplicate id 'a1', first read from f:3" -> "duplicate id"."""
    return re.split(r"[:'\"(,]", reason, maxsplit=1)[0].strip() or reason


def cmd_demo(args) -> int:
    from storyline.demo import demo_path

    with _engine(args) as engine:
        report = engine.ingest([str(demo_path())], progress=sys.stderr.isatty())
        print(f"ingested the demo corpus into {args.db or default_db()}: {report.stored} new articles", file=sys.stderr)
    args.query = args.entity = args.since = args.until = args.lang = None
    args.limit = 50
    return cmd_storylines(args)


def cmd_stats(args) -> int:
    with _engine(args) as engine:
        stats = engine.stats()
    if args.json:
        _print_json(stats)
    else:
        for key, value in stats.items():
            print(f"{key:>12}: {value}")
    return 0


def cmd_storylines(args) -> int:
    with _engine(args) as engine:
        found = engine.storylines(query=args.query, entity=args.entity, since=args.since, until=args.until,
                                  lang=args.lang, limit=args.limit)
    if args.json:
        _print_json([dataclasses.asdict(s) for s in found])
        return 0
    for s in found:
        print(f"{s.id}  {_span(s.first_date, s.last_date)}  {_count(s.event_count, 'event')}, "
              f"{counted_articles(s.article_count, s.copy_count)}")
        print(f"    {s.title}")
        if s.top_entities:
            print(f"    {', '.join(s.top_entities[:6])}")
    if not found:
        print("no storylines", file=sys.stderr)
    return 0


def cmd_show(args) -> int:
    with _engine(args) as engine:
        resolved = engine.store.resolve(args.id)
        record = engine.storyline(resolved)
        if record is not None:
            return _show_storyline(engine, record, args)
        found = engine.event_view(resolved)
        if found is None:
            print(f"storyline: error: no storyline or event with id {args.id!r}", file=sys.stderr)
            return 1
        event, summary, articles, novelty = found
    if args.json:
        _print_json({"event": event, "summary": summary,
                     "articles": [{"id": a.id, "title": a.title, "published": a.published, "source": a.source,
                                   "url": a.url, "duplicate_of": a.duplicate_of,
                                   "whats_new": [s.text for s in novelty.get(a.id, [])]} for a in articles]})
        return 0
    print(f"{event.id}  {_span(event.first_date, event.last_date)}  storyline {event.storyline_id}")
    print(f"  {summary.headline}")
    for sentence in summary.sentences:
        print(f"    · {sentence.text}")
    print(f"  {counted_articles(summary.article_count, summary.copy_count)} from "
          f"{', '.join(summary.outlets) or 'unknown outlets'}:")
    for index, a in enumerate(articles):
        dup = f"  (copy of {a.duplicate_of})" if a.duplicate_of else ""
        print(f"    {a.published or 'undated'}  {a.source or '-'}  {a.title}{dup}")
        if index:  # the first article is the event itself; later ones say what they added
            for sentence in novelty.get(a.id, []):
                print(f"        new: {sentence.text}")
    return 0


def _show_storyline(engine: Storyline, record, args) -> int:
    view = engine.storyline_view(record.id)
    events = engine.events(record.id)
    people = engine.entity_counts(record.id)
    months = engine.entity_months(record.id)
    if args.json:
        _print_json({"storyline": record, "view": view, "events": events, "entities": people,
                     "entity_months": months})
        return 0
    print(f"{record.id}  {_span(record.first_date, record.last_date)}  "
          f"{_count(record.event_count, 'event')}, {counted_articles(record.article_count, record.copy_count)}")
    print(f"  {record.title}" if record.title else f"  {view.title}")  # the name the storyline list gives it
    if record.title:
        print(f"  about: {view.title}")
    if people:
        print("  who and where: " + ", ".join(f"{c.name} ({c.label}, {c.articles})" for c in people))
    for name, counts in months.items():
        print(f"    {name}: " + ", ".join(f"{month} ×{n}" for month, n in counts.items()))
    for sentence in view.summary:
        print(f"    · {sentence.text}")
    print("\n  Events:")
    for event, summary in zip(events, view.events):
        print(f"  {_span(event.first_date, event.last_date)}  {event.id}  "
              f"{counted_articles(summary.article_count, summary.copy_count)}  "
              f"({', '.join(summary.outlets) or 'unknown outlets'})")
        print(f"      {summary.headline}")
        for sentence in summary.whats_new:
            print(f"        new: {sentence.text}")
    print("\n  Timeline:")
    _print_timeline(view.timeline, indent="  ")
    return 0


def _print_timeline(timeline, indent: str = "") -> None:
    for entry in timeline:
        for sentence in entry.sentences:
            print(f"{indent}{entry.date}  {sentence.text}")


def _no_storyline(id: str) -> int:
    print(f"storyline: error: no storyline with id {id!r}", file=sys.stderr)
    return 1


def cmd_timeline(args) -> int:
    with _engine(args) as engine:
        view = engine.storyline_view(args.id, max_dates=args.dates)
    if view is None:
        return _no_storyline(args.id)
    if args.json:
        _print_json([{"date": e.date, "sentences": [s.text for s in e.sentences],
                      "articles": [s.article_id for s in e.sentences]} for e in view.timeline])
    elif args.markdown:
        print(f"# {view.title}\n")
        for entry in view.timeline:
            print(f"- **{entry.date}**: " + " ".join(s.text for s in entry.sentences))
    else:
        _print_timeline(view.timeline)
    return 0


def cmd_export_report(args) -> int:
    from storyline.explain.report import render_html, render_markdown

    with _engine(args) as engine:
        view = engine.storyline_view(args.id)
    if view is None:
        return _no_storyline(args.id)
    text = render_html(view) if args.format == "html" else render_markdown(view)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_entity(args) -> int:
    with _engine(args) as engine:
        found = engine.entity_storylines(args.name, limit=args.limit)
    if args.json:
        _print_json([{"storyline": s, "mentions": m} for s, m in found])
        return 0
    for s, m in found:
        naming = f"{_count(m.articles, 'article')} {'names' if m.articles == 1 else 'name'} it"
        print(f"{s.id}  {_span(s.first_date, s.last_date)}  {naming} ({_count(m.mentions, 'mention')})")
        print(f"    {s.title}")
    if not found:
        print(f"no storyline mentions {args.name!r}", file=sys.stderr)
    return 0


def cmd_search(args) -> int:
    with _engine(args) as engine:
        hits = engine.search(" ".join(args.query), args.limit)
    if args.json:
        _print_json([dataclasses.asdict(h) for h in hits])
        return 0
    for h in hits:
        print(f"{h.article_id}  {h.published or 'undated'}  {h.title}")
        print(f"    event {h.event_id}, storyline {h.storyline_id}: {' '.join(h.snippet.split())}")
    if not hits:
        print("no article holds every word of the query (search for fewer words, or join them with OR)",
              file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    try:
        with _engine(args) as engine:
            for record in engine.export():
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if args.output:
            out.close()
    return 0


def cmd_evaluate(args) -> int:
    from storyline.config import FAST, Config
    from storyline.evaluate.runner import evaluate_file

    result = evaluate_file(args.file, FAST if args.fast else Config(), progress=not args.no_progress)
    _print_input_errors([InputError(**e) for e in result["skipped"]], listed_in_json=args.json, action="skipped")
    if args.json:
        _print_json(result)
    else:
        print(f"{result['articles']} articles in {result['seconds']} s")
        for level in ("event", "storyline"):
            scores = result[level]
            if scores:
                print(f"{level:>10}: B-cubed P {scores['bcubed_precision']:.3f} R {scores['bcubed_recall']:.3f} "
                      f"F1 {scores['bcubed_f1']:.3f}  AMI {scores['ami']:.3f}")
    return 0


def cmd_evaluate_timeline(args) -> int:
    from storyline.evaluate.timeline import evaluate_timeline_dir

    result = evaluate_timeline_dir(args.folder)
    if args.json:
        _print_json(result)
    else:
        for key in ("date_f1", "ar1_f", "ar2_f", "rouge1_f", "rouge2_f"):
            print(f"{key:>9}: {result[key]:.4f}  (baseline {result['baseline'][key]:.4f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
