"""Article features: content words, document frequencies, number features, profiles and their comparison."""

from __future__ import annotations

import dataclasses
import math
import pickle
import zlib
from collections import Counter

import numpy as np
import pytest

from storyline.model import Article, Entity, without_lines
from storyline.track.background import document_share
from storyline.track.features import (
    DocumentFrequencies,
    FeatureExtractor,
    Profile,
    RepeatedLines,
    SparseVector,
    _weighted,
    compare,
    content_terms,
    key_ids,
    sparse_dots,
    summed_by_id,
    term_ids,
)
from storyline.understand.sentences import stopwords

from .conftest import (
    D,
    article,
    fire_follow_up,
    fire_report,
    fire_second_outlet,
    lookalike_fire,
)


def test_content_terms_keep_numbers_and_drop_stop_words_and_urls():
    text = ("The fire at 23 Elm Street was reported by 2 residents, see https://example.com/fire-photos and "
            "www.example.org/live for photos. Damage: $2.5 million.")
    terms = content_terms(text, stopwords("en"))
    assert terms == ["fire", "23", "elm", "street", "reported", "2", "residents", "photos", "damage", "2.5", "million"]


def test_a_rare_key_weighs_more_than_a_common_one():
    frequencies = DocumentFrequencies()
    for keys in (["millbrook", "fire"], ["millbrook", "warehouse"], ["millbrook", "arson"]):
        frequencies.add(keys)
    assert frequencies.idf("arson") > frequencies.idf("millbrook")
    assert frequencies.idf("never-seen") > frequencies.idf("arson")


def test_the_language_at_large_weighs_a_short_streams_words_and_the_stream_soon_outweighs_it():
    """With no documents yet, "said" is common and "teixeira" rare in English; after a stream where every document
    says "teixeira", the stream's own counts decide, and a language without a word list uses the stream's alone."""
    warm, cold = DocumentFrequencies(background_documents=5), DocumentFrequencies()
    assert warm.idf("said", "en") < warm.idf("teixeira", "en") - 1
    assert cold.idf("said", "en") == cold.idf("teixeira", "en")
    for _ in range(200):
        for lang in ("en", "xx"):
            warm.add(["teixeira", "contract"], lang)
            cold.add(["teixeira", "contract"], lang)
    assert warm.idf("teixeira", "en") == pytest.approx(cold.idf("teixeira", "en"), rel=0.05)
    assert warm.idf("teixeira", "xx") == cold.idf("teixeira", "xx")
    loaded = pickle.loads(pickle.dumps(warm))  # the tracker's saved state: the setting, not the word lists
    assert loaded.background_documents == 5 and loaded.idf("said", "en") == warm.idf("said", "en")
    assert len(pickle.dumps(warm)) < 10_000


def test_a_words_weight_in_one_language_does_not_depend_on_the_documents_of_others():
    """Counts per language: a Spanish stream's weights stay as they were when English articles are mixed in, and a
    name that English articles also write is never more common in Spanish than the Spanish documents holding it."""
    alone, mixed = DocumentFrequencies(background_documents=5), DocumentFrequencies(background_documents=5)
    for frequencies in (alone, mixed):
        for words in (["siria", "asad", "damasco"], ["egipto", "mubarak"], ["siria", "alepo"]):
            frequencies.add(words, "es")
    for _ in range(500):
        mixed.add(["teixeira", "contract", "asad"], "en")
    for word in ("siria", "damasco", "mubarak"):
        assert mixed.idf(word, "es") == alone.idf(word, "es")
    assert mixed.idf("asad", "es") >= 1.0 and mixed.idf("asad", "es") < alone.idf("asad", "es")
    old_state = {k: v for k, v in mixed.__getstate__().items() if k not in ("documents_by_language", "undivided_documents")}
    legacy = DocumentFrequencies.__new__(DocumentFrequencies)
    legacy.__setstate__(old_state)  # a state saved before: every document counts in every language, as it did
    assert legacy.idf("siria", "es") == pytest.approx(np.log((503 + 5 + 1) / (2 + 5 * document_share("es", 2**20)[
        legacy._buckets(key_ids(["siria"]))[0]] + 1.0)) + 1.0)


