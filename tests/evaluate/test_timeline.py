import datetime as dt
from pathlib import Path

import pytest

from storyline.evaluate.timeline import (
    alignment_rouge, concat_rouge, date_scores, evaluate_timeline_dir, first_sentence_baseline, read_articles,
    read_reference, timeline_scores,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
D1, D2, D3 = dt.date(2011, 1, 25), dt.date(2011, 1, 28), dt.date(2011, 2, 11)
REFERENCE = {
    D1: ["Protesters march against Mubarak in Cairo"],
    D3: ["Mubarak resigns and hands power to the army"],
}


def test_identical_timelines_score_one():
    scores = timeline_scores(REFERENCE, REFERENCE, "en")
    assert scores == pytest.approx({"date_f1": 1.0, "ar1_f": 1.0, "ar2_f": 1.0, "rouge1_f": 1.0, "rouge2_f": 1.0})


def test_date_f1_by_hand():
    predicted = {D1: ["x"], D2: ["y"], dt.date(2011, 3, 1): ["z"]}
    assert date_scores(predicted, REFERENCE) == pytest.approx({"precision": 1 / 3, "recall": 1 / 2, "f_score": 0.4})


def test_alignment_rouge_discounts_a_day_off_content():
    # the right summary one day late: content counts, divided by (1 + 1 day)
    late = {D1 + dt.timedelta(days=1): REFERENCE[D1], D3: REFERENCE[D3]}
    # tokens: protesters march mubarak cairo (4) + mubarak resigns hands power army (5)
    expected = (4 / 2 + 5) / 9
    assert alignment_rouge(late, REFERENCE, 1, "en") == pytest.approx(expected)
    assert concat_rouge(late, REFERENCE, 1, "en") == pytest.approx(1.0)


def test_alignment_rouge_partial_overlap_by_hand():
    predicted = {D3: ["Mubarak resigns"]}
    # precision: 2 of 2 predicted words match D3; recall: both reference days align to D3:
    # D1 shares "mubarak" at 17 days (1/18), D3 shares 2 words -> (1/18 + 2) / 9
    precision, recall = 1.0, (1 / 18 + 2) / 9
    assert alignment_rouge(predicted, REFERENCE, 1, "en") == pytest.approx(2 * precision * recall / (precision + recall))
    assert alignment_rouge({}, REFERENCE, 1, "en") == 0.0


def test_rouge2_needs_word_pairs_and_spanish_stopwords():
    reference = {D1: ["Los manifestantes marchan contra Mubarak en El Cairo"]}
    # content words: manifestantes marchan mubarak cairo ("los", "contra", "en", "el" are stop words) -> 3 pairs
    assert concat_rouge({D1: ["manifestantes marchan"]}, reference, 2, "es") == pytest.approx(2 * 1 * (1 / 3) / (1 + 1 / 3))
    assert concat_rouge({D1: ["marchan manifestantes"]}, reference, 2, "es") == 0.0


def test_baseline_takes_first_sentence_of_most_published_days(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text(
        '{"id": "1", "title": "Lone", "text": "Lone\\nOnly one article today.", "published": "2011-01-25", "lang": "en"}\n'
        '{"id": "2", "title": "Army deployed in Cairo", "text": "Army deployed in Cairo\\nTanks rolled in.", "published": "2011-01-28", "lang": "en"}\n'
        '{"id": "3", "title": "Curfew", "text": "Curfew\\nA curfew was imposed.", "published": "2011-01-28", "lang": "en"}\n',
        encoding="utf-8",
    )
    assert first_sentence_baseline(read_articles(path), 1) == {D2: ["Army deployed in Cairo"]}


def test_bad_folder_and_bad_line_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="articles.jsonl"):
        evaluate_timeline_dir(tmp_path)
    (tmp_path / "articles.jsonl").write_text("{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"articles.jsonl:1"):
        read_articles(tmp_path / "articles.jsonl")


def test_a_reference_saved_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "timeline.jsonl"
    path.write_text('{"date": "2011-01-25", "sentences": ["Protesters march"]}\r\n', encoding="utf-8-sig")
    assert read_reference(path) == {D1: ["Protesters march"]}
    path.write_text('{"date": "2011-01-25"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"timeline.jsonl:1: not a timeline record"):
        read_reference(path)


@pytest.mark.parametrize("topic", ["es/yemen", "fr/libya"])
def test_cltls_topic_beats_first_sentence_baseline(topic):
    folder = SHARED / "data" / "cltls" / topic
    if not folder.is_dir():
        pytest.skip(f"CL-TLS data not found at {folder} (../shared is absent)")
    scores = evaluate_timeline_dir(folder)
    assert set(scores) == {"date_f1", "ar1_f", "ar2_f", "rouge1_f", "rouge2_f", "baseline"}
    assert scores["date_f1"] > scores["baseline"]["date_f1"]
    assert scores["ar1_f"] > scores["baseline"]["ar1_f"]
