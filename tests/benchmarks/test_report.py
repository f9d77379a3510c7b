import json

from benchmarks.report import environment, render_markdown, write_report

SCORES = {"bcubed_precision": 0.9, "bcubed_recall": 0.8, "bcubed_f1": 0.847, "ami": 0.7,
          "gold_clusters": 50, "predicted_clusters": 60}


def results():
    return [
        {"dataset": "gva", "level": "event", "articles": 5060, "system": "storyline-default", "params": {},
         "scores": SCORES, "articles_per_second": 100.0, "peak_rss_mb": 900.0, "grid": []},
        {"dataset": "gva", "level": "event", "articles": 5060, "system": "tfidf-stream",
         "params": {"threshold": 0.2, "window_days": 7}, "scores": {**SCORES, "bcubed_f1": 0.861},
         "articles_per_second": 400.0, "peak_rss_mb": 300.0,
         "grid": [{"params": {"threshold": 0.2, "window_days": 7}, "scores": {"bcubed_f1": 0.861}},
                  {"params": {"threshold": 0.3, "window_days": 7}, "scores": {"bcubed_f1": 0.80}}]},
        {"dataset": "gva", "system": "bertopic-batch", "params": {}, "grid": [],
         "error": "ModuleNotFoundError: No module named 'bertopic'"},
    ]


def test_markdown_has_a_row_per_system_with_speed_ratio_and_grid(tmp_path):
    text = render_markdown(results(), environment(tmp_path))
    assert "## gva — event level, 5060 articles" in text
    assert "| tfidf-stream | threshold=0.2, window_days=7 | 0.900 | 0.800 | 0.861 | 0.700 | 60 (50) | 400.0 | 300 | 0.25× | – |" in text
    assert "| bertopic-batch | not run: ModuleNotFoundError" in text
    assert "threshold=0.2, window_days=7: 0.861; threshold=0.3, window_days=7: 0.800" in text


def test_write_report_puts_json_beside_markdown(tmp_path):
    markdown, data = write_report(tmp_path / "docs" / "benchmarks.md", results(), environment(tmp_path),
                                  notes=["CPU shared with other jobs"])
    assert data == tmp_path / "docs" / "benchmarks.json"
    saved = json.loads(data.read_text())
    assert saved["results"][1]["scores"]["bcubed_f1"] == 0.861
    assert saved["environment"]["cores"] >= 1 and saved["environment"]["python"].startswith("3.")
    assert "> CPU shared with other jobs" in markdown.read_text()


def test_rows_reused_from_an_earlier_run_are_marked_and_ratios_still_computed(tmp_path):
    from benchmarks.run import reused_results

    earlier = tmp_path / "earlier.json"
    write_report(tmp_path / "earlier.md", results(), {**environment(tmp_path), "commit": "abc1234def567", "date": "2026-11-23"})
    now = [dict(results()[0], articles_per_second=200.0)]  # Storyline re-measured, the peers not
    rows = now + reused_results(earlier.with_suffix(".json"), now)
    assert [r["system"] for r in rows] == ["storyline-default", "tfidf-stream", "bertopic-batch"]
    text = render_markdown(rows, environment(tmp_path))
    assert "| tfidf-stream † | threshold=0.2, window_days=7 |" in text and "| 0.50× | – |" in text
    assert "† measured in an earlier run of this command (abc1234def, 2026-11-23)" in text
    everything = [dict(row, articles_per_second=1.0) for row in results()]
    assert reused_results(earlier.with_suffix(".json"), everything) == []  # all measured now: nothing reused
    elsewhere = [dict(results()[0], dataset="ecbplus")]  # another data set measured now: all of gva is kept
    assert [r["system"] for r in reused_results(earlier.with_suffix(".json"), elsewhere)] == [
        "storyline-default", "tfidf-stream", "bertopic-batch"]


def test_a_scaling_run_reused_from_an_earlier_report_says_where_it_was_measured(tmp_path):
    from benchmarks.run import reused_scaling

    scaled = {"description": "A stream of 300 articles.", "articles": 300, "plot": "earlier-scaling.png",
              "checkpoints": [{"articles": 300, "seconds": 2.0, "batch_articles_per_second": 150.0,
                               "articles_per_second": 150.0, "rss_mb": 500.0, "peak_rss_mb": 510.0}]}
    write_report(tmp_path / "earlier.md", results(), {**environment(tmp_path), "commit": "abc1234def567",
                                                       "date": "2026-11-23"}, scaled)
    kept = reused_scaling(tmp_path / "earlier.json", tmp_path / "now.md")
    assert kept["checkpoints"] == scaled["checkpoints"] and kept["plot"] is None  # no such plot beside now.md
    assert kept["description"].endswith("(† measured in an earlier run: abc1234def, 2026-11-23.)")
    (tmp_path / "earlier-scaling.png").write_bytes(b"png")
    assert reused_scaling(tmp_path / "earlier.json", tmp_path / "now.md")["plot"] == "earlier-scaling.png"
    write_report(tmp_path / "now.md", results(), {**environment(tmp_path), "commit": "fff0000aaa999",
                                                  "date": "2026-12-02"}, kept)  # and reused once more
    again = reused_scaling(tmp_path / "now.json", tmp_path / "later.md")
    assert again["description"] == kept["description"]  # still where it was measured, marked once
