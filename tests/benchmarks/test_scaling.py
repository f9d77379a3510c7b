import datetime as dt
import json
from collections import defaultdict

import pytest

from benchmarks.scaling import (
    plot_scaling,
    run_scaling,
    scaling_stream,
    shift_months,
    shift_written_years,
    span_years,
    write_scaling_stream,
)


def test_shift_months_clamps_to_month_end():
    assert shift_months(dt.date(2016, 1, 31), 1) == dt.date(2016, 2, 29)
    assert shift_months(dt.date(2013, 12, 5), 13) == dt.date(2015, 1, 5)


def test_copies_have_fresh_ids_shifted_dates_and_the_same_cluster_structure(news_stream):
    sources = news_stream.articles
    rows = list(scaling_stream(sources, target=3 * len(sources) + 2))
    assert len(rows) == 3 * len(sources) + 2
    assert len({row["id"] for row in rows}) == len(rows)
    years = span_years(sources)
    by_copy = defaultdict(list)
    for index, row in enumerate(rows):
        by_copy[index // len(sources)].append(row)
    for copy, copied in by_copy.items():
        for source, row in zip(sources, copied):  # the last copy keeps the sources' dates: none lies in the future
            assert row["published"] == shift_months(source.published, 12 * (copy - 3) * years).isoformat()
            same_event = [other.id for other in sources if other.event == source.event]
            copied_same_event = [r["id"] for r in copied if r["event"] == row["event"]]
            assert len(copied_same_event) <= len(same_event)
            if copy:
                assert row["event"] == f"{source.event}#k{copy}"
    # copies never overlap in time, so an event of one copy cannot absorb another copy's articles
    assert max(r["published"] for r in by_copy[0]) < min(r["published"] for r in by_copy[1])


def test_the_years_a_text_names_move_with_its_copy(news_stream):
    """An undated article is filed by the date its text names: in a copy that date must move with the copy, or the
    copy's article lies far ahead of the stream's clock and stays active for good."""
    from storyline.understand.dates import published_from_text

    undated = news_stream.articles[0]
    undated.published = None
    undated.title = "Napa wine harvest of 2014 begins"
    undated.text = "Napa wine harvest of 2014 begins\nAugust 24, 2014\nGrowers in Napa began the 2014 harvest today."
    sources = news_stream.articles
    years = span_years(sources)
    rows = list(scaling_stream(sources, target=2 * len(sources)))
    first_copy = rows[0]
    assert years >= 1 and first_copy["published"] is None
    assert first_copy["title"] == f"Napa wine harvest of {2014 - years} begins"
    assert published_from_text(first_copy["text"]) == dt.date(2014 - years, 8, 24)
    assert published_from_text(rows[len(sources)]["text"]) == dt.date(2014, 8, 24)  # the last copy as it was
    assert shift_written_years("In 1999, 2,500 of 12 000 voted; 1850 and 21000 stay.", 3) == (
        "In 2002, 2,500 of 12 000 voted; 1850 and 21000 stay.")


def test_later_copies_vary_long_bodies_so_they_are_not_reprints(news_stream):
    long_text = "Seoul and Pyongyang agreed to march together.\n" + " ".join(
        f"Officials met for talks number {n} at the border village of Panmunjom." for n in range(12))
    news_stream.articles[0].text = long_text
    rows = list(scaling_stream(news_stream.articles[:1], target=3))
    assert rows[0]["text"] == long_text
    assert rows[1]["text"] != long_text and rows[1]["text"].startswith("Seoul and Pyongyang")
    assert rows[1]["text"] != rows[2]["text"]


def test_write_scaling_stream_writes_the_requested_count(shared_data, tmp_path):
    path = tmp_path / "stream.jsonl"
    assert write_scaling_stream(path, target=7500, data_dir=shared_data) == 7500
    rows = [json.loads(line) for line in path.open()]
    assert len({row["id"] for row in rows}) == 7500
    assert any(row["id"].endswith("#k1") for row in rows)


@pytest.mark.slow
def test_run_scaling_reports_throughput_and_memory_per_batch(shared_data, tmp_path):
    stream = tmp_path / "stream.jsonl"
    write_scaling_stream(stream, target=60, data_dir=shared_data)
    checkpoints = run_scaling(stream, tmp_path / "scaling.db", fast=True, batch_size=20)
    assert [c["articles"] for c in checkpoints] == [20, 40, 60]
    assert all(c["articles_per_second"] > 0 and c["peak_rss_mb"] >= c["rss_mb"] > 10 for c in checkpoints)
    pytest.importorskip("matplotlib", reason="the scaling plot needs the bench extra (pip install -e '.[bench]')")
    assert plot_scaling(checkpoints, tmp_path / "scaling.png").stat().st_size > 1000
