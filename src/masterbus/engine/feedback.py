"""Plain-language feedback on a mix, from the before/after measurements and the chain's work."""

from __future__ import annotations

import numpy as np

from masterbus.engine import eq
from masterbus.engine.settings import MasterSettings


def _band_mean(curve: np.ndarray, freqs: np.ndarray, lo: float, hi: float) -> float:
    sel = (freqs >= lo) & (freqs < hi)
    return float(curve[sel].mean()) if sel.any() else 0.0


def feedback_for(
    before: dict, after: dict, stages: list[dict], settings: MasterSettings
) -> list[str]:
    """Short sentences a musician can act on in the next mix, most important first."""
    out: list[str] = []
    loud = before["integrated_lufs"]
    if loud is None:
        return ["The file is silent or nearly silent: check that the right mix was exported."]
    if before["clipped_samples"] > 0:
        out.append(
            f"The mix has {before['clipped_samples']} clipped samples: lower the master fader or "
            "the limiter on your mix bus and export again for a cleaner result."
        )
    if before["true_peak_dbtp"] > -0.1 and not before["clipped_samples"]:
        out.append("The mix peaks at full scale; leave 3 to 6 dB of headroom when you export.")
    dc = max(abs(v) for v in before["dc_offset"])
    if dc > 0.005:
        out.append("There is a DC offset in the mix; a high-pass on the offending track fixes it.")
    freqs = np.array(before["spectrum"]["freqs_hz"])
    rel = eq.relative_balance(np.array(before["spectrum"]["mid_db"]), freqs)
    target = eq.relative_balance(eq.style_target("balanced", freqs), freqs)
    diff = rel - target
    low = _band_mean(diff, freqs, 40, 160)
    lowmid = _band_mean(diff, freqs, 200, 500)
    high = _band_mean(diff, freqs, 4000, 12000)
    if low > 3:
        out.append(
            f"The low end is about {low:.0f} dB heavier than typical; check kick and bass levels."
        )
    elif low < -3:
        out.append(
            f"The low end is about {-low:.0f} dB lighter than typical; "
            "the master lifts it a little."
        )
    if lowmid > 2.5:
        out.append(
            "The low mids (200-500 Hz) are crowded, which can sound muddy; "
            "try cutting there on pads or guitars."
        )
    if high < -3:
        out.append(f"The mix is dark: the top end sits about {-high:.0f} dB below typical.")
    elif high > 3:
        out.append(
            f"The mix is bright: the top end sits about {high:.0f} dB above typical; "
            "watch harsh cymbals and sibilance."
        )
    if before["channels"] == 2:
        if before["correlation"] < 0:
            out.append(
                "Left and right are partly out of phase: the mix will lose parts in mono. "
                "Check stereo wideners and mic polarity."
            )
        elif before["width"] < 0.02:
            out.append("The mix is almost mono; panning some parts would open it up.")
    plr = before["plr_db"]
    if plr is not None and plr < 8:
        out.append(
            "The mix is already heavily limited; for a better master, "
            "export it before your bus limiter."
        )
    elif before["lra_lu"] > 15:
        out.append(
            "The song has a very wide dynamic range; "
            "quiet parts may get lost on phones and in cars."
        )
    limiter = next((s for s in stages if s["name"] == "limiter"), None)
    if limiter and limiter["gain_reduction_max_db"] > 6:
        out.append(
            f"Reaching {settings.target_lufs or after['integrated_lufs']:.0f} LUFS needed up to "
            f"{limiter['gain_reduction_max_db']:.0f} dB of limiting; "
            "a lower target keeps more punch."
        )
    if not out:
        out.append("The mix is well balanced; the master only needed gentle polish.")
    return out
