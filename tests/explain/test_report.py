from storyline.explain import summarize_storyline
from storyline.explain.report import render_html, render_markdown
from tests.explain.conftest import article

HOSTILE = article(
    "h1",
    "Protest <b>news</b>\nProtesters said <script>alert('x')</script> the police blocked the bridge over the Nile on Friday.\n"
    "Officials [denied](http://evil.example) that *any* arrests were made during the night in Cairo.",
    "2011-01-28",
    source="<i>Blog</i>",
)


def test_html_report_escapes_article_text_and_has_no_external_assets():
    page = render_html(summarize_storyline([[HOSTILE]]))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>news</b>" not in page and "<i>Blog</i>" not in page
    assert "src=" not in page and "<link" not in page and "2011-01-28" in page


def test_markdown_report_escapes_markup():
    text = render_markdown(summarize_storyline([[HOSTILE]]))
    assert "<script>" not in text and "[denied](http" not in text
    assert "## Timeline" in text and "2011-01-28" in text
