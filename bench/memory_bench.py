"""Memory bench: peak RSS and wall time of mastering very long or very high-rate files.

Run with ``make bench`` (or ``python bench/memory_bench.py``). Generates, block by block in a
temporary folder, a 20-minute 192 kHz stereo 24-bit WAV of music-like material (shaped noise,
a bass pulse and drum-like transients, sections of different level: never silence, which would
take the engine's near-silent path) and a 10-minute 384 kHz one, masters each with the
``masterbus`` command in a subprocess, and prints the command's peak RSS and wall time.
The command runs under a small launcher that reports its child's ``ru_maxrss``: Linux keeps a
process's RSS high-water mark across exec, so a child forked straight from this script (which
holds the generated audio) would report this script's memory, not the engine's. The 384 kHz
file must be refused quickly (the engine takes at most 192 kHz).

``--minutes`` and ``--rate`` run one custom file instead; ``--keep DIR`` keeps the files there.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import lfilter

MASTERBUS = Path(sys.executable).with_name("masterbus")
MAX_RSS_MB = 1024.0  # the bound the engine promises for any input it accepts
BLOCK_S = 5.0
# Runs argv[1:] and prints its peak RSS (KB); its exit status is the command's.
LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(code)\n"
)


def write_music_like(path: Path, minutes: float, rate: int, seed: int = 0) -> Path:
    """A stereo 24-bit WAV of shaped noise with transients, written in blocks (bounded memory)."""
    rng = np.random.default_rng(seed)
    frames = round(minutes * 60 * rate)
    block = round(BLOCK_S * rate)
    state = np.zeros((1, 2))
    coef = np.exp(-2 * np.pi * 800.0 / rate)  # one-pole low-pass: a falling, pink-ish tilt
    beat = round(0.5 * rate)
    with sf.SoundFile(str(path), "w", rate, 2, subtype="PCM_24", format="WAV") as out:
        for start in range(0, frames, block):
            n = min(block, frames - start)
            white = rng.standard_normal((n, 2))
            shaped, state = lfilter([1 - coef], [1.0, -coef], white, axis=0, zi=state)
            t = (start + np.arange(n)) / rate
            phase = (start + np.arange(n)) % beat / rate
            kick = np.sin(2 * np.pi * 55.0 * phase) * np.exp(-phase / 0.08)
            click = white[:, 0] * np.exp(-phase / 0.004) * 0.5
            section = 0.6 + 0.4 * np.sin(2 * np.pi * t / 45.0) ** 2  # loud and quiet parts
            mix = (shaped * 2.0 + 0.05 * white) * section[:, None]
            mix += (0.5 * kick + click)[:, None]
            mix[:, 1] = 0.8 * mix[:, 1] + 0.2 * mix[:, 0]
            out.write(np.clip(mix * 0.25, -1.0, 1.0).astype(np.float32))
    return path


def run_master(source: Path, out: Path) -> tuple[int, float, float, str]:
    """(exit status, peak RSS in MB, wall seconds, last stderr line) of one ``masterbus master``."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.run(
            [sys.executable, "-c", LAUNCHER, str(MASTERBUS), "master", str(source), "-o", str(out)],
            stdout=subprocess.PIPE,
            stderr=err,
            stdin=subprocess.DEVNULL,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - started
        err.seek(0)
        lines = err.read().decode(errors="replace").strip().splitlines()
    return proc.returncode, int(proc.stdout.strip()) / 1024, wall, lines[-1] if lines else ""


def bench(folder: Path, minutes: float, rate: int, expect_refusal: bool) -> bool:
    name = f"{minutes:g} min {rate / 1000:g} kHz stereo"
    source = folder / f"long_{rate}_{minutes:g}.wav"
    if not source.exists():
        started = time.perf_counter()
        write_music_like(source, minutes, rate)
        made = time.perf_counter() - started
        size = source.stat().st_size / 1e6
        print(f"{name}: generated {size:.0f} MB in {made:.1f} s")
    out = folder / f"master_{rate}.wav"
    status, rss, wall, last = run_master(source, out)
    print(f"{name}: exit {status}, peak RSS {rss:.0f} MB, wall {wall:.1f} s")
    if last:
        print(f"  {last}")
    if expect_refusal:
        ok = status != 0 and wall < 5.0 and "192" in last
        print(f"  refused quickly: {'PASS' if ok else 'FAIL'}")
    else:
        ok = status == 0 and rss < MAX_RSS_MB
        print(f"  mastered with peak RSS under {MAX_RSS_MB:.0f} MB: {'PASS' if ok else 'FAIL'}")
        if status == 0:
            info = sf.info(str(out))
            print(f"  output {info.frames} frames at {info.samplerate} Hz")
    out.unlink(missing_ok=True)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, help="one custom file: its length")
    parser.add_argument("--rate", type=int, default=192000, help="one custom file: its rate")
    parser.add_argument("--keep", help="generate into (and keep) this folder")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a bar is missed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="masterbus-memory-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if args.minutes is not None:
            results = [bench(folder, args.minutes, args.rate, args.rate > 192000)]
        else:
            results = [bench(folder, 20.0, 192000, False), bench(folder, 10.0, 384000, True)]
    return 1 if args.strict and not all(results) else 0


if __name__ == "__main__":
    sys.exit(main())
