"""Reference matching: a smooth, bounded, high-resolution EQ toward a reference's tonal balance.

The style EQ (``eq.fit``: eight octave-wide filters capped at +/-6 dB) cannot follow a reference
far from the mix. Here the long-term mid and side spectra of mix and reference (the analysis'
1/3-octave band levels, the same measurement for both) are compared, and the difference becomes
a curve on a 1/24-octave grid, smoothed to about 1/6 octave, bounded per frequency by limits that
grow with ``amount`` (generous in the mids, tight at the ends of the spectrum), and never a boost
where the mix has no energy of its own; a gap wider than the bounds is met by cutting one end
as well as boosting the other (the level is free: loudness is set later). A few refinement
passes make each 1/3-octave band's average gain hit its target despite the smoothing.

Compression and limiting change the tone again (a loud master loses bass and gains width:
its peaks are kick and bass), so in the chain the EQ is designed twice more against that change
as measured on a ~20 s excerpt (``chain_effect``); bench/reference_bench.py measures the result
(1/3-octave shape distance to the reference 0.2-0.5 dB, Matchering 1.0-1.2 dB, on three pairs).

The curve is realised as a minimum-phase FIR (frequency sampling, homomorphic minimum phase)
applied by FFT overlap-add convolution. Chosen over a denser parametric fit by measurement: an
FIR follows any smooth curve exactly where a fit of fixed filters leaves a residual, and it costs
less (4-minute stereo track: 0.26 s CPU for the 8192-tap FIR, 0.62 s for a cascade of 30
biquads per channel). Minimum rather than linear phase: the same magnitude (so the same
distance), but no latency to compensate block by block and no pre-ringing before transients.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import scipy.fft

from masterbus.engine.kernels import biquads, limiting
from masterbus.engine.limiter import TruePeakLimiter
from masterbus.engine.meter import k_weighted_power, spectrum
from masterbus.engine.settings import MasterSettings

GRID_PER_OCTAVE = 24
GRID_LO_HZ, GRID_HI_HZ = 20.0, 20000.0
SMOOTH_OCTAVES = 1 / 6  # full width at half maximum of the Gaussian smoothing, in octaves
REFINE_PASSES = 4
REFINE_MAX_DB = 1.0
OFFSET_MAX_DB = 16.0
CORE_HZ = (200.0, 5000.0)  # the region whose average level is taken as "the level" of a spectrum
# Largest move at amount 100, {Hz: dB}, log-interpolated: generous in the mids, tight at the
# ends of the spectrum where a boost mostly raises rumble, noise and hiss.
LIMIT_DB = {20: 4.0, 31.5: 10.0, 80: 16.0, 6000: 16.0, 16000: 12.0, 20000: 6.0}
# No boost where the mix's band sits this far under its loudest band; full boost allowed from
# FLOOR_RAMP_DB above that.
FLOOR_DB = 50.0
FLOOR_RAMP_DB = 15.0
MONO_DB = 90.0  # a reference whose side is this far under its mid is mono
PROBE_SEGMENTS, PROBE_SECONDS = 4, 5.0  # the excerpt the chain's own tone change is measured on
PROBE_MAX_GAIN_DB = 42.0
PROBE_ROUNDS = 2
EFFECT_MAX_DB = 6.0  # the most of the chain's tone change the EQ counters
FIR_SECONDS = 0.18  # ~5 Hz resolution: enough to shape the 31.5 Hz band
DESIGN_OVERSAMPLING = 4  # cepstrum grid / taps: keeps the minimum-phase aliasing negligible


def fir_taps(fs: int) -> int:
    return 1 << math.ceil(math.log2(FIR_SECONDS * fs))


def grid() -> np.ndarray:
    octaves = math.log2(GRID_HI_HZ / GRID_LO_HZ)
    return GRID_LO_HZ * 2 ** (np.arange(round(octaves * GRID_PER_OCTAVE) + 1) / GRID_PER_OCTAVE)


def limits(freqs: np.ndarray, amount: float) -> np.ndarray:
    """The largest move (dB) allowed at each frequency for ``amount`` in 0..1."""
    keys = sorted(LIMIT_DB)
    return amount * np.interp(np.log2(freqs), np.log2(keys), [LIMIT_DB[k] for k in keys])


def band_targets(
    freqs: np.ndarray,
    mix_db: np.ndarray,
    ref_db: np.ndarray,
    levels: tuple[float, float, float],
    amount: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Wanted gain per band (the level-normalised difference scaled by ``amount``) and its
    (lower, upper) bounds.

    ``levels`` are (mix level, reference level, mix's loudest band): spectra are compared at
    the mid's core average for both mid and side, so that side's level against mid (the width)
    is matched too, and the no-boost floor hangs from the mid's loudest band.
    """
    mix_level, ref_level, loudest = levels
    want = amount * ((ref_db - ref_level) - (mix_db - mix_level))
    bound = limits(freqs, amount)
    room = np.clip((mix_db - (loudest - FLOOR_DB)) / FLOOR_RAMP_DB, 0.0, 1.0)
    return want, -bound, bound * room


