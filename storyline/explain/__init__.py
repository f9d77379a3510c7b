"""Explanations of events and storylines: headlines, extractive summaries, timelines and what's new."""

from storyline.explain.novelty import article_novelty, whats_new
from storyline.explain.summarize import (
    key_entities,
    outlets,
    representative_title,
    storyline_title,
    summarize_event,
    summarize_storyline,
)
from storyline.explain.timeline import build_timeline
from storyline.explain.views import EventSummary, SentenceRef, StorylineSummary, TimelineEntry

__all__ = [
    "EventSummary",
    "SentenceRef",
    "StorylineSummary",
    "TimelineEntry",
    "article_novelty",
    "build_timeline",
    "key_entities",
    "outlets",
    "representative_title",
    "storyline_title",
    "summarize_event",
    "summarize_storyline",
    "whats_new",
]
