"""Run the installed ``masterbus`` command the way a person would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MASTERBUS = Path(sys.executable).with_name("masterbus")


def run_cli(*args: str | Path, timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(MASTERBUS), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def error_lines(stderr: str) -> list[str]:
    """The lines of an error report, leaving out an argparse usage block if there is one."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    return [line for line in lines if not line.startswith(("usage:", " "))]