def test_adding_a_document_and_weighing_it_at_once_counts_it_like_adding_it_first():
    """The tracker counts an article's keys and weighs them in one step; the weights are those of counting it first."""
    documents = [["millbrook", "fire", "fire"], ["millbrook", "warehouse"], ["arson", "fire", "millbrook"]]
    for as_ids in (False, True):
        stepwise, at_once = DocumentFrequencies(buckets=64), DocumentFrequencies(buckets=64)
        for words in documents:
            counts = Counter(term_ids(words)) if as_ids else Counter(words)
            stepwise.add(counts)
            expected = _weighted(counts, stepwise)
            assert dict(at_once.add_weighted(counts).items()) == pytest.approx(dict(expected.items()))
        assert at_once.documents == stepwise.documents == 3
        assert np.array_equal(at_once.counts, stepwise.counts)
    assert len(at_once.add_weighted(Counter())) == 0 and at_once.documents == 4


def test_document_frequencies_take_fixed_memory_however_many_keys_come():
    frequencies = DocumentFrequencies(buckets=1024)
    size = frequencies.counts.nbytes
    for n in range(5000):
        frequencies.add([f"name-{n}", f"id-{n}", "millbrook"])
    assert frequencies.counts.nbytes == size and frequencies.documents == 5000
    assert frequencies.idf("millbrook") == pytest.approx(math.log(5001 / 5001) + 1)
    assert frequencies.idf("name-7") > 2 * frequencies.idf("millbrook")  # still rare though buckets are shared
    assert frequencies.idfs(["millbrook", "name-7"]).tolist() == [frequencies.idf("millbrook"),
                                                                 frequencies.idf("name-7")]
    with pytest.raises(TypeError):  # ids and strings do not mix in one call: each kind is hashed its own way
        frequencies.add(["millbrook", 7])
    restored = pickle.loads(pickle.dumps(frequencies))
    assert restored.documents == 5000 and np.array_equal(restored.counts, frequencies.counts)


def entity_ids(keys: list[str]) -> list[int]:
    """The ids an article's entity vector holds entity keys (and numbers, "#31") by."""
    return key_ids(keys).tolist()


def entity_weights(features) -> dict[str, float]:
    """The weights of an article's entity vector by the keys of the entities (and numbers) of the fire reports."""
    keys = ["#31", "elm street", "millbrook", "harlow furniture", "dana whitfield"]
    weights = dict(features.entities.items())
    return {key: weights.get(id, 0.0) for key, id in zip(keys, entity_ids(keys))}


def test_entity_weights_follow_the_document_frequencies(extractor):
    for a in (fire_report(), fire_second_outlet(), lookalike_fire()):
        extractor.extract(a)
    weight = entity_weights(extractor.extract(fire_follow_up()))
    # each named once in the follow-up, but Elm Street was in two earlier reports and "#31" in none
    assert weight["#31"] > weight["elm street"]
    # Millbrook is named twice here and in both earlier Millbrook reports: its count outweighs its commonness
    assert weight["millbrook"] > weight["elm street"]


def test_numbers_become_entity_features(extractor):
    features = extractor.extract(fire_report())
    named = ["harlow furniture", "millbrook", "dana whitfield", "elm street"]
    numbers = ["#40", "#23", "#2.5"]  # "six hours" is not a number feature
    assert sorted(features.entities.ids.tolist()) == sorted(entity_ids(named + numbers))


def test_thousands_separators_are_dropped_from_number_features(extractor):
    features = extractor.extract(article(
        "evacuation", D(2024, 3, 4), "1,200 residents evacuated",
        "About 1,200 residents of Millbrook were evacuated, police said.", [Entity("Millbrook", "GPE", 1)]))
    assert entity_ids(["#1200"])[0] in features.entities.ids


def test_decimal_commas_are_read_as_decimals(extractor):
    features = extractor.extract(article(
        "crue", D(2018, 1, 28), "La Seine à 5,84 mètres",
        "Le niveau de la Seine a atteint 5,84 mètres dimanche à Paris.", [Entity("Paris", "GPE", 1)]))
    assert entity_ids(["#584"])[0] not in features.entities.ids


def test_people_places_and_retrieval_keys(extractor):
    features = extractor.extract(fire_report())
    assert features.people == {"dana whitfield"}
    assert features.places == {"millbrook", "elm street"}
    assert {"harlow furniture", "millbrook"} <= set(features.keys)
    assert features.date == D(2024, 3, 4) and features.embedding is not None


