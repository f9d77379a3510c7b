"""A small news world for the tracker: one warehouse fire reported twice, a look-alike fire elsewhere a week
later, the first fire's follow-up a month later, and an unrelated basketball final."""

from __future__ import annotations

import datetime as dt
import re
import zlib

import numpy as np
import pytest

from storyline.config import TrackConfig
from storyline.model import Article, Entity
from storyline.track.features import FeatureExtractor

D = dt.date
FIRE_DAY = D(2024, 3, 4)  # Monday of the Millbrook warehouse fire


def embed(text: str, dims: int = 64) -> np.ndarray:
    """A deterministic stand-in for a sentence embedding: words hashed into ``dims`` buckets, unit length."""
    vector = np.zeros(dims, dtype=np.float32)
    for word in re.findall(r"\w+", text.lower()):
        vector[zlib.crc32(word.encode()) % dims] += 1.0
    return vector / np.linalg.norm(vector)


def article(id: str, published: dt.date | None, title: str, text: str, entities: list[Entity]) -> Article:
    """An understood English article, as the tracker receives it."""
    return Article(id=id, title=title, text=f"{title}\n{text}", published=published, lang="en", entities=entities,
                   embedding=embed(f"{title} {text}"))


def fire_report(published: dt.date = FIRE_DAY) -> Article:
    return article(
        "gazette-fire", published, "Fire destroys Harlow Furniture warehouse in Millbrook",
        "A fire destroyed the Harlow Furniture warehouse on Elm Street in Millbrook early on Monday. "
        "Fire chief Dana Whitfield said 40 firefighters fought the blaze for six hours and all 23 night-shift "
        "workers were evacuated unhurt. Damage was put at $2.5 million. The cause is under investigation.",
        [Entity("Harlow Furniture", "ORG", 2), Entity("Elm Street", "FAC", 1), Entity("Millbrook", "GPE", 2),
         Entity("Dana Whitfield", "PERSON", 1)],
    )


def fire_second_outlet(published: dt.date = FIRE_DAY) -> Article:
    return article(
        "courier-fire", published, "Millbrook warehouse blaze: 23 workers escape as Harlow Furniture burns",
        "Twenty-three workers escaped when fire tore through the Harlow Furniture warehouse in Millbrook on Monday "
        "morning. It took 40 firefighters six hours to bring the blaze under control, Millbrook fire chief "
        "Dana Whitfield told reporters on Elm Street. She estimated the damage at $2.5 million.",
        [Entity("Harlow Furniture", "ORG", 2), Entity("Millbrook", "GPE", 3), Entity("Dana Whitfield", "PERSON", 1),
         Entity("Elm Street", "FAC", 1)],
    )


def lookalike_fire() -> Article:
    return article(
        "herald-fire", D(2024, 3, 11), "Fire guts Kessler Logistics warehouse in Ashford",
        "A fire gutted the Kessler Logistics warehouse on Quarry Road in Ashford on Sunday night. "
        "Fire chief Marcus Ortega said 65 firefighters battled the blaze and 14 workers were evacuated; "
        "two were treated for smoke inhalation. Damage was estimated at $7 million. The cause is under investigation.",
        [Entity("Kessler Logistics", "ORG", 2), Entity("Quarry Road", "FAC", 1), Entity("Ashford", "GPE", 2),
         Entity("Marcus Ortega", "PERSON", 1)],
    )


def fire_follow_up() -> Article:
    return article(
        "gazette-arson", D(2024, 4, 5), "Man charged with arson over Harlow Furniture warehouse fire in Millbrook",
        "Police in Millbrook have charged a 31-year-old man with arson over the fire that destroyed the "
        "Harlow Furniture warehouse on Elm Street. Fire chief Dana Whitfield said investigators found that "
        "the fire had been started deliberately. Harlow Furniture said it would rebuild the warehouse.",
        [Entity("Millbrook", "GPE", 2), Entity("Harlow Furniture", "ORG", 2), Entity("Elm Street", "FAC", 1),
         Entity("Dana Whitfield", "PERSON", 1)],
    )