def level_offset(wants: list[np.ndarray], lows: list[np.ndarray], highs: list[np.ndarray]) -> float:
    """The overall level (dB) added to every band's want that leaves the least of it outside
    the bounds: the loudness stage sets the level anyway, so a gap wider than the bounds is
    met by cutting one end as well as boosting the other. 0 when everything fits."""
    offsets = np.linspace(-OFFSET_MAX_DB, OFFSET_MAX_DB, 8 * round(OFFSET_MAX_DB) + 1)
    cost = np.zeros(len(offsets))
    for want, low, high in zip(wants, lows, highs, strict=True):
        moved = want[None, :] + offsets[:, None]
        cost += ((moved - np.clip(moved, low, high)) ** 2).sum(axis=1)
    return float(offsets[np.argmin(cost + 1e-6 * offsets**2)])


def _smoother(points: int) -> np.ndarray:
    sigma = SMOOTH_OCTAVES * GRID_PER_OCTAVE / (2 * math.sqrt(2 * math.log(2)))
    half = math.ceil(3 * sigma)
    k = np.exp(-0.5 * (np.arange(-half, half + 1) / sigma) ** 2)
    return k / k.sum()


def smooth_curve(band_freqs: np.ndarray, band_db: np.ndarray, fine: np.ndarray) -> np.ndarray:
    """Band gains -> a smooth curve on the fine grid (linear in log-frequency, then Gaussian)."""
    curve = np.interp(np.log2(fine), np.log2(band_freqs), band_db)
    kernel = _smoother(len(fine))
    half = len(kernel) // 2
    padded = np.concatenate([np.full(half, curve[0]), curve, np.full(half, curve[-1])])
    return np.convolve(padded, kernel, mode="valid")


def band_average(curve_db: np.ndarray, fine: np.ndarray, band_freqs: np.ndarray) -> np.ndarray:
    """Power-average of a fine curve over each 1/3-octave band (the gain a flat band gets)."""
    power = 10 ** (curve_db / 10)
    out = np.empty(len(band_freqs))
    for i, centre in enumerate(band_freqs):
        sel = (fine >= centre * 2 ** (-1 / 6)) & (fine < centre * 2 ** (1 / 6))
        out[i] = (
            10 * math.log10(power[sel].mean())
            if sel.any()
            else np.interp(math.log2(centre), np.log2(fine), curve_db)
        )
    return out


def design_curve(band_freqs: np.ndarray, targets: np.ndarray, bound: np.ndarray) -> np.ndarray:
    """A smooth fine-grid curve whose band averages meet ``targets`` within ``bound``."""
    fine = grid()
    fine_bound = np.interp(np.log2(fine), np.log2(band_freqs), bound)
    drive = targets.copy()
    curve = smooth_curve(band_freqs, drive, fine)
    for _ in range(REFINE_PASSES):
        # only small corrections of what smoothing took off: un-smoothing a ragged estimate
        # would bring back the narrow peaks the smoothing is there to remove
        drive = np.clip(
            drive + targets - band_average(curve, fine, band_freqs),
            targets - REFINE_MAX_DB,
            targets + REFINE_MAX_DB,
        )
        curve = np.clip(smooth_curve(band_freqs, drive, fine), -fine_bound, fine_bound)
    return curve