def test_profile_sums_members_and_spans_their_dates(extractor):
    profile = Profile()
    first, second = extractor.extract(fire_second_outlet(D(2024, 3, 5))), extractor.extract(fire_report())
    profile.add(first)
    profile.add(second)
    assert (profile.size, profile.first_date, profile.last_date) == (2, D(2024, 3, 4), D(2024, 3, 5))
    assert profile.actors["millbrook"] == pytest.approx(first.actors["millbrook"] + second.actors["millbrook"])
    # a member's embedding is copied, not aliased
    assert profile.embedding is not first.embedding


def test_compare_an_article_with_a_profile(extractor):
    fire, lookalike = extractor.extract(fire_report()), extractor.extract(lookalike_fire())
    same = Profile()
    same.add(extractor.extract(fire_second_outlet()))
    to_same, to_other = compare(fire, same), compare(lookalike, same)
    assert to_same.terms > to_other.terms and to_same.entities > to_other.entities
    assert to_same.actors > 0.5 and to_other.actors == 0.0
    assert to_same.gap_days == 0.0 and to_other.gap_days == 7.0
    assert to_same.dense > to_other.dense


def test_overlapping_profiles_have_no_gap(extractor):
    long_running, short = Profile(), Profile()
    long_running.add(extractor.extract(fire_report(D(2024, 1, 10))))
    long_running.add(extractor.extract(fire_follow_up()))  # 5 April
    short.add(extractor.extract(fire_second_outlet(D(2024, 3, 4))))
    assert compare(short, long_running).gap_days == 0.0
    assert compare(long_running, short).gap_days == 0.0


FURNITURE = "Advertisement\nPlease enable Javascript to watch this video\n© 2016 Cox Media Group."


def kept(lines: RepeatedLines, text: str, repeats: int, keep_first: bool = True) -> str:
    """``text`` as the tracker reads it once ``lines`` has judged (and counted) its lines."""
    return without_lines(text, lines.repeated_lines(text, repeats, keep_first))


def test_lines_that_recent_articles_all_carried_are_left_out_as_page_furniture():
    lines = RepeatedLines(buckets=2**16, rotate_every=4)
    reports = [f"Shooting on Elm Street {n}\nPolice said {n} people were hurt on Elm Street.\n{FURNITURE}"
               for n in range(3)]
    for report in reports:  # the furniture is kept while fewer than three earlier pages carried it
        assert "Advertisement" in kept(lines, report, repeats=3)
    fourth = kept(lines, f"Advertisement\nFire at the mill\nThe {FURNITURE[:13]} was gone.\n{FURNITURE}", 3)
    assert fourth.splitlines() == ["Advertisement", "Fire at the mill", "The Advertisement was gone."]  # first line stays
    fifth = kept(lines, f"Advertisement\nFlood in the valley\n{FURNITURE}", 3, keep_first=False)
    assert fifth.splitlines() == ["Flood in the valley"]
    for _ in range(8):  # two rotations later, nothing of the furniture is remembered
        kept(lines, "Unrelated page\nnothing shared", 3)
    assert "Please enable Javascript" in kept(lines, f"Another shooting\n{FURNITURE}", 3)


def test_page_furniture_no_longer_makes_two_pages_look_alike():
    """Two different incidents on one site share its furniture; without it their term vectors are apart."""
    def pages(repeats):
        extractor = FeatureExtractor(boilerplate_repeats=repeats)
        site = [Article(id=f"p{n}", title=f"Report {n}", text=f"Report {n}\nSomething happened in town {n}.\n{FURNITURE}",
                        lang="en") for n in range(3)]
        for page in site:
            extractor.extract(page)
        first = extractor.extract(Article(id="a", title="Man shot on Elm Street", lang="en",
                                          text=f"Man shot on Elm Street\nA man was shot on Elm Street on Friday.\n{FURNITURE}"))
        second = extractor.extract(Article(id="b", title="Bakery wins award", lang="en",
                                           text=f"Bakery wins award\nThe Rye Bakery won a regional prize.\n{FURNITURE}"))
        return sparse_dots([first.terms], [[second.terms]])[0, 0]

    assert pages(0) > 0.1 and pages(3) == 0.0


