"""The `masterbus` command: master and analyse files, and run the platform.

Errors a person can fix (bad file, bad option) print one line and exit with status 2;
nothing half-written is left behind.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from masterbus.engine import FORMATS, STYLES, TARGET_PRESETS, EngineError

EXIT_USAGE = 2


class _Bar:
    """A one-line progress bar on a terminal; silent when stderr is not a terminal."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.last = ""

    def __call__(self, fraction: float, stage: str) -> None:
        if not self.enabled:
            return
        width = 30
        filled = round(width * max(0.0, min(1.0, fraction)))
        line = f"\r[{'#' * filled}{'.' * (width - filled)}] {fraction * 100:3.0f}% {stage:<24}"
        if line != self.last:
            sys.stderr.write(line)
            sys.stderr.flush()
            self.last = line

    def close(self) -> None:
        if self.enabled and self.last:
            sys.stderr.write("\n")


def _add_master_options(p: argparse.ArgumentParser) -> None:
    presets = ", ".join(f"{k} ({v:g})" for k, v in TARGET_PRESETS.items())
    p.add_argument(
        "--target",
        default=None,
        help=f"loudness in LUFS or a preset: {presets}; default -14, or the reference's loudness",
    )
    p.add_argument("--ceiling", type=float, default=-1.0, help="true-peak ceiling in dBTP")
    p.add_argument("--style", choices=STYLES, default="balanced")
    p.add_argument("--intensity", type=float, default=50.0, help="0 (gentle) to 100 (strong)")
    p.add_argument("--reference", help="a reference track whose loudness and tone to match")
    p.add_argument("--amount", type=float, default=80.0, help="reference match amount, 0-100 %%")
    p.add_argument(
        "--match-dynamics",
        action="store_true",
        help="with --reference: also narrow the loudness range toward the reference's",
    )
    p.add_argument(
        "--eq",
        action="append",
        default=[],
        metavar="HZ:DB",
        help="your own broad EQ move after the style, e.g. --eq 250:-2.5 (repeatable, at most 6)",
    )
    p.add_argument(
        "--width", type=float, default=100.0, help="stereo width, 50-150 %% of the side signal"
    )
    p.add_argument("--format", choices=list(FORMATS), default=None, help="delivery format")
    p.add_argument("--sample-rate", type=int, default=None, help="resample the output (Hz)")
    p.add_argument("--report", help="write the JSON report here")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="masterbus", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("analyze", help="measure a file")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print the full analysis as JSON")
    p = sub.add_parser("master", help="master one file")
    p.add_argument("input")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--preview", help="also write the loudest 30 s here (.wav or .mp3)")
    _add_master_options(p)
    p = sub.add_parser("album", help="master several files as one album")
    p.add_argument("inputs", nargs="+")
    p.add_argument("-o", "--output", required=True, help="output folder")
    _add_master_options(p)
    p = sub.add_parser("preview", help="write ~30 s of a song in every style, level-matched")
    p.add_argument("input")
    p.add_argument("-o", "--output", required=True, help="output folder")
    p.add_argument("--target", default="-14", help="loudness in LUFS or a preset (as master)")
    p.add_argument("--ceiling", type=float, default=-1.0, help="true-peak ceiling in dBTP")
    p.add_argument("--intensity", type=float, default=50.0, help="0 (gentle) to 100 (strong)")
    p.add_argument("--report", help="write the JSON report here")
    # listed for --help only: main() hands these to the platform before parsing
    for name, text in (
        ("serve", "start the platform (web, worker, periodic jobs)"),
        ("worker", "run a background worker"),
        ("manage", "run a Django management command"),
        ("token", "create or revoke a personal API token"),
        ("demo", "fill the platform with examples (demo accounts, songs, messages)"),
    ):
        sub.add_parser(name, help=text, add_help=False)
    return parser


def _settings(args: argparse.Namespace):
    from masterbus.engine import MasterSettings

    target = args.target
    if target is None and not args.reference:
        target = -14.0
    return MasterSettings(
        target_lufs=target,
        ceiling_dbtp=args.ceiling,
        style=args.style,
        intensity=args.intensity,
        reference_amount=args.amount,
        sample_rate=args.sample_rate,
        match_dynamics=args.match_dynamics,
        eq_adjust=tuple(args.eq),
        width=args.width,
    )


def _format_for(path: str, chosen: str | None) -> str:
    if chosen:
        return chosen
    suffix = Path(path).suffix.lower()
    return {".flac": "flac", ".mp3": "mp3"}.get(suffix, "wav24")


def _fmt(value: float | None, unit: str) -> str:
    return "-" if value is None else f"{value:.1f} {unit}"


def _summary(m: dict) -> str:
    return (
        f"{_fmt(m['integrated_lufs'], 'LUFS')}, true peak {_fmt(m['true_peak_dbtp'], 'dBTP')}, "
        f"LRA {_fmt(m['lra_lu'], 'LU')}"
    )