def minimum_phase_fir(curve_db: np.ndarray, fs: int) -> np.ndarray:
    """A minimum-phase FIR whose magnitude follows a fine-grid curve (0 dB at DC)."""
    taps = fir_taps(fs)
    size = taps * DESIGN_OVERSAMPLING
    freqs = np.fft.rfftfreq(size, 1 / fs)
    fine = grid()
    inside = freqs <= fine[-1]
    gain_db = np.full(len(freqs), curve_db[-1])
    logf = np.log2(np.maximum(freqs[inside], 1e-3))
    # below the grid the gain fades to 0 dB an octave down: the subsonic filter owns that range
    gain_db[inside] = np.interp(
        logf, np.concatenate([[math.log2(fine[0] / 2)], np.log2(fine)]), np.r_[0.0, curve_db]
    )
    log_mag = gain_db * (math.log(10) / 20)
    cepstrum = np.fft.irfft(log_mag, size)
    fold = np.zeros(size)
    fold[0] = cepstrum[0]
    fold[1 : size // 2] = 2 * cepstrum[1 : size // 2]
    fold[size // 2] = cepstrum[size // 2]
    impulse = np.fft.irfft(np.exp(np.fft.rfft(fold)), size)[:taps]
    fade = max(1, taps // 8)
    impulse[-fade:] *= 0.5 * (1 + np.cos(np.pi * np.arange(1, fade + 1) / fade))
    return impulse


def response_db(impulse: np.ndarray, freqs: np.ndarray, fs: int) -> np.ndarray:
    """Magnitude (dB) of an FIR at the given frequencies (read off a dense FFT)."""
    size = 4 * len(impulse)
    mag = np.abs(np.fft.rfft(impulse, size))
    grid_hz = np.fft.rfftfreq(size, 1 / fs)
    return 20 * np.log10(np.maximum(np.interp(freqs, grid_hz, mag), 1e-12))


class Convolver:
    """Per-channel FIR by FFT overlap-add, in place and streaming: blocks of any length in
    order give the same result as one pass over the whole signal (the tail is carried)."""

    def __init__(self, impulses: np.ndarray):
        nch, taps = impulses.shape
        self.taps = taps
        self.size = 4 * taps
        self.spectra = scipy.fft.rfft(impulses.astype(np.float32), self.size, axis=1)
        self.tail = np.zeros((nch, taps - 1), dtype=np.float32)

    def run(self, x: np.ndarray) -> np.ndarray:
        """Filter (channels, frames) float32 ``x`` in place; returns it."""
        step = self.size - self.taps + 1
        for start in range(0, x.shape[1], step):
            block = x[:, start : start + step]
            n = block.shape[1]
            y = scipy.fft.irfft(scipy.fft.rfft(block, self.size, axis=1) * self.spectra, self.size)
            y[:, : self.taps - 1] += self.tail
            self.tail = y[:, n : n + self.taps - 1].copy()
            block[:] = y[:, :n]
        return x


def describe(fs: int) -> dict:
    """The matching EQ's entry in the report's filter list."""
    return {"type": "fir", "phase": "minimum", "taps": fir_taps(fs)}


@dataclass
class Match:
    """The matching EQ for one signal: FIR per channel (mid, side) and what to report."""

    impulses: np.ndarray
    curves: list[np.ndarray]  # realised response at the analysis band centres, per channel

    def convolver(self) -> Convolver:
        return Convolver(self.impulses)


def _core_level(freqs: np.ndarray, spectrum_db: np.ndarray) -> float:
    core = (freqs >= CORE_HZ[0]) & (freqs <= CORE_HZ[1])
    return float(spectrum_db[core].mean())


def design(
    nch: int,
    fs: int,
    analysed: dict,
    reference: dict,
    settings: MasterSettings,
    effect: list[np.ndarray] | None = None,
) -> Match:
    """The matching EQ from the mix's and the reference's analysis spectra (``meter.spectrum``).

    ``effect`` (dB per band, per channel) is the tone change the stages after the EQ add
    (``chain_effect``); the EQ aims that much the other way.
    """
    amount = settings.reference_amount / 100
    freqs = np.array(analysed["freqs_hz"])
    ref_freqs = np.log2(np.array(reference["freqs_hz"]))

    def ref(key: str) -> np.ndarray:  # the reference may have another rate, hence other bands
        return np.interp(np.log2(freqs), ref_freqs, np.array(reference[key]))

    mix_mid, ref_mid = np.array(analysed["mid_db"]), ref("mid_db")
    levels = (_core_level(freqs, mix_mid), _core_level(freqs, ref_mid), float(mix_mid.max()))
    pairs = [(mix_mid, ref_mid)]
    if nch == 2:
        mix_side, ref_side = np.array(analysed["side_db"]), ref("side_db")
        if ref_side.max() < ref_mid.max() - MONO_DB:  # a mono reference says nothing of width
            ref_side = ref_mid + (mix_side - mix_mid)
        pairs.append((mix_side, ref_side))
    # above a lower-rate reference's top band it says nothing: no move there
    beyond = freqs > 2 ** ref_freqs[-1] * 1.01
    pairs = [(m, np.where(beyond, m + levels[1] - levels[0], r)) for m, r in pairs]
    bound = limits(freqs, amount)
    wanted = [
        band_targets(
            freqs, mix_db, ref_db if effect is None else ref_db - effect[c], levels, amount
        )
        for c, (mix_db, ref_db) in enumerate(pairs)
    ]
    offset = level_offset(*(list(column) for column in zip(*wanted, strict=True)))
    impulses, curves = [], []
    for want, low, high in wanted:
        target = np.clip(want + offset, low, high)
        impulse = minimum_phase_fir(design_curve(freqs, target, bound), fs)
        impulses.append(impulse)
        curves.append(response_db(impulse, freqs, fs))
    return Match(np.stack(impulses), curves)


class Compressor(Protocol):
    def run(self, x: np.ndarray, state: np.ndarray) -> np.ndarray: ...


@dataclass
class Probe:
    """What measuring the chain's own tone change needs: an excerpt of the mix (mid/side), the
    biquad bank that runs before the FIR, the compressor for given EQ curves with a fresh
    state, and the loudness and ceiling the limiter aims for."""

    excerpt: np.ndarray
    bank: np.ndarray
    compressor: Callable[[tuple[np.ndarray, np.ndarray]], Compressor]
    fresh_state: Callable[[], np.ndarray]
    target_lufs: float
    ceiling_dbtp: float


def excerpt(read: Callable[[int, int], np.ndarray], frames: int, fs: int) -> np.ndarray:
    """PROBE_SEGMENTS stretches spread over the song (or all of a short one), joined: enough
    for a long-term spectrum, a few percent of a song's processing."""
    length = round(PROBE_SECONDS * fs)
    if frames <= PROBE_SEGMENTS * length * 1.5:
        return np.array(read(0, frames), dtype=np.float32)
    starts = [
        round((i + 0.5) * frames / PROBE_SEGMENTS) - length // 2 for i in range(PROBE_SEGMENTS)
    ]
    return np.concatenate([read(a, a + length) for a in starts], axis=1).astype(np.float32)


def _left_right(ms: np.ndarray) -> np.ndarray:
    return ms if ms.shape[0] == 1 else np.stack([ms[0] + ms[1], ms[0] - ms[1]])


def _levels(measured: dict, nch: int) -> list[np.ndarray]:
    freqs = np.array(measured["freqs_hz"])
    mid = np.array(measured["mid_db"])
    keys = ["mid_db", "side_db"][:nch]
    return [np.array(measured[k]) - _core_level(freqs, mid) for k in keys]


def chain_effect(match: Match, probe: Probe, fs: int) -> list[np.ndarray]:
    """The tone change (dB per band, mid and side on the mid's level) that compression and
    limiting add after the EQ, measured by running them on the excerpt.

    Limiting a loud master lowers what its peaks are made of (kick and bass, mostly in mid), so
    without this a -9 LUFS master ends up ~2 dB thin in the bass and too wide.
    """
    y = probe.excerpt.copy()
    nch = y.shape[0]
    biquads.sos_filter(y, probe.bank, y)
    match.convolver().run(y)
    before = _levels(spectrum(_left_right(y), fs), nch)
    probe.compressor((match.curves[0], match.curves[-1])).run(y, probe.fresh_state())
    lr = np.ascontiguousarray(_left_right(y))
    limiter = TruePeakLimiter(lr, fs, k_weighted_power(lr, fs))
    result = limiter.run(probe.target_lufs, probe.ceiling_dbtp, PROBE_MAX_GAIN_DB)
    out = np.empty_like(lr)
    limiting.apply_curve(lr, result.curve, 10 ** (result.gain_db / 20), out)
    after = _levels(spectrum(out, fs), nch)
    return [
        np.clip(a - b, -EFFECT_MAX_DB, EFFECT_MAX_DB) for a, b in zip(after, before, strict=True)
    ]
