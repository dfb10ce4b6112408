"""Loading numba's machinery once per process, without what the kernels never use."""

from __future__ import annotations

import sys
import types

import numpy as np

from masterbus.engine.kernels import measures

_BLAS_PROBE = "scipy.linalg.cython_blas"


def prime() -> None:
    """Load numba's machinery, which the first kernel call of a process pays (~0.3 s).

    That first call registers numba's NumPy support, whose BLAS probe imports scipy.linalg
    (~0.2 s and ~25 MB on a cold start) though no kernel here uses BLAS. While priming, a
    placeholder stands in for the module the probe imports, and it is removed right after, so
    anything that really needs BLAS later imports the real one (numba probes again then).
    """
    placeholder = None
    if "scipy.linalg" not in sys.modules and _BLAS_PROBE not in sys.modules:
        placeholder = types.ModuleType(_BLAS_PROBE)
        sys.modules[_BLAS_PROBE] = placeholder
    try:
        one = np.ones(1, dtype=np.float32)
        measures.block_max_product(one, one, 1)
    finally:
        if placeholder is not None and sys.modules.get(_BLAS_PROBE) is placeholder:
            del sys.modules[_BLAS_PROBE]