def test_lines_differing_only_by_their_link_are_one_piece_of_furniture():
    lines = RepeatedLines(buckets=2**16)
    for n in range(3):
        kept(lines, f"Shooting {n}\nPolice said {n} were hurt.\nRead or Share this story: http://indy.st/{n}x", 3)
    assert kept(lines, "Fire\nA barn burned.\nRead or Share this story: https://on.wusa9.com/1i", 3) == "Fire\nA barn burned."


def test_a_template_filled_in_with_names_and_dates_is_one_piece_of_furniture():
    """gva's TV pages carry "by: <reporter> Updated: <date>" and a newspaper's end with "Whenever <reporter> posts new
    content, ...": one template, another name and time on every page."""
    lines = RepeatedLines(buckets=2**16)
    pages = [("Joel Currier", "Nov 9, 2016 - 6:57 PM", "A man was shot on Elm Street."),
             ("Denise Hollinshed", "Oct 31, 2016 - 2:21 PM", "Two teenagers were wounded downtown."),
             ("Jim Gallagher", "Oct 2, 2016 - 9:36 AM", "Police are looking for a gunman.")]
    def page(reporter, stamp, report):
        return (f"Headline\nby: {reporter} Updated: {stamp}\n{report}\n"
                f"Whenever {reporter} posts new content, you'll get an email delivered to your inbox with a link.")

    for reporter, stamp, report in pages:
        assert kept(lines, page(reporter, stamp, report), 3) == page(reporter, stamp, report)
    assert kept(lines, page("Angie Jackson", "Sep 27, 2016 - 9:36 AM", "A barn burned."), 3) == "Headline\nA barn burned."


def test_names_and_lines_in_capitals_are_furniture_only_when_repeated_as_they_are():
    """A caption naming someone, a subheading of names joined by a particle or a transcript in capitals keeps no
    word once names are masked: it is judged as it is, so that all such lines are not one template."""
    lines = RepeatedLines(buckets=2**16)
    for caption, heading, transcript in [("Aniya Edwards", "Protestas en Damasco", "THE CHURCH HELPED BUILD HER HOME"),
                                         ("Kevin Mills", "Protestas en Alepo", "NEIGHBOURS HEARD SHOTS AROUND MIDNIGHT"),
                                         ("Rosa Diaz", "Protestas en Homs", "POLICE ARE LOOKING FOR A GREY SEDAN")]:
        kept(lines, f"Headline\n{caption}\n{heading}\n{transcript}", 3)
    page = "Headline\nMarcus Lee\nProtestas en Deraa\nTHE FAMILY ASKS FOR HELP"
    assert kept(lines, page, 3) == page


def test_the_lines_left_out_as_furniture_are_recorded_on_the_article():
    """Views quote an article's text without its furniture, so the extractor notes which lines of the whole text
    (timestamps opening it included) it left out."""
    extractor = FeatureExtractor()
    reports = ["A man was shot on Elm Street.", "Two teenagers were wounded downtown.",
               "Police are looking for a gunman.", "A barn burned on Route 9."]
    for n, report in enumerate(reports):
        article = Article(id=f"p{n}", title=f"Posted 11/27/2005 7:2{n} AM", lang="en",
                          text=f"Posted 11/27/2005 7:2{n} AM\nReport {n}\n{report}\nSign up for our newsletter")
        extractor.extract(article)
    assert article.boilerplate_lines == [3]
    assert article.body == "Posted 11/27/2005 7:23 AM\nReport 3\nA barn burned on Route 9."


def test_furniture_opening_a_text_below_its_headline_is_left_out():
    """gva keeps 122 pages whose text opens with "Please enable Javascript to watch this video", not with their
    headline: that first line is judged like any other, its words and names are not the article's."""
    extractor = FeatureExtractor()
    video = "Please enable Javascript to watch this video"
    reports = ["Police report a shooting in Norfolk.", "A man was shot near the Norfolk docks.",
               "Two teenagers were wounded in Norfolk on Friday.", "Norfolk police are looking for a gunman."]
    for n, report in enumerate(reports):
        page = Article(id=f"p{n}", title=f"Shooting number {n}", text=f"{video}\n{report}",
                       lang="en", entities=[Entity("Javascript", "PERSON"), Entity("Norfolk", "GPE")])
        features = extractor.extract(page)
    assert [e.name for e in page.entities] == ["Norfolk"]
    assert not {zlib.crc32(b"javascript"), zlib.crc32(b"video")} & set(features.terms.ids.tolist())
    assert features.headline == "Shooting number 3"


