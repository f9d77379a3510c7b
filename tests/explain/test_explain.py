import dataclasses
import datetime as dt

from storyline.explain import (
    article_novelty, build_timeline, representative_title, storyline_title, summarize_event, summarize_storyline, whats_new,
)
from storyline.model import Entity
from tests.explain.conftest import article

WIRE = "Egyptian President Hosni Mubarak resigned on Friday after eighteen days of mass protests across the country."
QUAKE = [
    article("a1", "Mubarak steps down\n" + WIRE + " Crowds in Tahrir Square cheered and waved flags through the night.", "2011-02-11", source="Reuters"),
    article("a2", "Egypt's Mubarak resigns after 18 days of protests\n" + WIRE + " The army took control of the government.", "2011-02-11", source="BBC"),
    article("a3", "Mubarak resigns, army takes power\n" + WIRE + " Vice President Omar Suleiman announced the news on state television.", "2011-02-12", source="AP"),
]


def test_event_summary_counts_a_wire_sentence_once():
    summary = summarize_event(QUAKE, max_sentences=3)
    texts = [ref.text for ref in summary.sentences]
    assert texts.count(WIRE) == 1 and len(texts) == 3
    assert summary.article_count == 3 and summary.date == dt.date(2011, 2, 11)
    assert summary.outlets == ["AP", "BBC", "Reuters"]
    assert "Mubarak" in summary.headline and summary.headline != ""


def test_copies_count_and_name_their_outlets_but_are_not_summarised():
    """A wire story reprinted word for word: the reprint's outlet and count show, its text is not read again."""
    reprint = dataclasses.replace(QUAKE[0], id="c1", source="Ahram Online", duplicate_of="a1")
    summary = summarize_event([*QUAKE, reprint], max_sentences=3)
    assert (summary.article_count, summary.copy_count) == (3, 1)
    assert summary.outlets == ["AP", "Ahram Online", "BBC", "Reuters"]
    assert summary.sentences == summarize_event(QUAKE, max_sentences=3).sentences
    view = summarize_storyline([[*QUAKE, reprint]])
    assert (view.article_count, view.copy_count, view.events[0].copy_count) == (3, 1, 1)


def test_representative_title_is_not_simply_the_first():
    articles = [
        article("b1", "Live updates\nProtesters gathered again in Tahrir Square against President Mubarak on Tuesday.", "2011-02-01"),
        article("b2", "Protesters fill Tahrir Square against Mubarak\nHundreds of thousands of protesters filled Tahrir Square against President Mubarak.", "2011-02-01"),
        article("b3", "Tahrir Square protest against Mubarak grows\nThe protest in Tahrir Square against President Mubarak grew larger on Tuesday.", "2011-02-01"),
    ]
    assert representative_title(articles) != "Live updates"


def test_spanish_and_french_events_summarised():
    es = [article("e1", "Protestas en El Cairo\nMiles de manifestantes marcharon el martes por las calles de El Cairo contra el presidente Mubarak.\nLa policía usó gases lacrimógenos para dispersar a la multitud en la plaza Tahrir.", "2011-01-25", "es")]
    fr = [article("f1", "Manifestations au Caire\nDes milliers de manifestants ont défilé mardi dans les rues du Caire contre le président Moubarak.\nLa police a utilisé des gaz lacrymogènes pour disperser la foule place Tahrir.", "2011-01-25", "fr")]
    for articles in (es, fr):
        summary = summarize_event(articles, max_sentences=2)
        assert len(summary.sentences) == 2 and summary.headline == articles[0].title


def test_timeline_dates_from_text_resolved_against_publication():
    articles = [
        article("t1", "Clashes in Cairo\nOn Saturday, police fired tear gas at thousands of protesters in central Cairo streets.\nThe interior ministry said order would be restored within days.", "2011-01-31"),
        article("t2", "Cairo calm returns\nWitnesses said police fired tear gas at protesters in central Cairo on January 29, injuring dozens.", "2011-02-02"),
    ]
    entries = build_timeline(articles, max_dates=1)
    assert [entry.date for entry in entries] == [dt.date(2011, 1, 29)]
    assert "tear gas" in entries[0].sentences[0].text


