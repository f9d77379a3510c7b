import numpy as np
import pytest
from thinc.api import NumpyOps

from storyline.understand.matmul import NumpyBLASOps


@pytest.mark.parametrize("trans1, trans2", [(False, False), (True, False), (False, True), (True, True)])
def test_gemm_matches_thinc_numpy_ops(trans1, trans2):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((96, 40) if trans1 else (40, 96), dtype=np.float32)
    y = rng.standard_normal((64, 96) if trans2 else (96, 64), dtype=np.float32)
    expected = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    out = np.empty((40, 64), dtype=np.float32)
    result = NumpyBLASOps().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
    assert result is out
    assert result.dtype == np.float32
    np.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(NumpyBLASOps().gemm(x, y, trans1=trans1, trans2=trans2), expected, rtol=1e-5, atol=1e-4)


def test_ner_models_load_with_numpy_blas_and_leave_the_global_ops_alone():
    from thinc.api import get_current_ops

    from storyline.understand.entities import SPACY_MODELS, _installed, _load_ner

    package = next(p for p in SPACY_MODELS["en"] if _installed(p))
    nlp = _load_ner(package)
    models = [pipe.model for _, pipe in nlp.pipeline if hasattr(pipe, "model")]  # the line-break pipe has none
    assert models and all(isinstance(model.ops, NumpyBLASOps) for model in models)
    assert not isinstance(get_current_ops(), NumpyBLASOps)
    doc = nlp("South Korean President Moon Jae-in met Kim Yo-jong in Seoul before the PyeongChang Games.")
    assert {("Moon Jae", "PERSON"), ("Kim Yo-jong", "PERSON"), ("Seoul", "GPE")} <= {
        (e.text, e.label_) for e in doc.ents}
