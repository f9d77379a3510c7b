"""Dates in news text: the dateline under a headline, and the days an article mentions.

Regex-based and fast (dateparser.search is orders of magnitude slower). English, Spanish and French.
Only day-precise dates are returned: month-only expressions ("in January", "last month") are skipped,
because mapping them to a day would invent precision that event time distances then trust.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

LANGUAGES = ("en", "es", "fr")

MONTHS: dict[str, dict[str, int]] = {
    "en": {
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
        "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
        "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    },
    "es": {
        "enero": 1, "ene": 1, "febrero": 2, "feb": 2, "marzo": 3, "abril": 4, "abr": 4, "mayo": 5,
        "junio": 6, "jun": 6, "julio": 7, "jul": 7, "agosto": 8, "ago": 8, "septiembre": 9, "setiembre": 9,
        "sept": 9, "sep": 9, "octubre": 10, "oct": 10, "noviembre": 11, "nov": 11, "diciembre": 12, "dic": 12,
    },
    "fr": {
        "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fév": 2, "mars": 3, "avril": 4,
        "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9,
        "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "décembre": 12, "decembre": 12,
        "déc": 12, "dec": 12,
    },
}

WEEKDAYS: dict[str, dict[str, int]] = {
    "en": {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6},
    "es": {"lunes": 0, "martes": 1, "miércoles": 2, "miercoles": 2, "jueves": 3, "viernes": 4,
           "sábado": 5, "sabado": 5, "domingo": 6},
    "fr": {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6},
}

# Month and weekday names: words of a date, not names to show among a storyline's people and places
CALENDAR_WORDS = frozenset(w for names in (*MONTHS.values(), *WEEKDAYS.values()) for w in names)

# Days relative to the reference date. Spanish "mañana" is left out: it mostly means "morning".
RELATIVE_DAYS: dict[str, dict[str, int]] = {
    "en": {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1},
    "es": {"hoy": 0, "ayer": -1, "anteayer": -2, "antier": -2},
    "fr": {"aujourd'hui": 0, "aujourd’hui": 0, "hier": -1, "avant-hier": -2, "demain": 1},
}

YEARLESS_MAX_DAYS_AHEAD = 62  # a year-less date further than this after the reference is from the year before
DATELINE_CHARS = 300  # published_from_text looks this far into the text


@dataclass(frozen=True)
class DateMention:
    """A day mentioned in a text, with the character span of the expression that names it."""

    date: dt.date
    start: int
    end: int
    text: str


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _starting_with(first: str, pattern: str) -> str:
    """``pattern`` behind a lookahead for the characters a match can start with: ``re`` then rejects most
    positions of a text at once, instead of trying every alternative (same matches, two to three times faster)."""
    return f"(?=[{first}])(?:{pattern})"


def _initials(words) -> str:
    """The first characters of ``words``, escaped for a regex class."""
    return "".join(sorted({re.escape(w[0]) for w in words}))


class _Patterns:
    """Compiled regexes for one set of languages."""

    def __init__(self, languages: tuple[str, ...]):
        self.months = {k: v for lang in languages for k, v in MONTHS[lang].items()}
        self.weekdays = {k: v for lang in languages for k, v in WEEKDAYS[lang].items()}
        self.relative = {k: v for lang in languages for k, v in RELATIVE_DAYS[lang].items()}
        month = rf"(?P<month>{_alternation(self.months)})\.?"
        day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º|°)?"
        year = r"(?P<year>(?:19|20)\d\d)"
        self.absolute = re.compile(
            _starting_with(r"\d" + _initials(self.months), "|".join(
                [
                    r"\b(?P<iso>(?:19|20)\d\d\s?-\s?[01]\d\s?-\s?[0-3]\d)\b",
                    r"\b(?P<numeric>[0-3]?\d\s*/\s*[0-3]?\d\s*/\s*(?:19|20)\d\d)\b",
                    # 9 January 2018 · 9 de enero de 2018 · le 1er janvier
                    rf"\b{day}\s+(?:de\s+)?{month}(?:,?\s+(?:de\s+|del\s+)?{year})?\b".replace("?P<", "?P<a_"),
                    # January 9, 2018 · May 03, 2013
                    rf"\b{month}\s+{day}(?:,?\s+{year})?\b".replace("?P<", "?P<b_"),
                ]
            )),
            re.IGNORECASE,
        )
        self.relative_word = re.compile(
            _starting_with(_initials([*self.weekdays, *self.relative]),
                           rf"(?<![\w-])(?:(?P<weekday>{_alternation(self.weekdays)})"
                           rf"|(?P<relative>{_alternation(self.relative)}))(?![\w-])"),
            re.IGNORECASE,
        )


_PATTERNS = {lang: _Patterns((lang,)) for lang in LANGUAGES} | {None: _Patterns(LANGUAGES)}


def _full_year(month: int, day: int, reference: dt.date | None) -> int | None:
    """The year of a year-less date: the reference's, or the one before if that lands well after it."""
    if reference is None:
        return None
    try:
        candidate = dt.date(reference.year, month, day)
    except ValueError:
        return None
    too_far = (candidate - reference).days > YEARLESS_MAX_DAYS_AHEAD
    return reference.year - 1 if too_far else reference.year


