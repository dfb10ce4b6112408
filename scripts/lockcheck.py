"""Fail when pyproject.toml's dependencies changed but the lock files were not made again.

`make lock` writes the digest of every dependency table of pyproject.toml (build-system, runtime,
extras, Python version) to requirements.sha256 next to the locks it writes; `make setup`
and `make test` compare it with the tables as they are now. Standard library only: it runs before
anything is installed.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIGEST = ROOT / "requirements.sha256"


def dependency_digest(pyproject: Path) -> str:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data.get("project", {})
    tables = {
        "build-system": data.get("build-system", {}).get("requires", []),
        "requires-python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
    }
    return hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()


def main(argv: list[str]) -> int:
    current = dependency_digest(ROOT / "pyproject.toml")
    if "--write" in argv:
        DIGEST.write_text(current + "\n", encoding="utf-8")
        return 0
    recorded = DIGEST.read_text(encoding="utf-8").strip() if DIGEST.exists() else ""
    if recorded != current:
        print(
            "pyproject.toml's dependencies changed since the locks (requirements.txt, "
            "requirements-dev.txt) were made: "
            "run `make lock`, then `make test`, and commit pyproject.toml with the locks.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