def test_repeated_lines_survive_a_save_and_load():
    lines = RepeatedLines(buckets=2**16)
    for _ in range(3):
        kept(lines, f"Headline\n{FURNITURE}", 3)
    restored = pickle.loads(pickle.dumps(lines))
    assert kept(restored, f"Other headline\n{FURNITURE}\nNews", 3) == "Other headline\nNews"


STATION = "KSLA News 12 Shreveport, Louisiana News Weather & Sports"


def test_title_parts_that_recent_titles_carried_are_left_out():
    parts = RepeatedLines(buckets=2**16)
    for n in range(3):  # kept while fewer than three earlier titles carried the station's name
        title = f"Man shot on Elm Street {n} - {STATION}"
        assert parts.drop_repeated_parts(title, repeats=3) == title
    assert parts.drop_repeated_parts(f"Bakery wins award - {STATION}", 3) == "Bakery wins award"
    assert parts.drop_repeated_parts(f"{STATION} | Fire at the mill", 3) == "Fire at the mill"  # at either end
    assert parts.drop_repeated_parts(STATION, 3) == ""  # three earlier titles carried all of this one
    assert parts.drop_repeated_parts(f"{STATION} - {STATION}", 3) == STATION
    assert parts.drop_repeated_parts("Utah shooting: three dead", 3) == "Utah shooting: three dead"


def test_a_station_name_in_titles_no_longer_makes_two_incidents_look_alike():
    """Two different incidents reported by one station: its name in their titles (and first lines) made their
    headlines alike; once three earlier titles carried it, it is left out of both."""
    def headlines(repeats):
        extractor = FeatureExtractor(boilerplate_repeats=repeats)
        for n, what in enumerate(("Storm damages roofs", "School board votes on budget", "Road closed for repairs")):
            title = f"{what} - {STATION}"
            extractor.extract(Article(id=f"p{n}", title=title, text=f"{title}\nSomething happened in town.", lang="en"))
        shooting, award = (f"Man shot on Elm Street - {STATION}", f"Bakery wins award - {STATION}")
        first = extractor.extract(Article(id="a", title=shooting, lang="en",
                                          text=f"{shooting}\nA man was shot on Elm Street on Friday."))
        second = extractor.extract(Article(id="b", title=award, lang="en",
                                           text=f"{award}\nThe Rye Bakery won a regional prize."))
        title, terms = sparse_dots([first.title_terms, first.terms], [[second.title_terms, second.terms]])[:, 0]
        return title, terms, first.headline

    shared_title, shared_terms, headline = headlines(0)
    assert shared_title > 0.3 and shared_terms > 0.1
    assert headlines(3)[:2] == (0.0, 0.0)
    assert headline == f"Man shot on Elm Street - {STATION}"
    assert headlines(3)[2] == "Man shot on Elm Street"  # the event is named without the station (listed as outlet)


def test_a_title_that_recent_pages_all_carried_is_no_headline():
    """A crawl that took a site's shop link for every page's headline ('Boutique le Point', 97 CL-TLS fr pages):
    from the fourth such page on, the title gives no headline terms, which would make unrelated pages alike, and
    the event is named by the first line of its text."""
    extractor = FeatureExtractor()
    texts = ["Boutique le Point\nLe régime syrien bombarde Homs pour la troisième journée consécutive.",
             "Boutique le Point\nLe Caire : des milliers de manifestants place Tahrir contre le président Morsi.",
             "Boutique le Point\nAu Yémen, le président Saleh signe l'accord de transition à Riyad.",
             "Boutique le Point\nLa Ligue arabe suspend la Syrie après la répression des manifestations à Deraa et Homs."]
    articles = [Article(id=f"p{n}", title="Boutique le Point", text=text, lang="fr",
                        entities=[Entity("Boutique le Point", "PERSON"), Entity("Syrie", "GPE"), Entity("Point", "MISC")])
                for n, text in enumerate(texts)]
    features = [extractor.extract(article) for article in articles]
    assert [len(f.title_terms) > 0 for f in features] == [True, True, True, False]
    assert features[0].headline == "Boutique le Point"
    assert features[3].headline == "La Ligue arabe suspend la Syrie après la répression des manifestations à Deraa et Homs."
    # the names of the furniture title are the site's: dropped unless the text names them too
    assert [e.name for e in articles[3].entities] == ["Syrie"]
    assert "boutique le point" not in features[3].actors and "syrie" in features[3].actors
    assert len(articles[0].entities) == 3


