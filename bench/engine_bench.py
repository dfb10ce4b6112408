"""Engine benchmark: our CLI against Matchering 2.0 and ffmpeg's two-pass loudnorm, same files.

Run with ``make bench``. Builds (and caches under bench/.data/) a 4-minute 44.1 kHz stereo 24-bit
WAV of synthesised music plus a few varied inputs, masters each with every tool, and prints wall
time, CPU time (the child's user + system), real-time factor, peak memory (max RSS of the child
process tree), and loudness and true peak measured by ffmpeg's ebur128. Every run is a cold start
of the command, as a person runs it. For the song each tool runs several times, the tools taking
turns, and the best run counts: other work on the machine only ever adds time, and taking turns
exposes both tools to the same load. Matchering is GPL: it is installed by this script into its
own virtual environment under bench/.peers/ and only ever run as a separate process.

Each bar (speed: issue 11; memory, loudness, true peak: issue 2) is printed as PASS or FAIL; with
--strict a missed bar exits with status 1.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.ffmeter import measure  # noqa: E402
from tests.support.music import clip_hard, level_to_lufs, render_music, write_audio  # noqa: E402

DATA = ROOT / "bench" / ".data"
PEERS = ROOT / "bench" / ".peers"
MASTERBUS = Path(sys.executable).with_name("masterbus")
MATCHERING_VERSION = "2.0.6"
TARGET_LUFS = -14.0
CEILING_DBTP = -1.0
# Bars for the 4-minute file: speed from issue 11 (cold CLI), memory from issue 2.
MIN_REALTIME = 150.0
MIN_SPEEDUP_VS_MATCHERING = 6.0
MAX_RSS_MB = 600.0

MATCHERING_RUNNER = """
import sys
import matchering as mg
mg.log(print)
mg.process(target=sys.argv[1], reference=sys.argv[2], results=[mg.pcm24(sys.argv[3])])
"""


@dataclass
class Run:
    tool: str
    track: str
    duration_s: float
    wall_s: float
    cpu_s: float
    rss_mb: float
    target_lufs: float
    lufs: float | None
    true_peak: float
    ok: bool

    @property
    def realtime(self) -> float:
        return self.duration_s / self.wall_s

    @property
    def error_lu(self) -> float | None:
        return None if self.lufs is None else self.lufs - self.target_lufs


@dataclass
class Timing:
    """One run of a command: wall and CPU time (the child's user + system), peak memory."""

    wall_s: float
    cpu_s: float
    rss_mb: float
    code: int
    err: str


def run_measured(cmd: list[str]) -> tuple[float, float, int, str]:
    """Wall time, peak memory (MB), exit code and stderr of a command."""
    t = run_timed(cmd)
    return t.wall_s, t.rss_mb, t.code, t.err


def run_timed(cmd: list[str]) -> Timing:
    """Wall time, CPU time, peak memory (MB), exit code and stderr of a command.

    Peak memory is the sum over the child's process tree of each process's VmHWM (its RSS high
    water mark since exec), polled every 20 ms from a thread while the main thread waits, so the
    wall time is exact and the polling costs little CPU. ``wait4``'s ru_maxrss cannot be used: on
    Linux a child inherits the forking parent's high water mark, i.e. this script's.
    """
    high_water: dict[int, int] = {}
    done = threading.Event()

    def poll(root: psutil.Process) -> None:
        while not done.is_set():
            with contextlib.suppress(psutil.Error):
                for child in [root, *root.children(recursive=True)]:
                    high_water[child.pid] = max(high_water.get(child.pid, 0), _vm_hwm(child.pid))
            done.wait(0.02)

    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        poller = threading.Thread(target=poll, args=(psutil.Process(proc.pid),))
        poller.start()
        _pid, status, usage = os.wait4(proc.pid, 0)  # with the child's own CPU time
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        poller.join()
        err.seek(0)
        text = err.read().decode(errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    return Timing(wall, cpu, sum(high_water.values()) / 2**20, proc.returncode, text)


def _vm_hwm(pid: int) -> int:
    """A process's peak resident memory in bytes, from /proc (0 once it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def build_inputs(full_length_s: float) -> tuple[dict[str, Path], Path]:
    """The cached test set: the 4-minute song, varied short inputs, and a loud reference."""
    DATA.mkdir(parents=True, exist_ok=True)
    specs = {
        "song_4min_44k_stereo": lambda: (render_music(full_length_s, 44100, 2, seed=101), 44100),
        "dark_30s_48k_mono": lambda: (
            render_music(30.0, 48000, 1, seed=102, tone="dark"),
            48000,
        ),
        "bright_30s_96k": lambda: (render_music(30.0, 96000, 2, seed=103, tone="bright"), 96000),
        "dynamic_60s_44k": lambda: (render_music(60.0, 44100, 2, seed=104, dynamic=True), 44100),
        "clipped_30s_44k": lambda: (clip_hard(render_music(30.0, 44100, 2, seed=105)), 44100),
    }
    levels = {"song_4min_44k_stereo": -20.0, "dark_30s_48k_mono": -28.0, "bright_30s_96k": -10.0}
    levels["dynamic_60s_44k"] = -18.0
    paths: dict[str, Path] = {}
    for name, make in specs.items():
        suffix = f"_{full_length_s:g}s" if name.startswith("song_") else ""
        path = DATA / f"{name}{suffix}.wav"
        if not path.exists():
            print(f"rendering {path.name} ...", flush=True)
            samples, sr = make()
            if name in levels:
                samples = level_to_lufs(samples, sr, levels[name])
            write_audio(path, samples, sr, "wav24")
        paths[name] = path
    reference = DATA / "reference_loud_60s.wav"
    if not reference.exists():
        print(f"rendering {reference.name} ...", flush=True)
        loud = level_to_lufs(render_music(60.0, 44100, 2, seed=106, tone="bright"), 44100, -9.0)
        write_audio(reference, loud, 44100, "wav24")
    return paths, reference


def matchering_python() -> Path | None:
    """The peer's interpreter, installing Matchering into bench/.peers/ on first use."""
    venv = PEERS / "matchering"
    python = venv / "bin" / "python"
    stamp = venv / f".installed-{MATCHERING_VERSION}"
    if stamp.exists():
        return python
    print(f"installing Matchering {MATCHERING_VERSION} into {venv} ...", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", f"matchering=={MATCHERING_VERSION}"],
            check=True,
        )
    except subprocess.CalledProcessError as exc:
        print(f"Matchering could not be installed ({exc}); it is left out of this run.")
        return None
    stamp.touch()
    return python


def ours_cmd(src: Path, out: Path) -> list[str]:
    cmd = [str(MASTERBUS), "master", str(src), "-o", str(out), "--format", "wav24"]
    return [*cmd, "--target", str(TARGET_LUFS), "--ceiling", str(CEILING_DBTP)]


def loudnorm_cmd(src: Path, out: Path) -> list[str]:
    # Both ffmpeg passes run inside one child Python, so wall time and RSS cover the pair.
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from tests.support.ffmeter import loudnorm_two_pass;"
        f"loudnorm_two_pass(sys.argv[2], sys.argv[3], target_lufs={TARGET_LUFS},"
        f" true_peak_dbtp={CEILING_DBTP})"
    )
    return [sys.executable, "-c", code, str(ROOT), str(src), str(out)]


def matchering_cmd(python: Path, src: Path, reference: Path, out: Path) -> list[str]:
    return [str(python), "-c", MATCHERING_RUNNER, str(src), str(reference), str(out)]


def bench_matchering(
    python: Path, src: Path, reference: Path, out: Path
) -> tuple[float, float, int, str]:
    return run_measured(matchering_cmd(python, src, reference, out))


def measure_run(
    tool: str, track: str, src: Path, out: Path, timings: list[Timing], target: float
) -> Run:
    """The tool's best run (shortest wall time) with the worst peak memory of its runs; the
    output (the last run's, same settings) measured by ffmpeg."""
    best = min(timings, key=lambda t: t.wall_s)
    rss = max(t.rss_mb for t in timings)
    duration = sf.info(str(src)).duration
    failed = next((t for t in timings if t.code != 0), None)
    if failed is not None or not out.exists():
        err = failed.err if failed is not None else "no output"
        print(f"  {tool} failed on {track}: {err.strip().splitlines()[-1:]}")
        return Run(tool, track, duration, best.wall_s, best.cpu_s, rss, target, None, 0.0, False)
    ruler = measure(out)
    return Run(
        tool,
        track,
        duration,
        best.wall_s,
        best.cpu_s,
        rss,
        target,
        ruler.integrated_lufs,
        ruler.true_peak_dbtp,
        True,
    )


def print_table(runs: list[Run]) -> None:
    head = (
        f"{'track':<24} {'tool':<11} {'dur s':>6} {'wall s':>7} {'CPU s':>6} {'x RT':>7}"
        f" {'RSS MB':>7} {'target':>7} {'LUFS':>7} {'err LU':>7} {'TP dBTP':>8}"
    )
    print(head)
    print("-" * len(head))
    for r in runs:
        lufs = "-" if r.lufs is None else f"{r.lufs:7.2f}"
        err = "-" if r.error_lu is None else f"{r.error_lu:+7.2f}"
        peak = f"{r.true_peak:8.2f}" if r.ok else "       -"
        print(
            f"{r.track:<24} {r.tool:<11} {r.duration_s:6.1f} {r.wall_s:7.2f} {r.cpu_s:6.2f}"
            f" {r.realtime:7.1f} {r.rss_mb:7.0f} {r.target_lufs:7.1f} {lufs:>7} {err:>7} {peak}"
        )


def run_all(
    inputs: dict[str, Path],
    reference: Path,
    reference_lufs: float,
    peer: Path | None,
    repeats: int,
    work: Path,
) -> list[Run]:
    """Every tool on every input; outputs go to ``work`` and are measured there. The tools
    take turns on each repeat of the song, so a burst of load hits them alike."""
    # One untimed run so the numba cache that `make setup` warms is on disk, as in production.
    run_timed(ours_cmd(inputs["dark_30s_48k_mono"], work / "warmup.wav"))

    runs: list[Run] = []
    for track, src in inputs.items():
        print(f"benchmarking {track} ...", flush=True)
        timings: dict[str, list[Timing]] = {"masterbus": [], "loudnorm": []}
        if peer is not None:
            timings["matchering"] = []
        outs = {tool: work / f"{track}.{tool}.wav" for tool in timings}
        for _ in range(repeats if track.startswith("song_") else 1):
            timings["masterbus"].append(run_timed(ours_cmd(src, outs["masterbus"])))
            if peer is not None:
                cmd = matchering_cmd(peer, src, reference, outs["matchering"])
                timings["matchering"].append(run_timed(cmd))
            timings["loudnorm"].append(run_timed(loudnorm_cmd(src, outs["loudnorm"])))
        for tool, measured in timings.items():
            target = reference_lufs if tool == "matchering" else TARGET_LUFS
            runs.append(measure_run(tool, track, src, outs[tool], measured, target))
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of the 4-minute song")
    parser.add_argument("--length", type=float, default=240.0, help="song length in seconds")
    parser.add_argument("--no-matchering", action="store_true", help="leave the peer out")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a bar is missed")
    args = parser.parse_args()

    inputs, reference = build_inputs(args.length)
    reference_lufs = measure(reference).integrated_lufs
    peer = None if args.no_matchering else matchering_python()
    with tempfile.TemporaryDirectory(prefix="masterbus-bench-") as tmp:
        runs = run_all(inputs, reference, reference_lufs, peer, args.repeats, Path(tmp))

    print()
    print(f"Target {TARGET_LUFS} LUFS / {CEILING_DBTP} dBTP; Matchering's target is its reference")
    print(f"({reference_lufs:.1f} LUFS). Loudness and true peak by ffmpeg ebur128.")
    print(
        f"Times are the best of {args.repeats} cold runs for the song (tools in turns), one run"
        " for the others; CPU is that run's user + system time, RSS the worst of the runs."
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Load average at the end: {load} on {os.cpu_count()} CPUs (other work skews times).")
    print_table(runs)
    all_met = report_bars(runs)
    return 1 if args.strict and not all_met else 0


def report_bars(runs: list[Run]) -> bool:
    song = next(r.track for r in runs if r.track.startswith("song_"))
    by_tool = {r.tool: r for r in runs if r.track == song}
    ours = by_tool["masterbus"]
    mine = [r for r in runs if r.tool == "masterbus"]
    worst_peak = max(r.true_peak if r.ok else float("inf") for r in mine)
    worst_error = max(abs(r.error_lu) if r.ok else float("inf") for r in mine)
    cold = (
        f"cold CLI on the {ours.duration_s:.0f} s song: {ours.wall_s:.2f} s wall"
        f" ({ours.cpu_s:.2f} s CPU) = {ours.realtime:.0f}x real time"
    )
    bars = [
        (f"{cold} >= {MIN_REALTIME:g}x", ours.realtime >= MIN_REALTIME),
        (f"peak memory {ours.rss_mb:.0f} MB < {MAX_RSS_MB:g} MB", ours.rss_mb < MAX_RSS_MB),
        (f"worst true peak {worst_peak:.2f} dBTP <= {CEILING_DBTP}", worst_peak <= CEILING_DBTP),
        (f"worst loudness error {worst_error:.2f} LU <= 0.3", worst_error <= 0.3),
    ]
    print()
    peer = by_tool.get("matchering")
    if peer is not None and peer.ok:
        speedup = peer.wall_s / ours.wall_s
        print(
            f"vs Matchering (same run, best of each): {peer.wall_s:.2f} s wall"
            f" ({peer.cpu_s:.2f} s CPU) against our {ours.wall_s:.2f} s: {speedup:.1f}x faster,"
            f" {peer.cpu_s / ours.cpu_s:.1f}x less CPU,"
            f" {peer.rss_mb / ours.rss_mb:.1f}x less memory"
        )
        wanted = MIN_SPEEDUP_VS_MATCHERING
        bars.append((f"{speedup:.1f}x faster than Matchering >= {wanted:g}x", speedup >= wanted))
    else:
        bars.append(("speed vs Matchering: not measured", False))
    if by_tool["loudnorm"].ok:
        print(
            f"vs ffmpeg two-pass loudnorm: {by_tool['loudnorm'].wall_s / ours.wall_s:.1f}x faster"
        )
    for text, ok in bars:
        print(f"  [{'PASS' if ok else 'FAIL'}] {text}")
    return all(ok for _text, ok in bars)


if __name__ == "__main__":
    sys.exit(main())