def basketball_final() -> Article:
    return article(
        "sport-final", D(2024, 3, 6), "Kingsport Sharks win state basketball final",
        "The Kingsport Sharks beat the Lakeview Owls 78-71 to win the state basketball championship on Wednesday. "
        "Guard Tyrese Holloway scored 31 points and coach Linda Marsh praised the defence in the fourth quarter.",
        [Entity("Kingsport Sharks", "ORG", 2), Entity("Lakeview Owls", "ORG", 1), Entity("Tyrese Holloway", "PERSON", 1),
         Entity("Linda Marsh", "PERSON", 1)],
    )


def make_world() -> list[Article]:
    """The five articles in date order: fire, same fire elsewhere reported, basketball, look-alike, follow-up."""
    return sorted([fire_report(), fire_second_outlet(), basketball_final(), lookalike_fire(), fire_follow_up()],
                  key=lambda a: a.published)


def make_fragments() -> list[Article]:
    """Five reports of one fire on one day: three early fragments that share too little to be linked
    (the fire itself, the smoke and road closure, the workers' escape), then a round-up of the last two
    and a full report of everything."""
    day = D(2024, 3, 4)
    return [
        article("wire-fire", day, "Fire breaks out at Millbrook warehouse",
                "Firefighters were called to a fire at the Harlow Furniture warehouse in Millbrook before dawn on "
                "Monday, fire chief Dana Whitfield said. 40 firefighters are at the scene.",
                [Entity("Millbrook", "GPE", 1), Entity("Harlow Furniture", "ORG", 1),
                 Entity("Dana Whitfield", "PERSON", 1)]),
        article("radio-smoke", day, "Smoke closes Elm Street, schools shut",
                "Police closed Elm Street and told residents to keep their windows shut as black smoke drifted over "
                "the east side. Two primary schools will stay closed on Tuesday, the council said.",
                [Entity("Elm Street", "FAC", 1), Entity("Millbrook Council", "ORG", 1)]),
        article("tv-workers", day, "23 night-shift workers evacuated unhurt",
                "All 23 night-shift workers were led out safely, their union said, praising the site manager "
                "Omar Reyes who raised the alarm when he saw flames in the loading bay.",
                [Entity("Omar Reyes", "PERSON", 1)]),
        article("paper-roundup", day, "Smoke over east side as 23 workers escape blaze",
                "All 23 night-shift workers escaped the blaze, and site manager Omar Reyes raised the alarm after "
                "seeing flames in the loading bay. Police closed Elm Street and told east side residents to keep "
                "windows shut against the black smoke; two primary schools stay closed on Tuesday.",
                [Entity("Omar Reyes", "PERSON", 1), Entity("Elm Street", "FAC", 1)]),
        article("gazette-full", day, "Harlow Furniture warehouse fire in Millbrook sends smoke over east side",
                "A fire at the Harlow Furniture warehouse in Millbrook drew 40 firefighters before dawn on Monday, "
                "fire chief Dana Whitfield said. Black smoke drifted over the east side and police closed Elm "
                "Street; two primary schools stay closed on Tuesday. All 23 night-shift workers escaped after site "
                "manager Omar Reyes raised the alarm.",
                [Entity("Millbrook", "GPE", 1), Entity("Harlow Furniture", "ORG", 1),
                 Entity("Dana Whitfield", "PERSON", 1), Entity("Elm Street", "FAC", 1),
                 Entity("Omar Reyes", "PERSON", 1)]),
    ]


def as_saved_whole(tracker) -> None:
    """Take away what trackers gained when their state came to be saved as records, so that pickling ``tracker``
    gives what a version before that saved (whole, with every batch)."""
    for part in (tracker.events, tracker.storylines, tracker.events.articles, tracker.storylines.active):
        for name in ("changed", "_order", "_puts"):
            part.__dict__.pop(name, None)


@pytest.fixture
def world() -> list[Article]:
    return make_world()


@pytest.fixture
def fragments() -> list[Article]:
    return make_fragments()


@pytest.fixture
def extractor() -> FeatureExtractor:
    return FeatureExtractor()


@pytest.fixture
def config() -> TrackConfig:
    return TrackConfig()
