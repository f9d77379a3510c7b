"""Storyline: turn streams and archives of news articles into events, storylines and timelines."""

from storyline.config import FAST, Config
from storyline.engine import IngestReport, Storyline, StrictModeError
from storyline.model import Article, Entity, Event, InputError
from storyline.model import Storyline as StorylineRecord

__all__ = ["FAST", "Article", "Config", "Entity", "Event", "IngestReport", "InputError", "Storyline",
           "StorylineRecord", "StrictModeError"]
__version__ = "0.1.0"