def _numeric_date(text: str, lang: str | None) -> dt.date | None:
    """05/02/2013: month first in English, day first elsewhere; unknown language only if unambiguous."""
    first, second, year = (int(part) for part in re.split(r"\s*/\s*", text))
    if lang == "en" or (lang is None and second > 12):
        month, day = first, second
    elif lang is not None or first > 12:
        day, month = first, second
    else:
        return None
    return _safe_date(year, month, day)


def _safe_date(year: int | None, month: int, day: int) -> dt.date | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _absolute_date(match: re.Match, patterns: _Patterns, reference: dt.date | None, lang: str | None):
    groups = match.groupdict()
    if groups["iso"]:
        return _safe_date(*(int(part) for part in groups["iso"].split("-")))  # int() ignores the spaces
    if groups["numeric"]:
        return _numeric_date(groups["numeric"], lang)
    prefix = "a_" if groups["a_month"] else "b_"
    month = patterns.months[groups[prefix + "month"].lower()]
    day = int(groups[prefix + "day"])
    year = int(groups[prefix + "year"]) if groups[prefix + "year"] else _full_year(month, day, reference)
    return _safe_date(year, month, day)


def mentioned_dates(text: str, reference: dt.date | None = None, lang: str | None = None) -> list[DateMention]:
    """Days named in ``text``, in order of appearance; relative ones ("on Saturday", "ayer") need ``reference``.

    A weekday alone means the most recent such day on or before the reference (news reports "said on
    Monday" on Monday). A year-less date takes the reference's year, or the previous year if that would
    put it more than two months after the reference. Without a reference only dates with a year are returned.
    """
    patterns = _PATTERNS.get(lang, _PATTERNS[None])
    mentions: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for match in patterns.absolute.finditer(text):
        taken.append(match.span())
        date = _absolute_date(match, patterns, reference, lang)
        if date is not None:
            mentions.append(DateMention(date, match.start(), match.end(), match.group()))
    if reference is not None:
        starts = {start for start, _ in taken}
        for match in patterns.relative_word.finditer(text):
            if any(start <= match.start() < end for start, end in taken):
                continue
            if match.group("weekday"):
                # "Tuesday, January 9" is dated by the absolute date that follows
                if any(match.end() <= start <= match.end() + 3 for start in starts):
                    continue
                back = (reference.weekday() - patterns.weekdays[match.group("weekday").lower()]) % 7
                date = reference - dt.timedelta(days=back)
            else:
                date = reference + dt.timedelta(days=patterns.relative[match.group("relative").lower()])
            mentions.append(DateMention(date, match.start(), match.end(), match.group()))
    return sorted(mentions, key=lambda mention: mention.start)


# Words a timestamp line carries besides dates and times: "Posted 11/27/2005 7:21 AM ET", "Last updated at 11:11 GMT",
# "Mis à jour le 9 janvier", "Actualizado el 9 de enero", ordinal endings, weekday abbreviations, time zones.
STAMP_WORDS = frozenset(
    {w for lang in LANGUAGES for w in (*MONTHS[lang], *WEEKDAYS[lang])}
    | {"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "st", "nd", "rd", "th", "er"}
    | {"posted", "updated", "last", "published", "article", "date", "time", "at", "on", "by", "and", "of", "am", "pm",
       "a", "p", "m", "h", "hrs", "gmt", "utc", "bst", "cet", "cest", "est", "edt", "et", "cst", "cdt", "mst", "mdt",
       "pst", "pdt", "ist", "hkt", "jst", "aest", "aedt", "mis", "jour", "le", "à", "publié", "actualizado", "publicado",
       "el", "de", "del", "las"}
)
_LETTERS = re.compile(r"[^\W\d_]+")
TIMESTAMP_MAX_CHARS = 80


def is_timestamp(line: str) -> bool:
    """Whether a line only stamps a date or time ("APR 28", "Posted 11 / 27 / 2005 7: 21 AM"): scraped text often
    opens with one, and it is no headline."""
    line = line.strip()
    if len(line) > TIMESTAMP_MAX_CHARS or not any(c.isdigit() for c in line):
        return False
    return all(word in STAMP_WORDS for word in _LETTERS.findall(line.casefold()))


def without_opening_timestamps(text: str) -> str:
    """The text from its first line that is not blank or a timestamp on."""
    start = 0
    for line in text.split("\n"):
        if line.strip() and not is_timestamp(line):
            break
        start += len(line) + 1
    return text[start:]


def published_from_text(text: str, lang: str | None = None) -> dt.date | None:
    """The dateline near the top of an article ("May 03, 2013"), if it gives a full date with a year."""
    mentions = mentioned_dates(text[:DATELINE_CHARS], reference=None, lang=lang)
    return mentions[0].date if mentions else None
