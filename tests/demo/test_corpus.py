"""The bundled demo corpus is well formed and has the shape the demo relies on: storylines of separate events,
copies that dedup must catch, and names that recur across a storyline."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections import defaultdict
from urllib.parse import urlparse

import pytest

from storyline.config import Config
from storyline.demo import demo_path

FIELDS = {"id", "title", "text", "published", "url", "lang", "event", "storyline"}
# capitalised multi-word names ("Daniel Okafor", "Kettle Bridge"); a leading title or article is dropped
NAME = re.compile(r"\b[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)+")
LEADING_WORDS = {"The", "Mayor", "Councillor", "Chairman", "Commissioner", "Union", "Authority", "Partner"}
STOPWORDS = {"en": {"the", "and", "of"}, "fr": {"le", "la", "les", "des"}, "es": {"el", "la", "los", "del"}}


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    with demo_path().open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def shingle_jaccard(a: str, b: str, size: int) -> float:
    """Jaccard similarity of word shingles, the measure the near-duplicate stage estimates with MinHash."""
    shingles_a, shingles_b = ({tuple(w[i : i + size]) for i in range(len(w) - size + 1)} for w in (words(a), words(b)))
    return len(shingles_a & shingles_b) / len(shingles_a | shingles_b)


def names(text: str) -> set[str]:
    found = set()
    for match in NAME.findall(text):
        parts = match.removesuffix("'s").split()
        while len(parts) > 2 and parts[0] in LEADING_WORDS:
            parts = parts[1:]
        found.add(" ".join(parts))
    return found


def by(articles: list[dict], key: str) -> dict[str, list[dict]]:
    groups = defaultdict(list)
    for article in articles:
        groups[article[key]].append(article)
    return groups


def test_demo_path_points_at_the_bundled_file():
    path = demo_path()
    assert path.name == "articles.jsonl" and path.is_file()


def test_every_article_is_complete_and_well_formed(articles):
    assert 40 <= len(articles) <= 50
    for article in articles:
        assert set(article) == FIELDS, article["id"]
        for field in FIELDS:
            assert isinstance(article[field], str) and article[field].strip(), f"{article['id']}: empty {field}"
        assert article["text"].split("\n", 1)[0] == article["title"], f"{article['id']}: headline is not line one"
        assert 80 <= len(article["text"].split()) <= 220, article["id"]
        assert dt.date(2024, 1, 1) <= dt.date.fromisoformat(article["published"]) <= dt.date(2025, 12, 31)
        url = urlparse(article["url"])
        assert url.scheme == "https" and "." in url.netloc and url.path.startswith("/"), article["id"]
        language_words = set(words(article["text"]))
        assert STOPWORDS[article["lang"]] & language_words, f"{article['id']}: does not read as {article['lang']}"


def test_ids_and_urls_are_unique_and_outlets_varied(articles):
    assert len({a["id"] for a in articles}) == len(articles)
    assert len({a["url"] for a in articles}) == len(articles)
    assert 8 <= len({urlparse(a["url"]).netloc for a in articles}) <= 10


def test_storylines_hold_several_separate_events(articles):
    storylines = by(articles, "storyline")
    assert 5 <= len(storylines) <= 6
    for storyline, members in storylines.items():
        events = by(members, "event")
        assert 2 <= len(events) <= 4, storyline
        spans = sorted(
            (min(dates), max(dates))
            for dates in ([dt.date.fromisoformat(a["published"]) for a in group] for group in events.values())
        )
        for first, last in spans:
            assert (last - first).days <= 7, f"{storyline}: an event spans {first}..{last}"
        for (_, earlier_end), (later_start, _) in itertools.pairwise(spans):
            assert earlier_end < later_start, f"{storyline}: events overlap in time"
    for event, members in by(articles, "event").items():
        assert len({a["storyline"] for a in members}) == 1, f"{event} is in two storylines"
        assert 1 <= len({urlparse(a["url"]).netloc for a in members}) <= 4, event


def test_non_english_articles_belong_to_english_storylines(articles):
    assert {a["lang"] for a in articles} == {"en", "fr", "es"}
    for storyline, members in by(articles, "storyline").items():
        languages = [a["lang"] for a in members]
        if set(languages) != {"en"}:
            assert languages.count("en") >= len(languages) / 2, storyline


def test_only_the_planted_copies_are_near_duplicates(articles):
    dedup = Config().dedup
    copies = {}
    for a, b in itertools.combinations(articles, 2):
        similarity = shingle_jaccard(a["text"], b["text"], dedup.shingle_words)
        if similarity >= dedup.near_threshold:
            copies[(a["id"], b["id"])] = similarity
            assert a["event"] == b["event"] and urlparse(a["url"]).netloc != urlparse(b["url"]).netloc
        elif a["event"] == b["event"]:
            shared = set(words(a["text"])) & set(words(b["text"]))
            assert len(shared) / len(set(words(a["text"])) | set(words(b["text"]))) < 0.5, (a["id"], b["id"])
    assert set(copies) == {("demo-001", "demo-002"), ("demo-007", "demo-008"), ("demo-037", "demo-039")}
    exact = [pair for pair, similarity in copies.items() if similarity == 1.0]
    assert exact == [("demo-037", "demo-039")]
    assert {a["id"]: a["text"] for a in articles}["demo-037"] == {a["id"]: a["text"] for a in articles}["demo-039"]


def test_names_recur_across_a_storylines_events_and_nowhere_else(articles):
    storylines = by(articles, "storyline")
    event_texts = {
        storyline: ["\n".join(a["text"] for a in group) for group in by(members, "event").values()]
        for storyline, members in storylines.items()
    }
    for storyline, texts in event_texts.items():
        recurring = {name for name in set().union(*map(names, texts)) if all(name in text for text in texts)}
        people = {name for name in recurring if len(name.split()) == 2}
        assert people, f"{storyline}: no name recurs in all its events"
        elsewhere = "\n".join(t for other, others in event_texts.items() if other != storyline for t in others)
        assert not {name for name in recurring if name in elsewhere}, storyline
        # full name first, surname alone later ("Mayor Ana Ruiz" ... "Ruiz said")
        assert any(
            re.search(rf"(?<!{first} )\b{last}\b(?!'|\s+[A-Z])", text)
            for first, last in (name.split() for name in people)
            for text in texts
        ), f"{storyline}: nobody is referred to by surname alone"


def test_texts_mention_relative_and_absolute_dates(articles):
    texts = [a["text"] for a in articles if a["lang"] == "en"]
    weekday = re.compile(r"\b(?:on|last|next) (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
    day_month = re.compile(r"\b(?:on|from) \d{1,2} (?:January|February|March|April|May|June|July|August|"
                           r"September|October|November|December)\b")
    assert sum(bool(weekday.search(t)) for t in texts) >= len(texts) / 2
    assert sum(bool(day_month.search(t)) for t in texts) >= 3
    assert any("last Tuesday" in t for t in texts)