def test_single_article_storyline_and_article_without_sentences():
    lone = article("s1", "Parliament dissolved\nThe military council dissolved parliament and suspended the constitution on Sunday evening.", "2011-02-13")
    empty = article("s2", "", "2011-02-14", title="")
    view = summarize_storyline([[lone], [empty]])
    assert [entry.date for entry in view.timeline] == [dt.date(2011, 2, 13)]
    assert view.article_count == 2 and len(view.events) == 2
    assert summarize_event([empty]).sentences == [] and whats_new([lone], [empty]) == []
    assert storyline_title([lone]) != ""


def test_storyline_title_names_key_entities():
    tagged = [article(a.id, a.text, a.published.isoformat(), source=a.source) for a in QUAKE]
    for a in tagged:
        a.entities = [Entity("Hosni Mubarak", "PERSON", 2), Entity("Egypt", "GPE", 1)]
    assert storyline_title(tagged).startswith("Hosni Mubarak, Egypt:")


def test_article_novelty_skips_repeated_wire_copy():
    novelty = article_novelty(QUAKE, max_sentences=3)
    assert all(ref.text != WIRE for ref in novelty["a2"])
    assert any("Suleiman" in ref.text for ref in novelty["a3"])


def test_seed_timeline_and_whats_new(seeds):
    entries = {entry.date: " ".join(ref.text for ref in entry.sentences) for entry in build_timeline(seeds)}
    assert "agreed to send a delegation" in entries[dt.date(2018, 1, 9)]
    assert "willing to hold talks with the US" in entries[dt.date(2018, 2, 25)]
    january, february = seeds
    new = whats_new([january], [february])
    assert any("talks with" in ref.text and "US" in ref.text for ref in new)
    view = summarize_storyline([[january], [february]])
    later = view.events[1]  # listed under its headline, which it does not repeat (it once opened the list)
    assert later.headline == "North Korea willing to hold talks with US"
    assert later.headline not in [ref.text for ref in later.whats_new] and len(later.whats_new) == 3
    assert any("Kim Yong-chol met South Korean President Moon Jae-in" in ref.text for ref in later.whats_new)
    assert february.title not in [ref.text for ref in article_novelty([january, february])[february.id]]


def test_french_and_spanish_timeline_and_whats_new():
    fr = [
        article("f1", "Égypte\nLe 25 janvier, des milliers de manifestants ont défilé au Caire contre le président Moubarak.", "2011-01-27", "fr"),
        article("f2", "Le Caire\nLa police a dispersé le 25 janvier les manifestants rassemblés place Tahrir au Caire.", "2011-01-28", "fr"),
    ]
    assert build_timeline(fr, max_dates=1)[0].date == dt.date(2011, 1, 25)
    es_seen = [article("e1", "Protestas en Egipto\nMiles de manifestantes marcharon el martes en El Cairo contra el presidente Mubarak.", "2011-01-25", "es")]
    es_new = [article("e2", "Egipto\nMiles de manifestantes marcharon de nuevo en El Cairo contra el presidente Mubarak.\nEl ejército anunció un toque de queda nocturno en Alejandría y Suez.", "2011-01-28", "es")]
    assert [ref.text for ref in whats_new(es_seen, es_new, max_sentences=1)] == [
        "El ejército anunció un toque de queda nocturno en Alejandría y Suez."
    ]


def test_a_pages_time_stamp_is_never_a_summary_sentence():
    """gva's TV pages open with "Updated: Oct 26, 2016 - 7:20 PM": seven words, but no statement."""
    stamped = article("stamp", "Shooting near Wendy's\nUpdated: Oct 26, 2016 - 7:20 PM\n"
                      "ATLANTA - Police are investigating a deadly shooting that covers two crime scenes.", "2016-10-26")
    summary = summarize_event([stamped], max_sentences=3)
    assert [ref.text for ref in summary.sentences] == [
        "ATLANTA - Police are investigating a deadly shooting that covers two crime scenes."]
