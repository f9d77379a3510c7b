"""Sentence splitting, stop words and content-word tokens per language, with nothing fetched at run time.

The splitter is a fast regex one: each line is a paragraph (so a headline line is its own sentence) and a
line is cut after ``.``, ``!``, ``?`` or ``…`` when the next word starts a sentence, unless the word before
the stop is a known abbreviation of the language or an initial.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from dataclasses import dataclass

ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep rev st jr sr mt ft inc ltd corp co "
        "vs etc vol fig jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e approx est".split()
    ),
    "es": frozenset(
        "sr sra sres srta dr dra lic ing prof gral gen cnel tte sto sta av avda etc pág núm vol fig ej "
        "ee.uu eeuu uu ud uds vd vds dña d admón depto cía art aprox ene feb mar abr may jun jul ago sep sept "
        "oct nov dic".split()
    ),
    "fr": frozenset(
        "m mm mme mmes mlle mlles dr pr me mgr st ste gén col lt cdt etc av bd boul p pp vol fig cf env "
        "janv févr avr juil sept oct nov déc art chap éd réf".split()
    ),
}
"""Lower-cased abbreviations (without their final dot) after which a dot does not end a sentence."""

CAPITALS = "".join(chr(code) for code in range(0x500) if chr(code).isupper())  # Latin, Greek, Cyrillic capitals
_SENTENCE_END = re.compile(r"""([.!?…]+)(["'”’»)\]]*)(\s+)(?=["'“‘«(\[¿¡]?\s?\w)""")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*")


@dataclass(frozen=True)
class Span:
    """A sentence and where it lies in the text it was cut from (``text == source[start:end]``)."""

    text: str
    start: int
    end: int


def split_sentences(text: str, lang: str | None = None) -> list[Span]:
    """Cut ``text`` into sentences with their character offsets; blank lines and whitespace are dropped."""
    abbreviations = ABBREVIATIONS.get(_base_lang(lang), frozenset()) | ABBREVIATIONS["en"]
    spans: list[Span] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for stop in _SENTENCE_END.finditer(line.group()):
            if line.group()[stop.end() :].lstrip("\"'“‘«([¿¡")[:1].islower():
                continue  # "approx. five", "etc. and"
            if _is_abbreviation(line.group()[: stop.start()], stop.group(1), abbreviations):
                continue
            _append_stripped(spans, text, start, line.start() + stop.start(3))
            start = line.start() + stop.end()
        _append_stripped(spans, text, start, line.end())
    return spans


@lru_cache(maxsize=64)
def stopwords(lang: str | None) -> frozenset[str]:
    """spaCy's bundled stop-word list for ``lang`` (e.g. "en", "es", "fr"); empty for unknown languages.

    Memoised: the lists are constants of the installed spaCy, and tokenizing calls this per sentence.
    """
    code = _base_lang(lang)
    if not code.isalpha():
        return frozenset()
    # load only the list's own file: importing the ``spacy`` package itself takes seconds
    spacy_spec = importlib.util.find_spec("spacy")
    if spacy_spec is None or not spacy_spec.submodule_search_locations:
        return frozenset()
    path = Path(spacy_spec.submodule_search_locations[0]) / "lang" / code / "stop_words.py"
    if not path.is_file():
        return frozenset()
    namespace: dict = {}
    try:
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    except Exception:  # a list that is not plain data: degrade to no stop words rather than fail
        return frozenset()
    return frozenset(word.lower() for word in namespace.get("STOP_WORDS", ()))


def tokenize(text: str, lang: str | None = None, stop_words: frozenset[str] | None = None) -> list[str]:
    """Lower-cased content words of ``text``: word tokens other than stop words, single letters and short numbers.

    Pass ``stop_words`` to reuse a list already loaded; otherwise the list of ``lang`` is used.
    """
    ignore = stopwords(lang) if stop_words is None else stop_words
    words = []
    for word in _TOKEN.findall(text):
        token = word.lower().replace("’", "'")
        # French and Italian elisions: "l'armée" -> "armée"
        if "'" in token and len(token.split("'", 1)[0]) <= 2:
            token = token.split("'", 1)[1]
        is_acronym = word.isupper() and len(word) >= 2  # "US" is a country, "us" a stop word
        is_number = token.isdigit()
        if (token not in ignore or is_acronym) and (len(token) >= 4 if is_number else len(token) > 1):
            words.append(token)
    return words


def _base_lang(lang: str | None) -> str:
    return (lang or "").lower().split("-")[0].split("_")[0]


def _is_abbreviation(before: str, mark: str, abbreviations: frozenset[str]) -> bool:
    """Whether the dot ending ``before`` belongs to an abbreviation or an initial ("J. Smith", "EE.UU.")."""
    if mark != ".":
        return False
    word = _WORD_BEFORE.search(before)
    if not word:
        return False
    token = word.group(1).lower().strip(".")
    return token in abbreviations or (len(token) == 1 and token.isalpha()) or ("." in token and len(token) <= 6)


def _append_stripped(spans: list[Span], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + (len(piece) - len(piece.lstrip()))
        spans.append(Span(stripped, offset, offset + len(stripped)))
