"""A small realistic news world: three storylines in two languages, with a duplicate and an undated article."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from storyline.model import Article, Entity, Event, Storyline
from storyline.store import SQLiteStore

D = dt.date


def make_articles() -> list[Article]:
    """Six articles: Korea/Olympics (with a wire copy), Paris floods in French, a Chicago shooting (one undated)."""
    talks = Article(
        id="kr-talks",
        title="North Korea to send team to Olympics in South Korea in breakthrough",
        text=(
            "North Korea to send team to Olympics in South Korea in breakthrough\n"
            "North Korea will send athletes, cheerleaders and a high-level delegation to the Winter Olympics in "
            "PyeongChang, officials said after the first inter-Korean talks in two years at the border village "
            "of Panmunjom on Tuesday."
        ),
        published=D(2018, 1, 9),
        url="https://example.com/world/asia/kr-talks",
        lang="en",
        source="example.com",
        metadata={"section": "Asia", "authors": ["Hyonhee Shin"], "paywall": False},
        origin="feeds/asia.jsonl:1",
        content_hash="h-talks",
        entities=[
            Entity("North Korea", "GPE", 3),
            Entity("South Korea", "GPE", 1),
            Entity("PyeongChang", "GPE", 1),
            Entity("Panmunjom", "GPE", 1),
        ],
        mentioned_dates=[D(2018, 1, 9), D(2018, 2, 9)],
        embedding=np.linspace(-1, 1, 8, dtype=np.float32),
        event_id="ev-talks",
        storyline_id="sl-korea",
    )
    wire_copy = Article(
        id="kr-talks-copy",
        title="North Korea to send team to Olympics in South Korea",
        text=talks.text.replace(" in breakthrough", ""),
        published=D(2018, 1, 9),
        url="https://mirror.example.org/kr-talks",
        lang="en",
        source="mirror.example.org",
        origin="feeds/mirror.jsonl:7",
        content_hash="h-talks-copy",
        entities=[Entity("North Korea", "GPE", 2), Entity("South Korea", "GPE", 1)],
        duplicate_of="kr-talks",
        event_id="ev-talks",
        storyline_id="sl-korea",
    )
    closing = Article(
        id="kr-closing",
        title="North Korea willing to hold talks with US",
        text=(
            "North Korea willing to hold talks with US\n"
            "North Korea is willing to hold talks with the US, Pyongyang's delegate to the Winter Olympics has said. "
            "General Kim Yong-chol and South Korean President Moon Jae-in met ahead of the closing ceremony; "
            "leader Kim Jong-un had \"ample intentions of holding talks\", Mr Moon's office said.\n"
            "Sign up for our morning newsletter"
        ),
        boilerplate_lines=[2],
        published=D(2018, 2, 25),
        lang="en",
        source="bbc.co.uk",
        entities=[
            Entity("North Korea", "GPE", 2),
            Entity("Kim Jong-un", "PERSON", 1),
            Entity("Kim Jong Un", "PERSON", 1),
            Entity("Moon Jae-in", "PERSON", 2),
            Entity("US", "GPE", 2),
        ],
        embedding=np.ones(8, dtype=np.float32),
        event_id="ev-closing",
        storyline_id="sl-korea",
    )
    seine = Article(
        id="fr-seine",
        title="La Seine en crue à Paris, les quais fermés",
        text=(
            "La Seine en crue à Paris, les quais fermés\n"
            "Le niveau de la Seine a atteint 5,84 mètres dimanche à Paris, selon Vigicrues. "
            "La préfecture de police a fermé les voies sur berge et le RER C est interrompu."
        ),
        published=D(2018, 1, 28),
        lang="fr",
        source="lemonde.fr",
        entities=[Entity("Seine", "LOC", 2), Entity("Paris", "GPE", 2), Entity("Vigicrues", "ORG", 1)],
        event_id="ev-seine",
        storyline_id="sl-seine",
    )
    shooting = Article(
        id="us-shooting",
        title="Two men shot on Chicago's South Side",
        text=(
            "Two men shot on Chicago's South Side\n"
            "Two men were wounded in a shooting in the Englewood neighborhood on Monday night, Chicago police said. "
            "No one was in custody."
        ),
        published=D(2016, 5, 2),
        lang="en",
        source="chicagotribune.com",
        entities=[Entity("Chicago", "GPE", 2), Entity("Englewood", "LOC", 1)],
        event_id="ev-shooting",
        storyline_id="sl-chicago",
    )
    follow_up = Article(
        id="us-shooting-arrest",
        title="Police arrest suspect in Englewood shooting",
        text=(
            "Police arrest suspect in Englewood shooting\n"
            "A 19-year-old man was charged on Tuesday, May 3, 2016 with the shooting of two men in Englewood, "
            "Chicago police said."
        ),
        published=None,
        lang="en",
        entities=[Entity("Englewood", "LOC", 2), Entity("Chicago", "GPE", 1)],
        mentioned_dates=[D(2016, 5, 3)],
        event_id="ev-shooting",
        storyline_id="sl-chicago",
    )
    # ingest order differs from date order on purpose
    return [follow_up, shooting, closing, talks, wire_copy, seine]


def make_events() -> list[Event]:
    """The events the articles point to."""
    return [
        Event("ev-talks", "sl-korea", "North Korea to join the Winter Olympics", D(2018, 1, 9), D(2018, 1, 9), 2),
        Event("ev-closing", "sl-korea", "North Korea willing to talk to the US", D(2018, 2, 25), D(2018, 2, 25), 1),
        Event("ev-seine", "sl-seine", "La Seine en crue", D(2018, 1, 28), D(2018, 1, 28), 1),
        Event("ev-shooting", "sl-chicago", "Englewood shooting", D(2016, 5, 2), D(2016, 5, 3), 2),
    ]


def make_storylines() -> list[Storyline]:
    """The storylines the events belong to, plus one not yet dated."""
    return [
        Storyline("sl-korea", "North Korea and the PyeongChang Olympics", D(2018, 1, 9), D(2018, 2, 25), 2, 3,
                  ["North Korea", "South Korea", "Moon Jae-in"]),
        Storyline("sl-seine", "Crue de la Seine", D(2018, 1, 28), D(2018, 1, 28), 1, 1, ["Seine", "Paris"]),
        Storyline("sl-chicago", "Chicago gun violence", D(2016, 5, 2), D(2016, 5, 3), 1, 2, ["Chicago"]),
        Storyline("sl-undated", "Undated storyline", None, None, 0, 0, []),
    ]


@pytest.fixture
def articles() -> list[Article]:
    return make_articles()


@pytest.fixture
def events() -> list[Event]:
    return make_events()


@pytest.fixture
def storylines() -> list[Storyline]:
    return make_storylines()


@pytest.fixture
def store(tmp_path):
    """An empty store in a file."""
    with SQLiteStore(tmp_path / "store.db") as opened:
        yield opened


@pytest.fixture
def filled(store):
    """A store holding the articles, events and storylines above."""
    with store.transaction():
        store.add_articles(make_articles(), minhashes={"kr-talks": b"\x01\x02", "us-shooting": b"\x03\x04"})
        store.save_events(make_events())
        store.save_storylines(make_storylines())
    return store
