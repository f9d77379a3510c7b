"""End-to-end tests of the ``storyline`` command line on the demo corpus, the seeds and bad input.

Commands run in this process through ``storyline.cli.main`` (the models load once); a real subprocess is
used for the installed command and for killing an ingest part-way.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing, suppress
from pathlib import Path

import pytest

from storyline import Storyline
from storyline.demo import demo_path
from storyline.model import entity_key
from tests.conftest import assert_consistent, export_of
from tests.test_engine import FEBRUARY_SEED, FLOOD_TEXTS, JANUARY_SEED, write_bad_inputs, write_jsonl

EXPORT_FIELDS = {"id", "title", "published", "event", "storyline", "duplicate_of"}


def storyline_of(db: Path, article_id: str) -> str:
    return next(r["storyline"] for r in export_of(db) if r["id"] == article_id)


# --- reading commands on the shared demo database --------------------------------------------------------
def test_stats_json_counts_the_demo(run_cli, demo_db):
    result = run_cli("--db", demo_db, "stats", "--json")
    assert result.code == 0
    stats = result.json()
    assert set(stats) == {"articles", "events", "storylines", "duplicates"}
    assert (stats["articles"], stats["duplicates"]) == (46, 3)
    assert 1 <= stats["storylines"] <= stats["events"] <= 43


@pytest.mark.parametrize(
    ("option", "value", "article"),
    [
        ("--query", "wildfire", "demo-040"),
        ("--query", "Kettle Bridge", "demo-012"),
        ("--entity", "Leila Benamar", "demo-031"),
        ("--entity", "Ruiz", "demo-036"),  # named by surname alone in the debate coverage
        ("--entity", "norvik health", "demo-007"),  # any case
        ("--since", "2025-07-01", "demo-046"),
        ("--until", "2024-04-01", "demo-001"),
        ("--lang", "fr", "demo-020"),
        ("--lang", "es", "demo-041"),
    ],
)
def test_storylines_filter_finds_the_story_and_only_matching_ones(run_cli, demo_db, demo_records, option, value, article):
    result = run_cli("--db", demo_db, "storylines", option, value, "--json")
    assert result.code == 0
    found = result.json()
    assert storyline_of(demo_db, article) in {s["id"] for s in found}
    filed = {r["id"]: r["storyline"] for r in export_of(demo_db)}
    gold = {r["id"]: r for r in demo_records}
    for s in found:
        members = [gold[i] for i, storyline in filed.items() if storyline == s["id"]]
        if option == "--since":
            assert s["last_date"] >= value
        elif option == "--until":
            assert s["first_date"] <= value
        elif option == "--lang":
            assert any(m["lang"] == value for m in members)
        else:
            assert any(value.lower().split()[0] in m["text"].lower() for m in members)


def test_storylines_filters_combine_and_can_match_nothing(run_cli, demo_db):
    both = run_cli("--db", demo_db, "storylines", "--lang", "fr", "--since", "2025-01-01", "--json")
    assert (both.code, both.json()) == (0, [])
    text = run_cli("--db", demo_db, "storylines", "--query", "zeppelin")
    assert (text.code, text.out) == (0, "")
    assert "no storylines" in text.err


def test_storylines_entity_filter_finds_a_full_name(run_cli, demo_db):
    found = run_cli("--db", demo_db, "storylines", "--entity", "Ana Ruiz", "--json").json()
    assert storyline_of(demo_db, "demo-037") in {s["id"] for s in found}


def test_search_finds_articles_with_where_they_are_filed(run_cli, demo_db, demo_records):
    result = run_cli("--db", demo_db, "search", "Norvik fine", "--json")
    assert result.code == 0
    hits = result.json()
    filed = {r["id"]: r for r in export_of(demo_db)}
    words = [re.compile(rf"\b{word}\b", re.IGNORECASE) for word in ("norvik", "fine")]
    matching = {r["id"] for r in demo_records if all(w.search(r["title"] + " " + r["text"]) for w in words)}
    assert {"demo-028", "demo-030"} <= matching  # "fined" (demo-029) is another word
    assert {h["article_id"] for h in hits} == matching
    for h in hits:
        assert (h["event_id"], h["storyline_id"]) == (filed[h["article_id"]]["event"], filed[h["article_id"]]["storyline"])
    plain = run_cli("--db", demo_db, "search", "Norvik", "fine")  # words as separate arguments, unquoted
    assert plain.code == 0 and "demo-028" in plain.out
    either = run_cli("--db", demo_db, "search", "Norvik fine OR Norvik fined", "--json").json()
    assert {h["article_id"] for h in either} >= matching | {"demo-029"}
    none = run_cli("--db", demo_db, "search", "Norvik", "Pyongyang")
    assert none.code == 0 and none.out == "" and "no article holds every word" in none.err


def test_export_writes_every_article_with_its_filing(run_cli, demo_db, tmp_path):
    result = run_cli("--db", demo_db, "export")
    assert result.code == 0
    records = [json.loads(line) for line in result.out.splitlines()]
    assert len(records) == 46 and len({r["id"] for r in records}) == 46
    assert all(EXPORT_FIELDS <= r.keys() for r in records)
    assert {r["id"]: r["duplicate_of"] for r in records if r["duplicate_of"]} == {
        "demo-002": "demo-001", "demo-008": "demo-007", "demo-039": "demo-037"}
    assert run_cli("--db", demo_db, "export", "-o", tmp_path / "out.jsonl").code == 0
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == result.out


def test_show_storyline_and_event(run_cli, demo_db):
    storyline = storyline_of(demo_db, "demo-018")
    shown = run_cli("--db", demo_db, "show", storyline, "--json")
    assert shown.code == 0
    data = shown.json()
    assert data["storyline"]["id"] == storyline
    events = data["events"]
    assert [e["id"] for e in events] == data["storyline"]["event_ids"]
    assert [e["first_date"] for e in events] == sorted(e["first_date"] for e in events)
    assert "demo-018" in {i for e in events for i in e["article_ids"]}
    assert data["view"]["title"] and data["view"]["timeline"]

    event_id = next(e["id"] for e in events if "demo-018" in e["article_ids"])
    event = run_cli("--db", demo_db, "show", event_id, "--json")
    assert event.code == 0
    shown_event = event.json()
    assert shown_event["event"]["id"] == event_id and shown_event["event"]["storyline_id"] == storyline
    assert "demo-018" in {a["id"] for a in shown_event["articles"]}
    assert shown_event["summary"]["headline"]

    text = run_cli("--db", demo_db, "show", storyline)
    assert text.code == 0 and storyline in text.out and "Port Valen" in text.out
    flood_event = next(r["event"] for r in export_of(demo_db) if r["id"] == "demo-001")
    reprints = run_cli("--db", demo_db, "show", flood_event)
    assert reprints.code == 0 and "(copy of demo-001)" in reprints.out
    timeline = run_cli("--db", demo_db, "timeline", storyline, "--json")
    assert timeline.code == 0
    dates = [entry["date"] for entry in timeline.json()]
    assert dates and dates == sorted(dates)


@pytest.mark.parametrize("command", ["show", "timeline"])
def test_unknown_id_exits_1_with_a_message(run_cli, demo_db, command):
    result = run_cli("--db", demo_db, command, "sl_nonexistent")
    assert result.code == 1 and result.out == ""
    assert "sl_nonexistent" in result.err


def test_a_file_that_is_not_a_database_is_refused_with_its_name(run_cli, tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("Meeting notes: ask the council about the Kettle Bridge repairs.\n", encoding="utf-8")
    result = run_cli("--db", notes, "stats")
    assert result.code == 1 and result.out == ""
    assert str(notes) in result.err and "not a SQLite database" in result.err
    assert notes.read_text(encoding="utf-8").startswith("Meeting notes")


def test_ingest_of_a_missing_path_exits_1_naming_it(run_cli, tmp_path):
    result = run_cli("--db", tmp_path / "s.db", "ingest", tmp_path / "missing.jsonl")
    assert result.code == 1
    assert f"{tmp_path / 'missing.jsonl'}: no such file" in result.err


def test_evaluate_json_on_the_demo(run_cli):
    result = run_cli("evaluate", demo_path(), "--json", "--no-progress")
    assert result.code == 0
    scores = result.json()
    assert scores["articles"] == 46 and scores["seconds"] > 0
    for level in ("event", "storyline"):
        assert {"bcubed_precision", "bcubed_recall", "bcubed_f1"} <= scores[level].keys()
        assert all(0 <= scores[level][k] <= 1 for k in ("bcubed_precision", "bcubed_recall", "bcubed_f1"))
    assert scores["skipped"] == []
    missing = run_cli("evaluate", "no-such-file.jsonl")
    assert missing.code == 1 and "no-such-file.jsonl" in missing.err


# --- ingesting commands ------------------------------------------------------------------------------------
def test_seeds_show_one_storyline_of_two_events(run_cli, tmp_path, seeds_path):
    db = tmp_path / "seeds.db"
    assert run_cli("--db", db, "ingest", seeds_path).code == 0
    listed = run_cli("--db", db, "storylines", "--json").json()
    assert len(listed) == 1
    data = run_cli("--db", db, "show", listed[0]["id"], "--json").json()
    assert [e["article_ids"] for e in data["events"]] == [[JANUARY_SEED], [FEBRUARY_SEED]]
    named = {entity_key(name) for name in data["storyline"]["top_entities"] + data["view"]["entities"]}
    assert {entity_key(n) for n in ("Kim Jong-un", "Moon Jae-in", "Pyongyang")} <= named
    shown = run_cli("--db", db, "show", listed[0]["id"]).out.splitlines()
    assert shown[1].strip() == listed[0]["title"]  # named as in the list, its subject below
    assert shown[2].strip() == f"about: {data['view']['title']}"


def test_ingest_takes_the_number_of_workers(run_cli, tmp_path, seeds_path, monkeypatch, capsys):
    import storyline.cli

    configs = []

    class Recording(storyline.cli.Storyline):
        def __init__(self, db, config=None):
            configs.append(config)
            super().__init__(db, config)

    monkeypatch.setattr(storyline.cli, "Storyline", Recording)
    assert run_cli("--db", tmp_path / "s.db", "ingest", seeds_path, "--workers", "3").code == 0
    assert configs[-1].understand.workers == 3
    with pytest.raises(SystemExit) as refused:
        storyline.cli.main(["--db", str(tmp_path / "s.db"), "ingest", str(seeds_path), "--workers", "0"])
    assert refused.value.code == 2 and "--workers: must be 1 or more" in capsys.readouterr().err


def test_ingest_reports_bad_input_on_stderr_and_stores_the_rest(run_cli, tmp_path):
    expected = write_bad_inputs(tmp_path / "in")
    result = run_cli("--db", tmp_path / "s.db", "ingest", tmp_path / "in", "--json")
    assert result.code == 1
    report = result.json()
    assert (report["read"], report["stored"], len(report["errors"])) == (2, 2, 7)
    for origin, reason in expected.items():
        line = next((line for line in result.err.splitlines() if f"{origin}:" in line), None)
        assert line is not None and reason.lower() in line.lower(), (origin, result.err)
    assert run_cli("--db", tmp_path / "s.db", "stats", "--json").json()["articles"] == 2


def test_an_unreadable_publication_date_is_a_warning_naming_the_line_and_the_article_is_stored(run_cli, tmp_path):
    path = write_jsonl(tmp_path / "feed.jsonl", [
        {"id": "elbe", "title": "Elmbrook evacuated", "text": FLOOD_TEXTS[0], "published": "last Saturday-ish"},
        {"id": "bridge", "title": "Kettle Bridge closed", "text": FLOOD_TEXTS[1], "published": "2024-03-04"},
        {"id": "typo", "title": "Kettle Bridge reopens", "text": "Kettle Bridge in Elmbrook reopened to traffic on "
         "Friday after engineers repaired the cracked stone arch.", "published": "2124-03-05"},
    ])
    result = run_cli("--db", tmp_path / "s.db", "ingest", path)
    assert result.code == 0  # stored, with a part of it left out: a warning, not an error
    warnings = [line for line in result.err.splitlines() if "warning:" in line]
    assert f"{path}:1:" in warnings[0] and "'last Saturday-ish'" in warnings[0] and "published" in warnings[0]
    assert f"{path}:3:" in warnings[1] and "'2124-03-05'" in warnings[1]  # a century ahead: a typo, not a date
    assert "warnings 2" in result.err.splitlines()[-1]
    exported = {r["id"]: r for r in map(json.loads, run_cli("--db", tmp_path / "s.db", "export").out.splitlines())}
    assert exported["elbe"]["published"] is None and exported["bridge"]["published"] == "2024-03-04"
    assert exported["typo"]["published"] is None
    again = run_cli("--db", tmp_path / "s.db", "ingest", path, "--json").json()
    assert again["warnings"] == [w.removeprefix("storyline: warning: ") for w in warnings] and again["errors"] == []


def test_strict_ingest_stores_nothing_and_exits_1(run_cli, tmp_path, demo_records):
    db = tmp_path / "s.db"
    assert run_cli("--db", db, "ingest", write_jsonl(tmp_path / "good.jsonl", demo_records[:3])).code == 0
    before = run_cli("--db", db, "export").out
    write_bad_inputs(tmp_path / "in")
    result = run_cli("--db", db, "ingest", tmp_path / "in", "--strict")
    assert result.code == 1
    assert "nothing stored" in result.err and str(tmp_path / "in" / "scan.txt") in result.err
    assert run_cli("--db", db, "export").out == before


def test_ingest_from_stdin(run_cli, tmp_path, demo_records, monkeypatch):
    lines = "".join(json.dumps(r) + "\n" for r in demo_records[:4]) + "{not json\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines.encode("utf-8"))))
    result = run_cli("--db", tmp_path / "s.db", "ingest", "-", "--json")
    assert result.code == 1
    assert result.json()["stored"] == 4
    assert "<stdin>:5" in result.err and "invalid JSON" in result.err
    assert {r["id"] for r in export_of(tmp_path / "s.db")} == {r["id"] for r in demo_records[:4]}


def test_demo_command_is_idempotent(run_cli, tmp_path, demo_db):
    db = tmp_path / "demo.db"
    shutil.copy(demo_db, db)
    before = export_of(db)
    result = run_cli("--db", db, "demo", "--json")
    assert result.code == 0 and "0 new articles" in result.err
    assert {s["id"] for s in result.json()} == {r["storyline"] for r in before}
    assert export_of(db) == before


PLANT_FIRE = (
    "Firefighters from four stations fought a large fire at the Corvane Chemicals plant on the Harlow industrial "
    "estate on Tuesday night. Flames rose from a solvent storage tank and thick black smoke drifted over the town. "
    "Station commander Rita Obi said crews used foam to stop the fire spreading to neighbouring tanks."
)
STAY_INDOORS = (
    "People living near the Pinewood estate in Harlow were told to stay indoors and keep windows and doors closed on "
    "Wednesday. Public Health Westmere said air quality readings were being checked hourly and that schools on "
    "Pinewood Road would open late. Councillor Dev Patel said families were anxious."
)


def article(id: str, title: str, body: str, published: str) -> dict:
    return {"id": id, "title": title, "text": f"{title}\n{body}", "published": published, "lang": "en"}


@pytest.fixture(scope="module")
def merged_db(tmp_path_factory) -> tuple[Path, dict, dict]:
    """Two reports on halves of one happening file apart; a later report covering both merges them.

    Returns the database and the export before and after the later report, by article id.
    """
    from storyline.engine import Storyline

    folder = tmp_path_factory.mktemp("merge")
    db = folder / "merge.db"
    first = write_jsonl(folder / "first.jsonl", [
        article("fire", "Fire crews battle blaze at Harlow chemical plant", PLANT_FIRE, "2024-05-07"),
        article("indoors", "Harlow residents told to keep windows shut", STAY_INDOORS, "2024-05-08"),
    ])
    both = write_jsonl(folder / "both.jsonl", [article(
        "roundup", "Chemical plant fire: Harlow residents told to stay indoors", f"{PLANT_FIRE} {STAY_INDOORS}",
        "2024-05-08")])
    with Storyline(db) as engine:
        engine.ingest([str(first)])
        before = {r["id"]: r for r in engine.export()}
        engine.ingest([str(both)])
        after = {r["id"]: r for r in engine.export()}
    return db, before, after


def test_ids_merged_by_a_later_report_still_show(run_cli, merged_db):
    db, before, after = merged_db
    assert before["fire"]["event"] != before["indoors"]["event"]
    assert after["fire"]["event"] == after["indoors"]["event"] == after["roundup"]["event"]
    assert after["fire"]["event"] == before["fire"]["event"]  # the older event's id survives
    for level in ("event", "storyline"):
        old, new = before["indoors"][level], after["indoors"][level]
        shown = run_cli("--db", db, "show", old, "--json")
        assert shown.code == 0, shown.err
        assert shown.json()[level]["id"] == new
    timeline = run_cli("--db", db, "timeline", before["indoors"]["storyline"], "--json")
    assert timeline.code == 0 and timeline.json()


def test_a_merge_keeps_counts_consistent(merged_db):
    db, _, _ = merged_db
    assert_consistent(db)


# --- real processes ---------------------------------------------------------------------------------------
def test_installed_command_runs(demo_db):
    command = shutil.which("storyline")
    assert command, "the `storyline` command is not installed: run `pip install -e .`"
    done = subprocess.run([command, "--db", str(demo_db), "stats", "--json"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["articles"] == 46


def stored_count(db: Path) -> int:
    try:
        with closing(sqlite3.connect(db, timeout=1)) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_killed_ingest_leaves_a_consistent_database_and_a_rerun_completes_it(run_cli, tmp_path, demo_records):
    """SIGKILL an ingest part-way, then re-run it: the result equals an uninterrupted ingest of the same input.

    The killed run reads the file through a pipe that is never closed, so it cannot finish before the kill.
    """
    copies = 6
    records = [dict(r, id=f"{r['id']}-{k}") for r in demo_records for k in range(copies)]  # 46 stories, 230 reprints
    corpus = write_jsonl(tmp_path / "corpus.jsonl", records)
    lines = corpus.read_bytes().splitlines(keepends=True)
    db = tmp_path / "killed.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "storyline.cli", "--db", str(db), "ingest", "-", "--batch-size", "8", "--no-progress"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )

    def feed() -> None:
        try:
            process.stdin.writelines(lines[:-1])
            process.stdin.flush()
        except BrokenPipeError:
            pass

    threading.Thread(target=feed, daemon=True).start()
    deadline = time.monotonic() + 300
    while stored_count(db) < 16 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=60) == -signal.SIGKILL, process.stderr.read().decode()
    with suppress(BrokenPipeError):  # lines still buffered for the dead process
        process.stdin.close()
    process.stderr.close()

    interrupted = assert_consistent(db)
    assert 16 <= len(interrupted) < len(records)
    result = run_cli("--db", db, "ingest", corpus, "--batch-size", "8", "--json")
    assert result.code == 0, result.err
    assert result.json()["already_stored"] == len(interrupted)

    reference = tmp_path / "uninterrupted.db"
    assert run_cli("--db", reference, "ingest", corpus, "--batch-size", "8").code == 0
    completed, expected = assert_consistent(db), assert_consistent(reference)
    assert len(completed) == len(expected) == len(records)
    assert {r["id"] for r in completed} == {r["id"] for r in expected}
    assert sum(r["duplicate_of"] is not None for r in completed) == len(records) - 43  # demo-002/008/039 copy others
    # The rerun meets the same batches with the tracker state saved by the last committed one: same filing.
    assert {r["id"]: r for r in completed} == {r["id"]: r for r in expected}


# --- explanations: reports, entities, timelines -------------------------------------------------------
def _storyline_of(run_cli, db, article_id):
    exported = {r["id"]: r for r in (json.loads(line) for line in run_cli("--db", db, "export").out.splitlines())}
    return exported[article_id]["storyline"]


def test_show_gives_entity_counts_per_month(run_cli, demo_db):
    storyline_id = _storyline_of(run_cli, demo_db, "demo-001")
    shown = run_cli("--db", demo_db, "show", storyline_id, "--json").json()
    months = shown["entity_months"]
    assert months and all(months.values())
    named = {c["name"] for c in shown["entities"]}
    assert set(months) <= named
    # the flood storyline runs from March to June 2024: its most named place appears in several months
    assert max(len(counts) for counts in months.values()) >= 2


def test_entity_lists_the_storylines_naming_it_under_any_alias(run_cli, demo_db):
    found = run_cli("--db", demo_db, "entity", "river tamsin", "--json")
    assert found.code == 0, found.err
    rows = found.json()
    assert [r["storyline"]["id"] for r in rows] == [_storyline_of(run_cli, demo_db, "demo-001")]
    assert rows[0]["mentions"]["articles"] >= 2
    text = run_cli("--db", demo_db, "entity", "river tamsin")
    assert f"{rows[0]['mentions']['articles']} articles name it ({rows[0]['mentions']['mentions']} mentions)" in text.out
    missing = run_cli("--db", demo_db, "entity", "Nobody Atall")
    assert missing.code == 0 and "no storyline mentions" in missing.err


def test_export_report_escapes_untrusted_article_text(run_cli, tmp_path):
    page = tmp_path / "hostile.jsonl"
    records = [
        {"id": "h1", "title": "Council <script>alert('x')</script> vote on dam", "published": "2024-05-02",
         "text": "Council <script>alert('x')</script> vote on dam\nThe Dunmore council voted 7-2 on Tuesday to "
                 "fund the Calder dam repair, said Mayor Ana Ruiz. <img src=x onerror=alert(1)> Work starts in June."},
    ]
    page.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "r.db"
    assert run_cli("--db", db, "ingest", page).code == 0
    storyline_id = _storyline_of(run_cli, db, "h1")
    out = tmp_path / "report.html"
    result = run_cli("--db", db, "export-report", storyline_id, "--format", "html", "-o", out)
    assert result.code == 0, result.err
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html
    assert "&lt;img src=x" in html and "&lt;script&gt;" in html  # shown as text, not run
    markdown = run_cli("--db", db, "export-report", storyline_id, "--format", "markdown")
    assert markdown.code == 0 and "dam" in markdown.out
    assert run_cli("--db", db, "export-report", "sl_nope").code == 1


@pytest.mark.slow
def test_evaluate_timeline_prints_scores_and_baseline(run_cli, seeds_path):
    topic = seeds_path.parents[1] / "data" / "cltls" / "fr" / "yemen"
    if not (topic / "timeline.jsonl").is_file():
        pytest.skip(f"CL-TLS is not available at {topic}")
    result = run_cli("evaluate-timeline", topic, "--json")
    assert result.code == 0, result.err
    scores = result.json()
    keys = {"date_f1", "ar1_f", "ar2_f", "rouge1_f", "rouge2_f"}
    assert keys <= set(scores) and keys <= set(scores["baseline"])
    assert scores["date_f1"] > scores["baseline"]["date_f1"]
    assert run_cli("evaluate-timeline", seeds_path.parent).code == 1


def test_show_event_says_what_each_later_article_added(run_cli, demo_db):
    records = [json.loads(line) for line in run_cli("--db", demo_db, "export").out.splitlines()]
    sizes = {}
    for r in records:
        if not r["duplicate_of"]:
            sizes[r["event"]] = sizes.get(r["event"], 0) + 1
    event_id = max(sizes, key=sizes.get)
    shown = run_cli("--db", demo_db, "show", event_id, "--json").json()
    originals = [a for a in shown["articles"] if not a["duplicate_of"]]
    assert len(originals) >= 3
    with Storyline(demo_db) as engine:
        texts = {a.id: a.text for a in engine.articles(a["id"] for a in originals)}
    later = originals[1:]
    assert any(a["whats_new"] for a in later)
    for a in later:
        for sentence in a["whats_new"]:
            assert sentence in texts[a["id"]]  # quoted from the article itself
            assert all(sentence not in texts[b["id"]] for b in originals[: originals.index(a)])  # not seen before


def test_many_lines_failing_alike_are_summarised_on_stderr_and_listed_in_json(run_cli, tmp_path):
    """A file of records without text (a timeline beside the articles, say) gives a few error lines and a count,
    not one line per record; the JSON report still lists every one."""
    timeline = write_jsonl(tmp_path / "timeline.jsonl",
                           [{"date": f"2013-08-{day:02d}", "sentences": ["Protests in Cairo."]} for day in range(1, 13)])
    result = run_cli("--db", tmp_path / "s.db", "ingest", timeline, "--json")
    assert result.code == 1
    assert len(result.json()["errors"]) == 12
    lines = [line for line in result.err.splitlines() if str(timeline) in line]
    assert len(lines) == 6
    assert f"{timeline}: 7 more lines with the same error (empty article;" in lines[-1]


def test_evaluate_summarises_skipped_records_on_stderr(run_cli, tmp_path, demo_records):
    """Records without text (the gva file has a hundred) are left out of the score with a few lines and a count."""
    records = list(demo_records[:4]) + [{"id": f"blank{i}", "title": "", "text": "", "event": "x"} for i in range(8)]
    path = write_jsonl(tmp_path / "labelled.jsonl", records)
    result = run_cli("evaluate", path, "--no-progress")
    assert result.code == 0
    lines = [line for line in result.err.splitlines() if str(path) in line]
    assert len(lines) == 6 and lines[0].startswith(f"storyline: skipped {path}:5: empty article")
    assert f"{path}: 3 more lines with the same error (empty article; --json lists them all)" in lines[-1]