def test_names_only_in_repeated_teaser_lines_are_not_the_articles():
    """CL-TLS fr crawls carry a shop's teaser on every page ("... Amazon Go veut imposer son modèle"): once three
    earlier pages carried the line it is left out, and so are the names found only there."""
    extractor = FeatureExtractor()
    teaser = "Faire ses courses sans passer par la caisse, Amazon Go veut imposer son modèle"
    leads = ["Le régime syrien bombarde Homs.", "Des milliers de manifestants au Caire.",
             "Le président Saleh signe l'accord à Riyad.", "Amazon Go ouvre à Paris ; la Ligue arabe suspend la Syrie."]
    articles = [Article(id=f"p{n}", title=f"Titre {n}", text=f"Titre {n}\n{teaser}\n{lead}", lang="fr",
                        entities=[Entity("Amazon Go", "ORG"), Entity("Faire", "MISC"), Entity("Syrie", "GPE")])
                for n, lead in enumerate(leads)]
    for article in articles:
        extractor.extract(article)
    assert [len(a.entities) for a in articles[:3]] == [3, 3, 3]  # the teaser was not yet known for furniture
    assert [e.name for e in articles[3].entities] == ["Amazon Go", "Syrie"]  # "Amazon Go" is in its own text too
    extractor.extract(fifth := Article(id="p4", title="Titre 4", text=f"Titre 4\n{teaser}\nLa Syrie encore.",
                                       lang="fr", entities=[Entity("Amazon Go", "ORG"), Entity("Syrie", "GPE")]))
    assert [e.name for e in fifth.entities] == ["Syrie"]


def test_a_furniture_titled_page_is_named_by_its_first_line_below_any_timestamp():
    """elmundo.es pages are all titled "Mundo | elmundo.es" in CL-TLS es, and their text opens with a date stamp."""
    extractor = FeatureExtractor()
    headlines = ["Mubarak deja el poder", "Protestas en Bahréin", "La ONU condena la represión en Libia",
                 "Gadafi advierte a los ciberactivistas"]
    for n, headline in enumerate(headlines):
        features = extractor.extract(Article(
            id=f"p{n}", title="Mundo | elmundo.es", lang="es",
            text=f"Mundo | elmundo.es\nMiércoles 16/02/2011. Actualizado 11:4{n}h.\n{headline}\n"))
    assert features.headline == "Gadafi advierte a los ciberactivistas"


def test_a_typed_form_names_an_entity_over_an_untyped_one():
    """"Join Us" gave the key "us" the name "Us" in an ECB+ page read before the seeds; the seeds' storyline then
    showed "Us" among its entities instead of "US"."""
    extractor = FeatureExtractor()
    for n, entity in enumerate([Entity("Us", "MISC"), Entity("US", "GPE"), Entity("Us", "MISC")]):
        extractor.extract(Article(id=f"a{n}", title=f"Story {n}", text=f"Story {n}\nText {n}.", lang="en",
                                  entities=[entity]))
        if n == 0:
            assert extractor.entity_names["us"] == "Us"  # the only form seen so far
    assert extractor.entity_names["us"] == "US"


def test_a_place_written_in_prose_is_not_renamed_by_a_dateline_in_capitals():
    extractor = FeatureExtractor()
    forms = [Entity("Chicago", "GPE"), Entity("CHICAGO", "GPE"), Entity("NYPD", "ORG"), Entity("Nypd", "ORG"),
             Entity("NEW ORLEANS", "GPE"), Entity("New Orleans", "GPE")]
    for n, entity in enumerate(forms):
        extractor.extract(Article(id=f"a{n}", title=f"Story {n}", text=f"Story {n}\nText {n}.", lang="en",
                                  entities=[entity]))
    assert extractor.entity_names["chicago"] == "Chicago"
    assert extractor.entity_names["nypd"] == "Nypd"  # an acronym is no dateline: the latest typed form names it
    assert extractor.entity_names["new orleans"] == "New Orleans"


