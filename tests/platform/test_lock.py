"""The lock files (requirements.txt, requirements-dev.txt) pin, with hashes, every package
pyproject.toml asks for.

`make setup` installs only from them; these tests fail when pyproject.toml gains or changes a
dependency and nobody ran `make lock`, before a fresh machine would find out.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)")


def pins(lock: str) -> dict[str, str]:
    """Package -> pinned version; every pin must carry at least one sha256 hash."""
    text = (ROOT / lock).read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for entry in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = PIN.match(entry)
        if match is None:
            continue
        assert "--hash=sha256:" in entry, f"{lock}: {match.group(1)} is pinned without a hash"
        found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def requirements(*extras: str) -> list[Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = list(data["project"]["dependencies"]) + list(data["build-system"]["requires"])
    for extra in extras:
        wanted += data["project"]["optional-dependencies"][extra]
    return [Requirement(line) for line in wanted]


@pytest.mark.parametrize(
    ("lock", "extras"), [("requirements.txt", ()), ("requirements-dev.txt", ("dev", "scaleout"))]
)
def test_every_requirement_is_pinned_within_its_range(lock, extras):
    pinned = pins(lock)
    environment = default_environment()
    for requirement in requirements(*extras):
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement} is not in {lock}: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {name}=={pinned[name]}, outside {requirement}: run `make lock`"
        )


def test_run_lock_agrees_with_test_lock():
    """`make run` and `make test` install the same version of every package they share."""
    dev = pins("requirements-dev.txt")
    for name, version in pins("requirements.txt").items():
        assert dev.get(name) == version, (
            f"{name}: {version} for make run, {dev.get(name)} for make test"
        )


def test_lock_digest_check_notices_a_changed_pyproject(tmp_path):
    script = ROOT / "scripts" / "lockcheck.py"
    ok = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    # The same script against a copy of the project whose pyproject.toml gained a dependency.
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "lockcheck.py").write_text(script.read_text())
    digest = (ROOT / "requirements.sha256").read_text()
    (tmp_path / "requirements.sha256").write_text(digest)
    pyproject = (ROOT / "pyproject.toml").read_text()
    (tmp_path / "pyproject.toml").write_text(pyproject)
    same = subprocess.run([sys.executable, str(tmp_path / "scripts" / "lockcheck.py")])
    assert same.returncode == 0
    changed = pyproject.replace('"numpy>=2.0",', '"numpy>=2.0",\n    "leftpad>=1",')
    assert changed != pyproject
    (tmp_path / "pyproject.toml").write_text(changed)
    stale = subprocess.run(
        [sys.executable, str(tmp_path / "scripts" / "lockcheck.py")],
        capture_output=True,
        text=True,
    )
    assert stale.returncode == 1
    assert "make lock" in stale.stderr
