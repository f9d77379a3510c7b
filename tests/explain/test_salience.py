"""TF-IDF of sentences: scikit-learn's weighting, and one term space shared by many views giving the same views."""

import numpy as np
import pytest

from storyline.explain import whats_new
from storyline.explain.novelty import sentence_space
from storyline.explain.salience import TermSpace, article_sentences, tfidf
from tests.explain.conftest import article
from tests.explain.test_explain import QUAKE

TEXTS = [
    "Mubarak steps down\nEgyptian President Hosni Mubarak resigned on Friday after eighteen days of protests.",
    "The army took control of the government and promised elections within six months.",
    "Crowds in Tahrir Square cheered and waved flags through the night as the army took control.",
    "Vice President Omar Suleiman announced on state television that Mubarak had resigned.",
]


def _sentence_tokens():
    articles = [article(f"s{i}", text, "2011-02-11") for i, text in enumerate(TEXTS)]
    return [s.tokens for a in articles for s in article_sentences(a, include_headline=True)]


def test_tfidf_weighs_as_scikit_learns_sublinear_vectorizer():
    sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")
    tokens = _sentence_tokens()
    fit_on, documents = tokens[:4], tokens[2:] + [("unseen", "army", "army")]
    expected = sklearn_text.TfidfVectorizer(analyzer=list, sublinear_tf=True, lowercase=False).fit(fit_on)
    assert np.allclose(tfidf(documents, fit_on=fit_on).toarray(), expected.transform(documents).toarray())


def test_a_shared_term_space_gives_the_tfidf_of_the_subset_alone():
    tokens = _sentence_tokens()
    space = TermSpace(tokens + [("other", "words", "elsewhere")])
    subset = tokens[1:4]
    alone, shared = tfidf(subset), space.tfidf(subset)
    assert np.allclose((alone @ alone.T).toarray(), (shared @ shared.T).toarray())
    assert shared.nnz == alone.nnz  # a term of the space that the subset lacks carries no weight
    fit_on, documents = tokens[:2], tokens[2:]  # the documents have terms the fit never saw: left out, as alone
    alone, shared = tfidf(documents, fit_on=fit_on), space.tfidf(documents, fit_on=fit_on)
    assert shared.nnz == alone.nnz and np.allclose((alone @ alone.T).toarray(), (shared @ shared.T).toarray())


def test_empty_token_lists_give_zero_rows():
    assert tfidf([(), ()]).nnz == 0 and tfidf([("army",)], fit_on=[()]).shape == (1, 1)


def test_whats_new_is_the_same_with_a_storyline_wide_space():
    later = article("a4", "Egypt after Mubarak\nThe army dissolved parliament and suspended the constitution on Sunday, "
                    "promising elections within six months.", "2011-02-13")
    space = sentence_space([*QUAKE, later])
    assert whats_new(QUAKE, [later], space=space) == whats_new(QUAKE, [later])
    assert whats_new(QUAKE, [later], space=space)


def test_a_headline_the_text_opens_with_twice_is_no_sentence_of_the_body():
    """Scraped pages often carry the title line and then the same heading (the seeds' plain-text copy does)."""
    title = "North Korea to send team to Olympics in South Korea in breakthrough"
    lede = "North Korea has agreed to send a delegation to next month's winter Olympics in South Korea."
    news = article("twice", f"{title}\n\n{title}\n\n{lede}", "2018-01-09", title=title)
    assert [s.text for s in article_sentences(news)] == [lede]
    assert [s.text for s in article_sentences(news, include_headline=True)] == [title, lede]


def test_lines_the_stream_showed_to_be_page_furniture_are_never_quoted():
    """gva's St. Louis pages end with a reporter's e-mail alert: the tracker marks such lines, views skip them."""
    lede = "Two men were charged Thursday in the shooting of a 10-year-old girl in the Blue Hills neighborhood."
    alert = "Whenever Joel Currier posts new content, you'll get an email delivered to your inbox with a link."
    news = article("alert", f"Two charged in shooting of girl\n{lede}\n{alert}", "2016-11-10")
    assert [s.text for s in article_sentences(news)] == [lede, alert]
    news.boilerplate_lines = [2]
    assert [s.text for s in article_sentences(news)] == [lede]


def test_gallery_and_video_player_text_run_into_sentences_is_not_quoted():
    """Houston Chronicle pages in gva run a gallery's credit, counter and buttons into the caption's sentence."""
    title = "Police ID teen fatally shot in SW Houston"
    caption = "Houston police say a 16-year-old was fatally shot about 12:10 a.m. Monday in an apartment near Bellaire."
    news = article("gallery", f"{title}\n\nPhoto: Cody Duty / Houston Chronicle Image 1 of / 2 Caption Close Image 1 of 2 "
                              f"{caption}\nCLOSE Skip in Skip x Embed x Share Relatives gather on the porch of her home.\n"
                              "Latasha Tamika Lum (Photo: Detroit Police Department )", "2015-06-15")
    assert [s.text for s in article_sentences(news)] == [caption, "Relatives gather on the porch of her home.",
                                                         "Latasha Tamika Lum"]
