"""thinc's CPU operations with matrix products by numpy's BLAS, for the spaCy models.

thinc multiplies matrices with blis, whose kernels are tuned per CPU family; on a CPU it has no kernel for
(AMD Zen 5, where Storyline is benchmarked) its products run at a third of the speed of numpy's OpenBLAS, which
picks its kernel at run time. The products are the same up to rounding; the named entities found are too.
"""

from __future__ import annotations

import numpy
from thinc.api import NumpyOps, registry


class NumpyBLASOps(NumpyOps):
    """:class:`thinc.api.NumpyOps` whose ``gemm`` is ``numpy.matmul``; load models under ``use_ops("numpy_blas")``."""

    name = "numpy_blas"

    def gemm(self, x, y, out=None, trans1: bool = False, trans2: bool = False):
        return numpy.matmul(x.T if trans1 else x, y.T if trans2 else y, out=out)


registry.ops.register("NumpyBLASOps", func=NumpyBLASOps)
