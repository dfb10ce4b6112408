"""Reference-mode benchmark: how close the master's tone gets to the reference, ours vs Matchering.

Run with ``make bench`` (or directly). Renders (and caches under bench/.data/) pairs of pieces far
apart in tone with tests/support/music.py, masters each mix with our CLI
(``--reference REF --amount 100``, loudness matched to the reference) and with Matchering 2.0.6
(installed by bench/engine_bench.py into bench/.peers/, run as a separate process), and prints
the distance of each master to its reference. Pieces are 90 s by default (--seconds): longer
than the 30 s below which the chain measures its own tone change on the whole song.

The distance is the RMS difference (dB) of level-normalised long-term 1/3-octave spectra, 31.5 Hz
to 16 kHz (tests/support/spectrum.py): "mid" compares the shape of the mid signal only; "m+s"
also compares the side's band levels on the mid's scale, so width counts too. A pair PASSes
when our master is closer than Matchering's on both. Loudness and true peak of every master are
measured by ffmpeg's ebur128. With --strict a FAIL exits with status 1.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from engine_bench import DATA, MASTERBUS, bench_matchering, matchering_python  # noqa: E402

from tests.support.ffmeter import measure  # noqa: E402
from tests.support.music import level_to_lufs, render_music, write_audio  # noqa: E402
from tests.support.spectrum import (  # noqa: E402
    mid_side_balance,
    reshaped,
    tonal_balance,
    tonal_distance,
)

# Long enough that the chain measures its own tone change on an excerpt, as for a real song.
SECONDS = 90.0
RATE = 44100
# Pieces: (seed, dynamic intro, LUFS) and a tone shaping {Hz: dB} on top of music.py's mix.
PIECES = {
    "dark_acoustic": (201, True, -20.0),  # soft, acoustic-like: little sub, a rolled-off top
    "bright_electronic": (202, False, -9.0),  # loud: big sub, scooped low mids, a bright top
    "mid_forward": (203, False, -12.0),  # voice-like presence, little bass or air
}
SHAPES = {
    "dark_acoustic": {30: -6, 60: -2, 1000: 0, 4000: -3, 8000: -6, 16000: -10},
    "bright_electronic": {35: 5, 70: 3, 300: -2, 1000: 0, 4000: 2, 10000: 4, 16000: 5},
    "mid_forward": {40: -8, 120: -3, 1000: 2, 2500: 3, 6000: 0, 12000: -4},
}
PAIRS = (
    ("dark_acoustic", "bright_electronic"),
    ("bright_electronic", "dark_acoustic"),
    ("mid_forward", "bright_electronic"),
)


@dataclass
class Master:
    tool: str
    mid: float
    both: float
    lufs: float | None
    true_peak: float
    lra: float


def piece(name: str, seconds: float) -> Path:
    """The rendered piece, cached."""
    path = DATA / f"refbench_{name}_{seconds:g}s.wav"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        seed, dynamic, lufs = PIECES[name]
        print(f"rendering {path.name} ...", flush=True)
        samples = render_music(seconds, RATE, 2, seed=seed, dynamic=dynamic)
        samples = reshaped(samples, RATE, SHAPES[name])
        write_audio(path, level_to_lufs(samples, RATE, lufs), RATE, "wav24")
    return path


def distances(path: Path, reference: Path) -> tuple[float, float]:
    """(mid, mid+side) distance of a file to the reference."""
    a, sr_a = sf.read(str(path), dtype="float32", always_2d=True)
    b, sr_b = sf.read(str(reference), dtype="float32", always_2d=True)
    mid = tonal_distance(tonal_balance(a, sr_a), tonal_balance(b, sr_b))
    both = tonal_distance(mid_side_balance(a, sr_a), mid_side_balance(b, sr_b))
    return mid, both


def ours(src: Path, reference: Path, out: Path) -> bool:
    cmd = [str(MASTERBUS), "master", str(src), "-o", str(out), "--format", "wav24"]
    cmd += ["--reference", str(reference), "--amount", "100"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"  masterbus failed: {done.stderr.strip().splitlines()[-1:]}")
    return done.returncode == 0


def measured(tool: str, out: Path, reference: Path) -> Master:
    mid, both = distances(out, reference)
    ruler = measure(out)
    return Master(tool, mid, both, ruler.integrated_lufs, ruler.true_peak_dbtp, ruler.lra_lu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-matchering", action="store_true", help="leave the peer out")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a pair FAILs")
    parser.add_argument("--seconds", type=float, default=SECONDS, help="length of each piece")
    args = parser.parse_args()
    peer = None if args.no_matchering else matchering_python()
    rows: list[tuple[str, tuple[float, float], list[Master]]] = []
    with tempfile.TemporaryDirectory(prefix="masterbus-refbench-") as tmp:
        for mix_name, ref_name in PAIRS:
            mix, reference = piece(mix_name, args.seconds), piece(ref_name, args.seconds)
            label = f"{mix_name} -> {ref_name}"
            print(f"mastering {label} ...", flush=True)
            masters = []
            out = Path(tmp) / f"{mix_name}-{ref_name}.ours.wav"
            if ours(mix, reference, out):
                masters.append(measured("masterbus", out, reference))
            if peer is not None:
                out = Path(tmp) / f"{mix_name}-{ref_name}.matchering.wav"
                _wall, _rss, code, err = bench_matchering(peer, mix, reference, out)
                if code == 0 and out.exists():
                    masters.append(measured("matchering", out, reference))
                else:
                    print(f"  matchering failed: {err.strip().splitlines()[-1:]}")
            masters.insert(0, measured("reference", reference, reference))
            rows.append((label, distances(mix, reference), masters))
    return report(rows, args.seconds, args.strict)


def report(
    rows: list[tuple[str, tuple[float, float], list[Master]]], seconds: float, strict: bool
) -> int:
    print()
    print(f"Reference mode, --amount 100, {seconds:g} s pieces at {RATE} Hz. Distance to the")
    print("reference: RMS dB of level-normalised 1/3-octave spectra 31.5 Hz-16 kHz; mid = mid")
    print("shape only, m+s = mid shape and side level on the mid's scale. LUFS, true peak and")
    print("loudness range by ffmpeg; PLR = true peak - LUFS.")
    head = (
        f"{'pair':<38} {'file':<11} {'mid dB':>7} {'m+s dB':>7} {'LUFS':>7} {'TP dBTP':>8}"
        f" {'PLR dB':>7} {'LRA LU':>7}"
    )
    print(head)
    print("-" * len(head))
    failed = False
    verdicts = []
    for label, (mid0, both0), masters in rows:
        print(f"{label:<38} {'(the mix)':<11} {mid0:7.2f} {both0:7.2f}")
        for m in masters:
            lufs = "-" if m.lufs is None else f"{m.lufs:7.2f}"
            plr = "-" if m.lufs is None else f"{m.true_peak - m.lufs:7.2f}"
            print(
                f"{'':<38} {m.tool:<11} {m.mid:7.2f} {m.both:7.2f} {lufs:>7} {m.true_peak:8.2f}"
                f" {plr:>7} {m.lra:7.2f}"
            )
        by_tool = {m.tool: m for m in masters}
        us, peer = by_tool.get("masterbus"), by_tool.get("matchering")
        if us is None or peer is None:
            verdicts.append(f"  [FAIL] {label}: not measured for both tools")
            failed = True
            continue
        ok = us.mid < peer.mid and us.both < peer.both
        failed |= not ok
        verdicts.append(
            f"  [{'PASS' if ok else 'FAIL'}] {label}: ours/Matchering mid "
            f"{us.mid / peer.mid:.2f}, m+s {us.both / peer.both:.2f}"
        )
    print()
    print("\n".join(verdicts))
    return 1 if strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
