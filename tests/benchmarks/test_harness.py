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
