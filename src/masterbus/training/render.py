"""Rendering a question's clips with the engine's own filters, compressor and meter.

Every clip is level-matched to ``TRAINING_LOUDNESS_LUFS`` by the BS.1770 meter (``engine.meter``)
so loudness gives nothing away; the level exercise alone offsets B by the asked difference. If
any clip would peak above -1 dBFS, all clips of the question move down together (still matched).
"""

from __future__ import annotations

import math

import numpy as np
from django.conf import settings

from masterbus.engine import filters
from masterbus.engine.kernels import biquads, dynamics
from masterbus.engine.meter import Loudness
from masterbus.training.models import Kind

PEAK_LIMIT = 10 ** (-1.0 / 20)
ATTACK_S, RELEASE_S = 0.005, 0.08  # a fast compressor: its effect is audible on short clips
CROSSOVERS_HZ = (120.0, 2500.0)


def _fs() -> int:
    return settings.TRAINING_SAMPLE_RATE


def _filter(x: np.ndarray, sos: np.ndarray) -> np.ndarray:
    bank = np.ascontiguousarray(np.stack([filters.pad_even(sos)] * x.shape[0]))
    y = np.empty_like(x)
    biquads.sos_filter(np.ascontiguousarray(x), bank, y)
    return y


def peaking(x: np.ndarray, hz: float, gain_db: float, q: float) -> np.ndarray:
    return _filter(x, filters.peaking(float(_fs()), hz, gain_db, q))


def _band_levels_db(x: np.ndarray) -> np.ndarray:
    """Power (dB) of the compressor's three bands, as its detector measures them."""
    fs = float(_fs())
    low = _filter(x, filters.lr4(fs, CROSSOVERS_HZ[0], high=False))
    high = _filter(x, filters.lr4(fs, CROSSOVERS_HZ[1], high=True))
    bands = (low, x - low - high, high)
    return np.array([10 * math.log10(float(np.mean(b**2)) + 1e-20) for b in bands])


def compress(x: np.ndarray, ratio: float, depth_db: float) -> np.ndarray:
    """The engine's three-band compressor with one ratio, thresholds ``depth_db`` under each
    band's mean power: broadband-like compression without pumping one band against another."""
    fs = _fs()
    nch = x.shape[0]
    levels = _band_levels_db(x)
    thresh = np.ascontiguousarray(np.tile(levels - depth_db, (nch, 1)))
    ratios = np.full((nch, 3), ratio)
    attack = np.full(3, math.exp(-1 / (ATTACK_S * fs)))
    release = np.full(3, math.exp(-1 / (RELEASE_S * fs)))
    # warm up on the clip itself so the first transient is held like the rest
    x = np.ascontiguousarray(np.concatenate([x, x], axis=1))
    y = np.empty_like(x)
    dynamics.multiband_compress(
        x,
        filters.lr4(fs, CROSSOVERS_HZ[0], high=False),
        filters.lr4(fs, CROSSOVERS_HZ[1], high=True),
        thresh,
        ratios,
        attack,
        release,
        np.ones((nch, 3)),
        32,
        y,
        dynamics.multiband_state(nch),
    )
    return np.ascontiguousarray(y[:, y.shape[1] // 2 :])


def widen(x: np.ndarray, percent: float) -> np.ndarray:
    mid, side = (x[0] + x[1]) / 2, (x[0] - x[1]) / 2 * (percent / 100)
    return np.stack([mid + side, mid - side])


def loudness(x: np.ndarray) -> float | None:
    return Loudness.of(np.ascontiguousarray(x, dtype=np.float32), _fs()).integrated()


def _match(clips: list[np.ndarray], offsets_db: list[float]) -> list[np.ndarray]:
    target = float(settings.TRAINING_LOUDNESS_LUFS)
    out = []
    for clip, offset in zip(clips, offsets_db, strict=True):
        measured = loudness(clip)
        gain = 1.0 if measured is None else 10 ** ((target + offset - measured) / 20)
        out.append(clip * gain)
    peak = max(float(np.max(np.abs(c))) for c in out)
    if peak > PEAK_LIMIT:
        out = [c * (PEAK_LIMIT / peak) for c in out]
    return out


def render(kind: str, params: dict, source: np.ndarray) -> list[np.ndarray]:
    """The question's clips in the order of its labels, level-matched."""
    offsets = [0.0, 0.0]
    if kind == Kind.FREQUENCY:
        changed = peaking(source, params["band_hz"], params["gain_db"], params["q"])
        if "decoy_hz" in params:
            changed = peaking(changed, params["decoy_hz"], -params["gain_db"], params["q"])
        clips = [source, changed]
    elif kind == Kind.MATCH_EQ:  # target first; "yours" is the source, equalised in the browser
        clips = [peaking(source, params["band_hz"], params["gain_db"], params["q"]), source]
    elif kind == Kind.LEVEL:
        clips = [source, source.copy()]
        offsets = [0.0, params["delta_db"]]
    elif kind == Kind.WIDTH:
        clips = [source, widen(source, params["width_percent"])]
    else:
        squeezed = compress(source, params["ratio"], params["depth_db"])
        clips = [squeezed, source] if params["clip"] == "A" else [source, squeezed]
    return _match(clips, offsets)
