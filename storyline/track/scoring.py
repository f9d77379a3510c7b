"""How the similarity signals combine into one score, per level (event or storyline)."""

from __future__ import annotations

from dataclasses import dataclass

from storyline.track.features import Similarity


@dataclass(frozen=True)
class Weights:
    """Linear weights of the signals; the time gap costs ``gap`` per window length."""

    terms: float
    entities: float
    dense: float
    gap: float
    dense_floor: float = 0.5  # static embeddings of any two news texts sit above this: only the excess counts

    def score(self, sim: Similarity, window_days: int) -> float | None:
        """Combined score, or ``None`` when the gap is beyond the window (never a candidate)."""
        if sim.gap_days is not None and sim.gap_days > window_days:
            return None
        s = self.terms * sim.terms + self.entities * sim.entities
        if sim.dense is not None:
            s += self.dense * max(sim.dense - self.dense_floor, 0.0) / (1.0 - self.dense_floor)
        if sim.gap_days is not None:
            s -= self.gap * sim.gap_days / window_days
        return s
