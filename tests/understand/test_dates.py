import datetime as dt

import pytest

from storyline.understand import mentioned_dates, published_from_text
from storyline.understand.dates import LANGUAGES, MONTHS, RELATIVE_DAYS, WEEKDAYS

D = dt.date
WEDNESDAY = D(2018, 1, 10)


def days(text, reference=WEDNESDAY, lang=None):
    return [mention.date for mention in mentioned_dates(text, reference, lang)]


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("The talks were held on 9 January 2018 at Panmunjom.", "en", D(2018, 1, 9)),
        ("Officials met on January 9, 2018 in the border village.", "en", D(2018, 1, 9)),
        ("Las delegaciones se reunieron el 9 de enero de 2018 en Panmunjom.", "es", D(2018, 1, 9)),
        ("Les délégations se sont réunies le 9 janvier 2018 à Panmunjom.", "fr", D(2018, 1, 9)),
        ("Published 2018-01-09 by the agency.", None, D(2018, 1, 9)),
        ("Le 1er janvier, Kim Jong-un a prononcé son discours.", "fr", D(2018, 1, 1)),
        ("The ceasefire of Dec. 20 collapsed within hours.", "en", D(2017, 12, 20)),
    ],
)
def test_absolute_dates_in_three_languages(text, lang, expected):
    assert days(text, lang=lang) == [expected]


@pytest.mark.parametrize("lang", [*LANGUAGES, None])
def test_every_month_weekday_and_relative_word_is_found_in_any_case(lang):
    """Matches are looked for only where one can start (a digit, a month's or a day word's initial): none is missed."""
    langs = LANGUAGES if lang is None else (lang,)
    for words in (MONTHS, WEEKDAYS, RELATIVE_DAYS):
        for word in {w for code in langs for w in words[code]}:
            for form in (word, word.capitalize(), word.upper()):
                text = f"Reported — {form} 9, 2015." if words is MONTHS else f"It happened {form}, police said."
                assert len(mentioned_dates(text, D(2015, 6, 10), lang)) == 1, (form, lang)


def test_yearless_date_far_after_the_reference_belongs_to_the_year_before():
    assert days("Talks resumed on April 3.", reference=D(2018, 1, 10), lang="en") == [D(2017, 4, 3)]
    assert days("Talks will resume on February 20.", reference=D(2018, 1, 10), lang="en") == [D(2018, 2, 20)]


def test_relative_days_resolve_against_the_reference():
    saturday_and_yesterday = [D(2018, 1, 6), D(2018, 1, 9)]
    assert days("Police said on Saturday that the suspect fled yesterday.", lang="en") == saturday_and_yesterday
    assert days("El sábado hubo protestas y ayer la policía detuvo a dos personas.", lang="es") == saturday_and_yesterday
    assert days("Samedi, des manifestants ont défilé ; hier, le ministre a parlé.", lang="fr") == saturday_and_yesterday
    # the same weekday as the reference is the reference day ("said on Wednesday", published Wednesday)
    assert days("The minister said on Wednesday.", lang="en") == [WEDNESDAY]


def test_weekday_before_a_full_date_is_not_counted_twice():
    mentions = mentioned_dates("The meeting on Tuesday, January 9, 2018 ended early.", WEDNESDAY, "en")
    assert [(m.date, m.text) for m in mentions] == [(D(2018, 1, 9), "January 9, 2018")]


def test_mentions_carry_their_span():
    text = "Kim spoke on 9 January 2018."
    (mention,) = mentioned_dates(text, None, "en")
    assert text[mention.start : mention.end] == mention.text == "9 January 2018"


def test_without_reference_only_dates_with_a_year():
    assert days("On Saturday, January 6, officials met; on 9 January 2018 they agreed.", reference=None, lang="en") == [
        D(2018, 1, 9)
    ]


def test_impossible_and_ambiguous_dates_are_skipped():
    assert days("It happened on February 30, 2018.", lang="en") == []
    assert days("Filed 05/02/2013", reference=None, lang=None) == []  # month or day first? unknown language
    assert days("Filed 05/02/2013", reference=None, lang="en") == [D(2013, 5, 2)]
    assert days("Publicado el 05/02/2013", reference=None, lang="es") == [D(2013, 2, 5)]


def test_month_words_without_a_day_are_not_dates():
    assert days("Thousands joined the march in May and again on Saturday in Paris.", lang="en") == [D(2018, 1, 6)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Lindsay Lohan checks into Betty Ford Center\nMay 03, 2013\nAfter skipping out on rehab", D(2013, 5, 3)),
        ("Lawyer: Lohan checks into rehab\nJanuary 1, 2013 5:05 PM\nThe actress", D(2013, 1, 1)),
        ("Turkmen election to have 2 parties for 1st time\n2013 - 09 - 26\nFor the first time", D(2013, 9, 26)),
        ("PARIS, Jan 9 (Reuters) - France said on Tuesday", None),
        ("North Korea willing to hold talks with US\nNorth Korea is willing to hold talks", None),
    ],
)
def test_dateline(text, expected):
    assert published_from_text(text) == expected


def test_datelines_of_ecbplus_agree_with_the_recovered_dates(shared_articles):
    dated = [a for a in shared_articles("data/ecbplus/docs.jsonl") if a.published is not None]
    found = [published_from_text(a.text, "en") for a in dated]
    assert sum(day == a.published for day, a in zip(found, dated)) >= 0.95 * len(dated)
    assert all(day in (None, a.published) for day, a in zip(found, dated))


@pytest.mark.parametrize("line", [
    "APR 28", "11 / 28 / 05", "Posted 11 / 27 / 2005 7: 21 AM", "updated 8: 41 p. m. EST, Tue March 3, 2009",
    "21 July 2013 Last updated at 11: 11 GMT", "POSTED: 1052 GMT (1852 HKT), April 10, 2007",
    "Mis à jour le 9 janvier 2018 à 10h30", "Actualizado el 9 de enero de 2018",
])
def test_timestamp_lines_are_recognised(line):
    from storyline.understand.dates import is_timestamp

    assert is_timestamp(line)


@pytest.mark.parametrize("line", [
    "Ellen DeGeneres to host 2014 Oscars", "5. 9 Earthquake Jolts Iran", "3 dead after protesters torch Greek bank",
    "May Day", "MONDAY", "",
])
def test_headlines_are_no_timestamps(line):
    from storyline.understand.dates import is_timestamp

    assert not is_timestamp(line)


def test_opening_timestamps_are_skipped_up_to_the_headline():
    from storyline.understand.dates import without_opening_timestamps

    text = "Posted 11/27/2005 7:21 AM\n\nUpdated 11/27/2005 3:41 PM\nEarthquake levels villages\nOn 27 November..."
    assert without_opening_timestamps(text) == "Earthquake levels villages\nOn 27 November..."
    assert without_opening_timestamps("Earthquake levels villages") == "Earthquake levels villages"
