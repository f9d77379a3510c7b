"""The track stage: online event clustering and storyline linking."""

from storyline.track.tracker import TrackChanges, Tracker

__all__ = ["TrackChanges", "Tracker"]
