"""The evaluation runner scores the real pipeline against gold labels: the demo corpus, small files, a gva slice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.demo import demo_path
from storyline.evaluate.runner import evaluate_file, labelled_files, load_labelled
from storyline.config import Config
from tests.conftest import ECBPLUS, GVA

SCORE_KEYS = {"bcubed_precision", "bcubed_recall", "bcubed_f1", "ami", "gold_clusters", "predicted_clusters"}


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_evaluate_file_scores_the_demo_corpus(demo_records):
    result = evaluate_file(demo_path(), progress=False)
    assert (result["articles"], result["file"]) == (46, str(demo_path()))
    assert result["seconds"] > 0
    gold_clusters = {level: len({r[level] for r in demo_records}) for level in ("event", "storyline")}
    for level in ("event", "storyline"):
        scores = result[level]
        assert scores.keys() == SCORE_KEYS
        assert scores["gold_clusters"] == gold_clusters[level]
        assert 1 <= scores["predicted_clusters"] <= 46
    # The demo's stories are distinct and its events weeks apart: clustering must mostly recover them.
    assert result["event"]["bcubed_f1"] >= 0.6
    assert result["storyline"]["bcubed_f1"] >= 0.8


def test_load_labelled_orders_by_date_and_keeps_labels_out_of_the_articles(demo_records):
    articles, gold, skipped = load_labelled(demo_path())
    assert skipped == []
    assert sorted(a.id for a in articles) == sorted(r["id"] for r in demo_records)
    dates = [a.published for a in articles]
    assert dates == sorted(dates)
    assert gold == {r["id"]: {"event": r["event"], "storyline": r["storyline"]} for r in demo_records}
    assert not any({"event", "storyline"} & a.metadata.keys() for a in articles)


def test_unreadable_records_are_skipped_and_listed_and_unlabelled_levels_are_none(tmp_path, demo_records):
    records = [dict(r, storyline=None) for r in demo_records[:5]]
    records.insert(2, {"id": "blank", "title": "No text", "text": "", "event": "x", "storyline": None})
    path = write_jsonl(tmp_path / "small.jsonl", records)
    result = evaluate_file(path, progress=False)
    assert result["articles"] == 5
    assert result["storyline"] is None
    assert result["event"]["gold_clusters"] == len({r["event"] for r in demo_records[:5]})
    assert result["skipped"] == [{"origin": f"{path}:3", "reason": "empty article: no text"}]


def test_a_labelled_file_is_read_as_ingest_reads_it_bom_broken_lines_and_blank_labels(tmp_path, demo_records):
    """The gold labels were read again with ``json.loads``: a file saved with a byte-order mark, or one broken line,
    stopped the evaluation with an error naming neither file nor line; they are the reader's to handle, as in
    ``ingest``. A blank label (a CSV's empty cell) is no label."""
    records = [dict(r) for r in demo_records[:6]]
    records[1]["event"] = ""
    lines = [json.dumps(r) for r in records]
    lines.insert(3, '{"id": "broken", "title": "Cut short", "text": "The line ends')
    path = tmp_path / "windows.jsonl"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    result = evaluate_file(path, progress=False)
    assert result["articles"] == 6
    assert [s["origin"] for s in result["skipped"]] == [f"{path}:4"]
    assert result["event"]["gold_clusters"] == len({r["event"] for r in records} - {""})
    articles, gold, _ = load_labelled(path)
    assert gold[records[1]["id"]]["event"] is None and gold[records[0]["id"]]["event"] == records[0]["event"]


def test_a_folder_is_one_stream_of_its_labelled_files(tmp_path, demo_records):
    first = write_jsonl(tmp_path / "fr" / "a" / "articles.jsonl", demo_records[:2])
    second = write_jsonl(tmp_path / "fr" / "b" / "articles.jsonl", demo_records[2:4])
    (tmp_path / "fr" / "b" / "timeline.jsonl").write_text('{"date": "2024-03-03", "sentences": []}\n')
    assert labelled_files(tmp_path / "fr") == [first, second]
    with pytest.raises(FileNotFoundError, match="nothing-here"):
        labelled_files(tmp_path / "nothing-here")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="articles.jsonl"):
        labelled_files(tmp_path / "empty")


@pytest.mark.slow
def test_evaluate_a_gva_slice(tmp_path):
    if not GVA.is_file():
        pytest.skip(f"the gva corpus is not available at {GVA} (the shared folder beside the repository)")
    with GVA.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line, _ in zip(lines, range(300))]
    path = write_jsonl(tmp_path / "gva300.jsonl", records)
    readable: dict[str, dict] = {}  # the first record of each id with text (the slice has empty texts, a repeated id)
    for r in records:
        if r["id"] not in readable and (r["text"] or "").strip():
            readable[r["id"]] = r
    result = evaluate_file(path, progress=False)
    assert result["articles"] == len(readable)
    assert result["storyline"] is None  # gva labels incidents only
    assert result["event"].keys() == SCORE_KEYS
    assert result["event"]["gold_clusters"] == len({r["event"] for r in readable.values()})
    assert result["event"]["bcubed_f1"] >= 0.7



@pytest.mark.slow
def test_a_small_stream_about_one_subject_starts_warm(tmp_path):
    """ECB+ topic 1 streamed alone (two celebrities entering rehab, and a third event): its own words are common in
    so small a stream, and only the language's word frequencies tell "rehab" from "said" (F1 0.75 without them)."""
    if not ECBPLUS.is_file():
        pytest.skip(f"the ECB+ corpus is not available at {ECBPLUS} (the shared folder beside the repository)")
    with ECBPLUS.open(encoding="utf-8") as lines:
        records = [r for r in map(json.loads, lines) if str(r["topic"]) == "1"]
    path = write_jsonl(tmp_path / "topic1.jsonl", records)
    warm = evaluate_file(path, progress=False)["event"]
    cold = evaluate_file(path, Config().with_(track={"background_documents": 0}), progress=False)["event"]
    assert warm["bcubed_f1"] >= 0.9 and warm["bcubed_precision"] == 1.0
    assert warm["bcubed_f1"] > cold["bcubed_f1"] + 0.1
