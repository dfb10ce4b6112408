"""Layers point one way: core <- domain apps <- api (and config, the CLI, the URL modules on
top). Module-level imports only: an import inside ``if TYPE_CHECKING:`` or a function is
indented and not counted here (the house tool finds cycles of any kind)."""

from __future__ import annotations

import re
from pathlib import Path

import masterbus

SRC = Path(masterbus.__file__).parent
DOMAIN_APPS = ("accounts", "uploads", "mastering", "security", "profiles", "rights", "privacy")
IMPORT = re.compile(r"^(?:from|import) masterbus\.(\w+)(?:\.(\w+))?", re.M)


def _imports(app: str) -> list[tuple[str, str, str]]:
    found = []
    for path in sorted((SRC / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for match in IMPORT.finditer(path.read_text()):
            found.append((str(path.relative_to(SRC)), match.group(1), match.group(2) or ""))
    return found


def test_core_imports_no_app():
    wrong = [(where, app) for where, app, _ in _imports("core") if app != "core"]
    assert not wrong, wrong


def test_no_domain_app_imports_the_api():
    wrong = [
        (where, app) for name in DOMAIN_APPS for where, app, _ in _imports(name) if app == "api"
    ]
    assert not wrong, wrong


def test_only_url_modules_import_another_domain_apps_views():
    wrong = [
        (where, f"{app}.{module}")
        for name in (*DOMAIN_APPS, "core")
        for where, app, module in _imports(name)
        if module.endswith("views")
        and app in DOMAIN_APPS
        and app != name
        and not where.endswith("urls.py")
    ]
    assert not wrong, wrong