def test_a_headline_taken_from_a_long_line_is_cut_after_a_word():
    from storyline.track.features import HEADLINE_CHARS, _first_line

    line = "Le Conseil de sécurité de l'ONU " * 8
    headline = _first_line(f"\n\n{line}\nSecond line")
    assert headline.endswith("…") and len(headline) <= HEADLINE_CHARS + 1
    assert line.startswith(headline[:-1]) and line[len(headline) - 1] == " "


def test_an_extractor_saved_before_title_parts_were_counted_still_works():
    extractor = FeatureExtractor()
    del extractor.title_parts  # as an extractor of the previous version was saved
    restored = pickle.loads(pickle.dumps(extractor))
    features = restored.extract(Article(id="a", title=f"Man shot - {STATION}", text="A man was shot.", lang="en"))
    assert len(features.terms) and restored.title_parts.articles == 1


def test_a_compact_vector_keeps_its_order_and_pickles_small():
    vector = SparseVector.from_dict({"elm street": 0.5, "#40": 0.25, "millbrook": 0.75})
    ids = [zlib.crc32(key) for key in (b"elm street", b"#40", b"millbrook")]
    assert list(vector.items()) == list(zip(ids, [0.5, 0.25, 0.75]))  # in order: a profile adds them so
    assert vector.heaviest(2) == [ids[2], ids[0]]
    assert zlib.crc32(b"plumless") == zlib.crc32(b"buckeroo")  # two keys hashed alike are one, their weights summed
    assert summed_by_id({"plumless": 0.5, "elm street": 0.25, "buckeroo": 0.125}) == {ids[0]: 0.25,
                                                                                     zlib.crc32(b"plumless"): 0.625}
    restored = pickle.loads(pickle.dumps(vector))
    assert list(restored.items()) == list(vector.items()) and len(pickle.dumps(vector)) < 150
    assert len(SparseVector.empty()) == 0 and SparseVector.empty().heaviest(3) == []


def test_an_article_pickled_with_dict_vectors_loads_them_compact_and_its_profile_entities_hashed(extractor):
    """The version before compact vectors saved an article's vectors as dicts, entity keys as strings."""
    features = extractor.extract(fire_report())
    keys = ["harlow furniture", "millbrook", "dana whitfield", "elm street", "#40", "#23", "#2.5"]
    names = dict(zip(entity_ids(keys), keys))
    old = dataclasses.replace(features, terms=dict(features.terms.items()), title_terms=dict(features.title_terms.items()),
                              entities={names[id]: w for id, w in features.entities.items()})
    profile = Profile()
    profile.add(old)  # an earlier version's profile: entity keys as strings
    assert "millbrook" in profile.entities
    loaded = pickle.loads(pickle.dumps(old))
    for name in ("terms", "entities", "title_terms"):
        assert isinstance(getattr(loaded, name), SparseVector)
        assert list(getattr(loaded, name).items()) == list(getattr(features, name).items())
    summed = Profile()
    summed.add(features)
    assert pickle.loads(pickle.dumps(profile)).entities == summed.entities


def test_pruning_keeps_the_heaviest_keys_ties_in_insertion_order():
    from storyline.track.features import Profile

    profile = Profile(terms={"a": 1.0, "b": 3.0, "c": 2.0, "d": 3.0, "e": 0.5})
    profile.prune(max_keys=3)
    assert list(profile.terms.items()) == [("b", 3.0), ("d", 3.0), ("c", 2.0)]


def test_a_timestamp_given_as_title_gives_way_to_the_headline_below_it(extractor):
    report = fire_report()
    stamped = Article(id="stamped", title="MONDAY, MAY 23, 2005", text="MONDAY, MAY 23, 2005\n" + report.text,
                      published=report.published, lang="en", entities=report.entities, embedding=report.embedding)
    features = extractor.extract(stamped)
    assert features.headline == report.title
    assert len(features.title_terms) and np.array_equal(features.title_terms.ids, extractor.extract(report).title_terms.ids)
