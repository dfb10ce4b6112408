"""Per-sample loops compiled by numba. Audio is (channels, frames) float32, C-contiguous.

Filter state lives in local variables (six times faster than state arrays), cascades run two
sections per pass, and channels run in parallel. ``cache=True`` keeps compiled code on disk,
keyed by each module's file; the set-up step warms the cache of every kernel below
(``python -m masterbus.engine.warmup``).

- ``biquads``: SOS filters (with and without carried state) and K-weighted power;
- ``measures``: the oversampled true-peak scan and per-block statistics;
- ``limiting``: the look-ahead limiter's gain curve and the loudness sums after a curve;
- ``dynamics``: the three-band mid/side compressor;
- ``dither``: TPDF quantisation for 16/24-bit output.

This package's own namespace holds only constants, so importing it does not load numba.
"""

BLOCK = 2048  # samples per work item in the oversampling kernel; keeps buffers in L1/L2
