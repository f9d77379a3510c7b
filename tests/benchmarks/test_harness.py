import pytest

from benchmarks.harness import Job, make_system, run_isolated


def test_isolated_run_reports_scores_speed_and_its_own_peak_memory(shared_data):
    result = run_isolated(Job("tfidf-stream", "ecbplus", [{"threshold": 0.25, "window_days": None}],
                              str(shared_data), limit=40))
    point = result["points"][0]
    assert result["articles"] == 40 and result["level"] == "event"
    assert point["scores"]["bcubed_f1"] > 0.5 and point["articles_per_second"] > 0
    assert result["peak_rss_mb"] >= result["rss_before_mb"] > 10


def test_isolated_run_turns_a_failure_into_an_error_record(tmp_path):
    result = run_isolated(Job("singletons", "gva", data_dir=str(tmp_path)))
    assert "gva" in result["error"] and "does not exist" in result["error"]


def test_unknown_system_is_named():
    with pytest.raises(ValueError, match="unknown system 'lda'"):
        make_system("lda")


def test_repeated_measurements_report_the_median_run_and_the_largest_memory():
    from benchmarks.run import median_run

    def run(seconds, peak):
        return {"level": "event", "articles": 100, "rss_before_mb": 50.0, "peak_rss_mb": peak,
                "points": [{"seconds": seconds, "scores": {"bcubed_f1": 0.9}}]}

    row = median_run([run(2.0, 300.0), run(5.0, 320.0), run(2.5, 310.0)])
    assert (row["seconds"], row["articles_per_second"], row["peak_rss_mb"]) == (2.5, 40.0, 320.0)
    assert row["runs_seconds"] == [2.0, 2.5, 5.0] and row["scores"] == {"bcubed_f1": 0.9}
    assert median_run([run(2.0, 300.0), run(4.0, 300.0)])["seconds"] == 3.0
