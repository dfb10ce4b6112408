"""The engine is a pure library: no module under src/masterbus/engine may import Django."""

import ast
import subprocess
import sys
from pathlib import Path

import masterbus.engine

ENGINE_DIR = Path(masterbus.engine.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_engine_module_imports_django_in_its_source():
    sources = sorted(ENGINE_DIR.rglob("*.py"))
    assert sources, "no engine sources found"
    offenders = {
        str(path.relative_to(ENGINE_DIR)): sorted(
            name for name in _imported_modules(path) if name.split(".")[0] == "django"
        )
        for path in sources
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_whole_engine_loads_no_django():
    modules = sorted(
        "masterbus.engine." + ".".join(path.relative_to(ENGINE_DIR).with_suffix("").parts)
        for path in ENGINE_DIR.rglob("*.py")
        if path.name != "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