def _write_json(path: str, data: object) -> None:
    from masterbus.engine.io import atomic_text

    atomic_text(path, json.dumps(data, indent=2, allow_nan=False))


def _analyze(args: argparse.Namespace) -> int:
    from masterbus.engine import analyze_file

    result = analyze_file(args.file)
    if args.json:
        print(json.dumps(result, indent=2, allow_nan=False))
        return 0
    print(
        f"{Path(args.file).name}: {result['duration_s']:.1f} s, {result['sample_rate']} Hz, "
        f"{result['channels']} ch, {result['format']} {result['subtype']}"
    )
    print(f"  loudness   {_summary(result)}")
    print(
        f"  short-term max {_fmt(result['short_term_max_lufs'], 'LUFS')}, "
        f"sample peak {result['sample_peak_dbfs']:.1f} dBFS, PLR {_fmt(result['plr_db'], 'dB')}"
    )
    print(
        f"  stereo     correlation {result['correlation']:.2f}, width {result['width']:.2f}; "
        f"clipped samples {result['clipped_samples']}"
    )
    return 0


def _master(args: argparse.Namespace, bar: _Bar) -> int:
    from masterbus.engine import master_file
    from masterbus.engine.io import check_writable

    settings = _settings(args)
    if args.report:
        check_writable(args.report)  # before spending time on the master
    fmt = _format_for(args.output, args.format)
    report = master_file(
        args.input,
        {fmt: args.output},
        settings,
        reference_path=args.reference,
        preview_path=args.preview,
        progress=bar,
    )
    bar.close()
    if args.report:
        _write_json(args.report, report)
    print(f"{Path(args.output).name}: {_summary(report['output'])}")
    for line in report["notes"]:
        print(f"  note: {line}")
    return 0


def _album(args: argparse.Namespace, bar: _Bar) -> int:
    from masterbus.engine import master_album
    from masterbus.engine.io import check_writable

    settings = _settings(args)
    if args.report:
        check_writable(args.report)  # before spending time on the master
    fmt = args.format or "wav24"
    reports = master_album(
        args.inputs,
        args.output,
        settings,
        formats=(fmt,),
        reference_path=args.reference,
        progress=bar,
    )
    bar.close()
    if args.report:
        _write_json(args.report, reports)
    for report in reports:
        print(f"{Path(report['outputs'][fmt]).name}: {_summary(report['output'])}")
    return 0


def _preview(args: argparse.Namespace, bar: _Bar) -> int:
    from masterbus.engine.io import check_writable
    from masterbus.engine.previews import render_previews

    if args.report:
        check_writable(args.report)  # before spending time on the previews
    report = render_previews(
        args.input,
        args.output,
        intensity=args.intensity,
        target_lufs=args.target,
        ceiling_dbtp=args.ceiling,
        progress=bar,
    )
    bar.close()
    if args.report:
        _write_json(args.report, report)
    start, end = report["window_s"]
    print(
        f"{Path(args.input).name}: {start:.1f}-{end:.1f} s in every style, all at "
        f"{_fmt(report['match_lufs'], 'LUFS')}"
    )
    for name, path in report["files"].items():
        found = report["previews"][name]
        print(
            f"  {Path(path).name:<14} {_fmt(found['loudness_lufs'], 'LUFS')}, true peak "
            f"{_fmt(found['true_peak_dbtp'], 'dBTP')}, gain {found['gain_db']:+.1f} dB"
        )
    return 0


def _platform(command: str, argv: list[str]) -> int:
    try:
        from masterbus.config import launcher
    except ImportError:
        print(f"masterbus: error: '{command}' needs the web platform installed", file=sys.stderr)
        return EXIT_USAGE
    return int(getattr(launcher, command)(argv) or 0)


PLATFORM_COMMANDS = ("serve", "worker", "manage")


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if words and words[0] in PLATFORM_COMMANDS:
        # the platform parses its own options (argparse's REMAINDER would drop "--port ...")
        return _platform(words[0], words[1:])
    if words and words[0] == "token":
        from masterbus.api.commands import token

        return token(words[1:])
    if words and words[0] == "demo":  # the Django command of masterbus.demo
        return _platform("manage", ["demo", *words[1:]])
    # Engine commands hold large arrays for a second or two: numpy's request for transparent
    # huge pages then only adds the kernel's page compaction on a busy machine (measured: 0.3 s
    # of system time for a 4-minute song). Set before numpy loads (the engine imports it late).
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
    args = _parser().parse_args(words)
    bar = _Bar(sys.stderr.isatty())
    try:
        if args.command == "analyze":
            return _analyze(args)
        if args.command == "master":
            return _master(args, bar)
        if args.command == "preview":
            return _preview(args, bar)
        return _album(args, bar)
    except EngineError as exc:
        bar.close()
        print(f"masterbus: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        bar.close()
        print("masterbus: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
